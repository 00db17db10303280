"""Chats API: list, read, change, history and search (bridge: ``_bridge/chats.js``)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from .. import events as ev
from .._models import ChatPayload, MessagePayload, build_chat, build_message, maybe_chat_id
from ..errors import InvalidContentError, InvalidInputError
from ..types import Chat, ChatId, ChatLike, ChatState, Message, MessageId
from ._base import ApiBase, mutating, translates

__all__ = ["ChatsApi"]

_DIGITS = re.compile(r"\D+")
_MAX_PAGE = 500


def _chat_arg(chat: ChatLike) -> dict[str, Any]:
    return {"chatId": str(ChatId.parse(chat))}


def _limit(limit: int, what: str = "limit") -> int:
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise InvalidInputError(f"{what} must be a positive int, not {limit!r}")
    return limit


class ChatsApi(ApiBase):
    # -- page events -------------------------------------------------------------------------
    @translates("chats.archived")
    def _on_chat_archived(self, p: dict[str, Any]) -> list[ev.Event]:
        cid = maybe_chat_id(p.get("chatId"))
        return [ev.ChatArchived(chat_id=cid, archived=bool(p.get("archived")))] if cid else []

    @translates("chats.removed")
    def _on_chat_removed(self, p: dict[str, Any]) -> list[ev.Event]:
        cid = maybe_chat_id(p.get("chatId"))
        if cid is None:
            return []
        chat = build_chat(p["chat"]) if p.get("chat") else None
        return [ev.ChatRemoved(chat_id=cid, chat=chat)]

    @translates("chats.unread")
    def _on_unread_count(self, p: dict[str, Any]) -> list[ev.Event]:
        cid = maybe_chat_id(p.get("chatId"))
        count = int(p.get("unreadCount") or 0)
        return [ev.UnreadCountChanged(chat_id=cid, unread_count=count)] if cid else []

    # -- reading -----------------------------------------------------------------------------
    def get_chats(
        self,
        *,
        unread: bool | None = None,
        groups: bool | None = None,
        archived: bool | None = None,
        label: str | None = None,
    ) -> list[Chat]:
        """Every chat WhatsApp Web has loaded, newest first; each filter left ``None`` is off.

        ``unread=True`` keeps chats with unread messages (or marked unread), ``groups=True``
        only groups (``False``: no groups), ``archived`` the archived ones, ``label`` chats
        carrying that label id (WhatsApp Business).
        """
        payloads: list[ChatPayload] = self._call("chats.list")
        chats = sorted(
            (build_chat(p) for p in payloads), key=lambda c: c.raw.get("t") or 0, reverse=True
        )

        def keep(c: Chat) -> bool:
            is_unread = c.unread_count > 0 or bool(c.raw.get("markedUnread"))
            return (
                (unread is None or is_unread == unread)
                and (groups is None or c.is_group == groups)
                and (archived is None or c.archived == archived)
                and (label is None or str(label) in (c.raw.get("labels") or ()))
            )

        return [c for c in chats if keep(c)]

    def get_chat(self, chat: ChatLike) -> Chat:
        """One chat by id; raises :class:`ChatNotFoundError` (reading never creates a chat)."""
        payload: ChatPayload = self._call("chats.get", _chat_arg(chat))
        return build_chat(payload)

    def search_chats(self, query: str, *, limit: int | None = None) -> list[Chat]:
        """Chats whose name contains ``query`` (case-insensitive) or whose number contains its
        digits (``"+1 (555) 123"`` matches ``15551234567@c.us``)."""
        if not isinstance(query, str) or not query.strip():
            raise InvalidContentError("search query is empty")
        needle = query.strip().casefold()
        digits = _DIGITS.sub("", query)
        found = [
            c
            for c in self.get_chats()
            if needle in c.name.casefold() or (len(digits) >= 3 and digits in c.id.user)
        ]
        return found[: _limit(limit)] if limit is not None else found

    def iter_messages(
        self, chat: ChatLike, *, limit: int = 100, before: MessageId | str | None = None
    ) -> list[Message]:
        """A chat's messages, newest first, at most ``limit``, loading earlier history from
        the phone as needed.

        ``before`` starts just before that message: pass the oldest id of the previous page to
        page back. Returns a list (loaded in pages of up to 500) so that the same call works on
        ``AsyncClient``.
        """
        remaining = _limit(limit)
        cursor = str(MessageId.parse(before)) if before is not None else None
        out: list[Message] = []
        while remaining > 0:
            page = min(remaining, _MAX_PAGE)
            args = {**_chat_arg(chat), "limit": page, "before": cursor}
            payloads: list[MessagePayload] = self._call("chats.messages", args)
            out.extend(build_message(p, self._me) for p in reversed(payloads))
            remaining -= len(payloads)
            if len(payloads) < page:
                break
            cursor = payloads[0]["id"]
        return out

    def get_pinned_messages(self, chat: ChatLike) -> list[Message]:
        """The messages pinned in a chat (``pin_message``), as WhatsApp Web has them."""
        payloads: list[MessagePayload] = self._call("chats.pinned", _chat_arg(chat))
        return [build_message(p, self._me) for p in payloads]

    def search_messages(
        self, query: str, *, chat: ChatLike | None = None, limit: int = 50
    ) -> list[Message]:
        """Messages containing ``query`` in one chat or in all, as WhatsApp's search finds
        them, at most ``limit``."""
        if not isinstance(query, str) or not query.strip():
            raise InvalidContentError("search query is empty")
        limit = _limit(limit)
        out: list[Message] = []
        page = 1
        while len(out) < limit:
            args: dict[str, Any] = {"query": query, "page": page, "count": min(limit, 100)}
            if chat is not None:
                args["chatId"] = str(ChatId.parse(chat))
            res = self._call("chats.searchMessages", args)
            out.extend(build_message(p, self._me) for p in res["messages"])
            if res.get("eof", True) or not res["messages"]:
                break
            page += 1
        return out[:limit]

    # -- changing ------------------------------------------------------------------------------
    @mutating
    def archive_chat(self, chat: ChatLike) -> Chat:
        """Archive a chat; returns it as it is now."""
        return build_chat(self._call("chats.archive", {**_chat_arg(chat), "archive": True}))

    @mutating
    def unarchive_chat(self, chat: ChatLike) -> Chat:
        """Move a chat back from the archive."""
        return build_chat(self._call("chats.archive", {**_chat_arg(chat), "archive": False}))

    @mutating
    def pin_chat(self, chat: ChatLike) -> Chat:
        """Pin a chat to the top; WhatsApp allows three (a fourth raises ``WhatsAppError``
        with ``code == "pin_limit"``)."""
        return build_chat(self._call("chats.pin", {**_chat_arg(chat), "pin": True}))

    @mutating
    def unpin_chat(self, chat: ChatLike) -> Chat:
        """Unpin a chat."""
        return build_chat(self._call("chats.pin", {**_chat_arg(chat), "pin": False}))

    @mutating
    def mute_chat(self, chat: ChatLike, *, until: datetime | timedelta | None = None) -> Chat:
        """Mute notifications until a time (or for a duration); ``None`` mutes forever."""
        if until is None:
            expiration = -1
        else:
            when = datetime.now(timezone.utc) + until if isinstance(until, timedelta) else until
            if when.tzinfo is None:
                raise InvalidInputError("until must be timezone-aware (e.g. datetime.now(UTC))")
            expiration = int(when.timestamp())
            if expiration <= int(datetime.now(timezone.utc).timestamp()):
                raise InvalidInputError("until is in the past")
        args = {**_chat_arg(chat), "expiration": expiration}
        return build_chat(self._call("chats.mute", args))

    @mutating
    def unmute_chat(self, chat: ChatLike) -> Chat:
        """Turn a chat's notifications back on."""
        return build_chat(self._call("chats.mute", {**_chat_arg(chat), "expiration": 0}))

    @mutating
    def mark_unread(self, chat: ChatLike) -> Chat:
        """Mark a chat unread (the badge without a count)."""
        return build_chat(self._call("chats.markUnread", {**_chat_arg(chat), "unread": True}))

    @mutating
    def mark_read(self, chat: ChatLike) -> Chat:
        """Read a chat: clears its unread count and sends read receipts (blue ticks)."""
        return build_chat(self._call("chats.markUnread", {**_chat_arg(chat), "unread": False}))

    @mutating
    def send_seen(self, chat: ChatLike) -> bool:
        """Send read receipts for a chat's messages (as opening it on the phone does)."""
        return bool(self._call("chats.seen", _chat_arg(chat)))

    @mutating
    def clear_chat(self, chat: ChatLike, *, keep_starred: bool = False) -> None:
        """Delete every message of a chat (for this account), keeping the chat."""
        self._call("chats.clear", {**_chat_arg(chat), "keepStarred": bool(keep_starred)})

    @mutating
    def delete_chat(self, chat: ChatLike) -> None:
        """Delete a chat and its messages (for this account)."""
        self._call("chats.delete", _chat_arg(chat))

    @mutating
    def set_chat_state(self, chat: ChatLike, state: ChatState | str) -> None:
        """Show "typing…" or "recording audio…" in a chat, or stop (``ChatState.PAUSED``)."""
        try:
            value = ChatState(state)
        except ValueError:
            raise InvalidInputError(
                f"state must be one of {[s.value for s in ChatState]}, not {state!r}"
            ) from None
        self._call("chats.state", {**_chat_arg(chat), "state": value.value})

    def sync_history(self, chat: ChatLike) -> bool:
        """Ask the phone for a chat's older history; ``False`` when it has sent everything."""
        return bool(self._call("chats.syncHistory", _chat_arg(chat)))
