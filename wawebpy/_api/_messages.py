"""Messaging API: sending and reading messages (bridge: ``_bridge/messages.js``)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from .. import events as ev
from .._models import MessagePayload, build_message
from .._transport._stream import sanitize_text
from ..errors import InvalidContentError
from ..types import Ack, ChatId, ChatLike, Message, MessageId
from ._base import ApiBase, mutating, translates

__all__ = ["MAX_TEXT_LENGTH", "MessagesApi"]

MAX_TEXT_LENGTH = 65536
"""WhatsApp's limit on a text message, in characters."""


_SEEN_IDS = 20000


class MessagesApi(ApiBase):
    _seen_ids: OrderedDict[str, None]

    # -- page events -------------------------------------------------------------------------
    @translates("messages.add")
    def _on_message_added(self, payload: MessagePayload) -> list[ev.Event]:
        if payload.get("type") == "gp2":
            return []  # group notifications are group events (_api/_groups.py), as in wwebjs
        # Redelivery after a reload or a resync may repeat a message: report it once.
        msg_id = payload.get("id", "")
        if msg_id in self._seen_ids:
            return []
        self._seen_ids[msg_id] = None
        if len(self._seen_ids) > _SEEN_IDS:
            self._seen_ids.popitem(last=False)
        return [ev.NewMessage(message=build_message(payload, self._me))]

    @translates("messages.ack")
    def _on_message_ack(self, payload: dict[str, Any]) -> list[ev.Event]:
        mid = MessageId.parse(payload["id"])
        try:
            ack = Ack(int(payload.get("ack")))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            ack = Ack.UNKNOWN
        return [ev.MessageAck(message_id=mid, ack=ack, chat_id=mid.remote, raw=payload)]

    # -- methods -----------------------------------------------------------------------------
    @mutating
    def send_text(
        self,
        chat: ChatLike,
        text: str,
        *,
        reply_to: Message | MessageId | str | None = None,
        mentions: Iterable[ChatLike] | None = None,
    ) -> Message:
        """Send a text message; returns it as WhatsApp Web accepted it (with its id).

        ``reply_to`` quotes a message; ``mentions`` lists the ids mentioned (write ``@<number>``
        in the text where each should appear). Raises :class:`InvalidInputError` subclasses
        before anything is sent.
        """
        chat_id = ChatId.parse(chat)
        text = check_text(text)
        args: dict[str, Any] = {"chatId": str(chat_id), "text": text}
        if reply_to is not None:
            quoted = reply_to.id if isinstance(reply_to, Message) else MessageId.parse(reply_to)
            args["quotedId"] = str(quoted)
        if mentions is not None:
            if isinstance(mentions, (str, ChatId)):
                raise InvalidContentError("mentions must be a list of ids, not a single id")
            args["mentions"] = [str(ChatId.parse(m)) for m in mentions]
        payload: MessagePayload = self._call("messages.sendText", args)
        return build_message(payload, self._me)

    def get_message(self, message_id: MessageId | str) -> Message:
        """A loaded message by id; raises :class:`MessageNotFoundError`."""
        mid = MessageId.parse(message_id)
        payload: MessagePayload = self._call("messages.get", {"id": str(mid)})
        return build_message(payload, self._me)


def check_text(text: object) -> str:
    """Validate a message text before it reaches the browser."""
    if not isinstance(text, str):
        raise InvalidContentError(f"text must be a str, not {type(text).__name__}")
    if not text.strip():
        raise InvalidContentError("text is empty; WhatsApp does not send empty messages")
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidContentError(
            f"text has {len(text)} characters; WhatsApp's limit is {MAX_TEXT_LENGTH}"
        )
    return sanitize_text(text)
