"""Fixtures for the session tests: fast KDF parameters, fake profiles, isolated temp bases."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from wawebpy.auth import Argon2idParams, FileSessionStore, SessionKey, SQLiteSessionStore

#: Argon2id at its minimum cost: the format is the same, the tests stay fast.
FAST = Argon2idParams(memory_kib=64, iterations=1, lanes=1)
PASSPHRASE = "correct horse battery staple"
#: Content that must never show up in logs, reprs or error messages.
MARKER = b"SESSION-PAYLOAD-MARKER-7f3a"


def write_profile(profile: Path, *, seed: bytes = b"a", big: int = 0) -> dict[str, bytes]:
    """A small Chrome-like profile: the kept folders, LevelDB noise and caches.

    Returns the files a snapshot must keep (relative path -> content).
    """
    idb = "Default/IndexedDB/https_web.whatsapp.com_0.indexeddb.leveldb"
    kept = {
        f"{idb}/000003.log": MARKER + seed * 3000,
        f"{idb}/000005.ldb": os.urandom(2048) + seed,
        f"{idb}/CURRENT": b"MANIFEST-000001\n",
        f"{idb}/MANIFEST-000001": b"manifest" + seed,
        "Default/IndexedDB/https_web.whatsapp.com_0.indexeddb.blob/1/00/3": b"blob" + seed,
        "Default/Local Storage/leveldb/000003.log": b"last-wid-md" + MARKER + seed,
        "Default/Local Storage/leveldb/CURRENT": b"MANIFEST-000001\n",
        "Default/Cookies": b"SQLite format 3\x00" + seed,
        "Local State": b'{"os_crypt": {}}',
    }
    if big:
        kept[f"{idb}/000009.ldb"] = os.urandom(big)
    dropped = {
        f"{idb}/LOG": b"leveldb text log",
        f"{idb}/LOCK": b"",
        "Default/Cache/Cache_Data/data_0": b"cache" * 1000,
        "Default/Service Worker/CacheStorage/x/y": b"sw cache" * 100,
        "Default/Session Storage/000003.log": b"session storage",
        "Default/History": b"history",
        "Default/Preferences": b"{}",
        "SingletonLock": b"",
    }
    for rel, data in {**kept, **dropped}.items():
        path = profile / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return kept


def read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def temp_base(tmp_path: Path) -> Path:
    """A private base for temporary profiles, so tests never touch the real /dev/shm root."""
    base = tmp_path / "tmpbase"
    base.mkdir()
    return base


@pytest.fixture
def key() -> SessionKey:
    return SessionKey.generate()


@pytest.fixture(params=["file", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    if request.param == "file":
        yield FileSessionStore(tmp_path / "sessions")
    else:
        yield SQLiteSessionStore(tmp_path / "sessions.db")
