"""Handler registry and the dispatch thread.

Events are published by the transport's reader thread and handled on one dispatch thread, in
order. Handlers sit in groups (ascending); within a group they are tried by priority (highest
first, then registration order) and the **first whose filter matches wins**, unless it returns
:data:`CONTINUE`; every group gets its chance, unless a handler raises :class:`StopPropagation`.
A handler that raises anything else is logged and counts as having handled the event.
Waiters (``wait_for``) are matched at publish time, so a handler may wait for a later event
without deadlocking itself. The reader thread hands over the events of one page batch in one
queue put (:meth:`Dispatcher.batch`): at tens of thousands of events per second, a put and a
thread wake-up per event cost as much as building the event.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .errors import WaitTimeoutError
from .events import Event

__all__ = ["CONTINUE", "Dispatcher", "Expectation", "Handler", "StopPropagation"]

_log = logging.getLogger("wawebpy")

E = TypeVar("E", bound=Event)
_STOP = object()


class _Continue:
    __slots__ = ()

    def __repr__(self) -> str:
        return "wawebpy.CONTINUE"


CONTINUE: Any = _Continue()
"""Return this from a handler to let the next matching handler of its group run too."""


class StopPropagation(Exception):  # noqa: N818 - named for what it does, like Telethon's
    """Raise from a handler to stop every later handler (all groups) for this event."""


@dataclass(frozen=True, slots=True)
class Handler(Generic[E]):
    """A registered handler: the event class, the callable, an optional predicate."""

    event_type: type[E]
    callback: Callable[[Any, E], Any]
    predicate: Callable[[E], bool] | None = None
    priority: int = 0
    group: int = 0
    seq: int = field(default=0, compare=False)


class _Waiter:
    __slots__ = ("event", "event_type", "predicate", "ready")

    def __init__(self, event_type: type[Event], predicate: Callable[[Any], bool] | None) -> None:
        self.event_type = event_type
        self.predicate = predicate
        self.ready = threading.Event()
        self.event: Event | None = None


class Dispatcher:
    """Ordered, crash-isolated delivery of events to handlers on one thread."""

    def __init__(self, owner: Any) -> None:
        self._owner = owner
        self._handlers: list[Handler[Any]] = []
        self._lock = threading.Lock()
        self._waiters: list[_Waiter] = []
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._counter = 0
        self._thread: threading.Thread | None = None
        # event class -> its handlers in call order; rebuilt lazily after add/remove.
        self._by_type: dict[type[Event], tuple[Handler[Any], ...]] = {}
        # .held: the events a thread publishes inside batch(), per thread.
        self._local = threading.local()

    # -- registry ----------------------------------------------------------------------------
    def add(
        self,
        event_type: type[E],
        callback: Callable[[Any, E], Any],
        predicate: Callable[[E], bool] | None = None,
        priority: int = 0,
        group: int = 0,
    ) -> Handler[E]:
        with self._lock:
            self._counter += 1
            handler = Handler(event_type, callback, predicate, priority, group, self._counter)
            self._handlers.append(handler)
            self._handlers.sort(key=lambda h: (h.group, -h.priority, h.seq))
            self._by_type = {}
        return handler

    def remove(self, handler: Handler[Any]) -> None:
        with self._lock:
            if handler in self._handlers:
                self._handlers.remove(handler)
                self._by_type = {}

    def all_handlers(self) -> list[Handler[Any]]:
        with self._lock:
            return list(self._handlers)

    def handlers_for(self, event_type: type[Event]) -> list[Handler[Any]]:
        return list(self._handlers_for(event_type))

    def _handlers_for(self, event_type: type[Event]) -> tuple[Handler[Any], ...]:
        found = self._by_type.get(event_type)
        if found is None:
            with self._lock:
                found = tuple(h for h in self._handlers if issubclass(event_type, h.event_type))
                self._by_type[event_type] = found
        return found

    # -- flow -----------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="wawebpy-dispatch", daemon=True)
            self._thread.start()

    def publish(self, event: Event) -> None:
        """Called by the reader thread; never blocks on handlers."""
        if self._waiters:
            self._match_waiters(event)
        held: list[Event] | None = getattr(self._local, "held", None)
        if held is not None:
            held.append(event)
        else:
            self._queue.put(event)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Events this thread publishes inside the block reach the dispatch thread together, in
        order, when it ends. Waiters still match at publish time."""
        outer: list[Event] | None = getattr(self._local, "held", None)
        if outer is not None:  # nested: the outer block hands everything over
            yield
            return
        events: list[Event] = []
        self._local.held = events
        try:
            yield
        finally:
            self._local.held = None
            if events:
                self._queue.put(events)

    def _match_waiters(self, event: Event) -> None:
        with self._lock:
            waiters = list(self._waiters)
        for waiter in waiters:
            if isinstance(event, waiter.event_type) and not waiter.ready.is_set():
                try:
                    matched = waiter.predicate is None or waiter.predicate(event)
                except Exception:
                    _log.exception("wawebpy: wait_for predicate raised")
                    matched = False
                if matched:
                    waiter.event = event
                    waiter.ready.set()

    def _run(self) -> None:
        handle = self._handle
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            if type(item) is list:
                for event in item:
                    handle(event)
            else:
                handle(item)

    def _handle(self, event: Event) -> None:
        handled_groups: set[int] = set()
        for handler in self._handlers_for(type(event)):
            if handler.group in handled_groups:
                continue
            try:
                if handler.predicate is not None and not handler.predicate(event):
                    continue
                result = handler.callback(self._owner, event)
            except StopPropagation:
                return
            except Exception:
                _log.exception(
                    "wawebpy: handler %s for %s raised; other handlers keep running",
                    getattr(handler.callback, "__qualname__", handler.callback),
                    type(event).__name__,
                )
                result = None
            if result is not CONTINUE:
                handled_groups.add(handler.group)

    def expect(
        self, event_type: type[E], predicate: Callable[[E], bool] | None = None
    ) -> Expectation[E]:
        """Start listening now; wait later (so an answer that comes fast is not missed)."""
        waiter = _Waiter(event_type, predicate)
        with self._lock:
            self._waiters.append(waiter)
        return Expectation(self, waiter, event_type)

    def _forget(self, waiter: _Waiter) -> None:
        with self._lock:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def wait_for(
        self,
        event_type: type[E],
        predicate: Callable[[E], bool] | None = None,
        timeout: float | None = None,
        *,
        already: Callable[[], E | None] | None = None,
    ) -> E:
        """Block until a matching event is published (or ``already()`` returns one)."""
        with self.expect(event_type, predicate) as expectation:
            if already is not None:
                found = already()
                if found is not None:
                    return found
            return expectation.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        self._queue.put(_STOP)
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @property
    def on_dispatch_thread(self) -> bool:
        return threading.current_thread() is self._thread


class Expectation(Generic[E]):
    """A registered wait: created by ``client.expect(...)`` before the action that causes the
    event, then ``wait(timeout)``-ed. Use it as a context manager (or call :meth:`cancel`) so
    an unused expectation does not linger."""

    def __init__(self, dispatcher: Dispatcher, waiter: _Waiter, event_type: type[E]) -> None:
        self._dispatcher = dispatcher
        self._waiter = waiter
        self._event_type = event_type

    def wait(self, timeout: float | None = None) -> E:
        """The matching event; raises :class:`WaitTimeoutError` when none came in time."""
        try:
            if not self._waiter.ready.wait(timeout):
                raise WaitTimeoutError(
                    f"no {self._event_type.__name__} event within {timeout:g} s",
                    what=self._event_type.__name__,
                )
            assert self._waiter.event is not None
            return self._waiter.event  # type: ignore[return-value]
        finally:
            self.cancel()

    @property
    def done(self) -> bool:
        """True once a matching event arrived."""
        return self._waiter.ready.is_set()

    def cancel(self) -> None:
        """Stop listening."""
        self._dispatcher._forget(self._waiter)

    def __enter__(self) -> Expectation[E]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()
