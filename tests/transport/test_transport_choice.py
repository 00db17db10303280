"""Which push channel a client picks: CDP binding, then WebDriver BiDi, then polling."""

from __future__ import annotations

import os
import signal
import socket
import tempfile
import threading
from collections.abc import Iterator

import pytest
from helpers import Recorder

from wawebpy import BrowserOptions, Client, events
from wawebpy._transport._bidi import BidiConnection
from wawebpy._transport._driver import LaunchedBrowser, launch
from wawebpy.errors import BridgeError, InvalidContentError
from wawebpy.testing import FakeWhatsApp


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeWhatsApp]:
    with FakeWhatsApp() as fake:
        yield fake


@pytest.fixture
def no_cdp(monkeypatch: pytest.MonkeyPatch) -> None:
    """A session whose CDP endpoint refuses (as behind a Grid that does not proxy it)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise BridgeError("CDP refused (test)")

    monkeypatch.setattr("wawebpy._client.open_cdp_channel", refuse)


def test_unknown_transport_is_refused() -> None:
    with pytest.raises(InvalidContentError, match="'bidi'"):
        Client(transport="websocket")  # type: ignore[arg-type]


def test_a_refused_websocket_is_a_bridge_error() -> None:
    # Not a websocket-client exception: the client catches BridgeError to try the next channel.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        with pytest.raises(BridgeError, match="cannot open the BiDi websocket"):
            BidiConnection(
                f"ws://127.0.0.1:{port}/session/x",
                context="c",
                binding="b",
                on_push=lambda raw: None,
                on_navigated=lambda: None,
            )


def test_auto_uses_cdp_and_a_launch_does_not_ask_for_bidi(fake: FakeWhatsApp) -> None:
    with Client(web_url=fake.url) as client:
        assert client.diagnostics()["transport"] == "cdp"
        assert client._browser is not None and client._browser.bidi_url is None


@pytest.mark.usefixtures("no_cdp")
def test_auto_without_cdp_on_a_launch_polls(fake: FakeWhatsApp) -> None:
    # A launch has no BiDi socket unless forced: the next choice is polling, not a mapper tab.
    with Client(web_url=fake.url) as client:
        assert client.diagnostics()["transport"] == "poll"


@pytest.mark.usefixtures("no_cdp")
def test_auto_without_cdp_uses_bidi_when_the_session_offers_it(fake: FakeWhatsApp) -> None:
    with tempfile.TemporaryDirectory() as profile:
        # A driver the user built with webSocketUrl (as a Grid session would be).
        browser: LaunchedBrowser = launch(BrowserOptions(), profile, bidi=True)
        try:
            assert browser.bidi_url is not None
            client = Client(web_url=fake.url, driver=browser.driver)
            got_qr = threading.Event()
            client.on(events.QrCode)(lambda c, e: got_qr.set())
            with client:
                assert client.diagnostics()["transport"] == "bidi"
                assert got_qr.wait(30), "no QrCode event through the BiDi channel"
        finally:
            browser.quit()


@pytest.mark.usefixtures("no_cdp")
def test_forced_cdp_that_fails_raises_instead_of_falling_back(fake: FakeWhatsApp) -> None:
    client = Client(web_url=fake.url, transport="cdp")
    with pytest.raises(BridgeError, match="cdp transport unavailable"):
        client.start()
    assert client.status.value == "closed"


def test_bidi_channel_is_opened_again_after_chrome_dies(fake: FakeWhatsApp) -> None:
    rec = Recorder()
    client = Client(web_url=fake.url, transport="bidi", restart_delay=0.2, heartbeat_timeout=3.0)
    client.on(events.Event, group=-1)(rec)
    with client:
        assert client._browser is not None
        driver_pid = client._browser.driver.service.process.pid  # type: ignore[attr-defined]
        mark = rec.mark()
        for pid in client._browser.pids() - {driver_pid}:
            os.kill(pid, signal.SIGKILL)
        # chromedriver closes the BiDi socket when Chrome dies: that is the news of the loss.
        rec.wait(events.Disconnected, start=mark, timeout=30)
        rec.wait(events.Reconnecting, start=mark, timeout=30)
        rec.wait(events.QrCode, start=rec.mark(), timeout=60)  # through the new channel
        fake.scan_qr()
        client.wait_until_ready(timeout=60)
        mark = rec.mark()
        fake.deliver_text(sender="15551234567@c.us", text="after the crash")
        rec.wait(events.NewMessage, lambda e: e.message.text == "after the crash", start=mark)
        assert client.diagnostics()["transport"] == "bidi"
