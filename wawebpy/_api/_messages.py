"""Messaging API: sending and acting on messages (bridge: ``_bridge/messages.js``, media bytes
through ``_bridge/media.js``)."""

from __future__ import annotations

import base64
import os
import secrets
import time
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from .. import events as ev
from .._media import load_media
from .._models import MessagePayload, build_message, from_unix, lid_and_phone, maybe_chat_id
from .._sender import SendJob
from .._transport._stream import sanitize_text
from ..errors import (
    BridgeError,
    BrowserError,
    ClientStateError,
    InvalidContentError,
    InvalidInputError,
)
from ..types import (
    Ack,
    ChatId,
    ChatLike,
    DownloadedMedia,
    Location,
    Media,
    Message,
    MessageId,
    MessageInfo,
    Poll,
    PollVoteInfo,
    Reaction,
    VCard,
)
from ._base import ApiBase, mutating, translates

__all__ = ["MAX_TEXT_LENGTH", "PIN_DURATIONS", "MessagesApi"]

MAX_TEXT_LENGTH = 65536
"""WhatsApp's limit on a text message, in characters."""


_SEEN_IDS = 20000

MessageLike = Message | MessageId | str
SendWait = bool | Ack
"""``True``: return once WhatsApp Web accepted the message; ``False``: once it is queued (the
returned Message is provisional, ack ``PENDING``); an :class:`Ack`: once the message reached it."""
MediaSource = Media | str | os.PathLike[str] | bytes
MediaKind = Literal["image", "video", "gif", "audio", "voice", "document", "sticker"]

PIN_DURATIONS = (86400, 604800, 2592000)
"""The pin durations WhatsApp offers, in seconds: 24 hours, 7 days, 30 days."""

UPLOAD_CHUNK = 2 * 1024 * 1024
"""Raw bytes per upload call (base64 grows it by a third). Each call holds the one WebDriver
thread; 2 MB keeps a call well under a second while a 16 MB upload takes about 2.3 s."""
DOWNLOAD_CHUNK = 8 * 1024 * 1024
"""Raw bytes per download read (a 20 MB download: about 3 s against the fake)."""

_KINDS = ("image", "video", "gif", "audio", "voice", "document", "sticker")


def _mid(message: MessageLike) -> MessageId:
    return message.id if isinstance(message, Message) else MessageId.parse(message)


def new_message_id() -> str:
    """A fresh web-style message id (``3EB0`` + 16 hex digits, as WhatsApp Web makes them):
    chosen here, before the first attempt, it is the send's idempotency key."""
    return "3EB0" + secrets.token_hex(8).upper()


_PROVISIONAL_TYPES = {
    "messages.sendText": "chat",
    "messages.sendLocation": "location",
    "messages.sendContacts": "vcard",
    "messages.sendPoll": "poll_creation",
}
_KIND_TYPES = {"voice": "ptt", "gif": "video"}  # media kinds whose message type differs


def _kind_for(mimetype: str) -> str:
    if mimetype == "image/gif":
        return "image"
    major = mimetype.split("/", 1)[0]
    return {"image": "image", "video": "video", "audio": "audio"}.get(major, "document")


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
        message = build_message(payload, self._me)
        if message.from_me:
            return [ev.NewMessage(message=message), ev.MessageCreated(message=message)]
        return [ev.NewMessage(message=message)]

    @translates("messages.ack")
    def _on_message_ack(self, payload: dict[str, Any]) -> list[ev.Event]:
        mid = MessageId.parse(payload["id"])
        try:
            ack = Ack(int(payload.get("ack")))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            ack = Ack.UNKNOWN
        return [ev.MessageAck(message_id=mid, ack=ack, chat_id=mid.remote, raw=payload)]

    @translates("messages.edit")
    def _on_message_edited(self, payload: dict[str, Any]) -> list[ev.Event]:
        return [
            ev.MessageEdited(
                message=build_message(payload["msg"], self._me),
                new_text=str(payload.get("now") or ""),
                previous_text=str(payload.get("prev") or ""),
            )
        ]

    @translates("messages.revoke")
    def _on_message_revoked(self, payload: dict[str, Any]) -> list[ev.Event]:
        scope: Literal["everyone", "me"] = "me" if payload.get("scope") == "me" else "everyone"
        message = build_message(payload["msg"], self._me)
        return [ev.MessageRevoked(message=message, scope=scope)]

    @translates("messages.uploaded")
    def _on_media_uploaded(self, payload: MessagePayload) -> list[ev.Event]:
        return [ev.MediaUploaded(message=build_message(payload, self._me))]

    @translates("messages.reaction")
    def _on_reaction(self, payload: dict[str, Any]) -> list[ev.Event]:
        reaction = self._reaction(payload)
        return [ev.ReactionChanged(reaction=reaction, chat_id=reaction.message_id.remote)]

    @translates("messages.pollVote")
    def _on_poll_vote(self, payload: dict[str, Any]) -> list[ev.Event]:
        vote = self._poll_vote(payload)
        return [ev.PollVote(vote=vote, chat_id=vote.poll_id.remote)]

    def _reaction(self, p: dict[str, Any]) -> Reaction:
        ts = p.get("t")
        sender = maybe_chat_id(p.get("sender")) or self._me or ChatId("0", "c.us")
        lid, phone = lid_and_phone(sender, p)
        return Reaction(
            message_id=MessageId.parse(p["parentId"]),
            sender=sender,
            emoji=str(p.get("text") or ""),
            timestamp=from_unix(ts / 1000) if isinstance(ts, (int, float)) else None,
            sender_lid=lid,
            sender_phone=phone,
            raw=p,
        )

    def _poll_vote(self, p: dict[str, Any]) -> PollVoteInfo:
        ts = p.get("t")
        voter = maybe_chat_id(p.get("voter")) or self._me or ChatId("0", "c.us")
        lid, phone = lid_and_phone(voter, p)
        return PollVoteInfo(
            poll_id=MessageId.parse(p["pollId"]),
            voter=voter,
            selected=tuple(str(x) for x in p.get("selected") or ()),
            timestamp=from_unix(ts / 1000) if isinstance(ts, (int, float)) else None,
            voter_lid=lid,
            voter_phone=phone,
            raw=p,
        )

    # -- methods -----------------------------------------------------------------------------
    @mutating
    def send_text(
        self,
        chat: ChatLike,
        text: str,
        *,
        reply_to: Message | MessageId | str | None = None,
        mentions: Iterable[ChatLike] | None = None,
        group_mentions: Iterable[tuple[ChatLike, str]] | None = None,
        link_preview: bool = False,
        wait: SendWait = True,
        timeout: float | None = None,
    ) -> Message:
        """Send a text message; returns it as WhatsApp Web accepted it (with its id).

        ``reply_to`` quotes a message; ``mentions`` lists the ids mentioned (write ``@<number>``
        in the text where each should appear); ``group_mentions`` lists ``(group id, subject)``
        pairs mentioned as ``@<subject>``; ``link_preview`` attaches a preview of the first link.
        Raises :class:`InvalidInputError` subclasses before anything is sent.

        Every send goes through the client's queue (pacing, typing, the durable outbox):
        ``wait`` says how long to block (``True``: accepted; ``False``: queued; an
        :class:`Ack`: that ack reached) and ``timeout`` bounds it (``None``: no bound), raising
        :class:`WaitTimeoutError` while the message stays queued.
        """
        chat_id = ChatId.parse(chat)
        text = check_text(text)
        args: dict[str, Any] = {"text": text}
        args.update(_context_args(reply_to, mentions, group_mentions))
        if link_preview:
            args["linkPreview"] = True
        return self._send_message("messages.sendText", chat_id, args, wait=wait, timeout=timeout)

    def _outgoing_key(self, chat_id: ChatId, bare: str) -> MessageId:
        """The key WhatsApp Web gives our message ``bare`` in ``chat_id`` (the idempotency key
        of the send queue and outbox). Only a group's depends on the page: a LID-addressed group
        keys our messages by our LID, others by our number; a 1:1 key has no participant."""
        if not chat_id.is_group:
            return MessageId(True, chat_id, bare, None)
        try:
            text = self._call("messages.outgoingKey", {"chatId": str(chat_id), "msgId": bare})
        except (ClientStateError, BrowserError, BridgeError):
            # Not ready, the browser gone, the group unknown: the send is queued as before and
            # meets that itself; the page keys it when it goes, and a replay finds it by ``bare``.
            return MessageId(True, chat_id, bare, self._me)
        return MessageId.parse(str(text))

    def _send_message(
        self,
        op: str,
        chat_id: ChatId,
        args: dict[str, Any],
        *,
        media: bytes | None = None,
        wait: SendWait,
        timeout: float | None,
    ) -> Message:
        """The one way a chat message is sent: to ``chat_id``, with an id of ours, through the
        send queue. ``args`` are the operation's own arguments."""
        if not isinstance(wait, (bool, Ack)):
            raise InvalidInputError("wait must be True, False or an Ack")
        started = time.monotonic()
        bare = new_message_id()
        key = self._outgoing_key(chat_id, bare)
        job = SendJob(
            op,
            {**args, "chatId": str(chat_id), "msgId": bare},
            str(chat_id),
            media=media,
            key=str(key),
            waited_on=wait is not False,
        )
        payload: MessagePayload | None = self._submit_send(job, timeout=timeout)
        if payload is None:
            return build_message(_provisional(op, key, args, job.text), self._me)
        message = build_message(payload, self._me)
        if isinstance(wait, Ack) and wait > Ack.PENDING:
            left = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
            self._await_ack(message, wait, left)
        return message

    @mutating
    def send_media(
        self,
        chat: ChatLike,
        media: MediaSource,
        *,
        kind: MediaKind | None = None,
        caption: str | None = None,
        filename: str | None = None,
        mimetype: str | None = None,
        view_once: bool = False,
        reply_to: MessageLike | None = None,
        mentions: Iterable[ChatLike] | None = None,
        wait: SendWait = True,
        timeout: float | None = None,
    ) -> Message:
        """Send an image, video, GIF, audio file, voice note, document or sticker.

        ``media`` is a path, bytes, an http(s) URL (downloaded here, size-limited) or a
        :class:`Media`. ``kind`` defaults from the MIME type sniffed from the content; a
        ``"sticker"`` from a PNG/JPEG is converted to a 512x512 WebP in the page. ``caption``
        is ignored for stickers and audio, as in WhatsApp. Raises :class:`InvalidContentError`
        for missing, empty, oversized or unrecognized media before anything is sent. ``wait``
        and ``timeout`` as in :meth:`send_text`.
        """
        return self._send_media(
            chat,
            media,
            kind=kind,
            caption=caption,
            filename=filename,
            mimetype=mimetype,
            view_once=view_once,
            reply_to=reply_to,
            mentions=mentions,
            wait=wait,
            timeout=timeout,
        )

    def _send_media(
        self,
        chat: ChatLike,
        media: MediaSource,
        *,
        kind: MediaKind | None,
        caption: str | None = None,
        filename: str | None = None,
        mimetype: str | None = None,
        view_once: bool = False,
        reply_to: MessageLike | None = None,
        mentions: Iterable[ChatLike] | None = None,
        sticker_meta: dict[str, Any] | None = None,
        wait: SendWait = True,
        timeout: float | None = None,
    ) -> Message:
        chat_id = ChatId.parse(chat)
        if kind is not None and kind not in _KINDS:
            raise InvalidContentError(f"kind must be one of {', '.join(_KINDS)}, not {kind!r}")
        # Without a kind, read under the largest limit, then check against the sniffed kind's.
        loaded = load_media(media, kind=kind or "document", filename=filename, mimetype=mimetype)
        resolved: str = kind or _kind_for(loaded.mimetype)
        loaded = load_media(loaded, kind=resolved)
        _check_kind(resolved, loaded)
        args: dict[str, Any] = {
            "mimetype": loaded.mimetype,
            "filename": loaded.filename,
            "kind": resolved,
            "viewOnce": bool(view_once),
        }
        if caption:
            args["caption"] = check_text(caption)
        args.update(_context_args(reply_to, mentions, None))
        if sticker_meta:
            args["stickerMeta"] = sticker_meta
        # Uploaded by the send queue at send time, so that a retry after a restart (or a
        # replay from the outbox) uploads it again into the new page.
        return self._send_message(
            "messages.sendMedia",
            chat_id,
            args,
            media=loaded.data,
            wait=wait,
            timeout=timeout,
        )

    @mutating
    def send_sticker(
        self,
        chat: ChatLike,
        image: MediaSource,
        *,
        pack_name: str | None = None,
        pack_author: str | None = None,
        emojis: Iterable[str] = (),
        reply_to: MessageLike | None = None,
        wait: SendWait = True,
        timeout: float | None = None,
    ) -> Message:
        """Send an image (PNG, JPEG, GIF's first frame, WebP) as a sticker, converted to a
        512x512 WebP in the page; ``pack_name``/``pack_author``/``emojis`` are written into its
        EXIF as WhatsApp's sticker-pack metadata (whatsapp-web.js ``stickerName``,
        ``stickerAuthor``, ``stickerCategories``)."""
        tags = [emojis] if isinstance(emojis, str) else list(emojis)
        meta: dict[str, Any] | None = None
        if pack_name or pack_author or tags:
            meta = {
                "sticker-pack-id": secrets.token_hex(16),
                "sticker-pack-name": pack_name or "",
                "sticker-pack-publisher": pack_author or "",
                "emojis": tags,
            }
        return self._send_media(
            chat,
            image,
            kind="sticker",
            reply_to=reply_to,
            sticker_meta=meta,
            wait=wait,
            timeout=timeout,
        )

    def _upload(self, data: bytes) -> str:
        """Move bytes into a page-side buffer in chunks; returns its handle."""
        handle: str = self._call("media.begin")
        try:
            for start in range(0, len(data), UPLOAD_CHUNK):
                chunk = base64.b64encode(data[start : start + UPLOAD_CHUNK]).decode("ascii")
                self._call("media.append", {"handle": handle, "data": chunk})
        except BaseException:
            self._call("media.release", {"handle": handle})
            raise
        return handle

    @mutating
    def send_location(
        self,
        chat: ChatLike,
        location: Location,
        *,
        reply_to: MessageLike | None = None,
        wait: SendWait = True,
        timeout: float | None = None,
    ) -> Message:
        """Share a location (coordinates are validated when the :class:`Location` is built);
        ``wait`` and ``timeout`` as in :meth:`send_text`."""
        chat_id = ChatId.parse(chat)
        if not isinstance(location, Location):
            raise InvalidContentError("location must be a wawebpy.Location")
        args: dict[str, Any] = {
            "lat": float(location.latitude),
            "lng": float(location.longitude),
            "name": location.name,
            "address": location.address,
            "url": location.url,
        }
        args.update(_context_args(reply_to, None, None))
        return self._send_message(
            "messages.sendLocation", chat_id, args, wait=wait, timeout=timeout
        )

    @mutating
    def send_contacts(
        self,
        chat: ChatLike,
        cards: VCard | Iterable[VCard],
        *,
        reply_to: MessageLike | None = None,
        wait: SendWait = True,
        timeout: float | None = None,
    ) -> Message:
        """Send one contact card (``vcard``) or several (``multi_vcard``); ``wait`` and
        ``timeout`` as in :meth:`send_text`."""
        chat_id = ChatId.parse(chat)
        items = [cards] if isinstance(cards, VCard) else list(cards)
        if not items or not all(isinstance(c, VCard) for c in items):
            raise InvalidContentError("send_contacts needs at least one wawebpy.VCard")
        args: dict[str, Any] = {
            "vcards": [c.to_vcard() for c in items],
            "names": [c.name for c in items],
        }
        args.update(_context_args(reply_to, None, None))
        return self._send_message(
            "messages.sendContacts", chat_id, args, wait=wait, timeout=timeout
        )

    @mutating
    def send_poll(
        self,
        chat: ChatLike,
        poll: Poll,
        *,
        reply_to: MessageLike | None = None,
        wait: SendWait = True,
        timeout: float | None = None,
    ) -> Message:
        """Create a poll (2-12 options; :class:`Poll` validates them); ``wait`` and ``timeout``
        as in :meth:`send_text`."""
        chat_id = ChatId.parse(chat)
        if not isinstance(poll, Poll):
            raise InvalidContentError("poll must be a wawebpy.Poll")
        args: dict[str, Any] = {
            "question": sanitize_text(poll.question),
            "options": [sanitize_text(o) for o in poll.options],
            "allowMultiple": poll.allow_multiple,
        }
        args.update(_context_args(reply_to, None, None))
        return self._send_message("messages.sendPoll", chat_id, args, wait=wait, timeout=timeout)

    @mutating
    def forward_message(self, message: MessageLike, to: ChatLike) -> None:
        """Forward a loaded message (with its caption) to another chat."""
        args = {"id": str(_mid(message)), "chatId": str(ChatId.parse(to))}
        self._call("messages.forward", args)

    @mutating
    def react(self, message: MessageLike, emoji: str) -> None:
        """React to a message with one emoji; ``""`` removes our reaction."""
        if not isinstance(emoji, str) or len(emoji) > 16:
            raise InvalidContentError("a reaction is one emoji (or '' to remove it)")
        self._call("messages.react", {"id": str(_mid(message)), "emoji": emoji})

    @mutating
    def remove_reaction(self, message: MessageLike) -> None:
        """Remove our reaction from a message."""
        self.react(message, "")

    @mutating
    def edit_message(
        self, message: MessageLike, text: str, *, mentions: Iterable[ChatLike] | None = None
    ) -> Message:
        """Edit the text (or caption) of one of our messages, within WhatsApp's 15 minutes.

        Someone else's message raises :class:`InvalidContentError` here; a message WhatsApp
        no longer lets us edit raises :class:`WhatsAppError` (code ``cannot_edit``).
        """
        mid = _mid(message)
        if not mid.from_me:
            raise InvalidContentError("only your own messages can be edited")
        args: dict[str, Any] = {"id": str(mid), "text": check_text(text)}
        args.update(_context_args(None, mentions, None))
        return build_message(self._call("messages.edit", args), self._me)

    @mutating
    def delete_message(self, message: MessageLike, *, everyone: bool = False) -> None:
        """Delete a message for me, or revoke it for everyone (own messages, or as group admin)."""
        self._call("messages.delete", {"id": str(_mid(message)), "everyone": bool(everyone)})

    @mutating
    def star_message(self, message: MessageLike, star: bool = True) -> None:
        """Star (or with ``star=False`` unstar) a message."""
        self._call("messages.star", {"id": str(_mid(message)), "star": bool(star)})

    @mutating
    def pin_message(self, message: MessageLike, *, duration: int = 604800) -> None:
        """Pin a message in its chat for ``duration`` seconds (one of :data:`PIN_DURATIONS`)."""
        if duration not in PIN_DURATIONS:
            raise InvalidContentError(f"pin duration must be one of {PIN_DURATIONS} seconds")
        self._call("messages.pin", {"id": str(_mid(message)), "pin": True, "duration": duration})

    @mutating
    def unpin_message(self, message: MessageLike) -> None:
        """Unpin a pinned message."""
        self._call("messages.pin", {"id": str(_mid(message)), "pin": False, "duration": 0})

    @mutating
    def vote_poll(self, message: MessageLike, options: Iterable[str]) -> None:
        """Vote in a poll by option names; an empty list withdraws our vote."""
        chosen = [options] if isinstance(options, str) else list(options)
        if len(set(chosen)) != len(chosen) or not all(isinstance(o, str) for o in chosen):
            raise InvalidContentError("poll options to vote for must be distinct strings")
        self._call("messages.vote", {"id": str(_mid(message)), "options": chosen})

    def download_media(
        self, message: MessageLike, *, to: str | os.PathLike[str] | None = None
    ) -> Media | DownloadedMedia:
        """The bytes of a media message, fetched from the page in chunks.

        With ``to`` (a file, or a directory for the message's file name) the bytes are streamed
        to disk and a :class:`DownloadedMedia` is returned instead of a :class:`Media`.
        """
        info: dict[str, Any] = self._call("media.download", {"id": str(_mid(message))})
        handle, size = info["handle"], int(info["size"])
        mimetype, filename = str(info["mimetype"]), info.get("filename")
        try:
            if to is None:
                parts = [
                    base64.b64decode(self._call("media.read", self._slice(handle, start)))
                    for start in range(0, size, DOWNLOAD_CHUNK)
                ]
                return Media(data=b"".join(parts), mimetype=mimetype, filename=filename)
            target = Path(to)
            if target.is_dir():
                target = target / (filename or f"{_mid(message).id}.bin")
            with open(target, "wb") as out:
                for start in range(0, size, DOWNLOAD_CHUNK):
                    out.write(
                        base64.b64decode(self._call("media.read", self._slice(handle, start)))
                    )
            return DownloadedMedia(path=target, mimetype=mimetype, filename=filename, size=size)
        finally:
            self._call("media.release", {"handle": handle})

    @staticmethod
    def _slice(handle: str, start: int) -> dict[str, Any]:
        return {"handle": handle, "offset": start, "length": DOWNLOAD_CHUNK}

    def get_quoted_message(self, message: MessageLike) -> Message | None:
        """The message this one replies to, when WhatsApp Web has it loaded."""
        payload = self._call("messages.quoted", {"id": str(_mid(message))})
        return build_message(payload, self._me) if payload else None

    def get_reactions(self, message: MessageLike) -> list[Reaction]:
        """Every current reaction to a message, one per sender."""
        rows = self._call("messages.reactions", {"id": str(_mid(message))})
        return [self._reaction(r) for r in rows or ()]

    def get_poll_votes(self, message: MessageLike) -> list[PollVoteInfo]:
        """The current vote of each voter in a poll."""
        rows = self._call("messages.pollVotes", {"id": str(_mid(message))})
        return [self._poll_vote(r) for r in rows or ()]

    def get_message_info(self, message: MessageLike) -> MessageInfo:
        """Delivery, read and played receipts of one of our messages."""
        p = self._call("messages.info", {"id": str(_mid(message))})

        def ids(key: str) -> tuple[ChatId, ...]:
            return tuple(c for c in (maybe_chat_id(x) for x in p.get(key) or ()) if c)

        return MessageInfo(
            delivered=ids("delivery"),
            read=ids("read"),
            played=ids("played"),
            delivery_remaining=int(p.get("deliveryRemaining") or 0),
            read_remaining=int(p.get("readRemaining") or 0),
            played_remaining=int(p.get("playedRemaining") or 0),
            raw=p,
        )

    def get_message(self, message_id: MessageId | str) -> Message:
        """A loaded message by id; raises :class:`MessageNotFoundError`."""
        mid = MessageId.parse(message_id)
        payload: MessagePayload = self._call("messages.get", {"id": str(mid)})
        return build_message(payload, self._me)


def _context_args(
    reply_to: MessageLike | None,
    mentions: Iterable[ChatLike] | None,
    group_mentions: Iterable[tuple[ChatLike, str]] | None,
) -> dict[str, Any]:
    """Bridge arguments for a quote and mentions, validated."""
    args: dict[str, Any] = {}
    if reply_to is not None:
        args["quotedId"] = str(_mid(reply_to))
    if mentions is not None:
        if isinstance(mentions, (str, ChatId)):
            raise InvalidContentError("mentions must be a list of ids, not a single id")
        args["mentions"] = [str(ChatId.parse(m)) for m in mentions]
    if group_mentions is not None:
        pairs = []
        for item in group_mentions:
            if not isinstance(item, tuple) or len(item) != 2:
                raise InvalidContentError("group_mentions are (group id, subject) pairs")
            gid = ChatId.parse(item[0])
            if not gid.is_group:
                raise InvalidContentError(f"{gid} is not a group id")
            pairs.append({"id": str(gid), "subject": str(item[1])})
        args["groupMentions"] = pairs
    return args


def _check_kind(kind: str, media: Media) -> None:
    """Refuse media whose content does not fit the kind of message asked for."""
    major = media.mimetype.split("/", 1)[0]
    if kind == "sticker":
        if major != "image":
            raise InvalidContentError(
                f"a sticker is made from an image, not {media.mimetype} (animated stickers "
                "from video are not supported)"
            )
        if media.mimetype == "image/webp" and len(media.data) > 500 * 1024:
            raise InvalidContentError("a WebP sticker is at most 500 KB")
    elif kind == "gif" and major != "video":
        raise InvalidContentError("WhatsApp sends GIFs as MP4 video: pass a video/mp4 file")
    elif kind in ("image", "video") and major != kind:
        raise InvalidContentError(f"{media.mimetype} is not an {kind}")
    elif kind in ("audio", "voice") and major != "audio":
        raise InvalidContentError(f"{media.mimetype} is not audio")


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


def _provisional(op: str, key: MessageId, args: dict[str, Any], text: str) -> MessagePayload:
    """The payload of a message that is only queued (``wait=False``): what is known before
    WhatsApp Web has it, with ack ``PENDING``."""
    if op == "messages.sendMedia":
        kind = str(args.get("kind"))
        mtype = _KIND_TYPES.get(kind, kind)
    else:
        mtype = _PROVISIONAL_TYPES.get(op, "unknown")
    payload: dict[str, Any] = {
        "id": str(key),
        "fromMe": True,
        "to": str(key.remote),
        "type": mtype,
        "t": int(time.time()),
        "ack": int(Ack.PENDING),
    }
    if mtype == "chat":
        payload["body"] = text
    elif mtype == "poll_creation":
        payload["pollName"] = args.get("question")
    elif text:
        payload["caption"] = text
    for name in ("mimetype", "filename", "lat", "lng"):
        if args.get(name) is not None:
            payload[name] = args[name]
    return payload  # type: ignore[return-value]
