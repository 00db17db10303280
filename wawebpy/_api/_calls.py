"""Incoming calls, call links and contacts' presence (bridges: ``_bridge/calls.js``,
``_bridge/labels.js``)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Literal

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

    @mutating
    def create_call_link(
        self, start_time: datetime, call_type: Literal["voice", "video"] = "video"
    ) -> str:
        """A ``https://call.whatsapp.com/…`` link for a call starting at ``start_time`` (a
        naive datetime is taken as UTC); :class:`WhatsAppError` when WhatsApp makes none."""
        if call_type not in ("voice", "video"):
            raise InvalidInputError(f"call_type must be 'voice' or 'video', not {call_type!r}")
        if not isinstance(start_time, datetime):
            raise InvalidInputError("start_time must be a datetime")
        if start_time.tzinfo is None:
            start_time = start_time.replace(tzinfo=timezone.utc)
        args = {"startTime": int(start_time.timestamp()), "callType": call_type}
        return str(self._call("calls.link", args))
