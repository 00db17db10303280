"""Chat, contact and group events (translated in ``_api/_chats.py`` and ``_api/_groups.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from ..types import Call, Chat, ChatId, MessageId, ParticipantAction
from ._base import Event

__all__ = [
    "ChatArchived",
    "ChatRemoved",
    "ContactChanged",
    "GroupMembershipRequest",
    "GroupParticipantsChanged",
    "GroupUpdated",
    "IncomingCall",
    "PresenceChanged",
    "UnreadCountChanged",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatArchived(Event):
    """A chat was archived or unarchived (here or on another device)."""

    source: ClassVar[str] = "chats.events"
    chat_id: ChatId
    archived: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatRemoved(Event):
    """A chat was deleted (here or on another device); ``chat`` is its last state."""

    source: ClassVar[str] = "chats.events"
    chat_id: ChatId
    chat: Chat | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UnreadCountChanged(Event):
    """A chat's unread counter changed (a message arrived, or the chat was read)."""

    source: ClassVar[str] = "chats.events"
    chat_id: ChatId
    unread_count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupParticipantsChanged(Event):
    """People joined, left, were added, removed, promoted or demoted in a group.

    ``by`` is who did it (the admin, or the participant themselves for a leave or a join).
    """

    source: ClassVar[str] = "groups.events"
    group_id: ChatId
    action: ParticipantAction
    participants: tuple[ChatId, ...]
    by: ChatId | None
    message_id: MessageId | None = None
    timestamp: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupUpdated(Event):
    """A group's info or settings changed.

    ``change`` is the ``gp2`` subtype: ``subject``, ``description``, ``picture``, ``announce``
    (only admins send), ``restrict`` (only admins edit), ``member_add_mode``, ``ephemeral``, …;
    ``value`` is the new subject or description, or ``"1"``/``"0"`` for settings.
    """

    source: ClassVar[str] = "groups.events"
    group_id: ChatId
    change: str
    value: str = field(repr=False)
    by: ChatId | None
    message_id: MessageId | None = None
    timestamp: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupMembershipRequest(Event):
    """Someone asked to join a group that needs admin approval (approve or reject it with
    ``approve_membership_requests`` / ``reject_membership_requests``)."""

    source: ClassVar[str] = "groups.events"
    group_id: ChatId
    requester: ChatId
    message_id: MessageId | None = None
    timestamp: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactChanged(Event):
    """A contact changed their number: seen in a shared group (``gp2``/``modify``, ``group_id``
    set) or in the chat with them (``notification_template``/``change_number``,
    ``group_id`` ``None``), as whatsapp-web.js's ``contact_changed``."""

    source: ClassVar[str] = "groups.events"
    old_id: ChatId
    new_id: ChatId
    group_id: ChatId | None = None
    message_id: MessageId | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PresenceChanged(Event):
    """A contact went online or offline, or started/stopped typing; only for contacts passed
    to ``client.subscribe_presence`` (WhatsApp sends presence on request only)."""

    source: ClassVar[str] = "presence.events"
    contact_id: ChatId
    online: bool
    state: str | None = None
    """``"typing"``, ``"recording"`` or ``None``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncomingCall(Event):
    """Someone is calling this account (reject it with ``client.reject_call(event.call)``)."""

    source: ClassVar[str] = "calls.events"
    call: Call
