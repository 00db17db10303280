"""Per-call fixes for the 2026 page (issue 12, audit 1.1, 1.2, 2.3): each test fails on the
bridge built for the early-2026 page, because the fake now behaves like today's real page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import ME, MEMBER, PEER, Session, logged_in

from wawebpy import events
from wawebpy.types import ChatId

APPROVAL = "120363012345678903@g.us"
STRANGER = "15553334444@c.us"


@pytest.fixture(scope="module")
def s(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    def setup(fake: object) -> None:
        from wawebpy.testing import FakeWhatsApp

        assert isinstance(fake, FakeWhatsApp)
        fake.add_contact(STRANGER, "No Chat Yet")
        fake.add_group(
            APPROVAL, "Approval needed", participants=[PEER], admins=[PEER], membership_approval=True
        )

    with logged_in(tmp_path_factory.mktemp("page2026"), before_login=setup) as session:
        session.fake.deliver_text(sender=PEER, text="history one")
        yield session


def test_history_loads_earlier_messages_with_one_options_object(s: Session) -> None:
    # audit 1.2 loadEarlierMsgs: more than the chat holds makes the bridge ask for earlier ones;
    # the positional form throws "reading 'waitForChatLoading'" on today's page.
    msgs = s.client.iter_messages(PEER, limit=50)
    assert "history one" in [m.text for m in msgs]


def test_send_seen_marks_the_page_available_for_the_receipt(s: Session) -> None:
    # audit 2.3 #5: a headless page is never "available"; the receipt would wait forever.
    s.client.send_seen(PEER)
    s.fake.wait_until(lambda f: PEER in f.read_chats, what="a read receipt for PEER")


def test_join_group_via_the_invite_job(s: Session) -> None:
    # audit 1.2 joinGroupViaInvite: the module moved to WAWebGroupInviteJob.
    created = s.client.create_group("Join me again", [PEER])
    code = s.client.get_invite_code(created.id)
    mark = s.rec.mark()
    s.client.leave_group(created.id)
    assert s.client.join_group(code) == created.id
    s.rec.wait(
        events.GroupParticipantsChanged,
        lambda e: e.group_id == created.id and f"{ME}@c.us" in {str(p) for p in e.participants},
        start=mark,
    )


def test_join_group_that_needs_approval_files_a_request(s: Session) -> None:
    # audit 1.2 joinGroupViaInvite(code, membershipApprovalMode): without the flag the page
    # throws UnexpectedJoinGroupViaInviteResponse although the request was filed.
    s.client.leave_group(APPROVAL)
    code = s.fake.make_invite_code(APPROVAL)
    assert s.client.join_group(code) == ChatId.parse(APPROVAL)
    assert f"{ME}@c.us" in s.fake.membership_requests[APPROVAL]
    members = {p["id"] for p in s.fake.group_state(APPROVAL)["participants"]}
    assert f"{ME}@c.us" not in members


def test_profile_picture_of_a_contact_without_a_chat(s: Session) -> None:
    # audit 1.2 requestProfilePicFromServer: takes a chat model since 2026-03.
    s.fake.set_profile_picture(STRANGER, "https://pps.example/stranger.jpg")
    assert s.client.get_profile_picture_url(STRANGER) == "https://pps.example/stranger.jpg"
    assert s.fake.wait_for_iq("picture.get")["wid"] == STRANGER


def test_presence_events_from_the_standalone_presence_collection(s: Session) -> None:
    # audit 1.1 WAWebCollections.Presence: the page has WAWebPresenceCollection instead.
    s.client.subscribe_presence(MEMBER)
    mark = s.rec.mark()
    s.fake.set_presence(MEMBER, True)
    ev = s.rec.wait(events.PresenceChanged, lambda e: e.online, start=mark)
    assert ev.contact_id == ChatId.parse(MEMBER)


def test_own_status_from_the_standalone_status_collection(s: Session) -> None:
    # audit 1.1 WAWebCollections.StatusV3: WAWebStatusCollection (or WAWebCollections.Status).
    msg = s.client.post_status("Back at 5")
    mine = [b for b in s.client.get_broadcasts() if b.id == ChatId.parse(f"{ME}@c.us")]
    assert mine and msg.id in {m.id for m in mine[0].messages}
