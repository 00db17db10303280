"""Where sealed sessions live: the SessionStore protocol and the two built-in stores.

Stores only ever see sealed bytes (ciphertext), so they need no secrets and may live on shared
or backed-up storage. Both built-ins replace a session atomically: a crash at any moment
leaves either the previous snapshot or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import re
import socket
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Final, Protocol, runtime_checkable

from ..errors import SessionNotFoundError, SessionStoreError
from ._format import check_session_id
from ._profiles import make_private_dirs
from ._streams import IterReader

__all__ = ["FileSessionStore", "SQLiteSessionStore", "SessionStore"]

logger = logging.getLogger(__name__)

_PIECE: Final = 1 << 20
_SUFFIX: Final = ".wawebpy-session"
_STALE_TEMP_AGE: Final = 3600.0


@runtime_checkable
class SessionStore(Protocol):
    """Keeps sealed sessions by id. Implement these four methods to store them anywhere.

    ``EncryptedAuth`` calls ``exists`` and then ``load`` in ``prepare()`` (before Chrome
    starts), ``save`` after Ready, on every autosave, on ``client.save_session()`` and once
    more after Chrome quits, and ``delete`` when the device is logged out. ``rekey()`` and the
    ``python -m wawebpy session`` commands use them too. Calls for one session id never
    overlap within one strategy.
    """

    def load(self, session_id: str) -> BinaryIO:
        """A readable binary file of the sealed bytes; the caller closes it.

        Raise ``SessionNotFoundError`` when there is none. May stream (read lazily).
        """
        ...

    def save(self, session_id: str, data: BinaryIO) -> None:
        """Read ``data`` to its end (in pieces; never seek) and replace the session atomically.

        If ``data.read()`` raises, keep the previous session untouched and let the exception
        propagate. Raise ``SessionStoreError`` for failures of the backend itself.
        """
        ...

    def delete(self, session_id: str) -> None:
        """Remove the session; no error if there is none."""
        ...

    def exists(self, session_id: str) -> bool:
        """Whether a session is stored under this id."""
        ...


def _store_error(action: str, where: object, exc: BaseException) -> SessionStoreError:
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return SessionStoreError(f"could not {action} at {where}: {detail}")


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


def _host_tag() -> str:
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


class FileSessionStore:
    """One file per session, ``<directory>/<session_id>.wawebpy-session``, mode 0600.

    ``save`` writes a temporary file in the same directory, fsyncs it, renames it over the
    old one and fsyncs the directory. Temporary files of a killed save are removed by the
    next save of the same session.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self._dir = Path(directory)

    @property
    def directory(self) -> Path:
        """The folder holding the session files."""
        return self._dir

    def __repr__(self) -> str:
        return f"FileSessionStore({str(self._dir)!r})"

    def path_for(self, session_id: str) -> Path:
        """Where the session with this id lives."""
        return self._dir / f"{check_session_id(session_id)}{_SUFFIX}"

    def session_ids(self) -> list[str]:
        """The ids stored here, sorted."""
        try:
            names = os.listdir(self._dir)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise _store_error("list sessions", self._dir, exc) from exc
        return sorted(n[: -len(_SUFFIX)] for n in names if n.endswith(_SUFFIX))

    def exists(self, session_id: str) -> bool:
        """Whether the session's file exists."""
        return self.path_for(session_id).is_file()

    def load(self, session_id: str) -> BinaryIO:
        """The session's file, open for reading."""
        path = self.path_for(session_id)
        try:
            return open(path, "rb")
        except FileNotFoundError:
            raise SessionNotFoundError(
                f"no stored session {session_id!r} in {self._dir}", session_id=session_id
            ) from None
        except OSError as exc:
            raise _store_error(f"read session {session_id!r}", path, exc) from exc

    def _ensure_dir(self) -> None:
        try:
            make_private_dirs(self._dir)
        except OSError as exc:
            raise _store_error("create the session directory", self._dir, exc) from exc

    def _sweep_temps(self, session_id: str) -> None:
        pattern = re.compile(rf"\.{re.escape(session_id)}~([0-9a-f]{{8}})~(\d+)~\w+\.tmp")
        me = _host_tag()
        try:
            names = os.listdir(self._dir)
        except OSError:
            return
        for name in names:
            m = pattern.fullmatch(name)
            if not m:
                continue
            path = self._dir / name
            try:
                age = time.time() - path.stat().st_mtime
            except OSError:
                continue
            dead = m.group(1) == me and not _pid_alive(int(m.group(2)))
            if dead or age > _STALE_TEMP_AGE:
                with contextlib.suppress(OSError):
                    path.unlink()
                    logger.debug("removed an interrupted save's temporary file %s", path)

    def save(self, session_id: str, data: BinaryIO) -> None:
        """Write a temporary file, fsync, rename over the old file, fsync the folder."""
        final = self.path_for(session_id)
        self._ensure_dir()
        self._sweep_temps(session_id)
        try:
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{session_id}~{_host_tag()}~{os.getpid()}~", suffix=".tmp", dir=self._dir
            )
        except OSError as exc:
            raise _store_error(f"save session {session_id!r}", self._dir, exc) from exc
        tmp = Path(tmp_name)
        done = False
        try:
            with os.fdopen(fd, "wb") as f:
                while True:
                    piece = data.read(_PIECE)  # errors of the producer propagate unchanged
                    if not piece:
                        break
                    try:
                        f.write(piece)
                    except OSError as exc:
                        raise _store_error(f"save session {session_id!r}", tmp, exc) from exc
                try:
                    f.flush()
                    os.fsync(f.fileno())
                except OSError as exc:
                    raise _store_error(f"save session {session_id!r}", tmp, exc) from exc
            try:
                os.replace(tmp, final)
            except OSError as exc:
                raise _store_error(f"save session {session_id!r}", final, exc) from exc
            done = True
            _fsync_dir(self._dir)
        finally:
            if not done:
                with contextlib.suppress(OSError):
                    tmp.unlink()

    def delete(self, session_id: str) -> None:
        """Remove the session's file, if any."""
        path = self.path_for(session_id)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise _store_error(f"delete session {session_id!r}", path, exc) from exc
        _fsync_dir(self._dir)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # pragma: no cover - os.kill(pid, 0) would kill on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS wawebpy_sessions (
    session_id TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    chunks INTEGER NOT NULL,
    saved_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS wawebpy_session_chunks (
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (session_id, seq)
);
"""


class SQLiteSessionStore:
    """Sessions in one SQLite file: a row per session, its bytes in 1 MiB chunk rows.

    A save is one short transaction (the sealed bytes are spooled to a temporary file first,
    so the write lock is held only while rows are inserted), so readers and other writers see
    the old session or the new one. ``wal=True`` suits many processes on one host; for a
    database on a network file system pass ``wal=False`` (WAL needs shared memory, which
    network file systems do not provide).
    """

    def __init__(
        self, path: str | os.PathLike[str], *, wal: bool = True, timeout: float = 30.0
    ) -> None:
        self._path = Path(path)
        self._wal = wal
        self._timeout = timeout
        self._ready = False

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    def __repr__(self) -> str:
        return f"SQLiteSessionStore({str(self._path)!r})"

    def _connect(self) -> sqlite3.Connection:
        # A connection per call: cheap, thread-safe, and nothing open across fork().
        try:
            if not self._path.exists():
                make_private_dirs(self._path.parent)
                fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
                os.close(fd)
            conn = sqlite3.connect(self._path, timeout=self._timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise _store_error("open the session database", self._path, exc) from exc
        try:
            if not self._ready:
                mode = "wal" if self._wal else "delete"
                conn.execute(f"PRAGMA journal_mode={mode}")
                conn.executescript(_SCHEMA)
                self._ready = True
            conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.Error as exc:
            conn.close()
            raise _store_error("prepare the session database", self._path, exc) from exc
        return conn

    def session_ids(self) -> list[str]:
        """The ids stored here, sorted."""
        conn = self._connect()
        try:
            rows = conn.execute("SELECT session_id FROM wawebpy_sessions ORDER BY 1").fetchall()
        except sqlite3.Error as exc:
            raise _store_error("list sessions", self._path, exc) from exc
        finally:
            conn.close()
        return [r[0] for r in rows]

    def exists(self, session_id: str) -> bool:
        """Whether a row for the session exists."""
        check_session_id(session_id)
        conn = self._connect()
        try:
            row = conn.execute(
                "SELECT 1 FROM wawebpy_sessions WHERE session_id = ?", (session_id,)
            ).fetchone()
        except sqlite3.Error as exc:
            raise _store_error(f"look up session {session_id!r}", self._path, exc) from exc
        finally:
            conn.close()
        return row is not None

    def load(self, session_id: str) -> BinaryIO:
        """Stream the chunk rows, all from one read transaction."""
        check_session_id(session_id)
        conn = self._connect()
        try:
            conn.execute("BEGIN")  # one read snapshot for the row and all its chunks
            row = conn.execute(
                "SELECT size, chunks FROM wawebpy_sessions WHERE session_id = ?", (session_id,)
            ).fetchone()
        except sqlite3.Error as exc:
            conn.close()
            raise _store_error(f"read session {session_id!r}", self._path, exc) from exc
        if row is None:
            conn.close()
            raise SessionNotFoundError(
                f"no stored session {session_id!r} in {self._path}", session_id=session_id
            )
        return io.BufferedReader(
            IterReader(self._iter_chunks(conn, session_id, row[0], row[1])), buffer_size=_PIECE
        )

    def _iter_chunks(
        self, conn: sqlite3.Connection, session_id: str, size: int, chunks: int
    ) -> Iterator[bytes]:
        try:
            seen = 0
            got = 0
            cursor = conn.execute(
                "SELECT seq, data FROM wawebpy_session_chunks WHERE session_id = ? ORDER BY seq",
                (session_id,),
            )
            for seq, data in cursor:
                if seq != seen:
                    break
                seen += 1
                got += len(data)
                yield bytes(data)
            if (seen, got) != (chunks, size):
                raise SessionStoreError(
                    f"session {session_id!r} in {self._path} is incomplete in the database"
                )
        except sqlite3.Error as exc:
            raise _store_error(f"read session {session_id!r}", self._path, exc) from exc
        finally:
            conn.close()

    def save(self, session_id: str, data: BinaryIO) -> None:
        """Spool ``data``, then replace the session's rows in one transaction."""
        check_session_id(session_id)
        with tempfile.TemporaryFile() as spool:  # ciphertext only; keeps the lock short
            size = 0
            while True:
                piece = data.read(_PIECE)  # errors of the producer propagate unchanged
                if not piece:
                    break
                try:
                    spool.write(piece)
                except OSError as exc:
                    where = "a temporary file"
                    raise _store_error(f"spool session {session_id!r}", where, exc) from exc
                size += len(piece)
            spool.seek(0)
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "DELETE FROM wawebpy_session_chunks WHERE session_id = ?", (session_id,)
                )
                seq = 0
                while piece := spool.read(_PIECE):
                    conn.execute(
                        "INSERT INTO wawebpy_session_chunks (session_id, seq, data) "
                        "VALUES (?, ?, ?)",
                        (session_id, seq, piece),
                    )
                    seq += 1
                conn.execute(
                    "INSERT INTO wawebpy_sessions (session_id, size, chunks, saved_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT(session_id) DO UPDATE SET "
                    "size = excluded.size, chunks = excluded.chunks, saved_at = excluded.saved_at",
                    (session_id, size, seq, time.time()),
                )
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise _store_error(f"save session {session_id!r}", self._path, exc) from exc
            finally:
                conn.close()

    def delete(self, session_id: str) -> None:
        """Remove the session's rows, if any."""
        check_session_id(session_id)
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM wawebpy_session_chunks WHERE session_id = ?", (session_id,))
            conn.execute("DELETE FROM wawebpy_sessions WHERE session_id = ?", (session_id,))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise _store_error(f"delete session {session_id!r}", self._path, exc) from exc
        finally:
            conn.close()
