"""Incoming calls and contacts' presence (bridges: ``_bridge/calls.js``, ``_bridge/labels.js``)."""

from __future__ import annotations

from typing import Any

from .. import events as ev
from .._models import maybe_chat_id
from .._models._chats import build_call
from ..errors import InvalidInputError
from ..types import Call, ChatId, ChatLike
from ._base import ApiBase, mutating, translates

__all__ = ["CallsApi"]

_STATES = {"composing": "typing", "typing": "typing", "recording": "recording"}


class CallsApi(ApiBase):
    @translates("calls.incoming")
    def _on_incoming_call(self, p: dict[str, Any]) -> list[ev.Event]:
        if maybe_chat_id(p.get("from")) is None:
            return []
        return [ev.IncomingCall(call=build_call(p))]

    @translates("presence.changed")
    def _on_presence(self, p: dict[str, Any]) -> list[ev.Event]:
        cid = maybe_chat_id(p.get("id"))
        if cid is None:
            return []
        state = _STATES.get(str(p.get("state") or ""))
        return [ev.PresenceChanged(contact_id=cid, online=bool(p.get("isOnline")), state=state)]

    @mutating
    def reject_call(self, call: Call | str) -> None:
        """Reject an incoming call (the caller sees it declined)."""
        call_id = call.id if isinstance(call, Call) else call
        if not isinstance(call_id, str) or not call_id:
            raise InvalidInputError("call must be a Call or its id")
        self._call("calls.reject", {"callId": call_id})

    def subscribe_presence(self, contact: ChatLike) -> None:
        """Ask WhatsApp for a contact's online/typing state: :class:`PresenceChanged` events
        follow while this session lasts."""
        cid = ChatId.parse(contact)
        if not cid.is_user:
            raise InvalidInputError(f"{cid} is not a user id")
        self._call("presence.subscribe", {"contactId": str(cid)})
