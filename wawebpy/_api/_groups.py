"""Groups API: metadata, create, participants, settings, invites, membership requests, and the
``gp2`` notifications that become group events (bridge: ``_bridge/groups.js``)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .. import events as ev
from .._models import from_unix, maybe_chat_id
from .._models._chats import (
    GroupPayload,
    build_created_group,
    build_group,
    build_invite_info,
    build_requests,
    build_results,
)
from ..errors import InvalidContentError, InvalidInputError
from ..types import (
    ChatId,
    ChatLike,
    CreatedGroup,
    Group,
    GroupInviteInfo,
    MembershipRequest,
    MessageId,
    ParticipantAction,
    ParticipantResult,
)
from ._base import ApiBase, mutating, translates

__all__ = ["GroupsApi"]

_SUBJECT_MAX = 100
_DESCRIPTION_MAX = 2048
_PARTICIPANT_ACTIONS = {a.value for a in ParticipantAction} - {"unknown"}
_INVITE_PREFIX = "https://chat.whatsapp.com/"


def _group_arg(group: ChatLike) -> dict[str, Any]:
    gid = ChatId.parse(group)
    if not gid.is_group:
        raise InvalidInputError(f"{gid} is not a group id ('<id>@g.us')")
    return {"groupId": str(gid)}


def _users(participants: Iterable[ChatLike]) -> list[str]:
    if isinstance(participants, (str, ChatId)):
        participants = [participants]
    out = [ChatId.parse(p) for p in participants]
    for p in out:
        if not p.is_user:
            raise InvalidInputError(f"{p} is not a user id")
    if not out:
        raise InvalidInputError("no participants given")
    return [str(p) for p in out]


def _subject(subject: str) -> str:
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidContentError("a group subject (name) cannot be empty")
    if len(subject) > _SUBJECT_MAX:
        raise InvalidContentError(f"a group subject has at most {_SUBJECT_MAX} characters")
    return subject


def _invite_code(code: str) -> str:
    if not isinstance(code, str) or not code.strip():
        raise InvalidContentError("invite code is empty")
    code = code.strip()
    if code.startswith(_INVITE_PREFIX):
        code = code[len(_INVITE_PREFIX) :]
    return code


class GroupsApi(ApiBase):
    _seen_gp2: OrderedDict[str, None]

    # -- page events -------------------------------------------------------------------------
    @translates("groups.notification")
    def _on_group_notification(self, p: dict[str, Any]) -> list[ev.Event]:
        seen = getattr(self, "_seen_gp2", None)
        if seen is None:
            seen = self._seen_gp2 = OrderedDict()
        mid_str = str(p.get("id") or "")
        if mid_str in seen:
            return []
        seen[mid_str] = None
        if len(seen) > 5000:
            seen.popitem(last=False)
        gid = maybe_chat_id(p.get("chatId"))
        if gid is None:
            return []
        try:
            mid: MessageId | None = MessageId.parse(mid_str)
        except InvalidInputError:
            mid = None
        subtype = str(p.get("subtype") or "")
        by = maybe_chat_id(p.get("author"))
        recipients = tuple(c for c in (maybe_chat_id(r) for r in p.get("recipients") or ()) if c)
        when = from_unix(p.get("t"))
        if subtype in _PARTICIPANT_ACTIONS:
            return [
                ev.GroupParticipantsChanged(
                    group_id=gid,
                    action=ParticipantAction(subtype),
                    participants=recipients,
                    by=by,
                    message_id=mid,
                    timestamp=when,
                    raw=p,
                )
            ]
        if subtype == "membership_approval_request":
            requester = recipients[0] if recipients else by
            if requester is None:
                return []
            return [
                ev.GroupMembershipRequest(
                    group_id=gid, requester=requester, message_id=mid, timestamp=when
                )
            ]
        if subtype == "modify" and recipients and by:
            return [
                ev.ContactChanged(old_id=by, new_id=recipients[0], group_id=gid, message_id=mid)
            ]
        return [
            ev.GroupUpdated(
                group_id=gid,
                change=subtype or "unknown",
                value=str(p.get("body") or ""),
                by=by,
                message_id=mid,
                timestamp=when,
                raw=p,
            )
        ]

    # -- reading -----------------------------------------------------------------------------
    def get_group(self, group: ChatLike) -> Group:
        """A group's subject, description, settings and participants with their roles."""
        payload: GroupPayload = self._call("groups.get", _group_arg(group))
        return build_group(payload)

    def get_invite_info(self, code: str) -> GroupInviteInfo:
        """What an invite code (or ``https://chat.whatsapp.com/…`` link) leads to, without
        joining; an invalid code raises ``WhatsAppError`` with WhatsApp's reason."""
        return build_invite_info(self._call("groups.inviteInfo", {"code": _invite_code(code)}))

    def get_invite_code(self, group: ChatLike) -> str:
        """The group's invite code (admins only: :class:`NotAdminError` otherwise)."""
        return str(self._call("groups.inviteCode", {**_group_arg(group), "revoke": False}))

    def get_membership_requests(self, group: ChatLike) -> list[MembershipRequest]:
        """Pending requests to join a group that needs approval (admins only)."""
        return build_requests(self._call("groups.requests", _group_arg(group)))

    # -- changing ------------------------------------------------------------------------------
    @mutating
    def create_group(
        self,
        subject: str,
        participants: Iterable[ChatLike] = (),
        *,
        announce: bool = False,
        restrict: bool = False,
        parent_group: ChatLike | None = None,
    ) -> CreatedGroup:
        """Create a group; each participant's outcome is in ``results`` (a number not on
        WhatsApp is reported there with code 404, never dropped)."""
        args: dict[str, Any] = {
            "title": _subject(subject),
            "participants": _users(participants) if participants else [],
            "announce": bool(announce),
            "restrict": bool(restrict),
        }
        if parent_group is not None:
            args["parentGroupId"] = _group_arg(parent_group)["groupId"]
        return build_created_group(self._call("groups.create", args))

    @mutating
    def add_participants(
        self, group: ChatLike, participants: Iterable[ChatLike]
    ) -> list[ParticipantResult]:
        """Add people; one result per person (200 added, 403 invite needed, 404 not on
        WhatsApp, 409 already in). Raises :class:`NotAdminError` when we may not add."""
        args = {**_group_arg(group), "participants": _users(participants)}
        return list(build_results(self._call("groups.add", args)))

    def _modify(
        self, group: ChatLike, action: str, participants: Iterable[ChatLike]
    ) -> list[ParticipantResult]:
        args = {**_group_arg(group), "action": action, "participants": _users(participants)}
        return list(build_results(self._call("groups.modify", args)))

    @mutating
    def remove_participants(
        self, group: ChatLike, participants: Iterable[ChatLike]
    ) -> list[ParticipantResult]:
        """Remove people (admins only); non-members come back with code 404."""
        return self._modify(group, "remove", participants)

    @mutating
    def promote_participants(
        self, group: ChatLike, participants: Iterable[ChatLike]
    ) -> list[ParticipantResult]:
        """Make members admins (admins only)."""
        return self._modify(group, "promote", participants)

    @mutating
    def demote_participants(
        self, group: ChatLike, participants: Iterable[ChatLike]
    ) -> list[ParticipantResult]:
        """Take admin rights away (admins only)."""
        return self._modify(group, "demote", participants)

    @mutating
    def set_group_subject(self, group: ChatLike, subject: str) -> None:
        """Rename a group (admins only when the group restricts editing its info)."""
        self._call("groups.setSubject", {**_group_arg(group), "subject": _subject(subject)})

    @mutating
    def set_group_description(self, group: ChatLike, description: str) -> None:
        """Change a group's description (admins only when the group restricts editing its info)."""
        if not isinstance(description, str) or len(description) > _DESCRIPTION_MAX:
            raise InvalidContentError(f"description must be a str of <= {_DESCRIPTION_MAX} chars")
        self._call("groups.setDescription", {**_group_arg(group), "description": description})

    @mutating
    def set_group_settings(
        self,
        group: ChatLike,
        *,
        admins_only_messages: bool | None = None,
        admins_only_info: bool | None = None,
        admins_only_add: bool | None = None,
    ) -> None:
        """Change who may send messages, edit the group's info, and add members (admins only).

        Settings left ``None`` are not touched.
        """
        base = _group_arg(group)
        changes = [
            ("announcement", admins_only_messages, 1),
            ("restrict", admins_only_info, 1),
            ("member_add_mode", admins_only_add, 0),  # WhatsApp: 0 means admins only here
        ]
        if all(value is None for _, value, _ in changes):
            raise InvalidInputError("no setting given")
        for prop, value, on in changes:
            if value is not None:
                args = {**base, "property": prop, "value": on if value else 1 - on}
                self._call("groups.setProperty", args)

    @mutating
    def revoke_invite_code(self, group: ChatLike) -> str:
        """Invalidate the group's invite link; returns the new code."""
        return str(self._call("groups.inviteCode", {**_group_arg(group), "revoke": True}))

    @mutating
    def join_group(self, code: str) -> ChatId:
        """Join a group by invite code or link; returns its id."""
        gid = maybe_chat_id(self._call("groups.join", {"code": _invite_code(code)}))
        if gid is None:
            raise InvalidContentError("WhatsApp did not return the joined group's id")
        return gid

    @mutating
    def accept_group_v4_invite(
        self, group: ChatLike, *, code: str, expiration: datetime | int, inviter: ChatLike
    ) -> ChatId:
        """Accept a private group invite card (``groups_v4_invite`` message: its
        ``inviteCode``, ``inviteCodeExp``, group and sender); returns the group id."""
        exp = int(expiration.timestamp()) if isinstance(expiration, datetime) else int(expiration)
        args = {
            **_group_arg(group),
            "code": _invite_code(code),
            "expiration": exp,
            "inviterId": str(ChatId.parse(inviter)),
        }
        gid = maybe_chat_id(self._call("groups.joinV4", args))
        if gid is None:
            raise InvalidContentError("WhatsApp did not return the joined group's id")
        return gid

    @mutating
    def leave_group(self, group: ChatLike) -> None:
        """Leave a group; :class:`GroupParticipantsChanged` (``LEAVE``) follows."""
        self._call("groups.leave", _group_arg(group))

    def _requests(
        self, group: ChatLike, approve: bool, requesters: Iterable[ChatLike] | None
    ) -> list[ParticipantResult]:
        ids = (
            _users(requesters)
            if requesters is not None
            else [str(r.requester) for r in self.get_membership_requests(group)]
        )
        if not ids:
            return []
        args = {**_group_arg(group), "approve": approve, "participants": ids}
        return list(build_results(self._call("groups.requestsAction", args)))

    @mutating
    def approve_membership_requests(
        self, group: ChatLike, requesters: Iterable[ChatLike] | None = None
    ) -> list[ParticipantResult]:
        """Let requesters in (all pending ones when ``requesters`` is None)."""
        return self._requests(group, True, requesters)

    @mutating
    def reject_membership_requests(
        self, group: ChatLike, requesters: Iterable[ChatLike] | None = None
    ) -> list[ParticipantResult]:
        """Turn requesters away (all pending ones when ``requesters`` is None)."""
        return self._requests(group, False, requesters)
