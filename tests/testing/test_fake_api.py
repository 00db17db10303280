"""The Python control API without a browser: lifecycle, validation, threads, plugin fixture."""

from __future__ import annotations

import threading
import urllib.request

import pytest

from wawebpy.errors import InvalidChatIdError, WaitTimeoutError
from wawebpy.testing import FakeWhatsApp, IncomingText


def test_fixture_yields_started_fake(fake_whatsapp: FakeWhatsApp) -> None:
    assert fake_whatsapp.url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(fake_whatsapp.url, timeout=5) as resp:
        assert b"<title>WhatsApp</title>" in resp.read()
    assert fake_whatsapp.connected is False
    assert fake_whatsapp.linked_devices == 0


def test_config_js_carries_version_and_missing_modules() -> None:
    with (
        FakeWhatsApp(version="2.3000.1", missing_modules={"WAWebCmd"}) as fake,
        urllib.request.urlopen(fake.url + "config.js", timeout=5) as resp,
    ):
        body = resp.read().decode()
    assert '"version": "2.3000.1"' in body and '"WAWebCmd"' in body


def test_close_is_idempotent_and_frees_the_port() -> None:
    fake = FakeWhatsApp().start()
    url = fake.url
    fake.close()
    fake.close()
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)


def test_not_started_is_a_clear_error() -> None:
    fake = FakeWhatsApp()
    with pytest.raises(RuntimeError, match="not started"):
        fake.deliver_text("15551234567@c.us", "x")
    with pytest.raises(RuntimeError, match="not started"):
        _ = fake.url


def test_input_validation(fake_whatsapp: FakeWhatsApp) -> None:
    with pytest.raises(ValueError, match="phone number"):
        FakeWhatsApp(me="+1 555")
    with pytest.raises(InvalidChatIdError):
        fake_whatsapp.deliver_text("not-an-id@nowhere", "x")
    with pytest.raises(ValueError, match="group id"):
        fake_whatsapp.deliver_text("15551234567@c.us", "x", chat="15551234568@c.us")
    with pytest.raises(TypeError):
        fake_whatsapp.deliver_many([IncomingText(sender="15551234567", text=b"x")])  # type: ignore[arg-type]


def test_waits_time_out_with_wawebpy_error(fake_whatsapp: FakeWhatsApp) -> None:
    with pytest.raises(WaitTimeoutError) as info:
        fake_whatsapp.wait_for_qr(timeout=0.05)
    assert isinstance(info.value, TimeoutError) and info.value.what == "a QR code"
    with pytest.raises(WaitTimeoutError):
        fake_whatsapp.wait_for_sent(timeout=0.05)
    with pytest.raises(RuntimeError, match="no device"):
        fake_whatsapp.logout_device()


def test_offline_delivery_ids_and_thread_safety(fake_whatsapp: FakeWhatsApp) -> None:
    ids: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        for i in range(50):
            mid = fake_whatsapp.deliver_text(f"1555123{n:04d}", f"m{i}")
            with lock:
                ids.append(mid)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ids) == len(set(ids)) == 400
    assert all(i.startswith("false_1555123") and i.count("_") == 2 for i in ids)
    group_msg = fake_whatsapp.deliver_text(
        "15551234567", "g", chat="120363000000000009@g.us", mentions=["15557654321"]
    )
    assert group_msg.startswith("false_120363000000000009@g.us_")
    assert group_msg.endswith("_15551234567@c.us")
