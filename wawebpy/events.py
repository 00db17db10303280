"""Every event the client emits, as classes.

Register a handler with ``@client.on(events.NewMessage)``; the handler is called as
``handler(client, event)`` on the client's dispatch thread, never on the thread that reads the
page, so a slow handler delays later handlers but never the transport.
"""

from __future__ import annotations

from ._events._base import Event
from ._events._chats import *  # noqa: F403 - one module per concern, re-exported here
from ._events._chats import __all__ as _chats_all
from ._events._core import (
    Authenticated,
    AuthFailure,
    Disconnected,
    LoadingProgress,
    LoggedOut,
    QrCode,
    Ready,
    Reconnecting,
    StateChanged,
)
from ._events._messages import *  # noqa: F403
from ._events._messages import __all__ as _messages_all

__all__ = [
    "AuthFailure",
    "Authenticated",
    "Disconnected",
    "Event",
    "LoadingProgress",
    "LoggedOut",
    "QrCode",
    "Ready",
    "Reconnecting",
    "StateChanged",
]
__all__ += _messages_all  # noqa: PLE0605 - per-concern lists
__all__ += _chats_all  # noqa: PLE0605
__all__.sort()

for _name in __all__:
    globals()[_name].__module__ = __name__
