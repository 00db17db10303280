"""Payloads of the chats, contacts, groups and account bridge files, and their models."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from ..errors import InvalidInputError
from ..types import (
    AccountInfo,
    Broadcast,
    BusinessProfile,
    Call,
    Channel,
    ChatId,
    CreatedGroup,
    Group,
    GroupInviteInfo,
    GroupParticipant,
    Label,
    LidPhone,
    MembershipRequest,
    ParticipantResult,
)
from . import build_message, from_unix, maybe_chat_id

__all__ = [
    "GroupPayload",
    "build_account",
    "build_broadcast",
    "build_business_profile",
    "build_call",
    "build_channel",
    "build_created_group",
    "build_group",
    "build_invite_info",
    "build_label",
    "build_lid_phone",
    "build_requests",
    "build_results",
]


class ParticipantPayload(TypedDict, total=False):
    id: str
    isAdmin: bool
    isSuperAdmin: bool


class GroupPayload(TypedDict, total=False):
    """``serializeGroup`` in ``_bridge/groups.js``."""

    id: str
    subject: str | None
    desc: str
    owner: str | None
    creation: int
    announce: bool
    restrict: bool
    memberAddMode: str | None
    participants: list[ParticipantPayload]


def _id(value: Any, what: str) -> ChatId:
    cid = maybe_chat_id(value)
    if cid is None:
        raise InvalidInputError(f"{what} payload without an id")
    return cid


def build_group(p: GroupPayload) -> Group:
    gid = _id(p.get("id"), "group")
    return Group(
        id=gid,
        subject=str(p.get("subject") or ""),
        description=str(p.get("desc") or ""),
        owner=maybe_chat_id(p.get("owner")),
        created=from_unix(p.get("creation")),
        participants=tuple(
            GroupParticipant(
                id=_id(x.get("id"), "participant"),
                is_admin=bool(x.get("isAdmin")),
                is_super_admin=bool(x.get("isSuperAdmin")),
            )
            for x in p.get("participants") or ()
        ),
        announce=bool(p.get("announce")),
        restrict=bool(p.get("restrict")),
        admins_add_members=p.get("memberAddMode") == "admin_add",
        raw=p,
    )


def build_results(items: Iterable[dict[str, Any]]) -> tuple[ParticipantResult, ...]:
    return tuple(
        ParticipantResult(
            id=_id(x.get("id"), "participant"),
            code=int(x.get("code") or 0),
            reason=str(x["reason"]) if x.get("reason") else None,
        )
        for x in items
    )


def build_created_group(p: dict[str, Any]) -> CreatedGroup:
    return CreatedGroup(
        id=_id(p.get("id"), "group"),
        subject=str(p.get("subject") or ""),
        results=build_results(p.get("results") or ()),
    )


def build_invite_info(p: dict[str, Any]) -> GroupInviteInfo:
    return GroupInviteInfo(
        id=_id(p.get("id"), "group"),
        subject=str(p.get("subject") or ""),
        description=str(p.get("desc") or ""),
        owner=maybe_chat_id(p.get("owner")),
        created=from_unix(p.get("creation")),
        size=int(p.get("size") or 0),
        raw=p,
    )


def build_requests(items: Iterable[dict[str, Any]]) -> list[MembershipRequest]:
    return [
        MembershipRequest(
            requester=_id(x.get("id"), "requester"),
            added_by=maybe_chat_id(x.get("addedBy")),
            method=x.get("method"),
            timestamp=from_unix(x.get("t")),
        )
        for x in items
    ]


def build_lid_phone(p: dict[str, Any]) -> LidPhone:
    return LidPhone(lid=maybe_chat_id(p.get("lid")), phone=maybe_chat_id(p.get("pn")))


def build_business_profile(p: dict[str, Any] | None) -> BusinessProfile | None:
    if not p:
        return None
    return BusinessProfile(
        description=p.get("description"),
        email=p.get("email"),
        websites=tuple(str(w) for w in p.get("website") or ()),
        address=p.get("address"),
        categories=tuple(str(c) for c in p.get("categories") or ()),
    )


def build_account(p: dict[str, Any]) -> AccountInfo:
    return AccountInfo(
        id=_id(p.get("pn") or p.get("lid"), "account"),
        lid=maybe_chat_id(p.get("lid")),
        push_name=p.get("pushname"),
        platform=p.get("platform"),
    )


def build_label(p: dict[str, Any]) -> Label:
    return Label(id=str(p.get("id")), name=str(p.get("name") or ""), color=p.get("hexColor"))


def build_broadcast(p: dict[str, Any], me: ChatId | None) -> Broadcast:
    return Broadcast(
        id=_id(p.get("id"), "status"),
        timestamp=from_unix(p.get("t")),
        total_count=int(p.get("totalCount") or 0),
        unread_count=int(p.get("unreadCount") or 0),
        messages=tuple(build_message(m, me) for m in p.get("msgs") or ()),
    )


def build_call(p: dict[str, Any]) -> Call:
    return Call(
        id=str(p.get("id")),
        caller=_id(p.get("from"), "call"),
        timestamp=from_unix(p.get("t")),
        is_video=bool(p.get("isVideo")),
        is_group=bool(p.get("isGroup")),
        raw=p,
    )


def build_channel(p: dict[str, Any]) -> Channel:
    return Channel(
        id=_id(p.get("id"), "channel"),
        name=str(p.get("name") or ""),
        description=str(p.get("description") or ""),
        subscribers=int(p.get("subscribers") or 0),
        role=p.get("role"),
        invite_code=p.get("inviteCode"),
        created=from_unix(p.get("creation")),
        raw=p,
    )
