"""JSON-over-websocket RPC: the part the CDP and WebDriver BiDi push channels share.

Both protocols send ``{"id", "method", "params"}`` and answer with a message carrying the same
``id``; everything else on the socket is an event. One reader thread reads the socket, resolves
the future of each answer and hands each event to the subclass, in arrival order. When the
socket closes, every pending command fails with :class:`BrowserCrashedError` and ``on_close``
runs once (unless :meth:`WsRpc.close` closed it on purpose).
"""

from __future__ import annotations

import abc
import contextlib
import itertools
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import websocket

from ..errors import BridgeError, BrowserCrashedError, WaitTimeoutError

__all__ = ["WsRpc"]

_log = logging.getLogger(__name__)

_Rpc = TypeVar("_Rpc", bound="WsRpc")


class WsRpc(abc.ABC):
    """One websocket, one reader thread, futures for answers, events to :meth:`_on_event`.

    The client talks to the page through :meth:`call_function` and :meth:`evaluate` only, so
    the push channels are interchangeable.
    """

    #: Protocol name for error messages and the reader thread's name.
    protocol = "websocket"

    def __init__(self, ws_url: str, *, on_close: Callable[[], None] | None = None) -> None:
        try:
            self._ws = websocket.create_connection(
                ws_url,
                timeout=10,
                suppress_origin=True,
                # websocket-client checks UTF-8 in pure Python (0.18 µs/byte); json.loads does.
                skip_utf8_validation=True,
                enable_multithread=True,
            )
        except (OSError, websocket.WebSocketException) as exc:
            # A refused handshake (a proxy without websockets, a second-connection limit) is not
            # an OSError; as a BridgeError it lets the client try the next channel.
            raise BridgeError(f"cannot open the {self.protocol} websocket: {exc}") from exc
        self._ws.settimeout(None)
        self._on_close = on_close
        self._ids = itertools.count(1)
        self._pending: dict[int, Future[Any]] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._reader = threading.Thread(
            target=self._read_loop, name=f"wawebpy-{self.protocol.lower()}", daemon=True
        )
        self._reader.start()

    # -- what subclasses provide -----------------------------------------------------------
    @abc.abstractmethod
    def _on_event(self, method: str, params: dict[str, Any]) -> bool:
        """Handle one event on the reader thread; return False when the page is gone."""

    @abc.abstractmethod
    def arm_new_documents(self, bridge_source: str) -> None:
        """Have every document the tab loads from now on get the push function and the bridge."""

    @abc.abstractmethod
    def call_function(self, declaration: str, *args: Any, timeout: float = 30.0) -> Any:
        """Call a JS function in the page's main context; arguments and result are JSON values."""

    @abc.abstractmethod
    def evaluate(self, source: str, *, timeout: float = 30.0) -> None:
        """Run a script in the page's current document (the bridge, when it is missing)."""

    def navigate(self, url: str, *, timeout: float = 60.0) -> bool:
        """Load ``url`` in the tab over this connection; ``False`` if this protocol leaves
        navigation to WebDriver."""
        return False

    def armed(self: _Rpc, bridge_source: str) -> _Rpc:
        """``self``, armed by :meth:`arm_new_documents`; closed again if arming fails."""
        try:
            self.arm_new_documents(bridge_source)
        except BaseException:
            self.close()
            raise
        return self

    # -- commands --------------------------------------------------------------------------
    def send(
        self, method: str, params: dict[str, Any] | None = None, *, timeout: float = 30.0
    ) -> Any:
        """Send one command and wait for its result; protocol errors raise :class:`BridgeError`."""
        fut: Future[Any] = Future()
        with self._lock:
            if self._closed:
                raise BrowserCrashedError(f"the {self.protocol} connection to the page is closed")
            msg_id = next(self._ids)
            self._pending[msg_id] = fut
            try:
                self._ws.send(json.dumps({"id": msg_id, "method": method, "params": params or {}}))
            except (OSError, websocket.WebSocketException) as exc:
                self._pending.pop(msg_id, None)
                raise BrowserCrashedError(f"{self.protocol} send failed: {exc}") from exc
        try:
            return fut.result(timeout)
        except TimeoutError:
            with self._lock:
                self._pending.pop(msg_id, None)
            raise WaitTimeoutError(
                f"{self.protocol} {method} got no answer in {timeout:g} s", what=method
            ) from None

    # -- reader ----------------------------------------------------------------------------
    def _read_loop(self) -> None:
        try:
            while True:
                raw = self._ws.recv()
                if not raw:
                    break
                msg = json.loads(raw)
                msg_id = msg.get("id")
                if msg_id is not None:
                    self._answer(msg_id, msg)
                elif "method" in msg and not self._on_event(msg["method"], msg.get("params", {})):
                    break
        except (OSError, websocket.WebSocketException, ValueError) as exc:
            if not self._closed:
                _log.debug("%s reader stopped: %s", self.protocol, exc)
        finally:
            self._shutdown()

    def _answer(self, msg_id: int, msg: dict[str, Any]) -> None:
        with self._lock:
            fut = self._pending.pop(msg_id, None)
        if fut is None:
            return
        error = msg.get("error")
        if error is None:
            fut.set_result(msg.get("result", {}))
            return
        # CDP: {"error": {"message"}}; BiDi: {"error": "<code>", "message"}.
        text = error.get("message") if isinstance(error, dict) else f"{error}: {msg.get('message')}"
        fut.set_exception(BridgeError(f"{self.protocol} error: {text}"))

    def _shutdown(self) -> None:
        with self._lock:
            was_closed = self._closed
            self._closed = True
            pending = list(self._pending.values())
            self._pending.clear()
        for fut in pending:
            if not fut.done():
                fut.set_exception(
                    BrowserCrashedError(f"the {self.protocol} connection to the page closed")
                )
        if not was_closed and self._on_close is not None:
            self._on_close()

    @property
    def closed(self) -> bool:
        """True once the socket is closed, by :meth:`close` or by the browser."""
        return self._closed

    def close(self) -> None:
        """Close the socket; never blocks for long."""
        with self._lock:
            self._closed = True
        with contextlib.suppress(OSError, websocket.WebSocketException):
            self._ws.close(timeout=1)
        if threading.current_thread() is not self._reader:
            self._reader.join(timeout=2)
