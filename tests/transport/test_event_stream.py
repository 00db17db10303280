"""The event stream: no loss, no duplicates, page order — in bursts, across reloads and
back/forward restores, and with each transport."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from wawebpy import BrowserOptions, Client, events
from wawebpy.testing import FakeWhatsApp, IncomingText

PEER = "15551234567@c.us"


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


@pytest.fixture(scope="module", params=["cdp", "poll"])
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


def test_back_forward_cache_restore_keeps_the_stream() -> None:
    with FakeWhatsApp() as fake:
        client, collector = _ready_client(fake, browser=BrowserOptions(lean=False))
        try:
            fake.deliver_many(_burst("before", 100))
            collector.wait_count(100)
            driver = client.driver
            driver.get(fake.url + "?elsewhere=1")
            client.wait_until_ready(timeout=60)
            driver.back()
            nav = driver.execute_script(
                "return performance.getEntriesByType('navigation')[0].type"
            )
            assert nav in ("back_forward", "navigate", "reload")
            fake.deliver_many(_burst("after", 1000))
            got = collector.wait_count(1100)
            assert got[:100] == _expect("before", 100)
            assert got[100:] == _expect("after", 1000)
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
