"""The fake server's message side beyond text: media storage (upload/download), typed incoming
messages (media, location, contact cards, polls), poll votes and the actions a client takes on
messages (react, edit, revoke, delete for me, star, pin, vote). Runs on the server's loop thread.

Frames (page -> server): ``media_upload`` {req, data (base64), mimetype, mediaType, unencrypted?}
(channel uploads get a ``handle`` in their entry) and
``media_get`` {req, directPath}, both answered by ``media_reply`` {req, entry | data | error};
``msg_action`` {action, id, value}. Server -> page: ``msgs`` and ``poll_votes``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from typing import TYPE_CHECKING, Any

from ._models import IncomingText, MessageAction, message_key

if TYPE_CHECKING:
    from ._server import WhatsAppServer, _Msg, _Page


def _msg_class() -> type[_Msg]:
    from ._server import _Msg  # noqa: PLC0415 - _server imports this module

    return _Msg


__all__ = ["MessageSide"]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class MessageSide:
    """Media blobs by direct path, and what the client did to existing messages."""

    def __init__(self, server: WhatsAppServer) -> None:
        self.server = server
        self.media: dict[str, bytes] = {}

    # -- media store --------------------------------------------------------------------------

    def store_media(self, data: bytes, mimetype: str) -> dict[str, Any]:
        """Keep ``data`` and return the upload entry / message media fields for it."""
        direct_path = f"/v/t62.7118-24/{secrets.token_hex(12)}.enc"
        self.media[direct_path] = data
        return {
            "directPath": direct_path,
            "mmsUrl": f"https://mmg.whatsapp.net{direct_path}",
            "deprecatedMms3Url": f"https://mmg.whatsapp.net{direct_path}",
            "mediaKey": _b64(secrets.token_bytes(32)),
            "mediaKeyTimestamp": int(time.time()),
            "filehash": _b64(hashlib.sha256(data).digest()),
            "encFilehash": _b64(secrets.token_bytes(32)),
            "uploadHash": _b64(secrets.token_bytes(32)),
            "size": len(data),
            "mimetype": mimetype,
        }

    async def store(self, data: bytes, mimetype: str) -> dict[str, Any]:
        """:meth:`store_media` on the loop thread (for the control API)."""
        return self.store_media(data, mimetype)

    def sha256_of(self, direct_path: object) -> str | None:
        data = self.media.get(direct_path) if isinstance(direct_path, str) else None
        return hashlib.sha256(data).hexdigest() if data is not None else None

    async def handle(self, page: _Page, f: dict[str, Any]) -> None:
        kind = f.get("type")
        srv = self.server
        if kind == "media_upload":
            try:
                data = base64.b64decode(str(f.get("data") or ""), validate=True)
            except ValueError:
                await srv._send(
                    page, {"type": "media_reply", "req": f.get("req"), "error": "bad data"}
                )
                return
            entry = self.store_media(data, str(f.get("mimetype") or "application/octet-stream"))
            if f.get("unencrypted"):  # channel media: the server hands back a media handle
                entry["handle"] = secrets.token_urlsafe(24)
            await srv._send(page, {"type": "media_reply", "req": f.get("req"), "entry": entry})
        elif kind == "media_get":
            blob = self.media.get(str(f.get("directPath")))
            reply: dict[str, Any] = {"type": "media_reply", "req": f.get("req")}
            if blob is None:
                reply["error"] = "404 media not found"
            else:
                reply["data"] = _b64(blob)
            await srv._send(page, reply)
        elif kind == "msg_action":
            self._apply(f)
            act = MessageAction(
                action=str(f.get("action")),
                message_id=str(f.get("id")),
                value=f.get("value"),
                timestamp=time.time(),
            )
            with srv.obs.cond:
                srv.obs.actions.append(act)
                srv.obs.cond.notify_all()

    def _apply(self, f: dict[str, Any]) -> None:
        msg = self.server.messages.get(str(f.get("id")))
        if msg is None:
            return
        action, value = f.get("action"), f.get("value")
        if action == "edit" and isinstance(value, dict):
            field_name = "body" if msg.payload.get("type") == "chat" else "caption"
            msg.payload[field_name] = value.get("body")
        elif action == "revoke":
            msg.payload.update(type="revoked", body="", subtype="sender_revoke")
        elif action == "star":
            msg.payload["star"] = bool(value)

    # -- incoming ------------------------------------------------------------------------------

    async def deliver(self, sender: str, chat: str | None, fields: dict[str, Any]) -> str:
        """Another user sends a message whose fields (type, media, ...) are ``fields``."""
        srv = self.server
        msg: _Msg = srv._incoming_payload(IncomingText(sender=sender, text="", chat=chat))
        msg.payload.update(fields)
        if "body" not in fields:
            msg.payload.pop("body", None)
        srv._store(msg)
        wire = [srv._page_payload(msg)]
        for page in srv._authed_pages():
            await srv._send(page, {"type": "msgs", "isNew": True, "msgs": wire})
        return msg.id

    async def from_phone(
        self, chat: str, fields: dict[str, Any], timestamp: float | None = None
    ) -> str:
        """The account's owner sends a message from the phone (another device): it reaches the
        page as a new message with ``fromMe`` true."""
        srv = self.server
        stanza = "3EB0" + secrets.token_hex(8).upper()
        key = message_key(chat, from_me=True, author=srv.me, stanza=stanza)
        payload: dict[str, Any] = {
            "id": key,
            "type": "chat",
            "t": int(time.time() if timestamp is None else timestamp),
            "from": srv.me,
            "to": chat,
            "ack": 1,
            **fields,
        }
        srv._seq += 1
        msg = _msg_class()(str(key["_serialized"]), chat, True, srv._seq, payload, 1)
        srv._store(msg)
        for page in srv._authed_pages():
            await srv._send(page, {"type": "msgs", "isNew": True, "msgs": [srv._page_payload(msg)]})
        return msg.id

    async def vote(self, sender: str, poll_id: str, options: list[str]) -> str:
        """``sender`` votes in a stored poll; the page hands it to pollVoteTableMode.bulkUpsert."""
        srv = self.server
        poll = srv.messages.get(poll_id)
        if poll is None or poll.payload.get("type") != "poll_creation":
            raise KeyError(poll_id)
        by_name = {o["name"]: o["localId"] for o in poll.payload.get("pollOptions") or ()}
        local_ids = [by_name[name] for name in options]
        chat = poll.chat
        key = message_key(chat, from_me=False, author=sender)
        group = chat.endswith("@g.us")
        vote = {
            "id": key,
            "parentKey": poll.payload["id"],
            "localIds": local_ids,
            "timestampMs": int(time.time() * 1000),
            "from": chat if group else sender,
            "author": sender if group else None,
        }
        for page in srv._authed_pages():
            await srv._send(page, {"type": "poll_votes", "votes": [vote]})
        return str(key["_serialized"])
