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
