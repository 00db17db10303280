"""One thread that owns every WebDriver command.

Selenium's client is not meant to be driven from several threads at once, and the async client
must never block its event loop on it; so every command is a job on this one thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from ..errors import ClientClosedError

__all__ = ["DriverWorker"]

T = TypeVar("T")
_STOP = object()


class DriverWorker:
    """Runs callables one at a time, in submission order, on a dedicated thread."""

    def __init__(self, name: str = "wawebpy-driver") -> None:
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        fut: Future[T] = Future()
        if self._stopped:
            fut.set_exception(ClientClosedError("the client is closed; create a new Client"))
            return fut
        if threading.current_thread() is self._thread:
            # A job that needs the driver again runs inline instead of deadlocking.
            try:
                fut.set_result(fn(*args))
            except BaseException as exc:  # handed to the caller, not swallowed
                fut.set_exception(exc)
            return fut
        self._jobs.put((fn, args, fut))
        return fut

    def run(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        return self.submit(fn, *args).result(timeout)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is _STOP:
                break
            fn, args, fut = job
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn(*args))
            except BaseException as exc:
                fut.set_exception(exc)
        # Whatever is still queued will never run: fail it instead of leaving callers hanging.
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not _STOP and not job[2].done():
                job[2].set_exception(ClientClosedError("the client closed before this call ran"))

    def stop(self, timeout: float = 5.0) -> None:
        self._stopped = True
        self._jobs.put(_STOP)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def thread(self) -> threading.Thread:
        return self._thread
