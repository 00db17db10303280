"""Message events (translated in ``_api/_messages.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from ..errors import WawebpyError
from ..types import Ack, ChatId, Message, MessageId, PollVoteInfo, Reaction
from ._base import Event

__all__ = [
    "MediaUploaded",
    "MessageAck",
    "MessageCreated",
    "MessageEdited",
    "MessageRevoked",
    "NewMessage",
    "PollVote",
    "ReactionChanged",
    "SendFailed",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class NewMessage(Event):
    """A new message in any chat: incoming, or our own sent from this or another device.

    Tell them apart with ``event.message.from_me``. The message is typed by kind
    (:class:`~wawebpy.types.MediaMessage`, :class:`~wawebpy.types.LocationMessage`, ...).
    """

    source: ClassVar[str] = "messages.add"
    message: Message


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageCreated(Event):
    """A message of ours was created, from this client or another linked device.

    Published right after the matching :class:`NewMessage`; handy for logging own sends.
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


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageEdited(Event):
    """A message's text or caption was edited (``Msg`` ``change:body`` / ``change:caption``)."""

    source: ClassVar[str] = "messages.edit"
    message: Message
    new_text: str = field(repr=False)
    previous_text: str = field(repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageRevoked(Event):
    """A message was deleted: for everyone (``scope='everyone'``, the message is now of type
    ``REVOKED``) or only on this account (``scope='me'``, it left the collection)."""

    source: ClassVar[str] = "messages.revoke"
    message: Message
    scope: Literal["everyone", "me"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReactionChanged(Event):
    """Someone (possibly us) reacted to a message or removed a reaction (``emoji == ''``)."""

    source: ClassVar[str] = "messages.reaction"
    reaction: Reaction
    chat_id: ChatId


@dataclass(frozen=True, slots=True, kw_only=True)
class PollVote(Event):
    """A vote in a poll was cast or changed; ``vote.selected`` holds the option names."""

    source: ClassVar[str] = "messages.pollVote"
    vote: PollVoteInfo
    chat_id: ChatId


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaUploaded(Event):
    """Media of one of our messages finished uploading (``change:isUnsentMedia`` to false)."""

    source: ClassVar[str] = "messages.uploaded"
    message: Message


@dataclass(frozen=True, slots=True, kw_only=True)
class SendFailed(Event):
    """A queued message failed for good and no caller was waiting to hear it: one sent with
    ``wait=False``, replayed from the durable outbox, or whose caller's wait timed out.

    ``message_id`` is ``None`` for sends without an id of ours (forwards, channel and status
    posts). With an outbox file the entry stays there, marked with the error's code, until
    :meth:`Client.discard_outbox_entry` removes it.
    """

    message_id: MessageId | None
    chat_id: ChatId
    error: WawebpyError = field(compare=False)
