"""The library's own CDP connection to the WhatsApp Web tab: the first-choice push channel.

Selenium's ``execute_cdp_cmd`` cannot receive events, and its devtools/BiDi socket is shared with
``driver.script``; so wawebpy opens a second websocket to the same page target. Over it, a
``Runtime.addBinding`` function lets the page push event batches to Python the moment they
exist, and ``Page.addScriptToEvaluateOnNewDocument`` re-arms the bridge on every navigation.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from typing import Any

from ..errors import BridgeError, PageLoadError
from ._wsrpc import WsRpc

__all__ = ["CdpConnection", "find_page_websocket", "open_cdp_channel"]


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


class CdpConnection(WsRpc):
    """One websocket to one page target.

    ``on_binding(payload)`` is called on the reader thread for every call of the binding, in the
    order the page made them; it must not block for long.
    """

    protocol = "CDP"

    def __init__(
        self,
        ws_url: str,
        *,
        binding: str,
        on_binding: Callable[[str], None],
        on_close: Callable[[], None] | None = None,
        target_id: str | None = None,
    ) -> None:
        self._binding = binding
        self._on_binding = on_binding
        self._target_id = target_id
        self.context_id: int | None = None
        super().__init__(ws_url, on_close=on_close)

    def _on_event(self, method: str, params: dict[str, Any]) -> bool:
        if method == "Runtime.bindingCalled":
            if params.get("name") == self._binding:
                self._on_binding(params.get("payload", ""))
        elif method == "Runtime.executionContextCreated":
            ctx = params["context"]
            aux = ctx.get("auxData") or {}
            if aux.get("isDefault") and (
                self._target_id is None or aux.get("frameId") == self._target_id
            ):
                self.context_id = ctx["id"]
        elif method == "Runtime.executionContextsCleared":
            self.context_id = None
        elif method in ("Inspector.detached", "Inspector.targetCrashed"):
            return False
        return True

    def arm_new_documents(self, bridge_source: str) -> None:
        """The binding and the bridge on every new document.

        ``Runtime.enable`` must come first, or the binding vanishes after a navigation.
        """
        self.send("Runtime.enable")
        self.send("Runtime.addBinding", {"name": self._binding})
        self.send("Page.enable")
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": bridge_source})

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

    def navigate(self, url: str, *, timeout: float = 60.0) -> bool:
        """``Page.navigate``: returns once the new document is committed (the bridge arrives
        with it). Measured: with Runtime enabled on this connection, chromedriver's ``get()``
        starts the navigation 1 or 5 s late in about a third of launches; this never does."""
        result = self.send("Page.navigate", {"url": url}, timeout=timeout)
        error = result.get("errorText")
        if error:
            raise PageLoadError(f"{url} could not be loaded: {error}")
        return True

    def evaluate(self, source: str, *, timeout: float = 30.0) -> None:
        """Run ``source`` in the current document (bounded: a frozen page fails, not stalls)."""
        self.send("Runtime.evaluate", {"expression": source}, timeout=timeout)


def open_cdp_channel(
    debugger_address: str,
    target_id: str,
    *,
    binding: str,
    on_push: Callable[[str], None],
    on_close: Callable[[], None],
    bridge_source: str,
) -> CdpConnection:
    """Connect to the page target (a window handle is its target id) and arm it."""
    return CdpConnection(
        find_page_websocket(debugger_address, target_id),
        binding=binding,
        on_binding=on_push,
        on_close=on_close,
        target_id=target_id,
    ).armed(bridge_source)
