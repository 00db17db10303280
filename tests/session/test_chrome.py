"""A real headless Chromium: log-in data written by a page survives seal and restore.

The page stores values in localStorage and IndexedDB (where WhatsApp Web keeps its login);
the profile is sealed once live (after_ready, Chrome running) and once after Chrome quit
(after_close); each snapshot is restored into a fresh temporary profile and a new Chrome
reads the values back.
"""

from __future__ import annotations

import http.server
import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import CHROMEDRIVER, CHROMIUM, bare_chrome

from wawebpy.auth import EncryptedAuth, FileSessionStore, SessionKey

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
    reason="needs /usr/bin/chromium and /usr/bin/chromedriver",
)

PAGE = b"<!doctype html><html><head><title>session test</title></head><body>ok</body></html>"

WRITE = """
const [token, done] = [arguments[0], arguments[arguments.length - 1]];
localStorage.setItem('last-wid-md', JSON.stringify(token + ':1@c.us'));
const open = indexedDB.open('wawc', 1);
open.onupgradeneeded = () => open.result.createObjectStore('user');
open.onerror = () => done('open failed');
open.onsuccess = () => {
  const tx = open.result.transaction('user', 'readwrite');
  tx.objectStore('user').put({token: token, pad: 'p'.repeat(200000)}, 'me');
  tx.oncomplete = () => { open.result.close(); done('ok'); };
  tx.onerror = () => done('tx failed');
};
"""

READ = """
const done = arguments[arguments.length - 1];
const out = {local: localStorage.getItem('last-wid-md'), idb: null};
const open = indexedDB.open('wawc');
open.onerror = () => done(out);
open.onsuccess = () => {
  const db = open.result;
  if (!db.objectStoreNames.contains('user')) { done(out); return; }
  const get = db.transaction('user').objectStore('user').get('me');
  get.onsuccess = () => { out.idb = get.result ? get.result.token : null; db.close(); done(out); };
  get.onerror = () => done(out);
};
"""


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def origin() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def chrome(profile: Path) -> Any:
    return bare_chrome(profile, script_timeout=20)


def read_back(auth: EncryptedAuth, origin: str) -> tuple[dict[str, Any], Path]:
    profile = auth.prepare()
    assert auth.restored
    driver = chrome(profile)
    try:
        driver.get(origin)
        values: dict[str, Any] = driver.execute_async_script(READ)
    finally:
        driver.quit()
        auth.after_close(profile)
    return values, profile


def test_login_state_survives_seal_and_restore(origin: str, tmp_path: Path) -> None:
    store = FileSessionStore(tmp_path / "sessions")
    key = SessionKey.generate()
    temp_base = tmp_path / "tmp"
    temp_base.mkdir()
    token = secrets.token_hex(8)

    auth = EncryptedAuth(store, key=key, temp_dir=temp_base)
    profile = auth.prepare()
    assert not auth.restored
    driver = chrome(profile)
    try:
        driver.get(origin)
        assert driver.execute_async_script(WRITE, token) == "ok"
        auth.after_ready(profile)  # a live snapshot while Chrome writes

        # The live snapshot alone restores the login (as after a crash before close).
        live_values, live_profile = read_back(
            EncryptedAuth(store, key=key, temp_dir=temp_base), origin
        )
        assert live_values == {"local": f'"{token}:1@c.us"', "idb": token}
        assert not live_profile.exists()
    finally:
        driver.quit()
    auth.after_close(profile)  # the final, quiescent snapshot
    assert not profile.exists()

    values, restored = read_back(EncryptedAuth(store, key=key, temp_dir=temp_base), origin)
    assert restored != profile
    assert values == {"local": f'"{token}:1@c.us"', "idb": token}
    assert [p for p in temp_base.rglob("*") if p.is_file()] == []
