"""Value types of the fake's control API: what the client sent, what the phone side delivers."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "IncomingText",
    "LinkedDevice",
    "MessageAction",
    "PairingRequest",
    "SentMessage",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class SentMessage:
    """One message the page sent to the fake server, as the server received it.

    ``raw`` holds every field the page sent (the message object given to
    ``addAndSendMsgToChat``, in its JSON wire form: wids as strings, the key as
    ``{fromMe, remote, id, participant, _serialized}``), so tests can check fields the
    convenience attributes do not cover.
    """

    id: str
    """Serialized message key, ``true_<to>_<id>`` (``_<participant>`` appended in groups)."""
    to: str
    type: str
    body: str | None = field(repr=False)
    quoted_id: str | None = None
    """Serialized id of the quoted message, or None when the message is not a reply."""
    mentioned_ids: tuple[str, ...] = ()
    timestamp: float
    """Server receive time (``time.time()``), for pacing checks."""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    caption: str | None = field(default=None, repr=False)
    mimetype: str | None = None
    filename: str | None = None
    media_sha256: str | None = None
    """Hex SHA-256 of the media bytes the page uploaded for this message (None: no media)."""
    sender: str | None = None
    """The key's ``from``: who the page said sent it (this account's ``@lid`` in ``@lid``
    chats and LID-addressed groups, else its ``@c.us``)."""
    participant: str | None = None
    """The key's ``participant`` (groups and status only): this account as the group keys it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageAction:
    """Something the client did to an existing message, as the fake server received it.

    ``action`` is ``react`` (value: emoji), ``edit`` ({body, mentionedJidList}), ``revoke``,
    ``delete_for_me``, ``star`` (bool), ``pin`` ({pinType 1 pin / 2 unpin, duration}) or
    ``vote`` (selected option local ids)."""

    action: str
    message_id: str
    value: Any = field(default=None, repr=False)
    timestamp: float


@dataclass(frozen=True, slots=True, kw_only=True)
class IncomingText:
    """A text message from another user, for :meth:`FakeWhatsApp.deliver_many`.

    ``chat`` is the group id for a group message (``sender`` is then the participant), None
    for a private message. ``id`` lets a test choose the message's stanza id.
    """

    sender: str
    text: str = field(repr=False)
    chat: str | None = None
    quoted_id: str | None = None
    mentions: tuple[str, ...] = ()
    timestamp: float | None = None
    id: str | None = None
    ciphertext: bool = False
    """Arrive as ``type: 'ciphertext'`` first, then decrypt (``change:type``) in a later task."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkedDevice:
    """A companion device linked to the account, as the phone's "Linked devices" lists it.

    ``name``/``os`` come from ``WAWebMiscBrowserUtils.info()`` on the page at link time (the
    hook whatsapp-web.js patches for ``deviceName``/``browserName``)."""

    number: int
    name: str
    os: str
    active: bool
    """False once unlinked (by the phone or by ``Socket.logout()``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PairingRequest:
    """A pairing code the page asked for (``WAWebAltDeviceLinkingApi.startAltLinkingFlow``)."""

    phone: str
    code: str


def serialized_key(key: Mapping[str, Any]) -> str:
    """``<fromMe>_<remote>_<id>[_<participant>]``, the ``_serialized`` form of a wire key."""
    s = f"{'true' if key['fromMe'] else 'false'}_{key['remote']}_{key['id']}"
    return f"{s}_{key['participant']}" if key.get("participant") else s


def message_key(
    chat: str, *, from_me: bool, author: str | None, stanza: str | None = None
) -> dict[str, Any]:
    """A new message key in the page's wire form; ``author`` is the participant in groups.
    Without ``stanza``, a fresh phone-style id (``3A`` + 18 hex digits)."""
    key: dict[str, Any] = {
        "fromMe": from_me,
        "remote": chat,
        "id": stanza or "3A" + secrets.token_hex(9).upper(),
        "participant": author if chat.endswith("@g.us") else None,
    }
    key["_serialized"] = serialized_key(key)
    return key
