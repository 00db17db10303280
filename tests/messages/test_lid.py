"""LID addressing (2026): sends to ``@lid`` chats and LID-addressed groups carry our LID as the
sender, the key Python keeps for a send is the one WhatsApp Web gives it, group participants are
found by phone number or LID, a number with no LID is a typed error, and incoming messages say
both the LID and the phone number of their sender. One browser for the module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import Recorder

from wawebpy import Client, LocalAuth, NoAuth, events
from wawebpy._outbox import SQLiteOutbox
from wawebpy.errors import ChatNotFoundError, NoLidError
from wawebpy.testing import FakeWhatsApp
from wawebpy.types import ChatId

ME = "15550000001"
LENA_LID = "208840123456789@lid"  # a contact WhatsApp shows by LID; her number is LENA_PN
LENA_PN = "15551230001@c.us"
MAX_PN = "15551230002@c.us"  # a LID-group member known to the page by number only
NEW_PN = "15551230003@c.us"  # not in the LID group yet
ASKING_PN = "15551230004@c.us"  # asks to join the LID group
HIDDEN_PN = "15551230009@c.us"  # the server gives no LID for it
LID_GROUP = "120363099999999901@g.us"


class Session:
    def __init__(self, fake: FakeWhatsApp, client: Client, rec: Recorder) -> None:
        self.fake, self.client, self.rec = fake, client, rec


@pytest.fixture(scope="module")
def s() -> Iterator[Session]:
    with FakeWhatsApp(me=ME) as fake:
        fake.add_contact(LENA_LID, "Lena", phone_number=LENA_PN)
        fake.set_lid(HIDDEN_PN, None)
        fake.add_group(
            LID_GROUP, "LID group", participants=[LENA_PN, MAX_PN], admins=[f"{ME}@c.us"],
            lid_addressing=True,
        )
        rec = Recorder()
        client = Client(web_url=fake.url, auth=NoAuth())
        client.on(events.Event, group=-1)(rec)
        client.start()
        try:
            rec.wait(events.QrCode, timeout=60)
            fake.scan_qr()
            client.wait_until_ready(timeout=60)
            yield Session(fake, client, rec)
        finally:
            client.close()


def test_a_send_to_an_lid_chat_comes_from_our_lid(s: Session) -> None:
    sent = s.client.send_text(LENA_LID, "hello by LID")
    (record,) = s.fake.wait_for_sent(predicate=lambda m: m.id == str(sent.id))
    assert record.to == LENA_LID
    assert record.sender == s.fake.lid  # the old bridge sent our @c.us here
    assert record.participant is None


def test_a_send_to_a_lid_group_comes_from_our_lid_and_python_has_its_key(s: Session) -> None:
    sent = s.client.send_text(LID_GROUP, "hello LID group")
    (record,) = s.fake.wait_for_sent(predicate=lambda m: m.body == "hello LID group")
    assert record.sender == s.fake.lid and record.participant == s.fake.lid
    # Python's own key (outbox row, provisional message) is WhatsApp Web's key.
    assert str(sent.id) == record.id
    assert sent.id.participant == ChatId.parse(s.fake.lid)


def test_a_send_by_number_to_a_person_with_a_lid_chat_goes_to_that_chat(s: Session) -> None:
    s.client.send_text(LENA_LID, "open the LID chat")
    sent = s.client.send_text(LENA_PN, "by number")
    (record,) = s.fake.wait_for_sent(predicate=lambda m: m.id == str(sent.id))
    assert record.to == LENA_LID and record.sender == s.fake.lid


def test_a_number_without_a_lid_is_a_typed_error_naming_it(s: Session) -> None:
    with pytest.raises(NoLidError) as info:
        s.client.send_text(HIDDEN_PN, "nobody knows you")
    assert info.value.number == HIDDEN_PN
    assert HIDDEN_PN in str(info.value)
    assert isinstance(info.value, ChatNotFoundError)  # old handlers still catch it


def test_participants_by_number_in_a_lid_group(s: Session) -> None:
    max_lid = s.fake.lid_of(MAX_PN)
    assert max_lid is not None
    promoted = s.client.promote_participants(LID_GROUP, [MAX_PN])
    assert [(str(r.id), r.code) for r in promoted] == [(MAX_PN, 200)]
    admins = {p["id"] for p in s.fake.group_state(LID_GROUP)["participants"] if p["isAdmin"]}
    assert max_lid in admins
    demoted = s.client.demote_participants(LID_GROUP, [MAX_PN])
    assert [r.code for r in demoted] == [200]
    removed = s.client.remove_participants(LID_GROUP, [MAX_PN])
    assert [r.code for r in removed] == [200]
    members = {p["id"] for p in s.fake.group_state(LID_GROUP)["participants"]}
    assert max_lid not in members
    added = s.client.add_participants(LID_GROUP, [NEW_PN])
    assert [r.code for r in added] == [200]
    members = {p["id"] for p in s.fake.group_state(LID_GROUP)["participants"]}
    assert s.fake.lid_of(NEW_PN) in members  # the group keys the newcomer by LID
    again = s.client.add_participants(LID_GROUP, [NEW_PN])
    assert [r.code for r in again] == [409]  # found under its LID although given by number


def test_membership_requests_by_number_in_a_lid_group(s: Session) -> None:
    asking_lid = s.fake.lid_of(ASKING_PN)
    s.fake.request_membership(LID_GROUP, ASKING_PN)
    pending = s.client.get_membership_requests(LID_GROUP)
    assert [str(r.requester) for r in pending] == [asking_lid]  # filed under the LID
    approved = s.client.approve_membership_requests(LID_GROUP, [ASKING_PN])
    assert [r.code for r in approved] == [200]
    assert s.client.get_membership_requests(LID_GROUP) == []
    members = {p["id"] for p in s.fake.group_state(LID_GROUP)["participants"]}
    assert asking_lid in members
    (action,) = [a for k, a in s.fake.iq_requests if k == "group.requests_action"]
    assert action["participants"] == [asking_lid]  # the RPC named the LID the group keys


def test_an_incoming_message_from_a_lid_sender_says_its_number(s: Session) -> None:
    mid = s.fake.deliver_text(LENA_LID, "hi, it's Lena")
    msg = s.rec.wait(events.NewMessage, lambda e: str(e.message.id) == mid).message
    assert msg.sender == ChatId.parse(LENA_LID)
    assert msg.sender_lid == ChatId.parse(LENA_LID)
    assert msg.sender_phone == ChatId.parse(LENA_PN)


def test_an_outbox_replay_to_an_lid_chat_after_a_crash_sends_once(tmp_path: Path) -> None:
    """The page sent it, the outbox had not yet forgotten it: the replay finds it by its key."""
    profile, outbox = tmp_path / "profile", tmp_path / "outbox.db"
    with FakeWhatsApp() as fake:
        fake.add_contact(LENA_LID, "Lena", phone_number=LENA_PN)
        fake.add_group(LID_GROUP, "LID group", participants=[LENA_PN], lid_addressing=True)
        with Client(web_url=fake.url, auth=LocalAuth(profile)) as first:
            fake.wait_for_qr()
            fake.scan_qr()
            first.wait_until_ready(timeout=60)
            one = first.send_text(LENA_LID, "went out before the crash")
            two = first.send_text(LID_GROUP, "also went out")
        store = SQLiteOutbox(outbox)
        for message, chat in ((one, LENA_LID), (two, LID_GROUP)):
            args = {"chatId": chat, "text": message.text, "msgId": message.id.id}
            store.attempted(store.add(str(message.id), "messages.sendText", chat, args, None))
        store.close()
        with Client(web_url=fake.url, auth=LocalAuth(profile), outbox=outbox) as second:
            second.wait_until_ready(timeout=60)
            assert second.flush_outbox(timeout=60)
            assert second.outbox_entries() == []
        assert [m.id for m in fake.sent] == [str(one.id), str(two.id)]
        assert fake.resent == []


def test_a_reaction_from_a_lid_sender_says_its_number(s: Session) -> None:
    sent = s.client.send_text(LENA_LID, "react to this")
    s.fake.deliver_reaction(LENA_LID, str(sent.id), "👍")
    event = s.rec.wait(
        events.ReactionChanged, lambda e: e.reaction.message_id == sent.id and e.reaction.emoji
    )
    assert event.reaction.sender_lid == ChatId.parse(LENA_LID)
    assert event.reaction.sender_phone == ChatId.parse(LENA_PN)
