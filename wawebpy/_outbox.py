"""The durable outbox: messages that ``send_*`` accepted but WhatsApp Web has not, kept in a
SQLite file so that a crash of the Python process loses none of them.

The idempotency key of an entry is its message id, chosen in Python before the first attempt and
never changed. A retry (after a browser restart, or in a new process) sends the same id, and the
page skips a message it already holds under that key (``messages.findSent``); so an entry
reaches WhatsApp at most once, and, being retried until it does, exactly once.

The file holds message texts and media until they are sent: it is created private (0600), and
rows are deleted the moment WhatsApp Web accepts them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

from .errors import OutboxError
from .types import ChatId, MessageId

__all__ = ["OutboxEntry", "SQLiteOutbox", "StoredSend"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS wawebpy_outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    operation  TEXT NOT NULL,
    chat_id    TEXT NOT NULL,
    args       TEXT NOT NULL,
    media      BLOB,
    created    REAL NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    error      TEXT
);
"""


class _Result(NamedTuple):
    rows: list[Any]
    rowcount: int
    lastrowid: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxEntry:
    """A message waiting in the durable outbox (see :meth:`Client.outbox_entries`).

    ``error`` is the code of a permanent failure (the entry is kept, not retried, until
    :meth:`Client.discard_outbox_entry` removes it); ``None`` while it waits to be sent.
    """

    message_id: MessageId
    chat_id: ChatId
    operation: str
    created_at: datetime
    attempts: int
    error: str | None = None


@dataclass(frozen=True, slots=True)
class StoredSend:
    """One row as the sender needs it (arguments and media bytes included)."""

    seq: int
    message_id: str
    operation: str
    chat_id: str
    args: dict[str, Any]
    media: bytes | None
    attempts: int


class SQLiteOutbox:
    """The outbox file. Thread-safe; every change is committed before the call returns, with
    ``synchronous=FULL``, so a row written survives a SIGKILL of the process (and power loss)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = Path(path)
        self._lock = threading.Lock()
        try:
            if not self._path.exists():
                self._path.parent.mkdir(parents=True, exist_ok=True)
                os.close(os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600))
            self._conn = sqlite3.connect(
                self._path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            self._conn.execute("PRAGMA journal_mode=wal")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise OutboxError(f"cannot open the outbox {str(self._path)!r}: {exc}") from exc

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    def __repr__(self) -> str:
        return f"SQLiteOutbox({str(self._path)!r})"

    def _run(self, what: str, sql: str, params: tuple[Any, ...] = ()) -> _Result:
        """Execute one statement (autocommit: durable when it returns) under the lock."""
        with self._lock:
            try:
                cursor = self._conn.execute(sql, params)
                return _Result(cursor.fetchall(), cursor.rowcount, cursor.lastrowid)
            except sqlite3.Error as exc:
                # No SQL parameters in the text: they hold message bodies.
                raise OutboxError(f"outbox {str(self._path)!r}: cannot {what}: {exc}") from exc

    def add(
        self,
        message_id: str,
        operation: str,
        chat_id: str,
        args: dict[str, Any],
        media: bytes | None,
    ) -> int:
        """Store a send before its first attempt; returns its row number."""
        inserted = self._run(
            "store a message",
            "INSERT INTO wawebpy_outbox (message_id, operation, chat_id, args, media, created)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (message_id, operation, chat_id, json.dumps(args), media, time.time()),
        )
        assert inserted.lastrowid is not None
        return inserted.lastrowid

    def attempted(self, seq: int) -> None:
        """Count an attempt (written before the page is asked)."""
        self._run(
            "count an attempt",
            "UPDATE wawebpy_outbox SET attempts = attempts + 1 WHERE seq = ?",
            (seq,),
        )

    def forget(self, seq: int) -> None:
        """WhatsApp Web accepted it (or its caller saw it fail): remove it."""
        self._run("remove a message", "DELETE FROM wawebpy_outbox WHERE seq = ?", (seq,))

    def failed(self, seq: int, code: str) -> None:
        """A permanent failure: keep the entry, marked, out of the queue."""
        self._run(
            "mark a failure", "UPDATE wawebpy_outbox SET error = ? WHERE seq = ?", (code, seq)
        )

    def pending(self) -> list[StoredSend]:
        """Entries still to send, oldest first."""
        rows = self._run(
            "read pending messages",
            "SELECT seq, message_id, operation, chat_id, args, media, attempts"
            " FROM wawebpy_outbox WHERE error IS NULL ORDER BY seq",
        ).rows
        return [StoredSend(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6]) for r in rows]

    def entries(self) -> list[OutboxEntry]:
        """Every entry, pending and failed, oldest first (no texts or media)."""
        rows = self._run(
            "list entries",
            "SELECT message_id, chat_id, operation, created, attempts, error"
            " FROM wawebpy_outbox ORDER BY seq",
        ).rows
        return [
            OutboxEntry(
                message_id=MessageId.parse(r[0]),
                chat_id=ChatId.parse(r[1]),
                operation=r[2],
                created_at=datetime.fromtimestamp(r[3], tz=timezone.utc),
                attempts=r[4],
                error=r[5],
            )
            for r in rows
        ]

    def discard(self, message_id: str) -> bool:
        """Remove an entry by its message id; ``False`` if there is none."""
        deleted = self._run(
            "discard an entry", "DELETE FROM wawebpy_outbox WHERE message_id = ?", (message_id,)
        )
        return deleted.rowcount > 0

    def close(self) -> None:
        with self._lock:
            self._conn.close()
