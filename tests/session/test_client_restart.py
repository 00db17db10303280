"""End to end with the real Client and the fake WhatsApp Web: log in once, restart from the
sealed store without a QR scan, and a logout drops the stored session."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wawebpy import Client, events
from wawebpy.auth import EncryptedAuth, FileSessionStore, SessionKey
from wawebpy.testing import FakeWhatsApp

pytestmark = pytest.mark.skipif(
    not (os.path.exists("/usr/bin/chromium") and os.path.exists("/usr/bin/chromedriver")),
    reason="needs /usr/bin/chromium and /usr/bin/chromedriver",
)


class Qrs:
    def __init__(self) -> None:
        self.seen = threading.Event()

    def __call__(self, client: Any, event: events.QrCode) -> None:
        self.seen.set()


@pytest.fixture
def fake() -> Iterator[FakeWhatsApp]:
    with FakeWhatsApp() as f:
        yield f


def test_login_once_then_restart_without_qr(fake: FakeWhatsApp, tmp_path: Path) -> None:
    store = FileSessionStore(tmp_path / "sessions")
    key = SessionKey.generate()
    temp_base = tmp_path / "tmp"
    temp_base.mkdir()

    first = EncryptedAuth(store, key=key, temp_dir=temp_base)
    qrs = Qrs()
    client = Client(web_url=fake.url, auth=first)
    client.on(events.QrCode)(qrs)
    with client:
        fake.scan_qr(timeout=30)
        client.wait_until_ready(timeout=60)
        assert qrs.seen.is_set() and not first.restored
    assert store.exists("default")
    assert [p for p in temp_base.rglob("*") if p.is_file()] == []
    scans = fake.qr_count

    second = EncryptedAuth(store, key=key, temp_dir=temp_base)
    qrs = Qrs()
    client = Client(web_url=fake.url, auth=second)
    client.on(events.QrCode)(qrs)
    with client:
        client.wait_until_ready(timeout=60)
        assert second.restored
        assert not qrs.seen.is_set() and fake.qr_count == scans
        client.logout()
        deadline = threading.Event()
        for _ in range(100):
            if not store.exists("default"):
                break
            deadline.wait(0.1)
        assert not store.exists("default")
    assert not store.exists("default")  # the close after a logout saves nothing
    assert [p for p in temp_base.rglob("*") if p.is_file()] == []


def test_a_new_process_restores_without_qr(fake: FakeWhatsApp, tmp_path: Path) -> None:
    """The sealed session, not anything left in this process, is what logs the second run in."""
    import subprocess
    import sys

    store_dir = tmp_path / "sessions"
    raw = os.urandom(32)
    with Client(web_url=fake.url, auth=EncryptedAuth(FileSessionStore(store_dir),
                                                     key=SessionKey(raw))) as client:
        fake.scan_qr(timeout=30)
        client.wait_until_ready(timeout=60)
    scans = fake.qr_count
    script = f"""
import sys
from wawebpy import Client, events
from wawebpy.auth import EncryptedAuth, FileSessionStore, SessionKey
qrs = []
auth = EncryptedAuth(FileSessionStore({str(store_dir)!r}), key=SessionKey(bytes.fromhex(sys.argv[1])))
with Client(web_url={fake.url!r}, auth=auth) as client:
    client.on(events.QrCode)(lambda c, e: qrs.append(e))
    client.wait_until_ready(timeout=60)
    print("ready", len(qrs), auth.restored)
"""
    # The key travels as an argument to the child only, never into a log or the output.
    out = subprocess.run([sys.executable, "-c", script, raw.hex()], capture_output=True,
                         text=True, timeout=120, check=True)
    assert out.stdout.split() == ["ready", "0", "True"]
    assert fake.qr_count == scans
    assert raw.hex() not in out.stdout + out.stderr


def test_no_auth_asks_for_a_qr_every_time(fake: FakeWhatsApp) -> None:
    for _ in range(2):
        qrs = Qrs()
        client = Client(web_url=fake.url)
        client.on(events.QrCode)(qrs)
        with client:
            fake.scan_qr(timeout=30)
            client.wait_until_ready(timeout=60)
            assert qrs.seen.is_set()
