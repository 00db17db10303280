"""Supervision: a killed or frozen Chrome is restarted with the session restored; a logout is
not retried; a page lacking modules is reported by name."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import Recorder, on_disk, wait_until

from wawebpy import Client, LocalAuth, events
from wawebpy.errors import ModuleMissingError
from wawebpy.testing import FakeWhatsApp

PEER = "15551234567@c.us"


def chrome_main_pid(client: Client) -> int:
    """The browser process: the child of chromedriver that is not a helper (no --type=)."""
    assert client._browser is not None
    driver_pid = client._browser.driver.service.process.pid  # type: ignore[attr-defined]
    for pid in sorted(client._browser.pids()):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(status.split("PPid:")[1].split()[0])
        if ppid == driver_pid and not any(a.startswith(b"--type=") for a in cmd):
            return pid
    raise AssertionError("no Chrome browser process found")


@pytest.fixture(scope="module")
def supervised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeWhatsApp, Client, Recorder]]:
    with FakeWhatsApp() as fake:
        rec = Recorder()
        client = Client(web_url=fake.url, auth=LocalAuth(tmp_path_factory.mktemp("auth")),
                        restart_delay=0.2, restart_max_delay=2.0, heartbeat_timeout=3.0)
        client.on(events.Event, group=-1)(rec)
        client.start()
        fake.wait_for_qr()
        fake.scan_qr()
        client.wait_until_ready(timeout=60)
        # Chrome writes localStorage to disk a few seconds after a change; a crash before that
        # loses the login on any site. Wait until the login is on disk before crashing it.
        profile = client._profile
        assert profile is not None
        wait_until(lambda: on_disk(profile, b"last-wid-md"), 60)
        try:
            yield fake, client, rec
        finally:
            client.close()


def test_sigkilled_chrome_comes_back_ready_twenty_times(
    supervised: tuple[FakeWhatsApp, Client, Recorder],
) -> None:
    fake, client, rec = supervised
    for trial in range(20):
        mark = rec.mark()
        os.kill(chrome_main_pid(client), signal.SIGKILL)
        rec.wait(events.Disconnected, start=mark, timeout=30)
        rec.wait(events.Reconnecting, start=mark, timeout=30)
        rec.wait(events.Ready, start=mark, timeout=60)
        msg_id = fake.deliver_text(sender=PEER, text=f"after crash {trial}")
        rec.wait(events.NewMessage, lambda e, m=msg_id: str(e.message.id) == m, start=mark)
    assert not rec.of(events.QrCode)[1:], "a restart asked for a new QR"
    assert len(rec.of(events.Reconnecting)) >= 20


def test_sends_cut_off_by_a_chrome_crash_arrive_exactly_once_and_in_order(
    supervised: tuple[FakeWhatsApp, Client, Recorder],
) -> None:
    fake, client, rec = supervised
    mark = rec.mark()
    texts = [f"across the crash {i:02d}" for i in range(40)]
    for text in texts:
        client.send_text(PEER, text, wait=False)
    os.kill(chrome_main_pid(client), signal.SIGKILL)  # most of them still queued
    rec.wait(events.Ready, start=mark, timeout=60)
    assert client.flush_outbox(timeout=60)
    assert [s.body for s in fake.sent if s.body in texts] == texts
    assert fake.resent == []
    assert not rec.of(events.SendFailed)


def test_frozen_page_is_detected_and_recovered(
    supervised: tuple[FakeWhatsApp, Client, Recorder],
) -> None:
    fake, client, rec = supervised
    mark = rec.mark()
    # Over CDP: a WebDriver command would itself hang behind the frozen renderer.
    assert client._channel is not None
    client._channel.send("Runtime.evaluate", {"expression": "setTimeout(() => { for (;;) {} }, 0)"})
    try:
        gone = rec.wait(events.Disconnected, start=mark, timeout=60)
    except AssertionError as exc:
        bg = client._background
        raise AssertionError(f"{exc}; restarting={client._restarting} "
                             f"heartbeat alive={bg is not None and bg.is_alive()} "
                             f"cdp closed={client._channel.closed if client._channel else None}") from None
    assert gone.reason == "page not responding"
    rec.wait(events.Ready, start=mark, timeout=60)
    msg_id = fake.deliver_text(sender=PEER, text="after freeze")
    rec.wait(events.NewMessage, lambda e: str(e.message.id) == msg_id, start=mark)


def test_logout_is_not_retried(supervised: tuple[FakeWhatsApp, Client, Recorder]) -> None:
    fake, client, rec = supervised
    mark = rec.mark()
    fake.logout_device()
    rec.wait(events.LoggedOut, start=mark)
    rec.wait(events.QrCode, start=mark)  # the page is back, asking for a login
    assert not [e for e in rec.events[mark:] if isinstance(e, events.Reconnecting)]
    assert not client.is_ready


def test_self_check_names_a_missing_module_and_what_it_disables(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with FakeWhatsApp(missing_modules=frozenset({"WAWebCmd"})) as fake:
        with Client(web_url=fake.url) as client:
            report = client.self_check()
            assert not report.ok
            assert "WAWebCmd" in report.missing_modules
            assert {"auth.progress", "auth.logout"} <= set(report.disabled_by("WAWebCmd"))
            assert report.capabilities["messages.send"].ok
            with pytest.raises(ModuleMissingError) as info:
                client.on(events.LoadingProgress)
            assert "WAWebCmd" in str(info.value) and info.value.modules == ("WAWebCmd",)
            client.on(events.NewMessage)  # resolvable sources register fine
        lenient = Client(web_url=fake.url, on_unsupported="warn")
        lenient.on(events.LoggedOut)(lambda c, e: None)
        with caplog.at_level(logging.WARNING, logger="wawebpy"), lenient:
            pass
        assert "LoggedOut cannot fire" in caplog.text
        strict = Client(web_url=fake.url)
        strict.on(events.LoggedOut)(lambda c, e: None)
        with pytest.raises(ModuleMissingError):
            strict.start()
        assert strict.status.value == "closed"
