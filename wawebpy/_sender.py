"""The send queue: every outgoing message goes through one thread, in the order it was asked for.

One thread, because pacing and typing space sends out in request order, and because a send cut
off by a browser restart must go before anything asked after it (chats show messages in the
order the server got them). Sends with an idempotency key (a message id chosen in Python) are
retried after transient failures until WhatsApp Web accepts them; the durable outbox keeps them
across a crash of the process.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from ._outbox import SQLiteOutbox, StoredSend
from ._pacing import Pacer
from .errors import (
    BrowserCrashedError,
    ClientClosedError,
    NotReadyError,
    WaitTimeoutError,
    WawebpyError,
)

__all__ = ["SendJob", "Sender"]

_log = logging.getLogger(__name__)

# Failures after which the same send may simply be tried again (when it is idempotent).
_TRANSIENT = (BrowserCrashedError, NotReadyError, WaitTimeoutError)
_MAX_BACKOFF = 30.0


@dataclass(slots=True, eq=False)
class SendJob:
    """One send. ``key`` (the message id) makes it idempotent: retried, and durable if the
    client has an outbox file. ``waited_on`` says a caller blocks on ``future`` and will see
    its error; otherwise failures are reported through ``on_failed``."""

    op: str
    args: dict[str, Any]
    chat: str
    media: bytes | None = None
    key: str | None = None
    waited_on: bool = True
    seq: int | None = None
    attempts: int = 0
    paced: bool = False
    future: Future[Any] = field(default_factory=Future)

    @property
    def text(self) -> str:
        """What a person would type for it (the typing simulation's length)."""
        return str(self.args.get("text") or self.args.get("caption") or "")


class Sender:
    """The queue and its thread. ``perform(job)`` does one attempt (upload, typing, the bridge
    call) and returns the page's answer; ``wait_ready(timeout)`` blocks until the client is
    Ready (``True``) or the timeout passes."""

    def __init__(
        self,
        *,
        perform: Callable[[SendJob], Any],
        wait_ready: Callable[[float], bool],
        pacer: Pacer,
        store: SQLiteOutbox | None,
        on_failed: Callable[[SendJob, WawebpyError], None],
    ) -> None:
        self._perform = perform
        self._wait_ready = wait_ready
        self._pacer = pacer
        self._store = store
        self._on_failed = on_failed
        self._queue: deque[SendJob] = deque()
        self._cond = threading.Condition()
        self._busy: SendJob | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="wawebpy-sender", daemon=True)

    @property
    def store(self) -> SQLiteOutbox | None:
        return self._store

    def start(self) -> None:
        """Start the thread; entries left in the outbox file by an earlier process go first."""
        if self._store is not None:
            with self._cond:
                self._queue.extend(_from_row(row) for row in self._store.pending())
        self._thread.start()

    def submit(self, job: SendJob) -> Future[Any]:
        """Queue ``job``; with an outbox file it is on disk when this returns."""
        if self._store is not None and job.key is not None:
            job.seq = self._store.add(job.key, job.op, job.chat, job.args, job.media)
        with self._cond:
            if self._stopped:
                if job.seq is not None:
                    return job.future  # kept in the file for the next start
                raise ClientClosedError("this client is closed; create a new Client")
            self._queue.append(job)
            self._cond.notify_all()
        return job.future

    def pending(self) -> int:
        """Sends queued or in progress."""
        with self._cond:
            return len(self._queue)

    def flush(self, timeout: float | None) -> bool:
        """Wait until the queue is empty; ``False`` if ``timeout`` passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._queue or self._stopped, timeout) and (
                not self._queue
            )

    def fail_waiting(self, exc: WawebpyError) -> None:
        """The client will not be Ready again by itself: fail the sends callers wait on (their
        outbox rows, if any, stay for the next start); others keep waiting."""
        with self._cond:
            failing = [j for j in self._queue if j.waited_on and j is not self._busy]
            for job in failing:
                self._queue.remove(job)
            self._cond.notify_all()
        for job in failing:
            if not job.future.done():
                job.future.set_exception(exc)

    def stop(self, timeout: float = 2.0) -> None:
        """Stop sending; unsent jobs fail with :class:`ClientClosedError`, outbox rows stay."""
        with self._cond:
            self._stopped = True
            left = list(self._queue)
            self._queue.clear()
            self._cond.notify_all()
        if left:
            kept = sum(1 for j in left if j.seq is not None)
            _log.warning(
                "wawebpy: closing with %d unsent message(s); %d kept in the outbox file",
                len(left),
                kept,
            )
        for job in left:
            if not job.future.done():
                where = "kept in the outbox for the next start" if job.seq is not None else "lost"
                job.future.set_exception(
                    ClientClosedError(f"the client closed before this message was sent ({where})")
                )
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        if self._store is not None:
            self._store.close()

    # -- the thread ----------------------------------------------------------------------------
    def _pick(self) -> tuple[SendJob | None, float | None]:
        """The first job that may go now: the oldest of its chat (order within a chat is kept),
        allowed by pacing (or to be refused by it at once). Otherwise the shortest wait until
        one may (``None``: nothing queued). A chat held back by its own bucket does not hold
        back the others. Called under the lock."""
        seen: set[str] = set()
        soonest: float | None = None
        for job in self._queue:
            if job.chat in seen:
                continue
            seen.add(job.chat)
            if job.paced:
                return job, None  # a retry: already paced
            delay = self._pacer.ready_in(job.chat)
            if delay <= 0 or (job.waited_on and self._pacer.refuses(delay)):
                return job, None
            soonest = delay if soonest is None else min(soonest, delay)
        return None, soonest

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._stopped:
                        return
                    job, wait = self._pick()
                    if job is not None:
                        break
                    self._cond.wait(wait)  # a new job or stop() notifies
                self._busy = job
            done = self._attempt(job)
            with self._cond:
                self._busy = None
                if done and job in self._queue:
                    self._queue.remove(job)
                self._cond.notify_all()

    def _sleep(self, seconds: float) -> bool:
        """Wait ``seconds`` unless stopped; ``False`` if stopped."""
        with self._cond:
            return not self._cond.wait_for(lambda: self._stopped, seconds)

    def _attempt(self, job: SendJob) -> bool:
        """One try; ``True`` when the job is finished (sent, or failed for good)."""
        while not self._wait_ready(1.0):
            if self._stopped:
                return False
        if job.future.done():
            return True  # failed by fail_waiting meanwhile
        try:
            if not job.paced:
                job.paced = True
                delay = self._pacer.reserve(job.chat, may_raise=job.waited_on)
                if delay > 0 and not self._sleep(delay):
                    return False
            job.attempts += 1
            if job.seq is not None and self._store is not None:
                self._store.attempted(job.seq)
            result = self._perform(job)
        except _TRANSIENT as exc:
            if job.key is None or self._stopped:
                return self._fail(job, exc)
            backoff = min(_MAX_BACKOFF, 0.25 * 2 ** min(job.attempts, 8))
            # The id names the chat (a phone number): INFO logs carry no personal data.
            _log.info(
                "wawebpy: a send will be retried (attempt %d failed: %s)",
                job.attempts,
                type(exc).__name__,
            )
            _log.debug("retrying send %s", job.key)
            self._sleep(backoff)
            return False
        except WawebpyError as exc:
            return self._fail(job, exc)
        except Exception as exc:
            _log.exception("wawebpy: unexpected error while sending")
            return self._fail(job, WawebpyError(f"send failed: {type(exc).__name__}"))
        if job.seq is not None and self._store is not None:
            self._store.forget(job.seq)
        if not job.future.done():
            job.future.set_result(result)
        return True

    def _fail(self, job: SendJob, exc: WawebpyError) -> bool:
        if job.seq is not None and self._store is not None:
            if job.waited_on:
                self._store.forget(job.seq)  # the caller sees the error: nothing left to keep
            else:
                self._store.failed(job.seq, getattr(exc, "code", None) or type(exc).__name__)
        if not job.future.done():
            job.future.set_exception(exc)
        if not job.waited_on:
            self._on_failed(job, exc)
        return True


def _from_row(row: StoredSend) -> SendJob:
    return SendJob(
        op=row.operation,
        args=row.args,
        chat=row.chat_id,
        media=row.media,
        key=row.message_id,
        waited_on=False,
        seq=row.seq,
        attempts=row.attempts,
    )
