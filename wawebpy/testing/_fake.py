"""The public control object of the fake: :class:`FakeWhatsApp`.

It owns a background thread running an asyncio loop with the HTTP/WebSocket server and the
fake WhatsApp server. Every method is safe to call from any thread (except the loop thread):
actions are scheduled on the loop and awaited, waits block on a condition the loop notifies.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar

from ..errors import WaitTimeoutError
from ..types import ChatId
from ._http import HttpServer
from ._models import IncomingText, LinkedDevice, MessageAction, PairingRequest, SentMessage
from ._server import Config, Observed, WhatsAppServer

__all__ = ["DEFAULT_VERSION", "FakeWhatsApp"]

DEFAULT_VERSION = "2.3000.1017054665"
_T = TypeVar("_T")
_PHONE = re.compile(r"^[1-9][0-9]{4,19}$")


def _user(value: str, what: str) -> str:
    text = value if "@" in value else f"{value}@c.us"
    chat = ChatId.parse(text)
    if not chat.is_user:
        raise ValueError(f"{what} must be a user id such as '15551234567@c.us', got {value!r}")
    return chat.serialized


def _group(value: str) -> str:
    chat = ChatId.parse(value if "@" in value else f"{value}@g.us")
    if not chat.is_group:
        raise ValueError(f"expected a group id such as '120363000000000001@g.us', got {value!r}")
    return chat.serialized


class FakeWhatsApp:
    """A local, offline WhatsApp Web: the page (same internal modules as the real one) plus a
    fake WhatsApp server that tests drive from Python.

    Use as a context manager (or :meth:`start` / :meth:`close`) and point Chrome at :attr:`url`.
    """

    def __init__(
        self,
        me: str = "15550000001",
        *,
        push_name: str = "Test Phone",
        qr_interval: float = 20.0,
        qr_max: int = 6,
        version: str = DEFAULT_VERSION,
        missing_modules: Iterable[str] = frozenset(),
        auto_ack_device: bool = False,
        sync_delay: float = 0.0,
        connect_delay: float = 0.0,
        platform: str = "android",
        lid: str | None = None,
        port: int = 0,
    ) -> None:
        """``me``: the account's phone number (digits). ``qr_interval``/``qr_max``: QR refs
        rotate every ``qr_interval`` seconds, after ``qr_max`` refs the page goes
        ``UNPAIRED_IDLE``. ``missing_modules``: module names removed from the page (to test the
        client's self-check). ``auto_ack_device``: every sent message also gets ack 2 at once.
        ``sync_delay``: seconds between CONNECTED and the initial sync. ``connect_delay``:
        seconds between ``Debug.VERSION`` appearing and the page opening its socket.
        ``port``: 0 picks a free port; pin one to reach the same origin (hence the same stored
        login in a Chrome profile) from a later FakeWhatsApp. The account's linked devices live
        in memory, so a new instance does not know earlier devices: the page re-links (QR)."""
        if not _PHONE.match(me):
            raise ValueError(f"me must be a phone number (digits only), not {me!r}")
        if qr_interval <= 0 or qr_max < 1:
            raise ValueError("qr_interval must be > 0 and qr_max >= 1")
        self._config = Config(
            me=me,
            push_name=push_name,
            lid=lid or f"{secrets.randbelow(9 * 10**13) + 10**13}@lid",
            platform=platform,
            qr_interval=float(qr_interval),
            qr_max=int(qr_max),
            version=version,
            missing_modules=frozenset(missing_modules),
            auto_ack_device=auto_ack_device,
            sync_delay=float(sync_delay),
            connect_delay=float(connect_delay),
        )
        self._obs = Observed()
        self._server = WhatsAppServer(self._config, self._obs)
        self._http = HttpServer(self._config_js, self._server.handle)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._requested_port = int(port)
        self._port = 0
        self._started = threading.Event()
        self._start_error: BaseException | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> FakeWhatsApp:
        """Start the server thread; returns self once the port is bound."""
        if self._thread is not None:
            raise RuntimeError("FakeWhatsApp is already started")
        self._thread = threading.Thread(target=self._run, name="wawebpy-fake-whatsapp", daemon=True)
        self._thread.start()
        self._started.wait(10)
        if self._start_error is not None:
            raise RuntimeError("the fake WhatsApp server failed to start") from self._start_error
        if not self._port:
            raise RuntimeError("the fake WhatsApp server did not start within 10 s")
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            self._port = loop.run_until_complete(self._http.start(port=self._requested_port))
        except BaseException as exc:
            self._start_error = exc
            self._started.set()
            loop.close()
            return
        self._started.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _shutdown(self) -> None:
        await self._server.close_pages()
        await self._http.stop()

    def close(self) -> None:
        """Stop the server (pages see their socket close) and join the thread. Idempotent."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)

    def __enter__(self) -> FakeWhatsApp:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _config_js(self) -> str:
        cfg = {
            "version": self._config.version,
            "missingModules": sorted(self._config.missing_modules),
            "connectDelayMs": int(self._config.connect_delay * 1000),
        }
        return f"window.__wawebpyFakeConfig = {json.dumps(cfg)};\n"

    def _call(self, factory: Callable[[], Coroutine[Any, Any, _T]], timeout: float = 30.0) -> _T:
        loop = self._loop
        if loop is None or not self._port:
            raise RuntimeError("FakeWhatsApp is not started; use 'with FakeWhatsApp() as fake:'")
        if self._thread is threading.current_thread():
            raise RuntimeError("FakeWhatsApp methods cannot be called from its own loop thread")
        return asyncio.run_coroutine_threadsafe(factory(), loop).result(timeout)

    def _wait(self, predicate: Callable[[Observed], _T | None], timeout: float, what: str) -> _T:
        with self._obs.cond:
            result = self._obs.cond.wait_for(lambda: predicate(self._obs), timeout)
        if not result:
            raise WaitTimeoutError(
                f"fake WhatsApp: timed out after {timeout:g} s waiting for {what}", what=what
            )
        return result

    # -- properties -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The page's address, ``http://127.0.0.1:<port>/``."""
        if not self._port:
            raise RuntimeError("FakeWhatsApp is not started")
        return f"http://127.0.0.1:{self._port}/"

    @property
    def me(self) -> str:
        """The account's own wid, ``<number>@c.us``."""
        return f"{self._config.me}@c.us"

    @property
    def lid(self) -> str:
        """The account's own privacy id, ``<digits>@lid``."""
        return self._config.lid

    @property
    def version(self) -> str:
        return self._config.version

    @property
    def qr(self) -> str | None:
        """The QR payload currently shown, or None."""
        with self._obs.cond:
            return self._obs.qr

    @property
    def qr_count(self) -> int:
        """How many QR refs the server has issued so far (rotations included)."""
        with self._obs.cond:
            return self._obs.qr_count

    @property
    def connected(self) -> bool:
        """True when a linked device's page is online and has finished its initial sync."""
        with self._obs.cond:
            return self._obs.synced > 0

    @property
    def linked_devices(self) -> int:
        """Devices currently linked to the account (unlinked ones do not count)."""
        with self._obs.cond:
            return self._obs.linked

    @property
    def devices(self) -> list[LinkedDevice]:
        """Every device ever linked in this fake, oldest first (unlinked ones ``active=False``)."""
        with self._obs.cond:
            return list(self._obs.devices)

    @property
    def pages(self) -> int:
        """Page connections currently open (logged in or not)."""
        with self._obs.cond:
            return self._obs.pages

    @property
    def sent(self) -> list[SentMessage]:
        """Everything the client sent, in the order the server received it (a copy)."""
        with self._obs.cond:
            return list(self._obs.sent)

    @property
    def read_chats(self) -> list[str]:
        """Chats the client marked as read (``sendSeen``), in call order."""
        with self._obs.cond:
            return list(self._obs.read_chats)

    @property
    def chat_actions(self) -> list[tuple[str, str, Any]]:
        """Chat changes the client made (``Cmd.archiveChat``, ``pinChat``, ``markChatUnread``,
        ``markUnread``) as ``(chat_id, attribute, value)``, in call order."""
        with self._obs.cond:
            return list(self._obs.chat_actions)

    @property
    def pairing_requests(self) -> list[PairingRequest]:
        """Pairing codes the page requested, oldest first."""
        with self._obs.cond:
            return list(self._obs.pairing)

    # -- login ------------------------------------------------------------------------------

    def wait_for_qr(self, timeout: float = 10.0, *, different_from: str | None = None) -> str:
        """Wait until a page shows a QR and return its payload
        ``ref,staticKey,identityKey,advSecretKey,platform``; with ``different_from``, wait for
        one other than that (a rotation or a new page)."""
        return self._wait(
            lambda o: o.qr if o.qr is not None and o.qr != different_from else None,
            timeout,
            "a QR code",
        )

    def scan_qr(self, timeout: float = 10.0) -> None:
        """The phone scans the QR currently shown: the page is linked and logs in.

        Waits up to ``timeout`` for a QR to be shown first. Returns once the server has sent the
        credentials; use :meth:`wait_until_connected` to wait for the page to finish syncing."""
        self.wait_for_qr(timeout)
        if not self._call(self._server.scan):
            raise WaitTimeoutError(
                "fake WhatsApp: the QR disappeared before it was scanned", what="a QR code"
            )

    def wait_for_pairing_code(self, timeout: float = 10.0) -> PairingRequest:
        """Wait for the page to request a pairing code; returns the newest request."""
        return self._wait(
            lambda o: o.pairing[-1] if o.pairing else None, timeout, "a pairing-code request"
        )

    def enter_pairing_code(self, code: str) -> None:
        """The user types ``code`` on the phone: the page that requested it is linked."""
        if not self._call(lambda: self._server.enter_pairing_code(code)):
            raise ValueError("no page is waiting for that pairing code")

    def wait_until(
        self,
        predicate: Callable[[FakeWhatsApp], _T],
        timeout: float = 10.0,
        what: str = "a condition",
    ) -> _T:
        """Wait until ``predicate(fake)`` is truthy (re-checked on every server-side change) and
        return its value, e.g. ``fake.wait_until(lambda f: f.chat_actions)``."""
        return self._wait(lambda _o: predicate(self), timeout, what)

    def wait_until_connected(self, timeout: float = 10.0) -> None:
        """Wait until a linked page is online and synced (see :attr:`connected`)."""
        self._wait(lambda o: o.synced > 0, timeout, "a logged-in page")

    def wait_until_disconnected(self, timeout: float = 10.0) -> None:
        """Wait until no logged-in page is online."""
        self._wait(lambda o: o.authed == 0 or None, timeout, "every logged-in page to go away")

    def logout_device(self) -> None:
        """The phone unlinks this device: the page gets ``logout_from_bridge``, wipes its stored
        login and reloads to ``/?post_logout=1``; the old credentials are refused from now on."""
        if self._call(self._server.logout_devices) == 0:
            raise RuntimeError("no device is linked, nothing to log out")

    # -- traffic ----------------------------------------------------------------------------

    def deliver_text(
        self,
        sender: str,
        text: str,
        *,
        chat: str | None = None,
        quoted_id: str | None = None,
        mentions: Sequence[str] = (),
        timestamp: float | None = None,
        ciphertext: bool = False,
    ) -> str:
        """Another user sends ``text`` (to a group when ``chat`` is a group id); returns the
        serialized message id. Delivered now if the page is online, else when it reconnects.
        ``ciphertext``: it first arrives undecrypted (``type: 'ciphertext'``), then decrypts."""
        return self.deliver_many(
            [
                IncomingText(
                    sender=sender,
                    text=text,
                    chat=chat,
                    quoted_id=quoted_id,
                    mentions=tuple(mentions),
                    timestamp=timestamp,
                    ciphertext=ciphertext,
                )
            ]
        )[0]

    def edit_message(self, message_id: str, text: str) -> None:
        """The sender edits a message they sent: ``change:body`` ``(msg, new, old)`` on the
        page, with ``latestEditMsgKey`` set. KeyError unless it is a stored incoming message."""
        self._call(lambda: self._server.edit(message_id, text))

    def revoke_message(self, message_id: str) -> None:
        """The sender deletes a message for everyone: ``type`` becomes ``'revoked'``
        (``change:type``) with ``protocolMessageKey`` set. KeyError unless it is incoming."""
        self._call(lambda: self._server.revoke(message_id))

    def deliver_reaction(self, sender: str, message_id: str, emoji: str) -> str:
        """``sender`` reacts to a message ('' removes the reaction). The page passes the record
        to ``WAWebAddonReactionTableMode.reactionTableMode.bulkUpsert``; returns the reaction's
        key. KeyError for an unknown message id."""
        who = _user(sender, "sender")
        return self._call(lambda: self._server.react(who, message_id, emoji))

    # -- typed incoming messages, media, polls (the message side: _msgserver.py) ---------------

    def deliver_message(
        self, sender: str, fields: Mapping[str, Any], *, chat: str | None = None
    ) -> str:
        """Another user sends a message with these wire ``fields`` (``type`` and the fields of
        its kind, as in a serialized message); returns its serialized id."""
        who = _user(sender, "sender")
        where = _group(chat) if chat else None
        return self._call(lambda: self._server.msgside.deliver(who, where, dict(fields)))

    def deliver_media(
        self,
        sender: str,
        data: bytes,
        *,
        mimetype: str,
        kind: str | None = None,
        filename: str | None = None,
        caption: str | None = None,
        chat: str | None = None,
        is_gif: bool = False,
    ) -> str:
        """Another user sends media; the bytes stay on the server until the page downloads
        them (``WAWebDownloadManager``). ``kind`` is the message type (default from MIME)."""
        side = self._server.msgside
        blob = bytes(data)
        entry = self._call(lambda: side.store(blob, mimetype))
        major = mimetype.split("/", 1)[0]
        mtype = kind or (major if major in ("image", "video", "audio") else "document")
        fields: dict[str, Any] = {
            k: entry[k]
            for k in ("directPath", "mediaKey", "mediaKeyTimestamp", "filehash", "encFilehash")
        }
        fields.update(type=mtype, mimetype=mimetype, size=len(data), isGif=is_gif)
        if filename:
            fields["filename"] = filename
        if caption:
            fields["caption"] = caption
        return self.deliver_message(sender, fields, chat=chat)

    def deliver_location(
        self,
        sender: str,
        lat: float,
        lng: float,
        *,
        name: str | None = None,
        address: str | None = None,
        chat: str | None = None,
    ) -> str:
        """Another user shares a location (``loc`` = name\\naddress)."""
        loc = "\n".join(x for x in (name, address) if x)
        fields: dict[str, Any] = {"type": "location", "lat": lat, "lng": lng}
        if loc:
            fields["loc"] = loc
        return self.deliver_message(sender, fields, chat=chat)

    def deliver_contacts(
        self, sender: str, vcards: Sequence[str], *, chat: str | None = None
    ) -> str:
        """Another user sends contact cards (one: ``vcard`` with the text as body; more:
        ``multi_vcard`` with ``vcardList``)."""
        if len(vcards) == 1:
            fields: dict[str, Any] = {"type": "vcard", "body": vcards[0]}
        else:
            fields = {
                "type": "multi_vcard",
                "vcardList": [{"displayName": "", "vcard": v} for v in vcards],
            }
        return self.deliver_message(sender, fields, chat=chat)

    def deliver_poll(
        self,
        sender: str,
        question: str,
        options: Sequence[str],
        *,
        allow_multiple: bool = False,
        chat: str | None = None,
    ) -> str:
        """Another user creates a poll (option local ids are their indexes)."""
        fields = {
            "type": "poll_creation",
            "pollName": question,
            "pollOptions": [{"name": o, "localId": i} for i, o in enumerate(options)],
            "pollSelectableOptionsCount": 0 if allow_multiple else 1,
        }
        return self.deliver_message(sender, fields, chat=chat)

    def send_from_phone(self, chat: str, text: str, *, timestamp: float | None = None) -> str:
        """The account's owner sends ``text`` to ``chat`` from the phone: the page gets a new
        message with ``fromMe`` true (whatsapp-web.js ``message_create`` from another device).
        ``timestamp`` (unix seconds) backdates it, e.g. past the 15-minute edit window."""
        target = ChatId.parse(chat if "@" in chat else f"{chat}@c.us").serialized
        fields = {"type": "chat", "body": text}
        return self._call(lambda: self._server.msgside.from_phone(target, fields, timestamp))

    def vote_poll(self, sender: str, poll_id: str, options: Sequence[str]) -> str:
        """``sender`` votes (by option names) in a stored poll; the page hands the vote to
        ``WAWebAddonPollVoteTableMode.pollVoteTableMode.bulkUpsert``. KeyError for no poll."""
        who = _user(sender, "sender")
        return self._call(lambda: self._server.msgside.vote(who, poll_id, list(options)))

    def media_bytes(self, direct_path: str) -> bytes:
        """The bytes stored under a media ``directPath`` (uploaded by the page or delivered)."""
        return self._server.msgside.media[direct_path]

    @property
    def message_actions(self) -> list[MessageAction]:
        """What the client did to existing messages (react, edit, revoke, ...), in order."""
        with self._obs.cond:
            return list(self._obs.actions)

    def wait_for_action(
        self, predicate: Callable[[MessageAction], bool], timeout: float = 10.0
    ) -> MessageAction:
        """Wait for a message action matching ``predicate``; returns the first one."""

        def find(o: Observed) -> MessageAction | None:
            return next((a for a in o.actions if predicate(a)), None)

        return self._wait(find, timeout, "a message action")

    def drop_connections(self) -> int:
        """Cut every page's socket (a network drop). Pages go ``TIMEOUT`` and reconnect by
        themselves; returns how many sockets were cut."""
        return self._call(self._server.drop_connections)

    def deliver_many(self, messages: Iterable[IncomingText]) -> list[str]:
        """Deliver several messages in ONE WebSocket frame; the page adds them all in one JS
        task (burst tests). Returns their serialized ids in order."""
        items = []
        for m in messages:
            if not isinstance(m.text, str):
                raise TypeError("IncomingText.text must be a str")
            items.append(
                IncomingText(
                    sender=_user(m.sender, "sender"),
                    text=m.text,
                    chat=_group(m.chat) if m.chat else None,
                    quoted_id=m.quoted_id,
                    mentions=tuple(_user(x, "mention") for x in m.mentions),
                    timestamp=m.timestamp,
                    id=m.id,
                    ciphertext=m.ciphertext,
                )
            )
        return self._call(lambda: self._server.deliver(items))

    def set_ack(self, message_id: str, ack: int) -> None:
        """Set a message's ack (1 server, 2 device, 3 read, 4 played, -1 error); the page fires
        ``change:ack``. Raises KeyError for an unknown id."""
        if not self._call(lambda: self._server.set_ack(message_id, int(ack))):
            raise KeyError(message_id)

    def wait_for_sent(
        self,
        count: int = 1,
        timeout: float = 10.0,
        predicate: Callable[[SentMessage], bool] | None = None,
    ) -> list[SentMessage]:
        """Wait until at least ``count`` sent messages (matching ``predicate``) have reached the
        server; returns all matching ones, oldest first."""

        def matching(o: Observed) -> list[SentMessage] | None:
            found = [s for s in o.sent if predicate is None or predicate(s)]
            return found if len(found) >= count else None

        return self._wait(matching, timeout, f"{count} sent message(s)")

    def wait_for_read(self, chat_id: str, timeout: float = 10.0) -> None:
        """Wait until the client has marked ``chat_id`` as read (``sendSeen``)."""
        self._wait(lambda o: chat_id in o.read_chats or None, timeout, f"{chat_id} to be read")

    def wait_for_receipt(self, message_id: str, timeout: float = 10.0) -> None:
        """Wait until the page has acknowledged receiving ``message_id``."""
        self._wait(lambda o: message_id in o.receipted or None, timeout, "a delivery receipt")

    # -- groups -----------------------------------------------------------------------------

    def _group_event(
        self, group_id: str, subtype: str, by: str | None, members: Iterable[str], body: str = ""
    ) -> str:
        gid = _group(group_id)
        author = _user(by, "by") if by else self.me
        recipients = [_user(m, "participant") for m in members]
        server = self._server
        return self._call(lambda: server.group_event(gid, subtype, author, recipients, body=body))

    def add_participants(
        self, group_id: str, participants: Iterable[str], *, by: str | None = None
    ) -> str:
        """``by`` (default: the account) adds people to a group; delivers a ``gp2``/``add``
        notification and updates ``groupMetadata``. Returns the notification's message id."""
        return self._group_event(group_id, "add", by, participants)

    def remove_participants(
        self, group_id: str, participants: Iterable[str], *, by: str | None = None
    ) -> str:
        """``by`` removes people (``gp2``/``remove``); a participant removing only themselves
        is a ``leave``."""
        members = [_user(p, "participant") for p in participants]
        who = _user(by, "by") if by else self.me
        subtype = "leave" if members == [who] else "remove"
        return self._group_event(group_id, subtype, who, members)

    def promote_participants(
        self, group_id: str, participants: Iterable[str], *, by: str | None = None
    ) -> str:
        """Make people admins (``gp2``/``promote``)."""
        return self._group_event(group_id, "promote", by, participants)

    def demote_participants(
        self, group_id: str, participants: Iterable[str], *, by: str | None = None
    ) -> str:
        """Take admin rights away (``gp2``/``demote``)."""
        return self._group_event(group_id, "demote", by, participants)

    def set_group_subject(self, group_id: str, subject: str, *, by: str | None = None) -> str:
        """Rename a group (``gp2``/``subject``, the new subject as body)."""
        return self._group_event(group_id, "subject", by, [], subject)

    # -- chats (changes made on the phone) ---------------------------------------------------

    def archive_chat(self, chat_id: str, archived: bool = True) -> None:
        """Archive or unarchive a chat on the phone: ``'change:archive'`` on the page."""
        self._call(lambda: self._server.chat_update(chat_id, {"archive": archived}))

    def pin_chat(self, chat_id: str, pinned: bool = True) -> None:
        """Pin or unpin a chat on the phone: ``'change:pin'`` (pin is a unix time or 0)."""
        value = int(time.time()) if pinned else 0
        self._call(lambda: self._server.chat_update(chat_id, {"pin": value}))

    def delete_chat(self, chat_id: str) -> None:
        """Delete a chat on the phone: the page removes it (``Chat`` ``'remove'``)."""
        self._call(lambda: self._server.chat_delete(chat_id))

    # -- address book -----------------------------------------------------------------------

    def add_contact(
        self,
        contact_id: str,
        name: str | None = None,
        *,
        push_name: str | None = None,
        is_business: bool = False,
        is_my_contact: bool = True,
        phone_number: str | None = None,
    ) -> None:
        """Add a contact to the account's address book (pushed to the page). For a LID contact
        (``<digits>@lid``), ``phone_number`` is the number the page maps it to (Contact
        ``phoneNumber``, read by WAWebApiContact getCurrentLid/getPhoneNumber)."""
        cid = _user(contact_id, "contact_id")
        contact: dict[str, Any] = {
            "id": cid,
            "name": name,
            "shortName": name.split(" ")[0] if name else None,
            "pushname": push_name,
            "type": "in",
            "isBusiness": is_business,
            "isEnterprise": False,
            "isContactBlocked": False,
            "isWAContact": True,
            "isMyContact": is_my_contact,
        }
        if phone_number is not None:
            if not cid.endswith("@lid"):
                raise ValueError("phone_number is only for a LID contact ('<digits>@lid')")
            pn = _user(phone_number, "phone_number")
            contact["phoneNumber"] = pn
            self._call(lambda: self._set(lambda: self._server.iq.lids.__setitem__(pn, cid)))
        self._call(lambda: self._server.add_contact(contact))

    def set_lid(self, number: str, lid: str | None) -> None:
        """The LID the server gives for ``number`` when the page looks it up (None: no LID, so
        the page's findOrCreateLatestChat throws "No LID for user"). Numbers never set get a
        stable derived LID."""
        pn = _user(number, "number")
        value = None if lid is None else _user(lid, "lid")
        self._call(lambda: self._set(lambda: self._server.iq.lids.__setitem__(pn, value)))

    def lid_of(self, number: str) -> str | None:
        """The LID the server holds for ``number`` (what the page learns on lookup)."""
        pn = _user(number, "number")
        return self._call(lambda: self._set(lambda: self._server.iq.lid_for(pn)))

    def add_group(
        self,
        group_id: str,
        subject: str,
        participants: Iterable[str],
        admins: Iterable[str] = (),
        *,
        description: str = "",
        announce: bool = False,
        restrict: bool = False,
        membership_approval: bool = False,
        lid_addressing: bool = False,
    ) -> None:
        """Create a group the account is in (the account is added as a participant).
        ``membership_approval``: joining by invite link only files a request for the admins.
        ``lid_addressing``: a LID-addressed group (groupMetadata.isLidAddressingMode): every
        participant, the account included, is keyed by its ``@lid`` (phone numbers given are
        mapped to their LIDs)."""
        gid = _group(group_id)
        members = [_user(p, "participant") for p in participants]
        admin_ids = {_user(a, "admin") for a in admins}
        me = self.me
        if lid_addressing:
            me = self.lid
            members = [self._lid_member(m) for m in members]
            admin_ids = {self._lid_member(a) for a in admin_ids}
        if me not in members:
            members.append(me)
        owner = next(iter(sorted(admin_ids)), me)
        group = {
            "id": gid,
            "subject": subject,
            "owner": owner,
            "creation": 1_700_000_000,
            "desc": description,
            "descId": None,
            "announce": announce,
            "restrict": restrict,
            "membershipApprovalMode": membership_approval,
            "isLidAddressingMode": lid_addressing,
            "participants": [
                {"id": m, "isAdmin": m in admin_ids or m == owner, "isSuperAdmin": m == owner}
                for m in members
            ],
        }
        self._call(lambda: self._server.add_group(group))

    def _lid_member(self, wid: str) -> str:
        if not wid.endswith("@c.us"):
            return wid
        lid = self.lid_of(wid)
        if lid is None:
            raise ValueError(f"{wid} has no LID (set_lid) and cannot be in a LID-addressed group")
        return lid

    # -- chats, contacts, groups: what the client asked the server ------------------------------

    @property
    def iq_requests(self) -> list[tuple[str, dict[str, Any]]]:
        """Every ``(name, args)`` request the page's action modules sent (see ``_iq.py``)."""
        with self._obs.cond:
            return list(self._obs.iq)

    @property
    def iq_log(self) -> list[tuple[float, str, dict[str, Any]]]:
        """:attr:`iq_requests` with the server's receive time: ``(time.time(), name, args)``."""
        with self._obs.cond:
            return [(t, n, a) for t, (n, a) in zip(self._obs.iq_times, self._obs.iq, strict=True)]

    @property
    def resent(self) -> list[str]:
        """Ids of messages the client sent again after the server already had them (a retry
        that WhatsApp takes as the same message); an exactly-once client leaves this empty."""
        with self._obs.cond:
            return list(self._obs.resent)

    def wait_for_iq(
        self,
        name: str,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        timeout: float = 10.0,
    ) -> dict[str, Any]:
        """Wait for a request ``name`` (e.g. ``"group.add"``) whose args match; returns them."""

        def match(o: Observed) -> dict[str, Any] | None:
            for n, args in o.iq:
                if n == name and (predicate is None or predicate(args)):
                    return args
            return None

        return self._wait(match, timeout, f"request {name!r}")

    def mark_unregistered(self, *numbers: str) -> None:
        """These numbers are not on WhatsApp (exists → null, add → 404)."""
        ids = {_user(n, "number") for n in numbers}
        self._call(lambda: self._set(lambda: self._server.iq.unregistered.update(ids)))

    def set_about(self, contact_id: str, text: str) -> None:
        """A contact's "about" text, answered to ``getStatus``."""
        cid = _user(contact_id, "contact_id")
        self._call(lambda: self._set(lambda: self._server.iq.about.__setitem__(cid, text)))

    def set_profile_picture(self, contact_id: str, url: str) -> None:
        """A contact's (or group's) profile picture URL (``eurl``)."""
        cid = ChatId.parse(contact_id if "@" in contact_id else f"{contact_id}@c.us").serialized
        self._call(lambda: self._set(lambda: self._server.iq.pictures.__setitem__(cid, url)))

    def request_membership(self, group_id: str, requester: str) -> str:
        """``requester`` asks to join a group with approval on: stored for the admins and
        announced with a ``gp2``/``membership_approval_request`` notification."""
        gid, rid = _group(group_id), _user(requester, "requester")
        if self.group_state(gid).get("isLidAddressingMode"):
            rid = self._lid_member(rid)  # a LID-addressed group files it under the LID
        entry = {"id": rid, "addedBy": rid, "requestMethod": "InviteLink", "t": int(time.time())}
        requests = self._server.iq.requests
        self._call(lambda: self._set(lambda: requests.setdefault(gid, []).append(entry)))
        server = self._server
        return self._call(
            lambda: server.group_event(gid, "membership_approval_request", rid, [rid])
        )

    @property
    def blocked(self) -> set[str]:
        """Ids the client blocked (server side)."""
        return self._call(lambda: self._set(lambda: set(self._server.iq.blocked)))

    @property
    def presence(self) -> str | None:
        """The presence the client last sent (``available`` / ``unavailable``)."""
        return self._call(lambda: self._set(lambda: self._server.iq.presence))

    @property
    def invite_codes(self) -> dict[str, str]:
        """code -> group id of the invite links the server knows."""
        return self._call(lambda: self._set(lambda: dict(self._server.iq.invites)))

    def make_invite_code(self, group_id: str) -> str:
        """The group's invite link code (created on first use), as an admin would share it."""
        gid, iq = _group(group_id), self._server.iq
        return self._call(lambda: self._set(lambda: iq.invite_code(gid)))

    @property
    def membership_requests(self) -> dict[str, list[str]]:
        """group id -> ids that asked to join (approval-required groups)."""
        requests = self._server.iq.requests
        return self._call(
            lambda: self._set(lambda: {g: [r["id"] for r in rs] for g, rs in requests.items()})
        )

    def group_state(self, group_id: str) -> dict[str, Any]:
        """The server's copy of a group (subject, desc, announce, restrict, participants)."""
        gid = _group(group_id)
        groups = self._server.groups
        return self._call(lambda: self._set(lambda: json.loads(json.dumps(groups[gid]))))

    def add_label(self, label_id: str, name: str, color: str = "#ff9485") -> None:
        """A WhatsApp Business label the account has: pushed to the page's ``Label`` now and
        handed to every device at login."""
        label = {"id": str(label_id), "name": name, "hexColor": color}
        iq = self._server.iq

        async def put() -> None:
            iq.labels[label["id"]] = label
            await iq.push({"type": "labels", "labels": [label]})

        self._call(put)

    def deliver_call(self, caller: str, *, video: bool = False, group: bool = False) -> str:
        """Someone calls the account: a call model is added to ``WAWebCallCollection``."""
        call_id = secrets.token_hex(16).upper()
        frame = {
            "type": "call",
            "id": call_id,
            "peerJid": _user(caller, "caller"),
            "offerTime": int(time.time()),
            "isVideo": video,
            "isGroup": group,
        }
        self._call(lambda: self._server.iq.push(frame))
        return call_id

    def set_presence(self, contact_id: str, online: bool, *, state: str | None = None) -> None:
        """A contact goes online/offline (or starts typing: ``state="typing"``)."""
        cid = _user(contact_id, "contact_id")
        frame = {
            "type": "presence",
            "id": cid,
            "isOnline": online,
            "state": state,
            "t": int(time.time()),
        }
        self._call(lambda: self._server.iq.push(frame))

    @property
    def statuses(self) -> list[dict[str, Any]]:
        """Status (story) posts the client published and has not revoked."""
        return self._call(lambda: self._set(lambda: list(self._server.iq.statuses)))

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        role: str | None = None,
        subscribers: int = 100,
        admins: Sequence[str] = (),
        followers: Sequence[str] = (),
    ) -> None:
        """A channel on the server; ``role`` ``"subscriber"``/``"owner"``/``"admin"`` puts it in
        the account's channel list (sent again at every login), ``None`` makes it one the
        account can find and follow. ``admins``/``followers`` are other users in it."""
        cid = ChatId.parse(channel_id).serialized
        channel = {
            "id": cid,
            "name": name,
            "description": "",
            "subscribers": subscribers,
            "inviteCode": secrets.token_urlsafe(16)[:22],
            "creation": 1_700_000_000,
            "role": role,
            "admins": [_user(a, "admins") for a in admins],
            "followers": [_user(f, "followers") for f in followers],
        }
        iq = self._server.iq

        async def put() -> None:
            iq.channels[cid] = channel
            await iq.push({"type": "newsletters", "newsletters": [dict(channel)]})

        self._call(put)

    @property
    def channel_posts(self) -> list[dict[str, Any]]:
        """Messages the client posted to channels (``id``, ``to``, ``type``, ``body``)."""
        return self._call(lambda: self._set(lambda: list(self._server.iq.channel_posts)))

    def channel_state(self, channel_id: str) -> dict[str, Any]:
        """The server's copy of a channel (name, role of the account, subscribers)."""
        cid = ChatId.parse(channel_id).serialized
        return self._call(lambda: self._set(lambda: dict(self._server.iq.channels[cid])))

    def invite_as_channel_admin(self, channel_id: str) -> None:
        """The channel's owner invites this account to be an admin (accepted with
        ``acceptNewsletterAdminInvite``)."""
        cid = ChatId.parse(channel_id).serialized
        channels = self._server.iq.channels
        self._call(lambda: self._set(lambda: channels[cid].__setitem__("adminInviteForMe", True)))

    @property
    def call_links(self) -> list[dict[str, Any]]:
        """Call links the client created (``startTime``, ``callType``, ``link``)."""
        return self._call(lambda: self._set(lambda: list(self._server.iq.call_links)))

    def change_contact_number(self, old_id: str, new_id: str) -> str:
        """A contact changed their number: the ``notification_template`` / ``change_number``
        message in the chat with them (``to`` = new id, ``templateParams`` = [old, new])."""
        old, new = _user(old_id, "old_id"), _user(new_id, "new_id")
        fields = {
            "type": "notification_template",
            "subtype": "change_number",
            "to": new,
            "templateParams": [old, new],
            "isNotification": True,
        }
        return self.deliver_message(old, fields)

    def set_device_count(self, contact_id: str, count: int) -> None:
        """How many devices (phone + linked) a user has, for ``getDeviceIds``."""
        cid = _user(contact_id, "contact_id")
        counts = self._server.iq.device_counts
        self._call(lambda: self._set(lambda: counts.__setitem__(cid, count)))

    @property
    def address_book(self) -> dict[str, str]:
        """id -> name of contacts the client saved (``saveContactAction``), server side."""
        return self._call(lambda: self._set(lambda: dict(self._server.iq.address_book)))

    def change_number(self, group_id: str, old_id: str, new_id: str) -> str:
        """A member of a shared group changed their number: the ``gp2``/``modify``
        notification (``author`` = old id, ``recipients`` = [new id])."""
        gid, old, new = _group(group_id), _user(old_id, "old_id"), _user(new_id, "new_id")
        server = self._server
        return self._call(lambda: server.group_event(gid, "modify", old, [new]))

    def make_v4_invite(self, group_id: str) -> str:
        """A private invite (the card an admin sends in a chat) for the account to a group;
        returns its code, accepted by ``joinGroupViaInviteV4``."""
        gid = _group(group_id)
        code = secrets.token_urlsafe(12)[:16]
        invites = self._server.iq.v4_invites
        self._call(lambda: self._set(lambda: invites.__setitem__(gid, code)))
        return code

    @staticmethod
    async def _set(fn: Callable[[], _T]) -> _T:
        return fn()
