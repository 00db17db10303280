"""Chats and contacts API (bridge: ``_bridge/chats.js``)."""

from __future__ import annotations

from .._models import ChatPayload, ContactPayload, build_chat, build_contact
from ..types import Chat, ChatId, ChatLike, Contact
from ._base import ApiBase

__all__ = ["ChatsApi"]


class ChatsApi(ApiBase):
    def get_chats(self) -> list[Chat]:
        """Every chat WhatsApp Web has loaded."""
        payloads: list[ChatPayload] = self._call("chats.list")
        return [build_chat(p) for p in payloads]

    def get_chat(self, chat: ChatLike) -> Chat:
        """One chat by id; raises :class:`ChatNotFoundError`."""
        payload: ChatPayload = self._call("chats.get", {"chatId": str(ChatId.parse(chat))})
        return build_chat(payload)

    def get_contacts(self) -> list[Contact]:
        payloads: list[ContactPayload] = self._call("contacts.list")
        return [build_contact(p) for p in payloads]

    def get_contact(self, contact: ChatLike) -> Contact:
        payload: ContactPayload = self._call(
            "contacts.get", {"contactId": str(ChatId.parse(contact))}
        )
        return build_contact(payload)
