"""The library's own CDP connection to the WhatsApp Web tab.

Selenium's ``execute_cdp_cmd`` cannot receive events, and its devtools/BiDi socket is shared with
``driver.script``; so wawebpy opens a second websocket to the same page target. Over it, a
``Runtime.addBinding`` function lets the page push event batches to Python the moment they
exist, and ``Page.addScriptToEvaluateOnNewDocument`` re-arms the bridge on every navigation.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import threading
import urllib.request
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import websocket

from ..errors import BridgeError, BrowserCrashedError, WaitTimeoutError

__all__ = ["CdpConnection", "find_page_websocket"]

_log = logging.getLogger(__name__)


def find_page_websocket(debugger_address: str, target_id: str | None, timeout: float = 5.0) -> str:
    """The ``webSocketDebuggerUrl`` of the page target (chromedriver window handle == target id)."""
    url = f"http://{debugger_address}/json/list"
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        targets = json.loads(resp.read().decode("utf-8"))
    pages = [t for t in targets if t.get("type") == "page" and t.get("webSocketDebuggerUrl")]
    for target in pages:
        if target_id is not None and target.get("id") == target_id:
            return str(target["webSocketDebuggerUrl"])
    if target_id is None and pages:
        return str(pages[0]["webSocketDebuggerUrl"])
    raise BridgeError(f"no CDP page target {target_id!r} at {debugger_address}")


class CdpConnection:
    """One websocket to one page target, with a reader thread.

    ``on_binding(payload)`` is called on the reader thread for every call of the binding, in the
    order the page made them; it must not block for long.
    """

    def __init__(
        self,
        ws_url: str,
        *,
        binding: str,
        on_binding: Callable[[str], None],
        on_close: Callable[[], None] | None = None,
        target_id: str | None = None,
    ) -> None:
        self._ws = websocket.create_connection(
            ws_url,
            timeout=10,
            suppress_origin=True,
            skip_utf8_validation=True,
            enable_multithread=True,
        )
        self._ws.settimeout(None)
        self._binding = binding
        self._on_binding = on_binding
        self._on_close = on_close
        self._target_id = target_id
        self._ids = itertools.count(1)
        self._pending: dict[int, Future[Any]] = {}
        self._lock = threading.Lock()
        self._closed = False
        self.context_id: int | None = None
        self._reader = threading.Thread(target=self._read_loop, name="wawebpy-cdp", daemon=True)
        self._reader.start()

    # -- commands --------------------------------------------------------------------------
    def send(
        self, method: str, params: dict[str, Any] | None = None, *, timeout: float = 30.0
    ) -> Any:
        """Send one command and wait for its result; CDP errors raise :class:`BridgeError`."""
        fut: Future[Any] = Future()
        with self._lock:
            if self._closed:
                raise BrowserCrashedError("the CDP connection to the page is closed")
            msg_id = next(self._ids)
            self._pending[msg_id] = fut
            try:
                frame = json.dumps({"id": msg_id, "method": method, "params": params or {}})
                self._ws.send(frame)
            except (OSError, websocket.WebSocketException) as exc:
                self._pending.pop(msg_id, None)
                raise BrowserCrashedError(f"CDP send failed: {exc}") from exc
        try:
            return fut.result(timeout)
        except TimeoutError:
            with self._lock:
                self._pending.pop(msg_id, None)
            raise WaitTimeoutError(
                f"CDP {method} got no answer in {timeout:g} s", what=method
            ) from None

    def call_function(self, declaration: str, *args: Any, timeout: float = 30.0) -> Any:
        """Call a JS function in the page's main context; arguments go as JSON values."""
        params: dict[str, Any] = {
            "functionDeclaration": declaration,
            "arguments": [{"value": a} for a in args],
            "returnByValue": True,
            "awaitPromise": True,
        }
        if self.context_id is not None:
            params["executionContextId"] = self.context_id
        else:
            # No context event seen (yet): call on the page's global object instead.
            found = self.send("Runtime.evaluate", {"expression": "globalThis"}, timeout=timeout)
            object_id = found.get("result", {}).get("objectId")
            if not object_id:
                raise BridgeError("the page has no JavaScript context yet")
            params["objectId"] = object_id
        result = self.send("Runtime.callFunctionOn", params, timeout=timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "error")
            raise BridgeError(f"page function failed: {text}")
        return result.get("result", {}).get("value")

    # -- reader ----------------------------------------------------------------------------
    def _read_loop(self) -> None:
        binding = self._binding
        try:
            while True:
                raw = self._ws.recv()
                if not raw:
                    break
                msg = json.loads(raw)
                method = msg.get("method")
                if method is None:
                    with self._lock:
                        fut = self._pending.pop(msg.get("id", -1), None)
                    if fut is not None:
                        if "error" in msg:
                            text = msg["error"].get("message")
                            fut.set_exception(BridgeError(f"CDP error: {text}"))
                        else:
                            fut.set_result(msg.get("result", {}))
                elif method == "Runtime.bindingCalled":
                    params = msg["params"]
                    if params.get("name") == binding:
                        self._on_binding(params.get("payload", ""))
                elif method == "Runtime.executionContextCreated":
                    ctx = msg["params"]["context"]
                    aux = ctx.get("auxData") or {}
                    if aux.get("isDefault") and (
                        self._target_id is None or aux.get("frameId") == self._target_id
                    ):
                        self.context_id = ctx["id"]
                elif method == "Runtime.executionContextsCleared":
                    self.context_id = None
                elif method in ("Inspector.detached", "Inspector.targetCrashed"):
                    break
        except (OSError, websocket.WebSocketException, ValueError) as exc:
            if not self._closed:
                _log.debug("CDP reader stopped: %s", exc)
        finally:
            self._shutdown()

    def _shutdown(self) -> None:
        with self._lock:
            was_closed = self._closed
            self._closed = True
            pending = list(self._pending.values())
            self._pending.clear()
        for fut in pending:
            if not fut.done():
                fut.set_exception(BrowserCrashedError("the CDP connection to the page closed"))
        if not was_closed and self._on_close is not None:
            self._on_close()

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Close the socket; never blocks for long."""
        with self._lock:
            self._closed = True
        with contextlib.suppress(OSError, websocket.WebSocketException):
            self._ws.close(timeout=1)
        if threading.current_thread() is not self._reader:
            self._reader.join(timeout=2)
