"""Message events (translated in ``_api/_messages.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..types import Ack, ChatId, Message, MessageId
from ._base import Event

__all__ = ["MessageAck", "NewMessage"]


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
