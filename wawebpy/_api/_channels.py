"""Channels (newsletters) API (bridge: ``_bridge/channels.js``)."""

from __future__ import annotations

from typing import Any, Literal

from .._models import build_message, maybe_chat_id
from .._models._chats import build_channel
from .._transport._stream import sanitize_text
from ..errors import InvalidContentError, InvalidInputError
from ..types import Channel, ChannelSubscriber, ChatId, ChatKind, ChatLike, Message, Poll
from ._account import _image_data_url
from ._base import mutating
from ._messages import MediaKind, MediaSource
from ._outgoing_media import StagesMedia

__all__ = ["ChannelsApi"]

_NAME_MAX = 100
_DESCRIPTION_MAX = 2048
_TEXT_MAX = 65536
_CHANNEL_KINDS = ("image", "video", "gif", "voice", "sticker")
"""What a channel takes (wa-web-modules.md 3.5: text, image, sticker, gif, video, voice, poll)."""
_REACTIONS = ("all", "basic", "none")

ReactionSetting = Literal["all", "basic", "none"]


def _name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidContentError("a channel name cannot be empty")
    if len(name) > _NAME_MAX:
        raise InvalidContentError(f"a channel name has at most {_NAME_MAX} characters")
    return name


def _description(text: str) -> str:
    if not isinstance(text, str):
        raise InvalidContentError("a channel description must be a str")
    if len(text) > _DESCRIPTION_MAX:
        raise InvalidContentError(f"a description has at most {_DESCRIPTION_MAX} characters")
    return text


def _user(user: ChatLike) -> str:
    uid = ChatId.parse(user)
    if not uid.is_user:
        raise InvalidInputError(f"{uid} is not a user id")
    return str(uid)


def _channel_arg(channel: Channel | ChatLike) -> dict[str, Any]:
    cid = channel.id if isinstance(channel, Channel) else ChatId.parse(channel)
    if cid.kind is not ChatKind.NEWSLETTER:
        raise InvalidInputError(f"{cid} is not a channel id ('<id>@newsletter')")
    return {"channelId": str(cid)}


class ChannelsApi(StagesMedia):
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
    def create_channel(
        self, name: str, *, description: str = "", picture: bytes | None = None
    ) -> Channel:
        """Create a channel owned by this account; ``picture`` is JPEG/PNG/WebP bytes, cropped
        square and scaled to 640 px in the page."""
        args: dict[str, Any] = {"name": _name(name), "description": _description(description)}
        if picture is not None:
            args["picture"] = _image_data_url(picture)
        return build_channel(self._call("channels.create", args))

    @mutating
    def edit_channel(
        self,
        channel: Channel | ChatLike,
        *,
        name: str | None = None,
        description: str | None = None,
        picture: bytes | None = None,
        reactions: ReactionSetting | None = None,
    ) -> Channel:
        """Change a channel this account owns or administers (:class:`NotAdminError`
        otherwise): name, description, picture (JPEG/PNG/WebP bytes; ``b""`` removes it) and
        which reactions followers may use: ``"all"``, ``"basic"`` (six emojis) or ``"none"``."""
        args: dict[str, Any] = _channel_arg(channel)
        if name is not None:
            args["name"] = _name(name)
        if description is not None:
            args["description"] = _description(description)
        if picture is not None:
            args["picture"] = _image_data_url(picture) if picture else ""
        if reactions is not None:
            if reactions not in _REACTIONS:
                raise InvalidInputError(f"reactions must be one of {_REACTIONS}, not {reactions!r}")
            args["reactions"] = reactions
        if len(args) == 1:
            raise InvalidInputError("nothing to change")
        return build_channel(self._call("channels.edit", args))

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
    def send_channel_media(
        self,
        channel: Channel | ChatLike,
        media: MediaSource,
        *,
        caption: str | None = None,
        kind: MediaKind | None = None,
        filename: str | None = None,
        mimetype: str | None = None,
    ) -> Message:
        """Post a photo, video, GIF, voice note or sticker to a channel this account owns or
        administers; documents and plain audio raise :class:`InvalidContentError` (channels
        refuse them). ``media`` is what :meth:`send_media` takes."""
        args = _channel_arg(channel)
        args.update(
            self._stage_media(
                media,
                kind=kind,
                kinds=_CHANNEL_KINDS,
                where="a channel",
                caption=caption,
                filename=filename,
                mimetype=mimetype,
            )
        )
        return build_message(self._call("channels.sendMedia", args), self._me)

    @mutating
    def send_channel_poll(self, channel: Channel | ChatLike, poll: Poll) -> Message:
        """Post a poll (2-12 options; :class:`Poll` validates them) to a channel this account
        owns or administers."""
        if not isinstance(poll, Poll):
            raise InvalidContentError("poll must be a wawebpy.Poll")
        args = {
            **_channel_arg(channel),
            "question": sanitize_text(poll.question),
            "options": [sanitize_text(o) for o in poll.options],
            "allowMultiple": poll.allow_multiple,
        }
        return build_message(self._call("channels.sendPoll", args), self._me)

    # -- admins and ownership -----------------------------------------------------------------
    @mutating
    def invite_channel_admin(
        self, channel: Channel | ChatLike, user: ChatLike, *, comment: str | None = None
    ) -> None:
        """Send ``user`` an invitation (a message in your chat with them) to become an admin
        of a channel this account owns."""
        args: dict[str, Any] = {**_channel_arg(channel), "userId": _user(user)}
        if comment:
            args["comment"] = str(comment)
        self._call("channels.inviteAdmin", args)

    @mutating
    def accept_channel_admin_invite(self, channel: Channel | ChatLike) -> Channel:
        """Accept an invitation to administer a channel; returns the channel with the new
        role (:class:`WhatsAppError` when there is no invitation)."""
        return build_channel(self._call("channels.acceptAdmin", _channel_arg(channel)))

    @mutating
    def revoke_channel_admin_invite(self, channel: Channel | ChatLike, user: ChatLike) -> None:
        """Withdraw an admin invitation sent to ``user`` (channel owner only)."""
        self._call("channels.revokeAdminInvite", {**_channel_arg(channel), "userId": _user(user)})

    @mutating
    def demote_channel_admin(self, channel: Channel | ChatLike, user: ChatLike) -> None:
        """Make an admin a plain follower again (the owner for anyone; an admin for itself)."""
        self._call("channels.demoteAdmin", {**_channel_arg(channel), "userId": _user(user)})

    @mutating
    def transfer_channel_ownership(
        self, channel: Channel | ChatLike, new_owner: ChatLike, *, dismiss_self: bool = False
    ) -> Channel:
        """Hand a channel this account owns to one of its admins; with ``dismiss_self`` this
        account then steps down to follower."""
        args = {
            **_channel_arg(channel),
            "userId": _user(new_owner),
            "dismissSelf": bool(dismiss_self),
        }
        return build_channel(self._call("channels.transferOwner", args))

    @mutating
    def mute_channel(self, channel: Channel | ChatLike) -> Channel:
        """Silence a followed channel's notifications (``Channel.raw["muted"]``)."""
        return build_channel(self._call("channels.mute", {**_channel_arg(channel), "mute": True}))

    @mutating
    def unmute_channel(self, channel: Channel | ChatLike) -> Channel:
        """Undo :meth:`mute_channel`."""
        return build_channel(self._call("channels.mute", {**_channel_arg(channel), "mute": False}))

    def get_channel_subscribers(
        self, channel: Channel | ChatLike, *, limit: int = 100
    ) -> list[ChannelSubscriber]:
        """Followers of a channel this account runs, as far as WhatsApp shows them to admins
        (those in the account's contacts)."""
        if not isinstance(limit, int) or limit < 1:
            raise InvalidInputError("limit must be a positive int")
        found = self._call("channels.subscribers", {**_channel_arg(channel), "limit": limit})
        out = []
        for p in found:
            uid = maybe_chat_id(p.get("id"))
            if uid is not None:
                out.append(ChannelSubscriber(id=uid, role=p.get("role")))
        return out

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
