"""Channels (newsletters) API (bridge: ``_bridge/channels.js``)."""

from __future__ import annotations

from .._models import build_message
from .._models._chats import build_channel
from ..errors import InvalidContentError, InvalidInputError
from ..types import Channel, ChatId, ChatKind, ChatLike, Message
from ._base import ApiBase, mutating

__all__ = ["ChannelsApi"]

_NAME_MAX = 100
_TEXT_MAX = 65536


def _channel_arg(channel: Channel | ChatLike) -> dict[str, str]:
    cid = channel.id if isinstance(channel, Channel) else ChatId.parse(channel)
    if cid.kind is not ChatKind.NEWSLETTER:
        raise InvalidInputError(f"{cid} is not a channel id ('<id>@newsletter')")
    return {"channelId": str(cid)}


class ChannelsApi(ApiBase):
    def get_channels(self) -> list[Channel]:
        """The channels this account follows or runs."""
        return [build_channel(p) for p in self._call("channels.list")]

    def get_channel(self, channel: ChatLike) -> Channel:
        """One channel by id, followed or not; :class:`ChatNotFoundError` if there is none."""
        return build_channel(self._call("channels.get", _channel_arg(channel)))

    def search_channels(
        self, text: str, *, limit: int = 50, skip_subscribed: bool = False
    ) -> list[Channel]:
        """Search WhatsApp's channel directory by name."""
        if not isinstance(text, str):
            raise InvalidContentError("search text must be a str")
        if not isinstance(limit, int) or limit < 1:
            raise InvalidInputError("limit must be a positive int")
        args = {"text": text, "limit": limit, "skipSubscribed": bool(skip_subscribed)}
        return [build_channel(p) for p in self._call("channels.search", args)]

    @mutating
    def create_channel(self, name: str, *, description: str = "") -> Channel:
        """Create a channel owned by this account."""
        if not isinstance(name, str) or not name.strip():
            raise InvalidContentError("a channel name cannot be empty")
        if len(name) > _NAME_MAX:
            raise InvalidContentError(f"a channel name has at most {_NAME_MAX} characters")
        args = {"name": name, "description": description}
        return build_channel(self._call("channels.create", args))

    @mutating
    def subscribe_channel(self, channel: Channel | ChatLike) -> None:
        """Follow a channel."""
        self._call("channels.subscribe", {**_channel_arg(channel), "subscribe": True})

    @mutating
    def unsubscribe_channel(
        self, channel: Channel | ChatLike, *, delete_local: bool = True
    ) -> None:
        """Stop following a channel (``delete_local`` also forgets its messages here)."""
        args = {**_channel_arg(channel), "subscribe": False, "deleteLocalModels": delete_local}
        self._call("channels.subscribe", args)

    @mutating
    def send_channel_text(self, channel: Channel | ChatLike, text: str) -> Message:
        """Post a text update to a channel this account owns or administers
        (:class:`NotAdminError` otherwise)."""
        if not isinstance(text, str) or not text.strip():
            raise InvalidContentError("text is empty")
        if len(text) > _TEXT_MAX:
            raise InvalidContentError(f"text is longer than {_TEXT_MAX} characters")
        payload = self._call("channels.sendText", {**_channel_arg(channel), "text": text})
        return build_message(payload, self._me)

    @mutating
    def delete_channel(self, channel: Channel | ChatLike) -> None:
        """Delete a channel this account owns."""
        self._call("channels.delete", _channel_arg(channel))

    def get_channel_by_invite(self, code: str) -> Channel:
        """A channel from its invite code or ``https://whatsapp.com/channel/…`` link."""
        if not isinstance(code, str) or not code.strip():
            raise InvalidContentError("invite code is empty")
        code = code.strip().rstrip("/").rsplit("/", 1)[-1]
        return build_channel(self._call("channels.byInvite", {"code": code}))
