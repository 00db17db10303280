"""Client lifecycle: misuse gives typed errors, and no browser process outlives the client."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest
from helpers import Recorder, alive, chrome_pids_using

from wawebpy import BrowserOptions, Client, NoAuth, events
from wawebpy.errors import (
    BrowserNotFoundError,
    ClientClosedError,
    ClientStateError,
    DriverNotFoundError,
    InvalidContentError,
    NotReadyError,
    PageLoadError,
)
from wawebpy.testing import FakeWhatsApp


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeWhatsApp]:
    with FakeWhatsApp() as f:
        yield f


def test_calls_before_start_and_before_ready_are_refused(fake: FakeWhatsApp) -> None:
    client = Client(web_url=fake.url)
    with pytest.raises(NotReadyError):
        client.send_text("15551234567@c.us", "too early")
    with pytest.raises(ClientStateError):
        client.wait_until_ready(timeout=1)
    rec = Recorder()
    client.on(events.QrCode, group=-1)(rec)
    with client:
        rec.wait(events.QrCode)  # started, waiting for login: not ready
        with pytest.raises(NotReadyError, match="wait_until_ready"):
            client.send_text("15551234567@c.us", "still too early")
        pids = client._browser.pids() if client._browser else frozenset()
        assert alive(pids)
    with pytest.raises(ClientClosedError):
        client.send_text("15551234567@c.us", "too late")
    with pytest.raises(ClientClosedError):
        client.start()
    assert not alive(pids)


def test_with_block_that_raises_leaves_no_process(fake: FakeWhatsApp) -> None:
    pids: frozenset[int] = frozenset()
    with pytest.raises(RuntimeError, match="user bug"), Client(web_url=fake.url) as client:
        pids = client._browser.pids() if client._browser else frozenset()
        assert alive(pids)
        raise RuntimeError("user bug")
    assert pids and not alive(pids)


def test_missing_chrome_is_typed_and_starts_nothing(fake: FakeWhatsApp) -> None:
    auth = NoAuth()
    client = Client(
        web_url=fake.url, auth=auth, browser=BrowserOptions(binary="/nonexistent/chrome")
    )
    with pytest.raises(BrowserNotFoundError) as info:
        client.start()
    assert "/nonexistent/chrome" in str(info.value)
    assert not chrome_pids_using("/nonexistent/chrome")
    with pytest.raises(ClientClosedError):
        client.send_text("15551234567@c.us", "hi")


def test_missing_driver_is_typed(fake: FakeWhatsApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("SE_OFFLINE", "true")
    client = Client(
        web_url=fake.url,
        browser=BrowserOptions(binary="/usr/bin/chromium", driver_path="/nonexistent/chromedriver"),
    )
    with pytest.raises(DriverNotFoundError) as info:
        client.start()
    assert "/nonexistent/chromedriver" in str(info.value)


def test_page_that_is_not_whatsapp_fails_clearly_and_cleans_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import wawebpy._client as client_module

    launched = []
    real_launch = client_module.launch

    def spy(*args: object, **kwargs: object) -> object:
        browser = real_launch(*args, **kwargs)  # type: ignore[arg-type]
        launched.append(browser)
        return browser

    monkeypatch.setattr(client_module, "launch", spy)
    with FakeWhatsApp() as fake:
        client = Client(web_url=fake.url + "not-whatsapp-404", load_timeout=3)
        with pytest.raises(PageLoadError, match=r"window\.Debug\.VERSION"):
            client.start()
        assert len(launched) == 1
        assert not alive(launched[0].pids())


def test_bad_options_are_typed() -> None:
    with pytest.raises(InvalidContentError):
        Client(web_url="ftp://example")
    with pytest.raises(InvalidContentError):
        Client(transport="carrier-pigeon")  # type: ignore[arg-type]
    client = Client()
    with pytest.raises(InvalidContentError):
        client.on(int)  # type: ignore[type-var]


def test_interpreter_exit_kills_the_browser(fake: FakeWhatsApp) -> None:
    script = textwrap.dedent(
        f"""
        from wawebpy import Client
        client = Client(web_url={fake.url!r})
        client.start()
        print(" ".join(str(p) for p in client._browser.pids()), flush=True)
        # no close(): the interpreter exits with the browser running
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    pids = [int(p) for p in out.stdout.split()]
    assert pids
    assert not alive(pids)
