"""Contacts API: address book, registration, LID mapping, block list, profile (bridge:
``_bridge/contacts.js``)."""

from __future__ import annotations

import base64
import re
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from .. import events as ev
from .._models import ContactPayload, build_contact, maybe_chat_id
from .._models._chats import build_business_profile, build_lid_phone
from ..errors import InvalidChatIdError, InvalidInputError
from ..types import BusinessProfile, ChatId, ChatLike, Contact, LidPhone, MessageId, _safe
from ._base import ApiBase, mutating, translates

__all__ = ["ContactsApi", "normalize_number"]

_NOT_DIGITS = re.compile(r"[\s().\-/]+")


def normalize_number(number: ChatLike | int) -> ChatId:
    """A user id from what people type: ``"+1 (555) 123-4567"``, ``"0015551234567"``,
    ``15551234567`` or ``"15551234567@c.us"``. Raises :class:`InvalidChatIdError`."""
    if isinstance(number, ChatId):
        return number
    if isinstance(number, int) and not isinstance(number, bool):
        number = str(number)
    if not isinstance(number, str):
        raise InvalidChatIdError(
            f"a phone number must be a str or int, not {type(number).__name__}",
            value=_safe(number),
        )
    text = number.strip()
    if "@" in text:
        return ChatId.parse(text)
    digits = _NOT_DIGITS.sub("", text)
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    if not digits.isdigit():
        raise InvalidChatIdError(
            f"{_safe(number)!r} is not a phone number (digits, spaces, +, -, parentheses only)",
            value=_safe(number),
        )
    return ChatId.parse(f"{digits}@c.us")


def _contact_arg(contact: ChatLike) -> dict[str, str]:
    return {"contactId": str(ChatId.parse(contact))}


class ContactsApi(ApiBase):
    _seen_number_changes: OrderedDict[str, None]

    @translates("contacts.changed")
    def _on_number_changed(self, p: dict[str, Any]) -> list[ev.Event]:
        # Read on both `add` and `change` of the same notification: report it once.
        seen = getattr(self, "_seen_number_changes", None)
        if seen is None:
            seen = self._seen_number_changes = OrderedDict()
        key = str(p.get("id") or "")
        old, new = maybe_chat_id(p.get("oldId")), maybe_chat_id(p.get("newId"))
        if key in seen or old is None or new is None:
            return []
        seen[key] = None
        if len(seen) > 1000:
            seen.popitem(last=False)
        try:
            mid: MessageId | None = MessageId.parse(key)
        except InvalidInputError:
            mid = None
        return [ev.ContactChanged(old_id=old, new_id=new, message_id=mid)]

    def get_contacts(self) -> list[Contact]:
        """Every contact WhatsApp Web knows (address book and people seen in chats)."""
        payloads: list[ContactPayload] = self._call("contacts.list")
        return [build_contact(p) for p in payloads]

    def get_contact(self, contact: ChatLike) -> Contact:
        """One contact; raises :class:`ChatNotFoundError` for an id WhatsApp does not know."""
        return build_contact(self._call("contacts.get", _contact_arg(contact)))

    def resolve_number(self, number: ChatLike | int) -> ChatId | None:
        """The WhatsApp id of a phone number as people write it, or ``None`` when the number
        is not on WhatsApp (asks WhatsApp's server)."""
        cid = normalize_number(number)
        found = self._call("contacts.exists", {"contactId": str(cid)})
        return maybe_chat_id(found)

    def is_registered(self, number: ChatLike | int) -> bool:
        """Whether a phone number (any human format) has a WhatsApp account."""
        return self.resolve_number(number) is not None

    def get_lid_and_phone(self, ids: Iterable[ChatLike]) -> list[LidPhone]:
        """The ``@lid`` ↔ ``@c.us`` mapping for each id, as far as this account knows it."""
        if isinstance(ids, (str, ChatId)):
            ids = [ids]
        payload = self._call("contacts.lidAndPhone", {"ids": [str(ChatId.parse(i)) for i in ids]})
        return [build_lid_phone(p) for p in payload]

    def get_blocked_contacts(self) -> list[Contact]:
        """Everyone this account has blocked."""
        return [build_contact(p) for p in self._call("contacts.blocked")]

    @mutating
    def block_contact(self, contact: ChatLike) -> Contact:
        """Block a user: they can no longer message or call this account."""
        return build_contact(self._call("contacts.block", {**_contact_arg(contact), "block": True}))

    @mutating
    def unblock_contact(self, contact: ChatLike) -> Contact:
        """Unblock a user blocked with :meth:`block_contact`."""
        args = {**_contact_arg(contact), "block": False}
        return build_contact(self._call("contacts.block", args))

    def get_about(self, contact: ChatLike) -> str | None:
        """A user's "about" text, or ``None`` when hidden or unset."""
        about = self._call("contacts.about", _contact_arg(contact))
        return str(about) if about is not None else None

    def get_profile_picture_url(self, chat: ChatLike) -> str | None:
        """The URL of a user's or group's profile picture; ``None`` if there is none (or it
        is hidden from this account). The URL expires after a while."""
        res = self._call("contacts.picture", _contact_arg(chat))
        return str(res["url"]) if res and res.get("url") else None

    def get_profile_picture(self, chat: ChatLike) -> bytes | None:
        """The bytes of a profile picture (downloaded by the browser), or ``None``."""
        res = self._call("contacts.picture", {**_contact_arg(chat), "bytes": True})
        if not res or not res.get("data"):
            return None
        return base64.b64decode(res["data"])

    def get_common_groups(self, contact: ChatLike) -> list[ChatId]:
        """Groups this account shares with a user."""
        ids = self._call("contacts.commonGroups", _contact_arg(contact))
        return [c for c in (maybe_chat_id(i) for i in ids) if c]

    def get_business_profile(self, contact: ChatLike) -> BusinessProfile | None:
        """A business contact's public profile; ``None`` for personal accounts."""
        c = self.get_contact(contact)
        return build_business_profile(c.raw.get("business"))

    def get_device_count(self, contact: ChatLike) -> int:
        """How many devices (phone plus linked ones) a user has."""
        return int(self._call("contacts.deviceCount", _contact_arg(contact)))

    @mutating
    def save_contact(
        self,
        number: ChatLike | int,
        first_name: str,
        last_name: str = "",
        *,
        sync_to_address_book: bool = False,
    ) -> Contact:
        """Add or rename a contact in the account's address book."""
        if not isinstance(first_name, str) or not first_name.strip():
            raise InvalidChatIdError("first_name is empty", value="")
        cid = normalize_number(number)
        if not cid.is_user or cid.server != "c.us":
            raise InvalidChatIdError(f"{cid} is not a phone-number id", value=str(cid))
        args = {
            "number": cid.user,
            "firstName": first_name,
            "lastName": last_name,
            "syncToAddressbook": bool(sync_to_address_book),
        }
        return build_contact(self._call("contacts.save", args))

    @mutating
    def delete_contact(self, contact: ChatLike) -> None:
        """Remove a contact from the account's address book (the chat stays)."""
        self._call("contacts.delete", _contact_arg(contact))

    def get_customer_note(self, contact: ChatLike) -> str | None:
        """The Business customer note on a user, or ``None``."""
        note = self._call("contacts.getNote", _contact_arg(contact))
        return str(note["content"]) if note else None

    @mutating
    def set_customer_note(self, contact: ChatLike, text: str) -> None:
        """Add or replace the Business customer note on a user (Business accounts only)."""
        if not isinstance(text, str):
            raise InvalidChatIdError("note text must be a str", value="")
        self._call("contacts.setNote", {**_contact_arg(contact), "text": text})
