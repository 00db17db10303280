"""FileSessionStore and SQLiteSessionStore: the protocol, atomic replacement, file modes."""

from __future__ import annotations

import io
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from wawebpy._session._streams import iter_reader
from wawebpy.auth import FileSessionStore, SessionStore, SQLiteSessionStore
from wawebpy.errors import SessionNotFoundError, SessionStoreError


def test_both_stores_satisfy_the_protocol(store: SessionStore) -> None:
    assert isinstance(store, SessionStore)


def test_round_trip_exists_delete(store: SessionStore) -> None:
    assert not store.exists("s1")
    data = os.urandom(3 * (1 << 20) + 123)  # several 1 MiB pieces / rows
    store.save("s1", io.BytesIO(data))
    assert store.exists("s1") and not store.exists("s2")
    with store.load("s1") as f:
        assert f.read() == data
    store.save("s1", io.BytesIO(b"second"))
    with store.load("s1") as f:
        assert f.read() == b"second"
    store.delete("s1")
    store.delete("s1")  # no error when absent
    assert not store.exists("s1")
    with pytest.raises(SessionNotFoundError) as info:
        store.load("s1")
    assert info.value.session_id == "s1"


def test_empty_session(store: SessionStore) -> None:
    store.save("e", io.BytesIO(b""))
    with store.load("e") as f:
        assert f.read() == b""


def _failing(after: int) -> Iterator[bytes]:
    yield b"n" * after
    raise RuntimeError("the producer failed")


def test_a_failing_producer_keeps_the_previous_session(store: SessionStore, tmp_path: Path) -> None:
    store.save("s", io.BytesIO(b"good"))
    with pytest.raises(RuntimeError, match="producer failed"):
        store.save("s", iter_reader(_failing(3 << 20)))
    with store.load("s") as f:
        assert f.read() == b"good"
    if isinstance(store, FileSessionStore):
        assert sorted(os.listdir(store.directory)) == ["s.wawebpy-session"]


def test_file_modes(tmp_path: Path) -> None:
    store = FileSessionStore(tmp_path / "a" / "b")
    store.save("s", io.BytesIO(b"x"))
    assert stat.S_IMODE(os.stat(tmp_path / "a").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(tmp_path / "a" / "b").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(store.path_for("s")).st_mode) == 0o600
    db = SQLiteSessionStore(tmp_path / "c" / "s.db")
    db.save("s", io.BytesIO(b"x"))
    assert stat.S_IMODE(os.stat(tmp_path / "c").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(tmp_path / "c" / "s.db").st_mode) == 0o600


def test_file_store_sweeps_temp_files_of_dead_saves(tmp_path: Path) -> None:
    store = FileSessionStore(tmp_path)
    store.save("s", io.BytesIO(b"x"))
    from wawebpy._session._stores import _host_tag

    dead = tmp_path / f".s~{_host_tag()}~999999999~abc.tmp"
    other = tmp_path / f".t~{_host_tag()}~999999999~abc.tmp"
    dead.write_bytes(b"partial")
    other.write_bytes(b"partial")
    store.save("s", io.BytesIO(b"y"))
    assert not dead.exists() and other.exists()  # only its own session's leftovers


def test_session_ids_listing(store: SessionStore) -> None:
    for sid in ["b", "a"]:
        store.save(sid, io.BytesIO(b"x"))
    assert store.session_ids() == ["a", "b"]  # type: ignore[attr-defined]


def test_sqlite_rows_and_wal(tmp_path: Path) -> None:
    store = SQLiteSessionStore(tmp_path / "s.db")
    store.save("s", io.BytesIO(os.urandom((1 << 20) * 2 + 5)))
    conn = sqlite3.connect(tmp_path / "s.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT count(*) FROM wawebpy_sessions").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM wawebpy_session_chunks").fetchone()[0] == 3
    conn.close()
    plain = SQLiteSessionStore(tmp_path / "p.db", wal=False)
    plain.save("s", io.BytesIO(b"x"))
    conn = sqlite3.connect(tmp_path / "p.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_sqlite_detects_missing_rows(tmp_path: Path) -> None:
    store = SQLiteSessionStore(tmp_path / "s.db")
    store.save("s", io.BytesIO(os.urandom((1 << 20) + 1)))
    conn = sqlite3.connect(tmp_path / "s.db")
    conn.execute("DELETE FROM wawebpy_session_chunks WHERE seq = 1")
    conn.commit()
    conn.close()
    with pytest.raises(SessionStoreError, match="incomplete"), store.load("s") as f:
        f.read()


def test_two_stores_share_one_database(tmp_path: Path) -> None:
    a = SQLiteSessionStore(tmp_path / "shared.db")
    b = SQLiteSessionStore(tmp_path / "shared.db")
    a.save("one", io.BytesIO(b"1"))
    b.save("two", io.BytesIO(b"2"))
    with a.load("two") as f:
        assert f.read() == b"2"
    with b.load("one") as reader:
        a.save("one", io.BytesIO(b"replaced"))  # a writer does not disturb an open reader
        assert reader.read() == b"1"


def test_store_errors_are_typed(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(SessionStoreError, match="could not create"):
        FileSessionStore(blocker / "sub").save("s", io.BytesIO(b"x"))


def test_reprs_show_only_the_location(tmp_path: Path) -> None:
    assert repr(FileSessionStore(tmp_path)) == f"FileSessionStore({str(tmp_path)!r})"
    assert repr(SQLiteSessionStore(tmp_path / "x.db")).startswith("SQLiteSessionStore(")
