"""Every event the client emits, as classes.

Register a handler with ``@client.on(events.NewMessage)``; the handler is called as
``handler(client, event)`` on the client's dispatch thread, never on the thread that reads the
page, so a slow handler delays later handlers but never the transport.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from .types import Ack, ChatId, Message, MessageId, State

__all__ = [
    "AuthFailure",
    "Authenticated",
    "Disconnected",
    "Event",
    "LoadingProgress",
    "LoggedOut",
    "MessageAck",
    "NewMessage",
    "QrCode",
    "Ready",
    "StateChanged",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base of all events. ``source`` names the page signal behind it (for self-check)."""

    source: ClassVar[str] = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class QrCode(Event):
    """A login QR code is shown (and again each time it rotates).

    ``data`` is the string to encode: ``ref,staticKey,identityKey,advSecret,platform``.
    It is a login credential while it is valid: it never appears in ``repr``.
    """

    source: ClassVar[str] = "auth.qr"
    data: str = field(repr=False)
    attempt: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Authenticated(Event):
    """The account's data finished syncing (``Socket`` ``change:hasSynced``): login succeeded."""

    source: ClassVar[str] = "auth.synced"


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthFailure(Event):
    """Login could not complete; ``reason`` says why."""

    source: ClassVar[str] = "auth.state"
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Ready(Event):
    """The bridge is installed on a synced account: API calls work from now on."""

    source: ClassVar[str] = "auth.synced"
    version: str
    """WhatsApp Web's build (``window.Debug.VERSION``)."""
    me: ChatId | None
    push_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StateChanged(Event):
    """The connection state (``Socket.state``) changed."""

    source: ClassVar[str] = "auth.state"
    state: State


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadingProgress(Event):
    """Initial sync progress in percent (the loading screen)."""

    source: ClassVar[str] = "auth.progress"
    percent: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Disconnected(Event):
    """The client lost WhatsApp Web; ``reason`` is a state name or a short cause."""

    source: ClassVar[str] = "auth.state"
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LoggedOut(Event):
    """The device was unlinked (from the phone or by ``logout()``); a new login is needed."""

    source: ClassVar[str] = "auth.logout"


@dataclass(frozen=True, slots=True, kw_only=True)
class NewMessage(Event):
    """A new message in any chat: incoming, or our own sent from this or another device.

    Tell them apart with ``event.message.from_me``.
    """

    source: ClassVar[str] = "messages.add"
    message: Message


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageAck(Event):
    """A message's delivery state changed (sent → delivered → read → played)."""

    source: ClassVar[str] = "messages.ack"
    message_id: MessageId
    ack: Ack
    chat_id: ChatId
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
