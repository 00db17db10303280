"""The fake server's answers to the page's requests about chats, contacts, groups and account.

The page's action modules (``_page/actions.js``) send ``{"type": "iq", id, name, args}``; the
server records every request in :class:`Observed` (``fake.iq_requests``) and answers
``{"type": "iq_result", id, result}`` or ``{..., error: {status, text}}`` with WhatsApp's HTTP-like
status codes (403 not admin / not allowed, 404 unknown, 406 invalid, 409 already a member).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._server import WhatsAppServer

__all__ = ["IqError", "IqState"]


class IqError(Exception):
    """A refusal the page receives as a server status code."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def _code() -> str:
    return secrets.token_urlsafe(16)[:22]


class IqState:
    """Server-side account state beyond messages: registration, block list, abouts, invites."""

    def __init__(self, server: WhatsAppServer) -> None:
        self.server = server
        self.unregistered: set[str] = set()
        self.blocked: set[str] = set()
        self.about: dict[str, str] = {}
        self.pictures: dict[str, str] = {}
        self.invites: dict[str, str] = {}  # code -> group id
        self.requests: dict[str, list[dict[str, Any]]] = {}  # group -> membership requests
        self.push_name: str | None = None
        self.presence: str | None = None
        self.statuses: list[dict[str, Any]] = []
        self.subscribed: set[str] = set()
        self.channels: dict[str, dict[str, Any]] = {}
        self.channel_posts: list[dict[str, Any]] = []
        self.device_counts: dict[str, int] = {}
        self.address_book: dict[str, str] = {}
        self.notes: dict[str, dict[str, Any]] = {}
        self.v4_invites: dict[str, str] = {}  # group -> code sent privately to this account
        self.labels: dict[str, dict[str, Any]] = {}  # WhatsApp Business labels of the account
        self.call_links: list[dict[str, Any]] = []
        # phone number -> LID (None: the server gives no LID for it). Numbers not listed get a
        # stable derived LID, as every registered account has one since the 2025-26 migration.
        self.lids: dict[str, str | None] = {}

    # -- helpers ------------------------------------------------------------------------------

    def _group(self, gid: str) -> dict[str, Any]:
        group = self.server.groups.get(gid)
        if group is None:
            raise IqError(404, "item-not-found")
        return group

    def _require_admin(self, group: dict[str, Any]) -> None:
        me = self.me_in(group)
        for p in group["participants"]:
            if p["id"] == me:
                if p.get("isAdmin") or p.get("isSuperAdmin"):
                    return
                raise IqError(403, "not-authorized")
        raise IqError(403, "not-authorized: not a participant")

    def lid_for(self, pn: str) -> str | None:
        """The LID the server holds for phone number ``pn`` (``<digits>@c.us``), or None."""
        if pn == self.server.me:
            return str(self.server.cfg.lid)
        if pn in self.lids:
            return self.lids[pn]
        if pn in self.unregistered or not pn.endswith("@c.us"):
            return None
        digits = int(hashlib.sha256(pn.encode()).hexdigest()[:12], 16)
        return f"{digits}@lid"

    def me_in(self, group: dict[str, Any]) -> str:
        """This account's participant id in ``group``: its LID when the group is LID-addressed."""
        return str(self.server.cfg.lid) if group.get("isLidAddressingMode") else self.server.me

    def participant_id(self, group: dict[str, Any], wid: str) -> str:
        """How ``group`` keys the user ``wid``: LID-addressed groups key everyone by LID."""
        if group.get("isLidAddressingMode") and wid.endswith("@c.us"):
            return self.lid_for(wid) or wid
        return wid

    def _members(self, group: dict[str, Any]) -> set[str]:
        return {str(p["id"]) for p in group["participants"]}

    def invite_code(self, gid: str) -> str:
        for code, target in self.invites.items():
            if target == gid:
                return code
        code = _code()
        self.invites[code] = gid
        return code

    async def _push_group(self, group: dict[str, Any]) -> None:
        for page in self.server._authed_pages():
            await self.server._send(page, {"type": "groups", "groups": [group]})

    # -- dispatch -------------------------------------------------------------------------------

    async def handle(self, name: str, args: dict[str, Any]) -> Any:
        fn = getattr(self, "iq_" + name.replace(".", "_"), None)
        if fn is None:
            raise IqError(501, f"feature-not-implemented: {name}")
        return await fn(args)

    # -- contacts -------------------------------------------------------------------------------

    async def iq_exists(self, a: dict[str, Any]) -> Any:
        wid = str(a["wid"])
        if wid in self.unregistered or not wid.endswith(("@c.us", "@lid")):
            return None
        # The usync answer carries the LID too (wa-js src/contact/functions/getPnLidEntry.ts:
        # queryExists(wid).lid); the page stores the pair (wwebjs v1.34.7 Utils.js:1704-1711
        # reads getCurrentLid again after queryWidExists).
        lid = self.lid_for(wid) if wid.endswith("@c.us") else wid
        return {"wid": wid, "lid": lid} if lid else {"wid": wid}

    async def iq_block(self, a: dict[str, Any]) -> Any:
        self.blocked.add(str(a["wid"]))
        return {"status": 200}

    async def iq_unblock(self, a: dict[str, Any]) -> Any:
        self.blocked.discard(str(a["wid"]))
        return {"status": 200}

    async def iq_status_get(self, a: dict[str, Any]) -> Any:
        wid = str(a["wid"])
        if wid not in self.about:
            raise IqError(404, "item-not-found")
        return {"status": self.about[wid]}

    async def iq_status_set(self, a: dict[str, Any]) -> Any:
        self.about[self.server.me] = str(a["text"])
        return {"status": 200}

    async def iq_picture_get(self, a: dict[str, Any]) -> Any:
        wid = str(a["wid"])
        if wid not in self.pictures:
            raise IqError(404, "item-not-found")
        return {"eurl": self.pictures[wid], "tag": "1"}

    async def iq_picture_set(self, a: dict[str, Any]) -> Any:
        wid = str(a["wid"])
        if wid.endswith("@g.us"):
            group = self._group(wid)
            if group.get("restrict"):
                self._require_admin(group)
        self.pictures[wid] = str(a["full"])
        if wid.endswith("@g.us"):
            await self.server.group_event(wid, "picture", self.server.me, [])
        return {"status": 200}

    async def iq_pushname(self, a: dict[str, Any]) -> Any:
        self.push_name = str(a["name"])
        return True

    async def iq_presence(self, a: dict[str, Any]) -> Any:
        self.presence = str(a["state"])
        return True

    async def iq_chatstate(self, a: dict[str, Any]) -> Any:
        return True

    async def iq_chat_clear(self, a: dict[str, Any]) -> Any:
        chat = str(a["chat"])
        for mid in [m.id for m in self.server.messages.values() if m.chat == chat]:
            del self.server.messages[mid]
        return True

    async def iq_chat_delete(self, a: dict[str, Any]) -> Any:
        return await self.iq_chat_clear(a)

    # -- groups ---------------------------------------------------------------------------------

    async def iq_group_create(self, a: dict[str, Any]) -> Any:
        title = str(a.get("title") or "")
        if not title.strip():
            raise IqError(406, "not-acceptable: empty subject")
        gid = f"1203630{secrets.randbelow(10**11):011d}@g.us"
        me = self.server.me
        results = []
        members = [{"id": me, "isAdmin": True, "isSuperAdmin": True}]
        for pid in [str(x) for x in a.get("participants") or []]:
            if pid in self.unregistered:
                results.append({"wid": pid, "error": "404"})
                continue
            members.append({"id": pid, "isAdmin": False, "isSuperAdmin": False})
            results.append({"wid": pid})
        opts = a.get("options") or {}
        group = {
            "id": gid,
            "subject": title,
            "owner": me,
            "creation": int(time.time()),
            "desc": "",
            "descId": None,
            "announce": bool(opts.get("announce")),
            "restrict": bool(opts.get("restrict")),
            "participants": members,
        }
        self.server.groups[gid] = group
        await self._push_group(group)
        return {"wid": gid, "subject": title, "participants": results}

    async def iq_group_add(self, a: dict[str, Any]) -> Any:
        group = self._group(str(a["group"]))
        self._require_admin(group)
        pid = str(a["participant"])
        if pid in self.unregistered:
            return {"error": "404"}
        pid = self.participant_id(group, pid)
        if pid in self._members(group):
            return {"error": "409"}
        await self.server.group_event(group["id"], "add", self.me_in(group), [pid])
        return {"error": None}

    async def iq_group_modify(self, a: dict[str, Any]) -> Any:
        group = self._group(str(a["group"]))
        self._require_admin(group)
        action = str(a["action"])
        wanted = [str(p) for p in a.get("participants") or []]
        members = self._members(group)
        missing = [p for p in wanted if p not in members]
        if missing:
            raise IqError(404, "item-not-found: not a participant: " + ", ".join(missing))
        await self.server.group_event(group["id"], action, self.me_in(group), wanted)
        return {"status": 200}

    async def iq_group_subject(self, a: dict[str, Any]) -> Any:
        group = self._group(str(a["group"]))
        if group.get("restrict"):
            self._require_admin(group)
        subject = str(a.get("subject") or "")
        if not subject.strip():
            raise IqError(406, "not-acceptable: empty subject")
        await self.server.group_event(group["id"], "subject", self.server.me, [], body=subject)
        return {"status": 200}

    async def iq_group_description(self, a: dict[str, Any]) -> Any:
        group = self._group(str(a["group"]))
        if group.get("restrict"):
            self._require_admin(group)
        desc = str(a.get("description") or "")
        group["descId"] = secrets.token_hex(8).upper()
        await self.server.group_event(group["id"], "description", self.server.me, [], body=desc)
        return {"status": 200}

    async def iq_group_property(self, a: dict[str, Any]) -> Any:
        group = self._group(str(a["group"]))
        self._require_admin(group)
        prop, value = str(a["property"]), int(a["value"])
        if prop == "announcement":
            group["announce"] = bool(value)
            subtype = "announce"
        elif prop == "restrict":
            group["restrict"] = bool(value)
            subtype = "restrict"
        elif prop == "member_add_mode":
            group["memberAddMode"] = "admin_add" if value == 0 else "all_member_add"
            subtype = "member_add_mode"
        else:
            raise IqError(400, "bad-request: unknown property " + prop)
        await self.server.group_event(group["id"], subtype, self.server.me, [], body=str(value))
        return {"status": 200}

    async def iq_group_invite_code(self, a: dict[str, Any]) -> Any:
        group = self._group(str(a["group"]))
        self._require_admin(group)
        return {"code": self.invite_code(group["id"])}

    async def iq_group_revoke_invite(self, a: dict[str, Any]) -> Any:
        group = self._group(str(a["group"]))
        self._require_admin(group)
        for code in [c for c, g in self.invites.items() if g == group["id"]]:
            del self.invites[code]
        return {"code": self.invite_code(group["id"])}

    async def iq_group_invite_info(self, a: dict[str, Any]) -> Any:
        gid = self.invites.get(str(a["code"]))
        if gid is None:
            raise IqError(406, "not-acceptable: invalid invite code")
        group = self._group(gid)
        return {
            "id": gid,
            "subject": group["subject"],
            "owner": group.get("owner"),
            "creation": group.get("creation"),
            "desc": group.get("desc") or "",
            "size": len(group["participants"]),
            "membershipApprovalMode": bool(group.get("membershipApprovalMode")),
        }

    async def iq_group_join(self, a: dict[str, Any]) -> Any:
        gid = self.invites.get(str(a["code"]))
        if gid is None:
            raise IqError(406, "not-acceptable: invalid invite code")
        me = self.server.me
        group = self._group(gid)
        if me not in self._members(group) and group.get("membershipApprovalMode"):
            # An approval-required group only files the request; the admins decide later.
            entry = {"id": me, "addedBy": me, "requestMethod": "InviteLink", "t": int(time.time())}
            self.requests.setdefault(gid, []).append(entry)
            return {"gid": gid, "membershipApprovalMode": True}
        if me not in self._members(group):
            await self.server.group_event(gid, "invite", me, [me])
        return {"gid": gid}

    async def iq_group_leave(self, a: dict[str, Any]) -> Any:
        group = self._group(str(a["group"]))
        me = self.server.me
        if me not in self._members(group):
            raise IqError(403, "not-authorized: not a participant")
        await self.server.group_event(group["id"], "leave", me, [me])
        return {"status": 200}

    async def iq_group_requests(self, a: dict[str, Any]) -> Any:
        group = self._group(str(a["group"]))
        self._require_admin(group)
        return list(self.requests.get(group["id"], []))

    async def iq_group_requests_action(self, a: dict[str, Any]) -> Any:
        group = self._group(str(a["group"]))
        self._require_admin(group)
        pending = self.requests.setdefault(group["id"], [])
        out: list[dict[str, Any]] = []
        for pid in [self.participant_id(group, str(p)) for p in a.get("participants") or []]:
            entry = next((r for r in pending if r["id"] == pid), None)
            if entry is None:
                out.append({"jid": pid, "error": "404"})
                continue
            pending.remove(entry)
            if a.get("action") == "approve":
                await self.server.group_event(group["id"], "add", self.me_in(group), [pid])
            out.append({"jid": pid, "error": None})
        return out

    # -- labels, status, calls, presence --------------------------------------------------------

    async def push(self, frame: dict[str, Any]) -> None:
        """Send a frame to every online page."""
        for page in self.server._authed_pages():
            await self.server._send(page, frame)

    async def iq_labels_change(self, a: dict[str, Any]) -> Any:
        return True

    async def iq_status_send(self, a: dict[str, Any]) -> Any:
        self.statuses.append(dict(a))
        return {"status": 200}

    async def iq_status_revoke(self, a: dict[str, Any]) -> Any:
        self.statuses = [s for s in self.statuses if s["id"] != a["id"]]
        return {"status": 200}

    async def iq_stanza(self, a: dict[str, Any]) -> Any:
        return {"status": 200}

    async def iq_presence_subscribe(self, a: dict[str, Any]) -> Any:
        self.subscribed.add(str(a["wid"]))
        return True

    # -- channels -----------------------------------------------------------------------------

    def _channel(self, cid: str) -> dict[str, Any]:
        channel = self.channels.get(cid)
        if channel is None:
            raise IqError(404, "item-not-found: no such channel")
        return channel

    async def iq_channel_create(self, a: dict[str, Any]) -> Any:
        name = str(a.get("name") or "")
        if not name.strip():
            raise IqError(406, "not-acceptable: empty channel name")
        cid = f"1203634{secrets.randbelow(10**11):011d}@newsletter"
        channel = {
            "id": cid,
            "name": name,
            "description": str(a.get("description") or ""),
            "subscribers": 1,
            "inviteCode": _code(),
            "creation": int(time.time()),
            "role": "owner",
        }
        self.channels[cid] = channel
        return dict(channel)

    async def iq_channel_get(self, a: dict[str, Any]) -> Any:
        return dict(self._channel(str(a["id"])))

    async def iq_channel_subscribe(self, a: dict[str, Any]) -> Any:
        channel = self._channel(str(a["id"]))
        if not channel.get("role") or channel["role"] == "guest":
            channel["role"] = "subscriber"
            channel["subscribers"] += 1
        return dict(channel)

    async def iq_channel_unsubscribe(self, a: dict[str, Any]) -> Any:
        channel = self._channel(str(a["id"]))
        if channel.get("role") == "owner":
            raise IqError(403, "not-allowed: the owner cannot unsubscribe")
        if channel.get("role") == "subscriber":
            channel["subscribers"] -= 1
        channel["role"] = None
        return True

    async def iq_channel_search(self, a: dict[str, Any]) -> Any:
        text = str(a.get("searchText") or "").casefold()
        skip = bool(a.get("skipSubscribedNewsletters"))
        found = [
            dict(c)
            for c in self.channels.values()
            if text in c["name"].casefold() and not (skip and c.get("role"))
        ]
        return {"newsletters": found, "pageInfo": {"hasNextPage": False}}

    async def iq_channel_send(self, a: dict[str, Any]) -> Any:
        channel = self._channel(str(a["to"]))
        if channel.get("role") not in ("owner", "admin"):
            raise IqError(403, "not-authorized: only channel admins can post")
        self.channel_posts.append(dict(a))
        return {"t": int(time.time()), "serverId": len(self.channel_posts) + 100}

    def _my_channel(self, cid: str, *, owner_only: bool = False) -> dict[str, Any]:
        channel = self._channel(cid)
        if channel.get("role") != "owner" and (owner_only or channel.get("role") != "admin"):
            raise IqError(403, "not-authorized: not a channel admin")
        return channel

    async def iq_channel_edit(self, a: dict[str, Any]) -> Any:
        channel = self._my_channel(str(a["id"]))
        if "name" in a:
            if not str(a["name"] or "").strip():
                raise IqError(406, "not-acceptable: empty channel name")
            channel["name"] = str(a["name"])
        if "description" in a:
            channel["description"] = str(a["description"] or "")
        if "picture" in a:
            channel["picture"] = str(a["picture"] or "") or None
        if "reactions" in a:
            if a["reactions"] not in (0, 1, 3):
                raise IqError(400, "bad-request: unknown reaction setting")
            channel["reactions"] = int(a["reactions"])
        return dict(channel)

    async def iq_channel_admin_invite(self, a: dict[str, Any]) -> Any:
        channel = self._my_channel(str(a["id"]), owner_only=True)
        user = str(a["user"])
        if user in self.unregistered:
            raise IqError(404, "item-not-found: not on WhatsApp")
        channel.setdefault("pendingAdmins", [])
        if user not in channel["pendingAdmins"]:
            channel["pendingAdmins"].append(user)
        return {"status": 200}

    async def iq_channel_admin_revoke(self, a: dict[str, Any]) -> Any:
        channel = self._my_channel(str(a["id"]), owner_only=True)
        pending = channel.get("pendingAdmins") or []
        if str(a["user"]) not in pending:
            raise IqError(404, "item-not-found: no invitation for this user")
        pending.remove(str(a["user"]))
        return {"status": 200}

    async def iq_channel_admin_accept(self, a: dict[str, Any]) -> Any:
        channel = self._channel(str(a["id"]))
        if not channel.get("adminInviteForMe"):
            raise IqError(404, "item-not-found: no admin invitation")
        channel["adminInviteForMe"] = False
        if channel.get("role") in (None, "guest"):
            channel["subscribers"] += 1
        channel["role"] = "admin"
        return dict(channel)

    async def iq_channel_admin_demote(self, a: dict[str, Any]) -> Any:
        channel = self._channel(str(a["id"]))
        user = str(a["user"])
        if user == self.server.me:
            if channel.get("role") != "admin":
                raise IqError(403, "not-authorized: not a channel admin")
            channel["role"] = "subscriber"
            return dict(channel)
        self._my_channel(channel["id"], owner_only=True)
        admins = channel.get("admins") or []
        if user not in admins:
            raise IqError(404, "item-not-found: not a channel admin")
        admins.remove(user)
        return dict(channel)

    async def iq_channel_owner(self, a: dict[str, Any]) -> Any:
        channel = self._my_channel(str(a["id"]), owner_only=True)
        user = str(a["user"])
        admins = channel.setdefault("admins", [])
        if user not in admins:
            raise IqError(406, "not-acceptable: the new owner must be a channel admin")
        admins.remove(user)
        channel["owner"] = user
        channel["role"] = "admin"
        return dict(channel)

    async def iq_channel_subscribers(self, a: dict[str, Any]) -> Any:
        channel = self._my_channel(str(a["id"]))
        out = [{"id": uid, "role": "admin"} for uid in channel.get("admins") or []]
        out += [{"id": uid, "role": "subscriber"} for uid in channel.get("followers") or []]
        return out[: int(a.get("limit") or 100)]

    async def iq_channel_user_setting(self, a: dict[str, Any]) -> Any:
        channel = self._channel(str(a["id"]))
        if channel.get("role") in (None, "guest"):
            raise IqError(403, "not-authorized: not following this channel")
        if a.get("type") != "admin_notifications" or a.get("value") not in ("on", "off"):
            raise IqError(400, "bad-request: unknown setting")
        channel["muted"] = a["value"] == "on"
        return dict(channel)

    async def iq_call_link(self, a: dict[str, Any]) -> Any:
        kind = str(a.get("callType"))
        if kind not in ("voice", "video"):
            raise IqError(400, "bad-request: call type")
        link = f"https://call.whatsapp.com/{kind}/{secrets.token_urlsafe(16)}"
        self.call_links.append({"startTime": a.get("startTime"), "callType": kind, "link": link})
        return {"link": link}

    async def login_frames(self) -> list[dict[str, Any]]:
        """What the server hands a device that has just logged in, besides the ``connected``
        frame: the account's labels (app-state sync) and the channels it follows or runs."""
        frames: list[dict[str, Any]] = []
        if self.labels:
            frames.append({"type": "labels", "labels": list(self.labels.values())})
        followed = [dict(c) for c in self.channels.values() if c.get("role")]
        if followed:
            frames.append({"type": "newsletters", "newsletters": followed})
        return frames

    # -- devices, history sync, address book ---------------------------------------------------

    async def iq_devices(self, a: dict[str, Any]) -> Any:
        return [self.device_counts.get(str(w), 1) for w in a.get("wids") or []]

    async def iq_history_sync(self, a: dict[str, Any]) -> Any:
        return True

    async def iq_contact_save(self, a: dict[str, Any]) -> Any:
        name = " ".join(x for x in (a.get("firstName"), a.get("lastName")) if x)
        self.address_book[str(a["wid"])] = name
        return True

    async def iq_contact_delete(self, a: dict[str, Any]) -> Any:
        self.address_book.pop(str(a["wid"]), None)
        return True

    async def iq_channel_delete(self, a: dict[str, Any]) -> Any:
        channel = self._channel(str(a["id"]))
        if channel.get("role") != "owner":
            raise IqError(403, "not-authorized: only the owner can delete a channel")
        del self.channels[channel["id"]]
        return True

    async def iq_channel_by_invite(self, a: dict[str, Any]) -> Any:
        code = str(a.get("code"))
        for channel in self.channels.values():
            if channel.get("inviteCode") == code:
                return dict(channel)
        raise IqError(404, "item-not-found: no channel with this invite code")

    async def iq_note_set(self, a: dict[str, Any]) -> Any:
        jid = str(a["chatJid"])
        now = int(time.time())
        old = self.notes.get(jid)
        self.notes[jid] = {
            "id": old["id"] if old else secrets.token_hex(8),
            "chatJid": jid,
            "content": str(a.get("content") or ""),
            "type": str(a.get("type") or "unstructured"),
            "createdAt": old["createdAt"] if old else now,
            "modifiedAt": now,
        }
        return True

    async def iq_note_get(self, a: dict[str, Any]) -> Any:
        return self.notes.get(str(a["chatJid"]))

    async def iq_group_join_v4(self, a: dict[str, Any]) -> Any:
        group = self._group(str(a["group"]))
        if int(a.get("expiration") or 0) < time.time():
            raise IqError(410, "gone: the invite expired")
        if str(a.get("code")) != self.v4_invites.get(group["id"]):
            raise IqError(406, "not-acceptable: invalid invite code")
        me = self.server.me
        if me not in self._members(group):
            await self.server.group_event(group["id"], "invite", me, [me])
        return {"gid": group["id"]}
