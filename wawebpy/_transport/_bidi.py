"""The WebDriver BiDi push channel: the second choice, for sessions without a CDP endpoint.

A session created with the ``webSocketUrl: true`` capability offers a BiDi websocket
(a Selenium Grid node, a remote chromedriver). wawebpy opens its own connection to it rather
than Selenium's: Selenium polls its socket every 0.1 s (``websocket_interval``), runs each event
callback on a new thread (so callbacks arrive out of order) and its ``quit()`` can hang on it.

How events flow: ``script.addPreloadScript`` runs a function on every new document of the tab,
with a BiDi *channel* as its argument; the function stores the channel as the page's push
function and installs the bridge. Each call sends one ``script.message`` event, read here in
order on the reader thread.

Two weaknesses of BiDi, measured in Chrome, and what covers them:

- batches queued while a document unloads are dropped; the page stashes them and the client's
  drain re-reads them (the :class:`~wawebpy._transport._stream.Sequencer` sees the gap);
- after a back/forward-cache restore the preload's channel is dead (the page's calls go
  nowhere). Every committed navigation therefore re-arms the document: the next
  :meth:`BidiConnection.call_function` (the drain that ``on_navigated`` asks for) passes a
  fresh channel for the same name along with its call.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from typing import Any

from ..errors import BridgeError
from ._wsrpc import WsRpc

__all__ = ["BidiConnection", "open_bidi_channel"]

_EVENTS = (
    "script.message",
    "browsingContext.navigationCommitted",
    "browsingContext.contextDestroyed",
)


class BidiConnection(WsRpc):
    """One BiDi websocket, driving one top-level browsing context (the WhatsApp Web tab).

    ``on_push(payload)`` runs on the reader thread for each string the page sends through the
    channel, in order; ``on_navigated()`` runs there after each committed navigation, so the
    owner can make a call soon (which re-arms the channel). Neither may block for long.
    """

    protocol = "BiDi"

    def __init__(
        self,
        ws_url: str,
        *,
        context: str,
        binding: str,
        on_push: Callable[[str], None],
        on_navigated: Callable[[], None],
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self._context = context
        self._binding = json.dumps(binding)
        self._on_push = on_push
        self._on_navigated = on_navigated
        self._channel = f"wawebpy-{uuid.uuid4().hex}"
        self._channel_arg = {"type": "channel", "value": {"channel": self._channel}}
        # Navigations seen vs the navigation count at the last successful arming: unequal means
        # the current document may hold a dead channel (or none yet).
        self._nav_lock = threading.Lock()
        self._navigations = 0
        self._armed_at = -1
        super().__init__(ws_url, on_close=on_close)

    def _on_event(self, method: str, params: dict[str, Any]) -> bool:
        if method == "script.message":
            source = params.get("source") or {}
            data = params.get("data") or {}
            if (
                params.get("channel") == self._channel
                and source.get("context") == self._context
                and data.get("type") == "string"
            ):
                self._on_push(data["value"])
        elif params.get("context") == self._context:
            if method == "browsingContext.navigationCommitted":
                with self._nav_lock:
                    self._navigations += 1
                self._on_navigated()
            elif method == "browsingContext.contextDestroyed":
                return False
        return True

    def arm_new_documents(self, bridge_source: str) -> None:
        """Subscribe; a preload script gives each new document the channel and the bridge."""
        self.send("session.subscribe", {"events": list(_EVENTS)})
        self.send(
            "script.addPreloadScript",
            {
                "functionDeclaration": (
                    f"function (ch) {{ window[{self._binding}] = ch;\n{bridge_source}\n}}"
                ),
                "arguments": [self._channel_arg],
                "contexts": [self._context],
            },
        )

    def call_function(self, declaration: str, *args: Any, timeout: float = 30.0) -> Any:
        """Call a JS function in the tab's current document (re-arming it if it navigated).

        Arguments and result cross as one JSON string each: BiDi's typed value encoding is
        verbose, and a JSON string from ``JSON.stringify`` never holds a lone surrogate.
        """
        with self._nav_lock:
            navigations = self._navigations
        arm = navigations != self._armed_at
        wrapper = (
            "async function (args, ch) {\n"
            f"  if (ch) window[{self._binding}] = ch;\n"
            f"  const r = await ({declaration}).apply(window, JSON.parse(args));\n"
            "  return JSON.stringify(r === undefined ? null : r);\n"
            "}"
        )
        reply = self.send(
            "script.callFunction",
            {
                "functionDeclaration": wrapper,
                "arguments": [
                    {"type": "string", "value": json.dumps(args)},
                    self._channel_arg if arm else {"type": "undefined"},
                ],
                "awaitPromise": True,
                "target": {"context": self._context},
                "resultOwnership": "none",
            },
            timeout=timeout,
        )
        if reply.get("type") == "exception":
            details = reply.get("exceptionDetails") or {}
            raise BridgeError(f"page function failed: {details.get('text', 'error')}")
        if arm:
            self._armed_at = navigations
        value = (reply.get("result") or {}).get("value")
        return json.loads(value) if isinstance(value, str) else None

    def evaluate(self, source: str, *, timeout: float = 30.0) -> None:
        """Run ``source`` (a script, not an expression) in the tab's current document."""
        self.call_function(f"function () {{\n{source}\n}}", timeout=timeout)


def open_bidi_channel(
    ws_url: str,
    context: str,
    *,
    binding: str,
    on_push: Callable[[str], None],
    on_navigated: Callable[[], None],
    on_close: Callable[[], None],
    bridge_source: str,
) -> BidiConnection:
    """Connect to the session's BiDi websocket and arm every new document of ``context``.

    ``context`` is the tab's window handle (chromedriver uses the same id for both).
    """
    return BidiConnection(
        ws_url,
        context=context,
        binding=binding,
        on_push=on_push,
        on_navigated=on_navigated,
        on_close=on_close,
    ).armed(bridge_source)
