"""Payloads sent by the bridge (TypedDicts) and the one place models are built from them."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, TypedDict, TypeVar

from ..errors import InvalidChatIdError, InvalidInputError
from ..types import (
    Ack,
    Chat,
    ChatId,
    Contact,
    ContactMessage,
    Location,
    LocationMessage,
    MediaMessage,
    Message,
    MessageId,
    MessageType,
    PollMessage,
    VCard,
    _parse_chat_id,
)

__all__ = [
    "MEDIA_TYPES",
    "ChatPayload",
    "ContactPayload",
    "MessagePayload",
    "build_chat",
    "build_contact",
    "build_message",
    "from_unix",
    "maybe_chat_id",
]


class MessagePayload(TypedDict, total=False):
    """``serializeMsg`` in ``_bridge/messages.js``."""

    id: str
    fromMe: bool
    remote: str
    participant: str | None
    type: str
    body: str
    caption: str
    t: int
    ack: int
    isNewMsg: bool
    isForwarded: bool
    author: str | None
    senderLid: str | None
    senderPn: str | None
    to: str | None
    mentionedJidList: list[str]
    quotedStanzaID: str | None
    quotedParticipant: str | None
    quotedRemoteJid: str | None
    mimetype: str
    filename: str
    size: int
    isGif: bool
    isViewOnce: bool
    duration: int | str
    lat: float
    lng: float
    loc: str
    clientUrl: str
    vcardList: list[dict[str, Any]]
    pollName: str
    pollOptions: list[dict[str, Any]]
    pollSelectableOptionsCount: int


class ChatPayload(TypedDict, total=False):
    """``serializeChat`` in ``_bridge/chats.js``."""

    id: str
    name: str | None
    isGroup: bool
    unreadCount: int
    t: int
    archive: bool
    pin: bool
    isMuted: bool


class ContactPayload(TypedDict, total=False):
    """``serializeContact`` in ``_bridge/chats.js``."""

    id: str
    name: str | None
    pushname: str | None
    number: str | None
    isBusiness: bool
    isMyContact: bool
    isBlocked: bool


_EPOCH = datetime.fromtimestamp(0, tz=timezone.utc)
# Plain dict lookups: Enum.__call__ is a measurable share of the per-event cost.
_MESSAGE_TYPES: dict[Any, MessageType] = dict(MessageType._value2member_map_)
_ACKS: dict[Any, Ack] = dict(Ack._value2member_map_)


T = TypeVar("T")


def _slot_constructor(cls: type[T], names: tuple[str, ...]) -> Callable[..., T]:
    """A positional constructor for the frozen slotted dataclass ``cls`` (fields ``names``, in
    order), for the per-event hot path: it stores through the slot descriptors, skipping the
    generated ``__init__``'s keyword handling and per-field ``object.__setattr__`` (about a
    microsecond of a message's five). The result equals ``cls(**dict(zip(names, values)))``.
    """
    if tuple(f.name for f in dataclasses.fields(cls)) != names:  # type: ignore[arg-type]
        raise TypeError(f"{cls.__name__} fields changed: update its constructor in _models")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} validates in __post_init__: build it with its __init__")
    setters = tuple(getattr(cls, name).__set__ for name in names)
    new = object.__new__

    def construct(*values: Any) -> T:
        obj = new(cls)
        for setter, value in zip(setters, values, strict=True):
            setter(obj, value)
        return obj

    return construct


_MESSAGE_FIELDS = (
    "id",
    "type",
    "chat_id",
    "sender",
    "recipient",
    "text",
    "timestamp",
    "ack",
    "from_me",
    "is_new",
    "is_forwarded",
    "mentioned_ids",
    "quoted_id",
    "sender_lid",
    "sender_phone",
    "raw",
)
_new_message = _slot_constructor(Message, _MESSAGE_FIELDS)


@functools.lru_cache(maxsize=4096)
def _utc(seconds: int) -> datetime:
    # Messages of a burst share their second; datetimes are immutable, so one object serves all.
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def from_unix(seconds: float | None) -> datetime | None:
    """UTC datetime from WhatsApp's unix seconds (None for 0 or absent)."""
    if not seconds:
        return None
    if type(seconds) is int:
        return _utc(seconds)
    return datetime.fromtimestamp(float(seconds), tz=timezone.utc)


def maybe_chat_id(value: Any) -> ChatId | None:
    """Parse an id the page sent; ids WhatsApp invents later must not break event delivery."""
    if not value or not isinstance(value, str):
        return None
    try:
        return _parse_chat_id(value)
    except InvalidChatIdError:
        user, _, server = value.partition("@")
        return ChatId(user, server)


def _quoted_id(p: MessagePayload, chat: ChatId, me: ChatId | None) -> MessageId | None:
    stanza = p.get("quotedStanzaID")
    if not stanza:
        return None
    participant = maybe_chat_id(p.get("quotedParticipant"))
    remote = maybe_chat_id(p.get("quotedRemoteJid")) or chat
    from_me = participant is not None and me is not None and participant == me
    return MessageId(from_me, remote, str(stanza), participant if remote.is_group else None)


MEDIA_TYPES: frozenset[MessageType] = frozenset(
    {
        MessageType.IMAGE,
        MessageType.VIDEO,
        MessageType.AUDIO,
        MessageType.VOICE,
        MessageType.DOCUMENT,
        MessageType.STICKER,
    }
)
"""The message types that carry a downloadable file (built as :class:`MediaMessage`)."""


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def _vcards(p: MessagePayload) -> tuple[VCard, ...]:
    texts: list[str] = []
    if p.get("vcardList"):
        texts = [str(v.get("vcard") or "") for v in p.get("vcardList") or () if isinstance(v, dict)]
    elif p.get("body"):
        texts = [str(p.get("body"))]
    return tuple(VCard.parse(t) for t in texts if t)


def _location(p: MessagePayload) -> Location:
    name, _, address = str(p.get("loc") or "").partition("\n")
    try:
        return Location(
            float(p.get("lat") or 0.0),
            float(p.get("lng") or 0.0),
            name or None,
            address or None,
            p.get("clientUrl") or None,
        )
    except InvalidInputError:  # a page value out of range must not drop the message
        return Location(0.0, 0.0, name or None, address or None)


def lid_and_phone(who: ChatId, p: Mapping[str, Any]) -> tuple[ChatId | None, ChatId | None]:
    """A user's LID and phone number ids: ``who`` itself for its own form, the page's
    ``senderLid``/``senderPn`` for the other (None when the page knows no pair)."""
    lid = who if who.server == "lid" else maybe_chat_id(p.get("senderLid"))
    return lid, who if who.server == "c.us" else maybe_chat_id(p.get("senderPn"))


def build_message(p: MessagePayload, me: ChatId | None = None) -> Message:
    """The Message for a bridge payload, typed by kind: media, location, contact card and poll
    messages are :class:`MediaMessage`, :class:`LocationMessage`, :class:`ContactMessage`,
    :class:`PollMessage`; every other type (unknown ones as ``MessageType.UNKNOWN``) is a
    plain :class:`Message` with the payload in ``raw``."""
    mid = MessageId.parse(p["id"])
    chat = mid.remote
    get: Callable[..., Any] = p.get  # one attribute lookup for the dozen reads below
    from_me = bool(get("fromMe", mid.from_me))
    author = maybe_chat_id(get("author")) or mid.participant
    sender = (me or author or chat) if from_me else (author or maybe_chat_id(get("from")) or chat)
    recipient = maybe_chat_id(get("to")) or (chat if from_me else (me or chat))
    mtype = _MESSAGE_TYPES.get(get("type") or "unknown") or MessageType(get("type"))
    if mtype is MessageType.TEXT:
        text = get("body")
    elif mtype is MessageType.POLL_CREATION:
        text = get("pollName")
    else:
        text = get("caption")
    mentioned = get("mentionedJidList")
    common: tuple[Any, ...] = (
        mid,
        mtype,
        chat,
        sender,
        recipient,
        str(text or ""),
        from_unix(get("t")) or _EPOCH,
        _ACKS.get(get("ack") or 0) or Ack(int(get("ack") or 0)),
        from_me,
        bool(get("isNewMsg", False)),
        bool(get("isForwarded", False)),
        tuple(c for c in map(maybe_chat_id, mentioned) if c) if mentioned else (),
        _quoted_id(p, chat, me),
        sender if sender.server == "lid" else maybe_chat_id(get("senderLid")),
        sender if sender.server == "c.us" else maybe_chat_id(get("senderPn")),
        p,
    )
    if mtype is MessageType.TEXT:
        return _new_message(*common)
    kw: dict[str, Any] = dict(zip(_MESSAGE_FIELDS, common, strict=True))
    if mtype in MEDIA_TYPES:
        return MediaMessage(
            **kw,
            mimetype=get("mimetype"),
            filename=get("filename"),
            size=_int_or_none(get("size")),
            is_gif=bool(get("isGif")),
            is_view_once=bool(get("isViewOnce")),
            duration=_int_or_none(get("duration")),
        )
    if mtype is MessageType.LOCATION:
        return LocationMessage(**kw, location=_location(p))
    if mtype in (MessageType.CONTACT_CARD, MessageType.CONTACT_CARD_MULTI):
        return ContactMessage(**kw, vcards=_vcards(p))
    if mtype is MessageType.POLL_CREATION:
        options = tuple(
            str(o.get("name", "")) for o in get("pollOptions") or () if isinstance(o, dict)
        )
        return PollMessage(
            **kw,
            question=str(get("pollName") or ""),
            options=options,
            allow_multiple=not get("pollSelectableOptionsCount"),
        )
    return _new_message(*common)


def build_chat(p: ChatPayload) -> Chat:
    cid = maybe_chat_id(p.get("id"))
    if cid is None:
        raise InvalidInputError("chat payload without an id")
    return Chat(
        id=cid,
        name=str(p.get("name") or cid.user),
        is_group=bool(p.get("isGroup", cid.is_group)),
        unread_count=int(p.get("unreadCount") or 0),
        timestamp=from_unix(p.get("t")),
        archived=bool(p.get("archive")),
        pinned=bool(p.get("pin")),
        muted=bool(p.get("isMuted")),
        raw=p,
    )


def build_contact(p: ContactPayload) -> Contact:
    cid = maybe_chat_id(p.get("id"))
    if cid is None:
        raise InvalidInputError("contact payload without an id")
    return Contact(
        id=cid,
        name=p.get("name"),
        push_name=p.get("pushname"),
        number=p.get("number"),
        is_business=bool(p.get("isBusiness")),
        is_my_contact=bool(p.get("isMyContact")),
        is_blocked=bool(p.get("isBlocked")),
        raw=p,
    )
