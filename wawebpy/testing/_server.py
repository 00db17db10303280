"""The fake WhatsApp server: accounts, linked devices, QR rotation, message store, delivery.

Everything here runs on the fake's asyncio loop thread. State that other threads read (the
shown QR, connection counts, sent messages) is published into :class:`Observed` under its
condition, which is how :class:`~wawebpy.testing.FakeWhatsApp` waits without polling.

Wire protocol with the page (JSON text frames ``{"type": ...}``):

page -> server: ``hello`` (keys, stored login or null), ``refresh_qr``, ``pairing_code``,
``receipt`` (ids), ``send`` (msg), ``seen``, ``chat_flag``, ``logout``, ``synced``.
server -> page: ``unpaired``/``ref`` (QR ref), ``idle``, ``paired`` (credentials to store),
``connected`` (identity, contacts, groups, history, offline), ``msgs``, ``ack``, ``send_ack``,
``contacts``, ``groups``, ``pairing_code``, ``logged_out``, ``conflict``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ._iq import IqError, IqState
from ._models import (
    IncomingText,
    LinkedDevice,
    MessageAction,
    PairingRequest,
    SentMessage,
    message_key,
    serialized_key,
)
from ._msgserver import MessageSide
from ._ws import ConnectionClosedError, WebSocket

__all__ = ["Config", "Observed", "WhatsAppServer"]

_log = logging.getLogger("wawebpy.testing")
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTVWXYZ123456789"


@dataclass(frozen=True, slots=True)
class Config:
    """Settings of one fake account and its server (see :class:`FakeWhatsApp`)."""

    me: str
    push_name: str
    lid: str
    platform: str
    qr_interval: float
    qr_max: int
    version: str
    missing_modules: frozenset[str]
    auto_ack_device: bool
    sync_delay: float
    connect_delay: float


@dataclass(slots=True)
class Observed:
    """What other threads may read, guarded by ``cond``."""

    cond: threading.Condition = field(default_factory=threading.Condition)
    qr: str | None = None
    qr_count: int = 0
    pages: int = 0
    authed: int = 0
    synced: int = 0
    linked: int = 0
    sent: list[SentMessage] = field(default_factory=list)
    pairing: list[PairingRequest] = field(default_factory=list)
    receipted: set[str] = field(default_factory=set)
    read_chats: list[str] = field(default_factory=list)
    chat_actions: list[tuple[str, str, Any]] = field(default_factory=list)
    devices: list[LinkedDevice] = field(default_factory=list)
    iq: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    iq_times: list[float] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)
    actions: list[MessageAction] = field(default_factory=list)


@dataclass(slots=True)
class _Device:
    number: int
    token: str
    keys: dict[str, Any]
    linked_seq: int
    revoked: bool = False
    name: str = ""
    os: str = ""
    registered: bool = False
    """Device props (name, OS) are taken from the first login after the scan, as at pairing."""


@dataclass(eq=False, slots=True)
class _Page:
    ws: WebSocket
    keys: dict[str, Any] | None = None
    browser: dict[str, Any] | None = None
    device: _Device | None = None
    live: bool = False
    """The ``connected`` frame went out: later traffic may follow it, never precede it."""
    synced: bool = False
    ref: str | None = None
    announced: bool = False
    qr_task: asyncio.Task[None] | None = None
    created: float = field(default_factory=time.monotonic)


@dataclass(slots=True)
class _Msg:
    id: str
    chat: str
    from_me: bool
    seq: int
    payload: dict[str, Any]
    ack: int
    receipted: set[int] = field(default_factory=set)
    ciphertext: bool = False


@dataclass(slots=True)
class _Reaction:
    payload: dict[str, Any]
    delivered: set[int] = field(default_factory=set)


def _b64(n: int) -> str:
    return base64.b64encode(secrets.token_bytes(n)).decode("ascii")


def _dumps(frame: dict[str, Any]) -> str:
    # ensure_ascii: a lone surrogate in a test string must not break the UTF-8 frame
    return json.dumps(frame, ensure_ascii=True, separators=(",", ":"))


class WhatsAppServer:
    """The server side of one fake account; every method runs on the loop thread."""

    def __init__(self, config: Config, observed: Observed) -> None:
        self.cfg = config
        self.obs = observed
        self.me = f"{config.me}@c.us"
        self.devices: dict[int, _Device] = {}
        self.pages: set[_Page] = set()
        self.messages: dict[str, _Msg] = {}
        self.by_stanza: dict[tuple[str, str], str] = {}
        self.contacts: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, dict[str, Any]] = {}
        self.reactions: list[_Reaction] = []
        self.iq = IqState(self)
        self.msgside = MessageSide(self)
        self._seq = 0
        self._next_device = 2

    # -- publishing -------------------------------------------------------------------------

    def _publish(self) -> None:
        current = [p for p in self.pages if p.ref is not None and p.keys is not None]
        current.sort(key=lambda p: p.created)
        with self.obs.cond:
            self.obs.qr = self._qr_string(current[-1]) if current else None
            self.obs.pages = len(self.pages)
            self.obs.authed = sum(1 for p in self.pages if p.device is not None)
            self.obs.synced = sum(1 for p in self.pages if p.device is not None and p.synced)
            self.obs.linked = sum(1 for d in self.devices.values() if not d.revoked)
            self.obs.devices = [
                LinkedDevice(number=d.number, name=d.name, os=d.os, active=not d.revoked)
                for d in self.devices.values()
            ]
            self.obs.cond.notify_all()

    @staticmethod
    def _qr_string(page: _Page) -> str:
        k = page.keys or {}
        return f"{page.ref},{k['staticKey']},{k['identityKey']},{k['advSecretKey']},{k['platform']}"

    # -- connections ------------------------------------------------------------------------

    async def handle(self, ws: WebSocket) -> None:
        """Serve one page connection until it closes."""
        page = _Page(ws)
        self.pages.add(page)
        self._publish()
        try:
            while True:
                message = await ws.recv()
                if isinstance(message, bytes):
                    continue
                try:
                    frame = json.loads(message)
                except ValueError:
                    _log.warning("fake WhatsApp: page sent invalid JSON")
                    continue
                await self._dispatch(page, frame)
        except ConnectionClosedError:
            pass
        finally:
            if page.qr_task is not None:
                page.qr_task.cancel()
            self.pages.discard(page)
            self._publish()

    async def _send(self, page: _Page, frame: dict[str, Any]) -> None:
        with contextlib.suppress(ConnectionClosedError):
            await page.ws.send(_dumps(frame))

    async def _dispatch(self, page: _Page, f: dict[str, Any]) -> None:
        kind = f.get("type")
        if kind == "hello":
            await self._hello(page, f)
        elif kind == "refresh_qr":
            if page.device is None and page.keys is not None:
                self._start_qr(page)
        elif kind == "receipt" and page.device is not None:
            number = page.device.number
            for mid in f.get("ids", []):
                msg = self.messages.get(mid)
                if msg is not None:
                    msg.receipted.add(number)
            with self.obs.cond:
                self.obs.receipted.update(f.get("ids", []))
                self.obs.cond.notify_all()
        elif kind == "send" and page.device is not None:
            await self._on_send(page, f["msg"])
        elif kind in ("media_upload", "media_get", "msg_action") and page.device is not None:
            await self.msgside.handle(page, f)
        elif kind == "synced":
            page.synced = True
            self._publish()
        elif kind == "logout":
            if page.device is not None:
                page.device.revoked = True
                page.device = None
            self._publish()
        elif kind == "pairing_code":
            code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
            with self.obs.cond:
                self.obs.pairing.append(PairingRequest(phone=str(f.get("phone", "")), code=code))
                self.obs.cond.notify_all()
            await self._send(page, {"type": "pairing_code", "code": code})
        elif kind == "seen":
            with self.obs.cond:
                self.obs.read_chats.append(str(f.get("chat")))
                self.obs.cond.notify_all()
        elif kind == "iq" and page.device is not None:
            await self._on_iq(page, f)
        elif kind == "chat_flag":
            with self.obs.cond:
                action = (str(f.get("chat")), str(f.get("attr")), f.get("value"))
                self.obs.chat_actions.append(action)
                self.obs.cond.notify_all()

    async def _on_iq(self, page: _Page, f: dict[str, Any]) -> None:
        """A request from the page's action modules (see ``_iq.py``): record it, answer it."""
        name, args = str(f.get("name")), dict(f.get("args") or {})
        with self.obs.cond:
            self.obs.iq.append((name, args))
            self.obs.iq_times.append(time.time())
            self.obs.cond.notify_all()
        try:
            reply: dict[str, Any] = {"result": await self.iq.handle(name, args)}
        except IqError as exc:
            reply = {"error": {"status": exc.status, "text": exc.text}}
        except (KeyError, TypeError, ValueError) as exc:
            reply = {"error": {"status": 400, "text": f"bad-request: {exc}"}}
        await self._send(page, {"type": "iq_result", "id": f.get("id"), **reply})

    async def _hello(self, page: _Page, f: dict[str, Any]) -> None:
        page.keys = f.get("keys")
        page.browser = f.get("browser") if isinstance(f.get("browser"), dict) else None
        login = f.get("login")
        if login:
            creds = login.get("creds") or {}
            device = self.devices.get(int(creds.get("device", -1)))
            if device is None or device.revoked or device.token != creds.get("token"):
                await self._send(page, {"type": "logged_out", "reason": "unknown_device"})
                return
            await self._authenticate(page, device)
            return
        self._start_qr(page)

    def _start_qr(self, page: _Page) -> None:
        if page.qr_task is not None:
            page.qr_task.cancel()
        page.qr_task = asyncio.get_running_loop().create_task(self._rotate_qr(page))

    async def _rotate_qr(self, page: _Page) -> None:
        for _ in range(self.cfg.qr_max):
            page.ref = "2@" + _b64(60)
            kind = "ref" if page.announced else "unpaired"
            page.announced = True
            await self._send(page, {"type": kind, "ref": page.ref})
            with self.obs.cond:
                self.obs.qr_count += 1
            self._publish()
            await asyncio.sleep(self.cfg.qr_interval)
        page.ref = None
        self._publish()
        await self._send(page, {"type": "idle"})

    def _pick_qr_page(self) -> _Page | None:
        shown = [p for p in self.pages if p.ref is not None and p.device is None]
        return max(shown, key=lambda p: p.created) if shown else None

    async def _link(self, page: _Page) -> None:
        if page.qr_task is not None:
            page.qr_task.cancel()
            page.qr_task = None
        page.ref = None
        number = self._next_device
        self._next_device += 1
        device = _Device(number, secrets.token_urlsafe(24), dict(page.keys or {}), self._seq + 1)
        self.devices[number] = device
        self._publish()
        await self._send(
            page,
            {
                "type": "paired",
                "creds": {"device": number, "token": device.token, "wid": self.me},
                "lastWid": f"{self.cfg.me}:{number}@c.us",
            },
        )

    async def scan(self) -> bool:
        """The phone scans the QR shown by the newest unpaired page; False if none shows one."""
        page = self._pick_qr_page()
        if page is None:
            return False
        await self._link(page)
        return True

    async def enter_pairing_code(self, code: str) -> bool:
        """The user types ``code`` on the phone: links the page that requested it."""
        with self.obs.cond:
            known = any(r.code == code for r in self.obs.pairing)
        if not known:
            return False
        candidates = [p for p in self.pages if p.device is None and p.keys is not None]
        if not candidates:
            return False
        await self._link(max(candidates, key=lambda p: p.created))
        return True

    async def _authenticate(self, page: _Page, device: _Device) -> None:
        for other in list(self.pages):
            if other is not page and other.device is device:
                other.device = None
                await self._send(other, {"type": "conflict"})
        if page.qr_task is not None:
            page.qr_task.cancel()
            page.qr_task = None
        if not device.registered:
            browser = page.browser or {}
            device.name = str(browser.get("name", ""))
            device.os = str(browser.get("os", ""))
            device.registered = True
        page.ref = None
        page.device = device
        page.live = False
        page.synced = False
        self._publish()
        if self.cfg.sync_delay > 0:
            await asyncio.sleep(self.cfg.sync_delay)
            if page.device is not device:
                return
        # From here to composing the frame nothing awaits: every message stored so far is in
        # history/offline, every later one is pushed after this frame.
        page.live = True
        history: list[dict[str, Any]] = []
        offline: list[dict[str, Any]] = []
        for msg in self.messages.values():
            pending = (
                not msg.from_me
                and msg.seq >= device.linked_seq
                and device.number not in msg.receipted
            )
            (offline if pending else history).append(self._page_payload(msg))
        await self._send(
            page,
            {
                "type": "connected",
                "me": self.me,
                "lid": self.cfg.lid,
                "device": device.number,
                "pushname": self.cfg.push_name,
                "platform": self.cfg.platform,
                "contacts": list(self.contacts.values()),
                "groups": list(self.groups.values()),
                "history": history,
                "offline": offline,
            },
        )
        for frame in await self.iq.login_frames():
            await self._send(page, frame)
        unsent = [r for r in self.reactions if device.number not in r.delivered]
        if unsent:
            await self._push_reactions(unsent, [page])

    def _authed_pages(self) -> list[_Page]:
        return [p for p in self.pages if p.device is not None and p.live]

    @staticmethod
    def _page_payload(msg: _Msg) -> dict[str, Any]:
        return {**msg.payload, "ack": msg.ack}

    # -- messages ---------------------------------------------------------------------------

    def _store(self, msg: _Msg) -> None:
        self.messages[msg.id] = msg
        stanza = msg.payload["id"]["id"]
        self.by_stanza[(msg.chat, stanza)] = msg.id

    def _incoming_payload(self, item: IncomingText) -> _Msg:
        sender = _user_id(item.sender)
        chat = _chat_id(item.chat) if item.chat else sender
        key = message_key(chat, from_me=False, author=sender, stanza=item.id)
        group = chat.endswith("@g.us")
        payload: dict[str, Any] = {
            "id": key,
            "type": "chat",
            "body": item.text,
            "t": int(item.timestamp if item.timestamp is not None else time.time()),
            "from": chat if group else sender,
            "to": self.me,
            "ack": 1,
            "isForwarded": False,
            "forwardingScore": 0,
            "mentionedJidList": [_user_id(m) for m in item.mentions],
            "groupMentions": [],
        }
        if group:
            payload["author"] = sender
        contact = self.contacts.get(sender)
        if contact and contact.get("pushname"):
            payload["notifyName"] = contact["pushname"]
        if item.quoted_id:
            payload.update(self._quote_fields(item.quoted_id, chat))
        self._seq += 1
        msg_id = str(key["_serialized"])
        return _Msg(msg_id, chat, False, self._seq, payload, 1, ciphertext=item.ciphertext)

    def _quote_fields(self, quoted_id: str, chat: str) -> dict[str, Any]:
        quoted = self.messages.get(quoted_id)
        if quoted is not None:
            qkey = quoted.payload["id"]
            qp = quoted.payload
            participant = self.me if quoted.from_me else (qp.get("author") or qp.get("from"))
            fields: dict[str, Any] = {
                "quotedMsg": {"type": qp.get("type"), "body": qp.get("body")},
                "quotedStanzaID": qkey["id"],
                "quotedParticipant": participant,
            }
            remote = qkey["remote"]
        else:
            parts = quoted_id.split("_")
            if len(parts) < 3:
                raise ValueError(f"quoted_id {quoted_id!r} is not a serialized message id")
            from_me = parts[0] == "true"
            remote = parts[1]
            participant = parts[3] if len(parts) > 3 else (self.me if from_me else remote)
            fields = {"quotedStanzaID": parts[2], "quotedParticipant": participant}
        if remote != chat:
            fields["quotedRemoteJid"] = remote
        return fields

    async def deliver(self, items: list[IncomingText]) -> list[str]:
        """Store messages and push them to every logged-in page in ONE frame."""
        msgs = [self._incoming_payload(item) for item in items]
        for msg in msgs:
            self._store(msg)
        wire = [self._live_payload(m) for m in msgs]
        decrypts = [
            {"id": m.id, "attrs": {"type": m.payload["type"], "body": m.payload["body"]}}
            for m in msgs
            if m.ciphertext
        ]
        for page in self._authed_pages():
            await self._send(page, {"type": "msgs", "isNew": True, "msgs": wire})
            for d in decrypts:
                await self._send(page, {"type": "decrypt", **d})
        return [m.id for m in msgs]

    def _live_payload(self, msg: _Msg) -> dict[str, Any]:
        payload = self._page_payload(msg)
        if msg.ciphertext:  # the real page first shows an undecrypted placeholder
            payload["type"] = "ciphertext"
            payload.pop("body", None)
        return payload

    def _incoming(self, message_id: str) -> _Msg:
        msg = self.messages.get(message_id)
        if msg is None or msg.from_me:
            raise KeyError(message_id)
        return msg

    def _new_key(self, msg: _Msg) -> dict[str, Any]:
        key = dict(msg.payload["id"])
        key["id"] = "3A" + secrets.token_hex(9).upper()
        key["_serialized"] = serialized_key(key)
        return key

    async def edit(self, message_id: str, text: str) -> None:
        """The sender edits an incoming message: ``change:body`` on the page."""
        msg = self._incoming(message_id)
        frame = {
            "type": "edit",
            "id": message_id,
            "body": text,
            "editKey": self._new_key(msg),
            "editTimestampMs": int(time.time() * 1000),
        }
        msg.payload.update(
            body=text,
            latestEditMsgKey=frame["editKey"],
            latestEditSenderTimestampMs=frame["editTimestampMs"],
        )
        for page in self._authed_pages():
            await self._send(page, frame)

    async def revoke(self, message_id: str) -> None:
        """The sender deletes an incoming message for everyone: ``type`` becomes ``revoked``."""
        msg = self._incoming(message_id)
        frame = {"type": "revoke", "id": message_id, "revokeKey": self._new_key(msg)}
        msg.payload.update(
            type="revoked", body="", subtype="sender_revoke", protocolMessageKey=frame["revokeKey"]
        )
        for page in self._authed_pages():
            await self._send(page, frame)

    async def react(self, sender: str, message_id: str, emoji: str) -> str:
        """``sender`` reacts to a stored message ('' removes the reaction)."""
        target = self.messages.get(message_id)
        if target is None:
            raise KeyError(message_id)
        chat = target.chat
        key = message_key(chat, from_me=False, author=sender)
        group = chat.endswith("@g.us")
        reaction = _Reaction(
            {
                "id": key,
                "parentKey": target.payload["id"],
                "text": emoji,
                "timestampMs": int(time.time() * 1000),
                "from": chat if group else sender,
                "author": sender if group else None,
            }
        )
        self.reactions.append(reaction)
        await self._push_reactions([reaction])
        return str(key["_serialized"])

    async def _push_reactions(
        self, reactions: list[_Reaction], pages: list[_Page] | None = None
    ) -> None:
        for page in self._authed_pages() if pages is None else pages:
            assert page.device is not None
            number = page.device.number
            frame = {"type": "reactions", "reactions": [r.payload for r in reactions]}
            await self._send(page, frame)
            for r in reactions:
                r.delivered.add(number)

    # -- groups and chats ---------------------------------------------------------------------

    async def group_event(
        self,
        group_id: str,
        subtype: str,
        author: str,
        recipients: list[str],
        *,
        body: str = "",
    ) -> str:
        """Apply a membership/subject change to a group and deliver its ``gp2`` notification."""
        group = self.groups.get(group_id)
        if group is None:
            raise KeyError(group_id)
        members: list[dict[str, Any]] = group["participants"]
        ids = [p["id"] for p in members]
        if subtype in ("add", "invite"):
            members.extend(
                {"id": r, "isAdmin": False, "isSuperAdmin": False}
                for r in recipients
                if r not in ids
            )
        elif subtype in ("remove", "leave"):
            group["participants"] = [p for p in members if p["id"] not in recipients]
        elif subtype in ("promote", "demote"):
            for p in members:
                if p["id"] in recipients:
                    p["isAdmin"] = subtype == "promote"
        elif subtype == "subject":
            group["subject"] = body
        elif subtype == "description":
            group["desc"] = body
        for page in self._authed_pages():
            await self._send(page, {"type": "groups", "groups": [group]})
        stanza = secrets.token_hex(10).upper()
        from_me = author in (self.me, self.cfg.lid)
        key = message_key(group_id, from_me=from_me, author=author, stanza=stanza)
        payload: dict[str, Any] = {
            "id": key,
            "type": "gp2",
            "subtype": subtype,
            "body": body,
            "t": int(time.time()),
            "from": group_id,
            "to": self.me,
            "author": author,
            "recipients": recipients,
            "isNotification": True,
            "ack": 1,
        }
        self._seq += 1
        msg = _Msg(str(key["_serialized"]), group_id, False, self._seq, payload, 1)
        self._store(msg)
        for page in self._authed_pages():
            frame = {"type": "msgs", "isNew": True, "msgs": [self._page_payload(msg)]}
            await self._send(page, frame)
        return msg.id

    async def chat_update(self, chat_id: str, attrs: dict[str, Any]) -> None:
        """A change made on the phone (archive, pin, mute, ...) synced to the device."""
        for page in self._authed_pages():
            await self._send(page, {"type": "chat_update", "chat": chat_id, "attrs": attrs})

    async def chat_delete(self, chat_id: str) -> None:
        """The chat is deleted on the phone: its messages go, the page removes the chat."""
        for mid in [m.id for m in self.messages.values() if m.chat == chat_id]:
            del self.messages[mid]
        for page in self._authed_pages():
            await self._send(page, {"type": "chat_remove", "chat": chat_id})

    async def drop_connections(self) -> int:
        """Cut every page's socket without a close handshake (a network drop)."""
        pages = list(self.pages)
        for page in pages:
            page.ws.abort()
        return len(pages)

    def _quoted_id_of(self, raw: dict[str, Any], to: str) -> str | None:
        stanza = raw.get("quotedStanzaID")
        if not stanza:
            return None
        remote = str(raw.get("quotedRemoteJid") or to)
        found = self.by_stanza.get((remote, str(stanza)))
        if found is not None:
            return found
        participant = raw.get("quotedParticipant")
        from_me = participant in (self.me, self.cfg.lid)
        base = f"{'true' if from_me else 'false'}_{remote}_{stanza}"
        return f"{base}_{participant}" if remote.endswith("@g.us") and participant else base

    async def _on_send(self, page: _Page, raw: dict[str, Any]) -> None:
        key = raw.get("id") or {}
        mid = str(key.get("_serialized") or serialized_key(key))
        now = time.time()
        if mid not in self.messages:
            to = str(raw.get("to") or key.get("remote"))
            mentioned = raw.get("mentionedJidList") or []
            sent = SentMessage(
                id=mid,
                to=to,
                type=str(raw.get("type", "")),
                body=raw.get("body") if isinstance(raw.get("body"), str) else None,
                quoted_id=self._quoted_id_of(raw, to),
                mentioned_ids=tuple(str(m) for m in mentioned),
                timestamp=now,
                raw=raw,
                caption=raw.get("caption") if isinstance(raw.get("caption"), str) else None,
                mimetype=raw.get("mimetype"),
                filename=raw.get("filename"),
                media_sha256=self.msgside.sha256_of(raw.get("directPath")),
                sender=str(raw["from"]) if raw.get("from") else None,
                participant=str(key["participant"]) if key.get("participant") else None,
            )
            self._seq += 1
            payload = {**raw, "isNewMsg": False}
            self._store(_Msg(mid, str(key.get("remote") or to), True, self._seq, payload, 1))
            with self.obs.cond:
                self.obs.sent.append(sent)
                self.obs.cond.notify_all()
        else:
            # The same id again: WhatsApp takes a retry as the same message (the id is the
            # idempotency key); recorded so tests can see that a client re-sent.
            with self.obs.cond:
                self.obs.resent.append(mid)
        await self._send(page, {"type": "send_ack", "id": mid, "t": int(now)})
        if self.cfg.auto_ack_device:
            await self.set_ack(mid, 2)

    async def set_ack(self, message_id: str, ack: int) -> bool:
        msg = self.messages.get(message_id)
        if msg is None:
            return False
        msg.ack = ack
        for page in self._authed_pages():
            await self._send(page, {"type": "ack", "acks": [[message_id, ack]]})
        return True

    # -- account ----------------------------------------------------------------------------

    async def logout_devices(self) -> int:
        """The phone unlinks every linked device; their pages are told at once."""
        count = 0
        for device in self.devices.values():
            if not device.revoked:
                device.revoked = True
                count += 1
        for page in [p for p in self.pages if p.device is not None]:
            page.device = None
            await self._send(page, {"type": "logged_out", "reason": "unlinked"})
        self._publish()
        return count

    async def add_contact(self, contact: dict[str, Any]) -> None:
        self.contacts[contact["id"]] = contact
        for page in self._authed_pages():
            await self._send(page, {"type": "contacts", "contacts": [contact]})

    async def add_group(self, group: dict[str, Any]) -> None:
        self.groups[group["id"]] = group
        for page in self._authed_pages():
            await self._send(page, {"type": "groups", "groups": [group]})

    async def close_pages(self) -> None:
        for page in list(self.pages):
            if page.qr_task is not None:
                page.qr_task.cancel()
            await page.ws.close(1001, "server shutting down")


def _user_id(value: str) -> str:
    return value if "@" in value else f"{value}@c.us"


def _chat_id(value: str) -> str:
    return value if "@" in value else f"{value}@g.us"
