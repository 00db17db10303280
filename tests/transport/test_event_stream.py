"""The event stream: no loss, no duplicates, page order — in bursts, across reloads and
back/forward restores, and with each transport (CDP binding, WebDriver BiDi channel, polling)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from wawebpy import BrowserOptions, Client, events
from wawebpy.testing import FakeWhatsApp, IncomingText

PEER = "15551234567@c.us"
TRANSPORTS = ["cdp", "bidi", "poll"]


@dataclass
class Collector:
    """Records NewMessage texts in arrival order and wakes a waiter at a count."""

    texts: list[str] = field(default_factory=list)
    cond: threading.Condition = field(default_factory=threading.Condition)

    def __call__(self, client: Client, event: events.NewMessage) -> None:
        with self.cond:
            self.texts.append(event.message.text)
            self.cond.notify_all()

    def wait_count(self, n: int, timeout: float = 120) -> list[str]:
        with self.cond:
            assert self.cond.wait_for(lambda: len(self.texts) >= n, timeout), (
                f"only {len(self.texts)} of {n} events arrived; hundreds seen: "
                f"{sorted({t[:-2] for t in self.texts})}"
            )
            return list(self.texts)

    def clear(self) -> None:
        with self.cond:
            self.texts.clear()


def _burst(prefix: str, n: int, start: int = 0) -> list[IncomingText]:
    return [IncomingText(sender=PEER, text=f"{prefix}-{i:05d}") for i in range(start, start + n)]


def _expect(prefix: str, n: int) -> list[str]:
    return [f"{prefix}-{i:05d}" for i in range(n)]


def _ready_client(fake: FakeWhatsApp, **kwargs: object) -> tuple[Client, Collector]:
    collector = Collector()
    client = Client(web_url=fake.url, **kwargs)  # type: ignore[arg-type]
    client.on(events.NewMessage, lambda e: not e.message.from_me)(collector)
    client.start()
    fake.wait_for_qr()
    fake.scan_qr()
    client.wait_until_ready(timeout=60)
    return client, collector


@pytest.fixture(scope="module", params=TRANSPORTS)
def stream(request: pytest.FixtureRequest) -> Iterator[tuple[FakeWhatsApp, Client, Collector]]:
    with FakeWhatsApp() as fake:
        client, collector = _ready_client(fake, transport=request.param)
        try:
            assert client.diagnostics()["transport"] == request.param
            yield fake, client, collector
        finally:
            client.close()


def test_10000_event_burst_arrives_complete_and_in_order(
    stream: tuple[FakeWhatsApp, Client, Collector],
) -> None:
    fake, client, collector = stream
    collector.clear()
    fake.deliver_many(_burst("burst", 10_000))
    assert collector.wait_count(10_000) == _expect("burst", 10_000)
    diag = client.diagnostics()
    assert diag["lost"] == 0


def test_reload_in_the_middle_of_a_burst_loses_nothing(
    stream: tuple[FakeWhatsApp, Client, Collector],
) -> None:
    fake, client, collector = stream
    collector.clear()
    chunks = 20
    per = 500
    epochs_before = client.diagnostics()["epochs"]
    for c in range(chunks):
        fake.deliver_many(_burst("reload", per, start=c * per))
        if c == chunks // 2:
            # The page reloads while messages are in flight (through the driver thread: WebDriver
            # commands must not run concurrently).
            client._worker.run(client.driver.refresh)  # type: ignore[union-attr]
    try:
        got = collector.wait_count(chunks * per)
    except AssertionError as exc:
        raise AssertionError(f"{exc}; stream: {client.diagnostics()}") from None
    assert got == _expect("reload", chunks * per)
    assert client.diagnostics()["epochs"] > epochs_before
    # And the stream keeps going on the new page.
    fake.deliver_text(sender=PEER, text="after-reload")
    assert collector.wait_count(chunks * per + 1)[-1] == "after-reload"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_navigating_away_and_back_keeps_the_stream(transport: str) -> None:
    with FakeWhatsApp() as fake:
        client, collector = _ready_client(
            fake, transport=transport, browser=BrowserOptions(lean=False)
        )
        try:
            fake.deliver_many(_burst("before", 100))
            collector.wait_count(100)
            driver = client.driver
            driver.get(fake.url + "?elsewhere=1")
            client.wait_until_ready(timeout=60)
            driver.back()
            fake.deliver_many(_burst("after", 1000))
            got = collector.wait_count(1100)
            assert got[:100] == _expect("before", 100)
            assert got[100:] == _expect("after", 1000)
        finally:
            client.close()


# Emits NewMessage payloads through the bridge queue, the same path WhatsApp's events take.
_EMIT_JS = """
const [prefix, count] = arguments;
for (let i = 0; i < count; i++) {
  const text = prefix + '-' + String(i).padStart(5, '0');
  window.__wawebpy.emit('messages.add', {id: 'false_' + arguments[2] + '_' + text,
    fromMe: false, remote: arguments[2], from: arguments[2], to: '15550000001@c.us',
    type: 'chat', t: 1700000000, ack: 1, isNewMsg: true, body: text,
    mentionedJidList: [], groupMentions: []});
}
"""


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_back_forward_cache_restore_keeps_the_stream(transport: str, static_site: str) -> None:
    collector = Collector()
    # Backup resync off (an hour): after the restore, only the push channel (re-armed for BiDi)
    # or the poller can deliver, so a dead channel would show up as missing events.
    client = Client(
        web_url=static_site + "a.html",
        transport=transport,  # type: ignore[arg-type]
        browser=BrowserOptions(lean=False),  # lean flags turn the back/forward cache off
        resync_interval=3600.0,
        on_unsupported="warn",
    )
    client.on(events.NewMessage)(collector)
    client.start()
    try:
        assert client.diagnostics()["transport"] == transport
        driver = client.driver
        emit = functools.partial(client._worker.run, driver.execute_script, _EMIT_JS)  # type: ignore[union-attr]
        emit("before", 100, PEER)
        assert collector.wait_count(100) == _expect("before", 100)
        driver.execute_script("window.__kept = true")
        client._worker.run(driver.get, static_site + "b.html")  # type: ignore[union-attr]
        client._worker.run(driver.back)  # type: ignore[union-attr]
        # The same document came back (a new one would not have the marker): a real restore.
        assert client._worker.run(driver.execute_script, "return window.__kept === true")  # type: ignore[union-attr]
        collector.clear()
        emit("after", 1000, PEER)
        assert collector.wait_count(1000) == _expect("after", 1000)
        # The first burst may still ride the drain that the restore itself prompts; by now that
        # drain is over, so this one needs a live channel.
        collector.clear()
        emit("later", 1000, PEER)
        assert collector.wait_count(1000, timeout=30) == _expect("later", 1000)
        assert client.diagnostics()["lost"] == 0
    finally:
        client.close()


def test_lone_surrogates_from_the_page_are_replaced(
    stream: tuple[FakeWhatsApp, Client, Collector],
) -> None:
    fake, _client, collector = stream
    collector.clear()
    # A text cut in the middle of an emoji: only the high surrogate survives.
    fake.deliver_text(sender=PEER, text="cut \ud83d here")
    (text,) = collector.wait_count(1)
    assert text == "cut \ufffd here"
    text.encode("utf-8")  # user code can encode it
