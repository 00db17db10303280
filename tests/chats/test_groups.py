"""Groups and the own account end to end against the fake in real headless Chromium."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from conftest import GROUP, GROUP2, ME, MEMBER, OTHER, PEER, Session, logged_in

from wawebpy import events
from wawebpy.errors import (
    InvalidContentError,
    InvalidInputError,
    NotAdminError,
    WhatsAppError,
)
from wawebpy.types import ChatId, ParticipantAction

MY_ID = ChatId.parse(f"{ME}@c.us")
NEWBIE = "15552222222@c.us"
GHOST = "15550000404@c.us"


@pytest.fixture(scope="module")
def s(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    with logged_in(tmp_path_factory.mktemp("groups")) as session:
        session.fake.mark_unregistered(GHOST)
        yield session


def test_get_group_info_and_roles(s: Session) -> None:
    g = s.client.get_group(GROUP)
    assert g.subject == "Test group" and g.owner == MY_ID
    roles = {p.id: (p.is_admin, p.is_super_admin) for p in g.participants}
    assert roles[MY_ID] == (True, True) and roles[ChatId.parse(PEER)] == (False, False)
    assert g.admins == (MY_ID,)
    with pytest.raises(InvalidInputError):
        s.client.get_group(PEER)


def test_create_group_reports_each_participant(s: Session) -> None:
    created = s.client.create_group("Bots united", [PEER, GHOST, MEMBER])
    args = s.fake.wait_for_iq("group.create")
    assert args["title"] == "Bots united" and args["participants"] == [PEER, MEMBER]
    results = {str(r.id): r for r in created.results}
    assert results[PEER].ok and results[MEMBER].ok
    assert results[GHOST].code == 404 and not results[GHOST].ok
    g = s.client.get_group(created.id)
    assert g.subject == "Bots united" and g.owner == MY_ID
    assert {str(p.id) for p in g.participants} == {PEER, MEMBER, f"{ME}@c.us"}


def test_create_group_with_empty_name_is_refused_before_the_browser(s: Session) -> None:
    before = len(s.fake.iq_requests)
    with pytest.raises(InvalidContentError):
        s.client.create_group("   ", [PEER])
    assert len(s.fake.iq_requests) == before


def test_add_participants_partial_results_and_event(s: Session) -> None:
    mark = s.rec.mark()
    results = s.client.add_participants(GROUP, [NEWBIE, GHOST, PEER])
    codes = {str(r.id): r.code for r in results}
    assert codes == {NEWBIE: 200, GHOST: 404, PEER: 409}
    assert s.fake.wait_for_iq("group.add")["participant"] == NEWBIE
    assert NEWBIE in {p["id"] for p in s.fake.group_state(GROUP)["participants"]}
    ev = s.rec.wait(
        events.GroupParticipantsChanged,
        lambda e: e.action is ParticipantAction.ADD and str(e.participants[0]) == NEWBIE,
        start=mark,
    )
    assert ev.group_id == ChatId.parse(GROUP) and ev.by == MY_ID
    # the gp2 notification is a group event, not an ordinary new message
    assert not [e for e in s.rec.of(events.NewMessage) if e.message.id == ev.message_id]


def test_promote_demote_remove_with_events(s: Session) -> None:
    mark = s.rec.mark()
    assert [r.code for r in s.client.promote_participants(GROUP, [NEWBIE])] == [200]
    s.rec.wait(
        events.GroupParticipantsChanged, lambda e: e.action is ParticipantAction.PROMOTE, start=mark
    )
    assert ChatId.parse(NEWBIE) in s.client.get_group(GROUP).admins
    s.client.demote_participants(GROUP, NEWBIE)
    s.rec.wait(
        events.GroupParticipantsChanged, lambda e: e.action is ParticipantAction.DEMOTE, start=mark
    )
    results = s.client.remove_participants(GROUP, [NEWBIE, OTHER])
    assert {str(r.id): r.code for r in results} == {NEWBIE: 200, OTHER: 404}
    ev = s.rec.wait(
        events.GroupParticipantsChanged, lambda e: e.action is ParticipantAction.REMOVE, start=mark
    )
    assert ev.participants == (ChatId.parse(NEWBIE),)
    args = s.fake.wait_for_iq("group.modify", lambda a: a["action"] == "remove")
    assert args["participants"] == [NEWBIE]


def test_non_admin_gets_not_admin_error(s: Session) -> None:
    with pytest.raises(NotAdminError) as info:
        s.client.remove_participants(GROUP2, [MEMBER])
    assert info.value.chat_id == GROUP2 and "not-authorized" in info.value.reason
    with pytest.raises(NotAdminError):
        s.client.add_participants(GROUP2, [NEWBIE])
    with pytest.raises(NotAdminError):
        s.client.get_invite_code(GROUP2)
    with pytest.raises(NotAdminError):
        s.client.set_group_settings(GROUP2, admins_only_messages=True)


def test_participant_events_from_others(s: Session) -> None:
    mark = s.rec.mark()
    s.fake.add_participants(GROUP, [OTHER], by=PEER)
    ev = s.rec.wait(
        events.GroupParticipantsChanged, lambda e: e.by == ChatId.parse(PEER), start=mark
    )
    assert ev.action is ParticipantAction.ADD and ev.participants == (ChatId.parse(OTHER),)
    s.fake.remove_participants(GROUP, [OTHER], by=OTHER)
    ev = s.rec.wait(
        events.GroupParticipantsChanged, lambda e: e.action is ParticipantAction.LEAVE, start=mark
    )
    assert ev.by == ChatId.parse(OTHER)


def test_subject_description_settings_and_group_updated(s: Session) -> None:
    mark = s.rec.mark()
    s.client.set_group_subject(GROUP, "Renamed group")
    ev = s.rec.wait(events.GroupUpdated, lambda e: e.change == "subject", start=mark)
    assert ev.value == "Renamed group" and ev.by == MY_ID
    s.client.set_group_description(GROUP, "All about bots")
    s.rec.wait(events.GroupUpdated, lambda e: e.change == "description", start=mark)
    s.client.set_group_settings(GROUP, admins_only_messages=True, admins_only_info=True)
    s.rec.wait(events.GroupUpdated, lambda e: e.change == "announce" and e.value == "1", start=mark)
    g = s.client.get_group(GROUP)
    assert g.subject == "Renamed group" and g.description == "All about bots"
    assert g.announce and g.restrict
    state = s.fake.group_state(GROUP)
    assert state["announce"] and state["restrict"] and state["desc"] == "All about bots"
    with pytest.raises(InvalidContentError):
        s.client.set_group_subject(GROUP, "")
    with pytest.raises(InvalidInputError):
        s.client.set_group_settings(GROUP)


def test_subject_change_by_phone_fires_group_updated(s: Session) -> None:
    mark = s.rec.mark()
    s.fake.set_group_subject(GROUP, "Phone rename", by=PEER)
    ev = s.rec.wait(events.GroupUpdated, lambda e: e.value == "Phone rename", start=mark)
    assert ev.by == ChatId.parse(PEER) and ev.group_id == ChatId.parse(GROUP)


def test_invite_code_info_revoke_and_invalid_code(s: Session) -> None:
    code = s.client.get_invite_code(GROUP)
    assert s.fake.invite_codes[code] == GROUP
    info = s.client.get_invite_info("https://chat.whatsapp.com/" + code)
    assert info.id == ChatId.parse(GROUP) and info.size >= 3
    new = s.client.revoke_invite_code(GROUP)
    assert new != code and code not in s.fake.invite_codes
    with pytest.raises(WhatsAppError) as err:
        s.client.get_invite_info(code)
    assert err.value.code == "not_acceptable" and "invalid invite code" in err.value.reason


def test_leave_then_join_by_code(s: Session) -> None:
    created = s.client.create_group("Short lived", [PEER])
    code = s.client.get_invite_code(created.id)
    mark = s.rec.mark()
    s.client.leave_group(created.id)
    s.rec.wait(
        events.GroupParticipantsChanged,
        lambda e: e.action is ParticipantAction.LEAVE and e.group_id == created.id,
        start=mark,
    )
    assert f"{ME}@c.us" not in {
        p["id"] for p in s.fake.group_state(str(created.id))["participants"]
    }
    # the fake server keeps the invite valid for joining back
    assert s.client.join_group(code) == created.id
    s.rec.wait(
        events.GroupParticipantsChanged, lambda e: e.action is ParticipantAction.JOIN, start=mark
    )
    with pytest.raises(WhatsAppError):
        s.client.join_group("NoSuchCode123")


def test_membership_requests_event_list_approve_reject(s: Session) -> None:
    mark = s.rec.mark()
    s.fake.request_membership(GROUP, NEWBIE)
    s.fake.request_membership(GROUP, "15553330000@c.us")
    ev = s.rec.wait(events.GroupMembershipRequest, lambda e: str(e.requester) == NEWBIE, start=mark)
    assert ev.group_id == ChatId.parse(GROUP)
    pending = {str(r.requester) for r in s.client.get_membership_requests(GROUP)}
    assert pending == {NEWBIE, "15553330000@c.us"}
    res = s.client.approve_membership_requests(GROUP, [NEWBIE, GHOST])
    assert {str(r.id): r.code for r in res} == {NEWBIE: 200, GHOST: 404}
    assert s.client.reject_membership_requests(GROUP)[0].ok
    assert s.client.get_membership_requests(GROUP) == []
    assert NEWBIE in {p["id"] for p in s.fake.group_state(GROUP)["participants"]}


# -- account ------------------------------------------------------------------------------------


def test_account_info_and_display_name(s: Session) -> None:
    info = s.client.get_account_info()
    assert info.id == MY_ID and info.push_name == "Test Phone"
    s.client.set_display_name("Bot 3000")
    assert s.fake.wait_for_iq("pushname")["name"] == "Bot 3000"
    assert s.client.get_account_info().push_name == "Bot 3000"
    with pytest.raises(InvalidContentError):
        s.client.set_display_name("x" * 26)


def test_set_about_and_read_it_back(s: Session) -> None:
    s.client.set_about("Automated with wawebpy")
    assert s.fake.wait_for_iq("status.set")["text"] == "Automated with wawebpy"
    assert s.client.get_about(MY_ID) == "Automated with wawebpy"


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f6e6"
    "d80000000049454e44ae426082"
)


def test_set_profile_picture_sends_thumb_and_full(s: Session) -> None:
    assert s.client.set_profile_picture(PNG_1PX)
    args = s.fake.wait_for_iq("picture.set")
    assert args["wid"] == f"{ME}@c.us"
    assert args["thumb"].startswith("data:image/jpeg") and args["full"].startswith(
        "data:image/jpeg"
    )
    with pytest.raises(InvalidContentError):
        s.client.set_profile_picture(b"not an image")


def test_presence_available_and_unavailable(s: Session) -> None:
    s.client.set_presence(available=True)
    s.fake.wait_until(lambda f: f.presence == "available")
    s.client.set_presence(available=False)
    s.fake.wait_until(lambda f: f.presence == "unavailable")


def test_group_picture_and_add_mode(s: Session) -> None:
    mark = s.rec.mark()
    assert s.client.set_profile_picture(PNG_1PX, chat=GROUP)
    assert s.fake.wait_for_iq("picture.set", lambda a: a["wid"] == GROUP)["full"]
    ev = s.rec.wait(events.GroupUpdated, lambda e: e.change == "picture", start=mark)
    assert ev.group_id == ChatId.parse(GROUP) and ev.by == MY_ID
    s.client.set_group_settings(GROUP, admins_only_add=True)
    args = s.fake.wait_for_iq("group.property", lambda a: a["property"] == "member_add_mode")
    assert args["value"] == 0
    assert s.client.get_group(GROUP).admins_add_members


def test_number_change_fires_contact_changed(s: Session) -> None:
    mark = s.rec.mark()
    s.fake.change_number(GROUP, MEMBER, "15557650000@c.us")
    ev = s.rec.wait(events.ContactChanged, start=mark)
    assert ev.old_id == ChatId.parse(MEMBER) and ev.new_id == ChatId.parse("15557650000@c.us")
    assert ev.group_id == ChatId.parse(GROUP)


def test_accept_private_v4_invite(s: Session) -> None:
    s.fake.add_group("120363012345678977@g.us", "Invite only", participants=[PEER], admins=[PEER])
    s.fake.remove_participants("120363012345678977@g.us", [f"{ME}@c.us"], by=PEER)
    code = s.fake.make_v4_invite("120363012345678977@g.us")
    mark = s.rec.mark()
    gid = s.client.accept_group_v4_invite(
        "120363012345678977@g.us", code=code, expiration=int(time.time()) + 3600, inviter=PEER
    )
    assert str(gid) == "120363012345678977@g.us"
    args = s.fake.wait_for_iq("group.join_v4")
    assert args["inviter"] == PEER and args["code"] == code
    s.rec.wait(
        events.GroupParticipantsChanged,
        lambda e: e.group_id == gid and e.action is ParticipantAction.JOIN,
        start=mark,
    )
    with pytest.raises(WhatsAppError) as err:
        s.client.accept_group_v4_invite(
            gid, code="wrong", expiration=int(time.time()) + 60, inviter=PEER
        )
    assert err.value.code == "not_acceptable"
