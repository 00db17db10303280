"""Public value types: ids, enums and the models the client hands out.

Models are frozen slotted dataclasses built in exactly one place (``wawebpy._models``) from the
payload the bridge sends; each keeps that payload as ``raw`` (left out of ``repr``) as an escape
hatch for fields wawebpy does not model yet.
"""

from __future__ import annotations

import enum
import functools
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import InvalidChatIdError, InvalidContentError, InvalidMessageIdError

__all__ = [
    "Ack",
    "Chat",
    "ChatId",
    "ChatKind",
    "ChatLike",
    "Contact",
    "ContactMessage",
    "DownloadedMedia",
    "Location",
    "LocationMessage",
    "Media",
    "MediaMessage",
    "Message",
    "MessageId",
    "MessageInfo",
    "MessageType",
    "Poll",
    "PollMessage",
    "PollVoteInfo",
    "Reaction",
    "State",
    "VCard",
]

_log = logging.getLogger("wawebpy")


class ChatKind(enum.Enum):
    """What a :class:`ChatId` points at, from its server part."""

    USER = "c.us"
    GROUP = "g.us"
    LID = "lid"
    BROADCAST = "broadcast"
    NEWSLETTER = "newsletter"


_USER_RE = re.compile(r"^[1-9][0-9]{4,19}$")
_LID_RE = re.compile(r"^[0-9]{5,25}$")
_GROUP_RE = re.compile(r"^(?:[0-9]{5,25}|[0-9]{5,20}-[0-9]{6,12})$")
_BROADCAST_RE = re.compile(r"^(?:status|[0-9]{5,25})$")
_NEWSLETTER_RE = re.compile(r"^[0-9]{5,25}$")
_USER_PART_RE = {
    ChatKind.USER: _USER_RE,
    ChatKind.GROUP: _GROUP_RE,
    ChatKind.LID: _LID_RE,
    ChatKind.BROADCAST: _BROADCAST_RE,
    ChatKind.NEWSLETTER: _NEWSLETTER_RE,
}


def _safe(value: object) -> str:
    """Render user input for an error message: short, printable, never a whole text."""
    text = value if isinstance(value, str) else type(value).__name__
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass(frozen=True, slots=True, order=True)
class ChatId:
    """A WhatsApp id (``<user>@<server>``): a person, a group, a channel or a broadcast list.

    Build one with :meth:`parse`, which validates early so that a bad id fails in Python with a
    clear message instead of deep inside the page.
    """

    user: str
    server: str

    @classmethod
    def parse(cls, value: ChatLike) -> ChatId:
        """Parse ``"15551234567@c.us"``, ``"1203630…@g.us"``, ``"…@lid"``, ``"…@newsletter"``,
        ``"status@broadcast"``; a ChatId passes through. Raises :class:`InvalidChatIdError`."""
        if isinstance(value, ChatId):
            return value
        if not isinstance(value, str):
            raise InvalidChatIdError(
                f"a chat id must be a str such as '15551234567@c.us', not {type(value).__name__}",
                value=_safe(value),
            )
        return _parse_chat_id(value)

    @property
    def kind(self) -> ChatKind:
        """What the id points at, from its server part."""
        return ChatKind(self.server)

    @property
    def is_group(self) -> bool:
        """True for groups (``@g.us``)."""
        return self.server == "g.us"

    @property
    def is_user(self) -> bool:
        """True for people (``@c.us`` and ``@lid``)."""
        return self.server in ("c.us", "lid")

    @property
    def is_status(self) -> bool:
        """True for ``status@broadcast`` (stories)."""
        return self.user == "status" and self.server == "broadcast"

    @property
    def serialized(self) -> str:
        """The ``<user>@<server>`` form WhatsApp uses."""
        return f"{self.user}@{self.server}"

    def __str__(self) -> str:
        return self.serialized


@functools.lru_cache(maxsize=8192)
def _parse_chat_id(value: str) -> ChatId:
    """Parse and validate a chat id string; cached because the same ids recur in every event."""
    user, sep, server = value.strip().partition("@")
    if not sep:
        raise InvalidChatIdError(
            f"chat id {_safe(value)!r} has no '@server' part; write '<number>@c.us' for a "
            "person or '<id>@g.us' for a group",
            value=_safe(value),
        )
    try:
        kind = ChatKind(server)
    except ValueError:
        raise InvalidChatIdError(
            f"chat id {_safe(value)!r} has unknown server {_safe(server)!r}; expected one of "
            "c.us, g.us, lid, broadcast, newsletter",
            value=_safe(value),
        ) from None
    if not _USER_PART_RE[kind].match(user):
        raise InvalidChatIdError(
            f"chat id {_safe(value)!r} is not a valid {kind.value} id (digits only, "
            "international format without '+' for phone numbers)",
            value=_safe(value),
        )
    return ChatId(user, server)


ChatLike = ChatId | str
"""Anything a method accepts as a chat: a :class:`ChatId` or its string form."""


@dataclass(frozen=True, slots=True)
class MessageId:
    """A message key: ``<fromMe>_<remote>_<id>[_<participant>]``."""

    from_me: bool
    remote: ChatId
    id: str
    participant: ChatId | None = None

    @classmethod
    def parse(cls, value: MessageId | str) -> MessageId:
        """Parse the serialized form; raises :class:`InvalidMessageIdError`."""
        if isinstance(value, MessageId):
            return value
        if not isinstance(value, str):
            raise InvalidMessageIdError(
                f"a message id must be a str, not {type(value).__name__}", value=_safe(value)
            )
        parts = value.split("_")
        if len(parts) not in (3, 4) or parts[0] not in ("true", "false") or not parts[2]:
            raise InvalidMessageIdError(
                f"message id {_safe(value)!r} is not '<true|false>_<chat>_<id>[_<participant>]'",
                value=_safe(value),
            )
        try:
            remote = _parse_chat_id(parts[1])
            participant = _parse_chat_id(parts[3]) if len(parts) == 4 else None
        except InvalidChatIdError as exc:
            raise InvalidMessageIdError(
                f"message id {_safe(value)!r} holds a bad chat id: {exc}", value=_safe(value)
            ) from None
        return cls(parts[0] == "true", remote, parts[2], participant)

    @property
    def serialized(self) -> str:
        """The ``<fromMe>_<remote>_<id>[_<participant>]`` form."""
        base = f"{'true' if self.from_me else 'false'}_{self.remote}_{self.id}"
        return f"{base}_{self.participant}" if self.participant else base

    def __str__(self) -> str:
        return self.serialized


class _FallbackEnum(enum.Enum):
    """An enum that maps values WhatsApp adds later to ``UNKNOWN`` and warns once per value."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        warned: set[object] = cls.__dict__.get("_warned_values") or set()
        if value not in warned:
            warned.add(value)
            type.__setattr__(cls, "_warned_values", warned)
            _log.warning("%s: unknown value %r from WhatsApp Web: UNKNOWN", cls.__name__, value)
        return cls.__members__["UNKNOWN"]


class Ack(int, _FallbackEnum):
    """Delivery state of a message (WhatsApp's ``ack``)."""

    UNKNOWN = -99
    ERROR = -1
    PENDING = 0
    SERVER = 1
    DEVICE = 2
    READ = 3
    PLAYED = 4


class MessageType(str, _FallbackEnum):
    """The ``type`` of a WhatsApp message; new kinds arrive as ``UNKNOWN``, never dropped."""

    UNKNOWN = "unknown"
    TEXT = "chat"
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    VOICE = "ptt"
    DOCUMENT = "document"
    STICKER = "sticker"
    LOCATION = "location"
    CONTACT_CARD = "vcard"
    CONTACT_CARD_MULTI = "multi_vcard"
    REVOKED = "revoked"
    POLL_CREATION = "poll_creation"
    GROUP_NOTIFICATION = "gp2"
    E2E_NOTIFICATION = "e2e_notification"
    CALL_LOG = "call_log"
    CIPHERTEXT = "ciphertext"
    NOTIFICATION_TEMPLATE = "notification_template"
    PROTOCOL = "protocol"
    REACTION = "reaction"


class State(str, _FallbackEnum):
    """Connection state of WhatsApp Web (``WAWebSocketModel.Socket.state``)."""

    UNKNOWN = "UNKNOWN"
    OPENING = "OPENING"
    UNLAUNCHED = "UNLAUNCHED"
    PAIRING = "PAIRING"
    UNPAIRED = "UNPAIRED"
    UNPAIRED_IDLE = "UNPAIRED_IDLE"
    CONNECTED = "CONNECTED"
    TIMEOUT = "TIMEOUT"
    CONFLICT = "CONFLICT"
    PROXYBLOCK = "PROXYBLOCK"
    TOS_BLOCK = "TOS_BLOCK"
    SMB_TOS_BLOCK = "SMB_TOS_BLOCK"
    DEPRECATED_VERSION = "DEPRECATED_VERSION"


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """A WhatsApp message as the client sees it. Bodies never appear in ``repr``."""

    id: MessageId
    type: MessageType
    chat_id: ChatId
    sender: ChatId
    """Who wrote it: the author in groups, the peer in private chats, us when ``from_me``."""
    recipient: ChatId
    text: str = field(repr=False)
    """Body of a text message or caption of a media message ('' when none)."""
    timestamp: datetime
    ack: Ack
    from_me: bool
    is_new: bool
    is_forwarded: bool = False
    mentioned_ids: tuple[ChatId, ...] = ()
    quoted_id: MessageId | None = None
    sender_lid: ChatId | None = None
    """The sender's LID (``<digits>@lid``, WhatsApp's privacy id) when the page knows it."""
    sender_phone: ChatId | None = None
    """The sender's phone number id (``<number>@c.us``) when the page knows it: since 2026
    ``sender`` is often a LID; answer a person you know by number through this."""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_group(self) -> bool:
        """True for a message in a group chat."""
        return self.chat_id.is_group


# -- message content: inputs for sending and the typed kinds of Message ----------------------


@dataclass(frozen=True, slots=True)
class Media:
    """Media bytes with their MIME type and file name; ``data`` never appears in ``repr``.

    Methods that send media also accept a path, bytes or an http(s) URL and build this for you
    (MIME sniffed from the content); :meth:`Client.download_media` returns one.
    """

    data: bytes = field(repr=False)
    mimetype: str
    filename: str | None = None

    @property
    def size(self) -> int:
        """Length of :attr:`data` in bytes."""
        return len(self.data)

    def save(self, path: str | Path) -> Path:
        """Write the bytes to ``path`` (a directory gets :attr:`filename`); returns the file."""
        target = Path(path)
        if target.is_dir():
            target = target / (self.filename or "media.bin")
        target.write_bytes(self.data)
        return target


@dataclass(frozen=True, slots=True)
class DownloadedMedia:
    """Media streamed to a file by :meth:`Client.download_media` with ``to=``."""

    path: Path
    mimetype: str
    filename: str | None
    size: int


@dataclass(frozen=True, slots=True)
class Location:
    """A point on the map; ``name``/``address`` are shown under it (``loc`` = name\\naddress).

    Nothing of it appears in ``repr``: a location is as private as a message body."""

    latitude: float = field(repr=False)
    longitude: float = field(repr=False)
    name: str | None = field(default=None, repr=False)
    address: str | None = field(default=None, repr=False)
    url: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        checks = (("latitude", self.latitude, 90), ("longitude", self.longitude, 180))
        for label, value, bound in checks:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InvalidContentError(f"{label} must be a number, not {type(value).__name__}")
            if not math.isfinite(value) or not -bound <= value <= bound:
                raise InvalidContentError(f"{label} {value!r} is outside -{bound}..{bound}")


MAX_POLL_OPTIONS = 12
"""WhatsApp's limit on the options of one poll."""


@dataclass(frozen=True, slots=True)
class Poll:
    """A poll to send: a question and 2-12 distinct options, one or several answers allowed."""

    question: str
    options: tuple[str, ...]
    allow_multiple: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.question, str) or not self.question.strip():
            raise InvalidContentError("a poll needs a non-empty question")
        opts = (self.options,) if isinstance(self.options, str) else tuple(self.options)
        object.__setattr__(self, "options", opts)
        if len(opts) < 2:
            raise InvalidContentError(f"a poll needs at least 2 options, got {len(opts)}")
        if len(opts) > MAX_POLL_OPTIONS:
            raise InvalidContentError(
                f"a poll has at most {MAX_POLL_OPTIONS} options, got {len(opts)}"
            )
        if any(not isinstance(o, str) or not o.strip() for o in opts):
            raise InvalidContentError("poll options must be non-empty strings")
        if len(set(opts)) != len(opts):
            raise InvalidContentError("poll options must be distinct")


def _vcard_escape(value: str) -> str:
    # RFC 6350 3.4: backslash first, then the separators and newlines.
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _vcard_unescape(value: str) -> str:
    out: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append("\n" if nxt in ("n", "N") else nxt)
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class VCard:
    """A contact card. ``phones`` are WhatsApp numbers (digits; ``+`` and spaces tolerated).

    Its fields stay out of ``repr`` (personal data)."""

    name: str = field(repr=False)
    phones: tuple[str, ...] = field(default=(), repr=False)
    organization: str | None = field(default=None, repr=False)
    email: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidContentError("a contact card needs a name")
        phones = (self.phones,) if isinstance(self.phones, str) else tuple(self.phones)
        object.__setattr__(self, "phones", phones)

    def to_vcard(self) -> str:
        """The vCard 3.0 text WhatsApp sends (``TEL;waid=`` links the number to WhatsApp)."""
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_vcard_escape(self.name)}"]
        lines.append(f"N:;{_vcard_escape(self.name)};;;")
        if self.organization:
            lines.append(f"ORG:{_vcard_escape(self.organization)}")
        if self.email:
            lines.append(f"EMAIL;type=INTERNET:{_vcard_escape(self.email)}")
        for phone in self.phones:
            digits = "".join(ch for ch in phone if ch.isdigit())
            if not digits:
                raise InvalidContentError(f"phone {phone!r} has no digits")
            lines.append(f"TEL;type=CELL;type=VOICE;waid={digits}:+{digits}")
        lines.append("END:VCARD")
        return "\n".join(lines)

    @classmethod
    def parse(cls, text: str) -> VCard:
        """Parse a vCard (3.0/4.0, folded lines, RFC 6350 escapes); unknown properties ignored."""
        unfolded = re.sub(r"\r?\n[ \t]", "", text)
        name = ""
        org = email = None
        phones: list[str] = []
        for line in unfolded.splitlines():
            head, sep, value = line.partition(":")
            if not sep:
                continue
            prop, *params = head.split(";")
            prop = prop.split(".")[-1].upper()
            if prop == "FN":
                name = _vcard_unescape(value)
            elif prop == "ORG":
                org = _vcard_unescape(value.split(";")[0]) or None
            elif prop == "EMAIL":
                email = _vcard_unescape(value)
            elif prop == "TEL":
                waid = next(
                    (p.split("=", 1)[1] for p in params if p.lower().startswith("waid=")), None
                )
                phones.append(waid or "".join(ch for ch in value if ch.isdigit() or ch == "+"))
        return cls(name=name or "?", phones=tuple(phones), organization=org, email=email)


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaMessage(Message):
    """An image, video, GIF, audio, voice note, document or sticker; ``text`` is the caption.

    The bytes are not part of the message: fetch them with :meth:`Client.download_media`.
    """

    mimetype: str | None = None
    filename: str | None = None
    size: int | None = None
    is_gif: bool = False
    is_view_once: bool = False
    duration: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LocationMessage(Message):
    """A shared location."""

    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactMessage(Message):
    """One or more contact cards (``vcard`` / ``multi_vcard``)."""

    vcards: tuple[VCard, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PollMessage(Message):
    """A poll; ``options`` keep WhatsApp's order (an option's index is its local id)."""

    question: str = field(repr=False)
    options: tuple[str, ...] = field(repr=False)
    allow_multiple: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Reaction:
    """One user's reaction to a message (``emoji`` '' means the reaction was removed)."""

    message_id: MessageId
    sender: ChatId
    emoji: str
    timestamp: datetime | None = None
    sender_lid: ChatId | None = None
    """The sender's LID when the page knows it (as :attr:`Message.sender_lid`)."""
    sender_phone: ChatId | None = None
    """The sender's phone number id when the page knows it (as :attr:`Message.sender_phone`)."""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class PollVoteInfo:
    """One voter's current choice in a poll (an empty ``selected`` withdraws the vote)."""

    poll_id: MessageId
    voter: ChatId
    selected: tuple[str, ...] = field(repr=False)
    timestamp: datetime | None = None
    voter_lid: ChatId | None = None
    """The voter's LID when the page knows it (as :attr:`Message.sender_lid`)."""
    voter_phone: ChatId | None = None
    """The voter's phone number id when the page knows it (as :attr:`Message.sender_phone`)."""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageInfo:
    """Receipts of one of our messages: who got, read and played it (``queryMsgInfo``)."""

    delivered: tuple[ChatId, ...]
    read: tuple[ChatId, ...]
    played: tuple[ChatId, ...]
    delivery_remaining: int = 0
    read_remaining: int = 0
    played_remaining: int = 0
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Chat:
    """A conversation: a person, a group, a channel or a broadcast list."""

    id: ChatId
    name: str
    is_group: bool
    unread_count: int
    timestamp: datetime | None
    archived: bool = False
    pinned: bool = False
    muted: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """A WhatsApp user known to this account."""

    id: ChatId
    name: str | None
    push_name: str | None
    number: str | None
    is_business: bool = False
    is_my_contact: bool = False
    is_blocked: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


# -- Chats, groups, contacts, account ----------------------------------------------------------
# (owned by the chats/groups API, ``_api/_chats.py`` and siblings; built in ``_models/_chats.py``)

__all__ += [
    "AccountInfo",
    "Broadcast",
    "BusinessProfile",
    "Call",
    "Channel",
    "ChatState",
    "CreatedGroup",
    "Group",
    "GroupInviteInfo",
    "GroupParticipant",
    "Label",
    "LidPhone",
    "MembershipRequest",
    "ParticipantAction",
    "ParticipantResult",
]


class ChatState(str, enum.Enum):
    """What the chat shows under our name: typing…, recording audio…, or nothing."""

    TYPING = "typing"
    RECORDING = "recording"
    PAUSED = "paused"


class ParticipantAction(str, _FallbackEnum):
    """What happened to group members (the ``subtype`` of a ``gp2`` notification)."""

    UNKNOWN = "unknown"
    ADD = "add"
    """Added by an admin (``by``)."""
    JOIN = "invite"
    """Joined through an invite link."""
    LINKED_GROUP_JOIN = "linked_group_join"
    """Joined from the community's announcement group."""
    REMOVE = "remove"
    LEAVE = "leave"
    PROMOTE = "promote"
    DEMOTE = "demote"


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupParticipant:
    """A member of a group and their role."""

    id: ChatId
    is_admin: bool = False
    is_super_admin: bool = False
    """The group's creator (owner)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    """A group's metadata: subject, description, settings and members."""

    id: ChatId
    subject: str
    description: str
    owner: ChatId | None
    created: datetime | None
    participants: tuple[GroupParticipant, ...]
    announce: bool = False
    """Only admins can send messages."""
    restrict: bool = False
    """Only admins can edit the group's info."""
    admins_add_members: bool = False
    """Only admins can add members (``memberAddMode``)."""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def admins(self) -> tuple[ChatId, ...]:
        """Ids of the admins (the creator included)."""
        return tuple(p.id for p in self.participants if p.is_admin or p.is_super_admin)


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantResult:
    """What happened to one participant of a group change: ``code`` is WhatsApp's status
    (200 done, 403 only invites allowed / privacy, 404 not on WhatsApp or not a member,
    409 already a member)."""

    id: ChatId
    code: int
    reason: str | None = None

    @property
    def ok(self) -> bool:
        """Whether WhatsApp did it for this participant."""
        return self.code == 200


@dataclass(frozen=True, slots=True, kw_only=True)
class CreatedGroup:
    """The result of ``create_group``: the new group and the outcome for each participant."""

    id: ChatId
    subject: str
    results: tuple[ParticipantResult, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupInviteInfo:
    """What an invite link leads to, read without joining."""

    id: ChatId
    subject: str
    description: str
    owner: ChatId | None
    created: datetime | None
    size: int
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class MembershipRequest:
    """Someone asking to join a group that needs admin approval."""

    requester: ChatId
    added_by: ChatId | None
    method: str | None
    timestamp: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class LidPhone:
    """A user's privacy id (``@lid``) and phone-number id (``@c.us``); either may be unknown."""

    lid: ChatId | None
    phone: ChatId | None


@dataclass(frozen=True, slots=True, kw_only=True)
class BusinessProfile:
    """The public fields of a business account (present only for business contacts)."""

    description: str | None
    email: str | None
    websites: tuple[str, ...]
    address: str | None
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountInfo:
    """The logged-in account."""

    id: ChatId
    lid: ChatId | None
    push_name: str | None
    platform: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Label:
    """A WhatsApp Business chat label."""

    id: str
    name: str
    color: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Broadcast:
    """One account's status (stories) as this account sees them."""

    id: ChatId
    timestamp: datetime | None
    total_count: int
    unread_count: int
    messages: tuple[Message, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Call:
    """An incoming voice or video call (reject it with ``client.reject_call(call)``)."""

    id: str
    caller: ChatId
    timestamp: datetime | None
    is_video: bool = False
    is_group: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Channel:
    """A WhatsApp channel (newsletter). ``role`` is this account's: ``owner``, ``admin``,
    ``subscriber``, or ``guest``/``None`` when not following."""

    id: ChatId
    name: str
    description: str
    subscribers: int
    role: str | None
    invite_code: str | None
    created: datetime | None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


__all__ += ["ChannelSubscriber", "DeviceSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelSubscriber:
    """A follower of a channel this account runs, as WhatsApp shows them to admins (only
    followers who are in the account's contacts). ``role`` is theirs: ``subscriber``,
    ``admin`` or ``owner``."""

    id: ChatId
    role: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceSettings:
    """This linked device's preferences: which media it downloads by itself, and whether it
    keeps syncing in the background (WhatsApp Web's "background sync")."""

    auto_download_photos: bool
    auto_download_audio: bool
    auto_download_videos: bool
    auto_download_documents: bool
    background_sync: bool
