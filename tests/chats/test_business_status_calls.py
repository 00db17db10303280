"""Labels (on a Business account), status/stories, incoming calls and presence, end to end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import GROUP, ME, MEMBER, PEER, Session, logged_in

from wawebpy import events
from wawebpy.errors import InvalidContentError, InvalidInputError, WhatsAppError
from wawebpy.types import ChatId


@pytest.fixture(scope="module")
def s(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    with logged_in(tmp_path_factory.mktemp("biz"), platform="smba") as session:
        session.fake.add_label("1", "New customer", "#ff9485")
        session.fake.add_label("2", "Paid", "#64c4ff")
        session.fake.deliver_text(sender=PEER, text="hello business")
        yield session


def test_labels_list(s: Session) -> None:
    labels = {lb.id: lb for lb in s.client.get_labels()}
    assert labels["1"].name == "New customer" and labels["2"].color == "#64c4ff"


def test_add_and_remove_labels_on_chats(s: Session) -> None:
    chats = s.client.change_labels([PEER, GROUP], add=["1", "2"])
    assert all(set(c.raw["labels"]) == {"1", "2"} for c in chats)
    args = s.fake.wait_for_iq("labels.change")
    assert args["chats"] == [PEER, GROUP] and [a["type"] for a in args["actions"]] == ["add"] * 2
    assert [lb.id for lb in s.client.get_chat_labels(PEER)] == ["1", "2"]
    assert {str(c.id) for c in s.client.get_chats_by_label("2")} == {PEER, GROUP}
    s.client.change_labels(GROUP, remove=["2"])
    assert {str(c.id) for c in s.client.get_chats_by_label("2")} == {PEER}
    with pytest.raises(WhatsAppError) as err:
        s.client.change_labels(PEER, add=["99"])
    assert err.value.code == "label_not_found"
    with pytest.raises(InvalidInputError):
        s.client.change_labels(PEER)


def test_post_and_revoke_text_status(s: Session) -> None:
    msg = s.client.post_status("Open 9 to 5", background="#112233", font=2)
    assert msg.chat_id.is_status and msg.from_me
    sent = s.fake.wait_for_iq("status.send")
    assert sent["text"] == "Open 9 to 5" and sent["color"] == 0xFF112233 and sent["font"] == 2
    mine = [b for b in s.client.get_broadcasts() if b.id == ChatId.parse(f"{ME}@c.us")]
    assert mine and msg.id in {m.id for m in mine[0].messages}
    s.client.revoke_status(msg)
    assert s.fake.wait_for_iq("status.revoke")["id"] == str(msg.id)
    assert s.fake.statuses == []
    with pytest.raises(InvalidContentError):
        s.client.post_status(" ")


def test_incoming_call_event_and_reject(s: Session) -> None:
    mark = s.rec.mark()
    call_id = s.fake.deliver_call(MEMBER, video=True)
    ev = s.rec.wait(events.IncomingCall, lambda e: e.call.id == call_id, start=mark)
    assert ev.call.caller == ChatId.parse(MEMBER) and ev.call.is_video
    s.client.reject_call(ev.call)
    node = s.fake.wait_for_iq("stanza")["node"]
    assert node["tag"] == "call" and node["attrs"]["to"] == MEMBER
    (reject,) = node["content"]
    assert reject["tag"] == "reject" and reject["attrs"]["call-id"] == call_id
    with pytest.raises(WhatsAppError):
        s.client.reject_call("NOSUCHCALL")


def test_presence_subscription_and_event(s: Session) -> None:
    s.client.subscribe_presence(PEER)
    assert s.fake.wait_for_iq("presence.subscribe")["wid"] == PEER
    mark = s.rec.mark()
    s.fake.set_presence(PEER, True)
    ev = s.rec.wait(events.PresenceChanged, lambda e: e.online, start=mark)
    assert ev.contact_id == ChatId.parse(PEER) and ev.state is None
    s.fake.set_presence(PEER, True, state="composing")
    s.rec.wait(events.PresenceChanged, lambda e: e.state == "typing", start=mark)
    s.fake.set_presence(PEER, False)
    s.rec.wait(events.PresenceChanged, lambda e: not e.online, start=mark)


# -- channels ----------------------------------------------------------------------------------

NEWS = "120363400000000001@newsletter"
OWNED = "120363400000000002@newsletter"


def test_channels_list_get_and_search(s: Session) -> None:
    s.fake.add_channel(NEWS, "Daily News", role="subscriber", subscribers=500)
    s.fake.add_channel("120363400000000009@newsletter", "Weather Daily")
    listed = {str(c.id): c for c in s.client.get_channels()}
    assert listed[NEWS].name == "Daily News" and listed[NEWS].role == "subscriber"
    assert "120363400000000009@newsletter" not in listed
    got = s.client.get_channel("120363400000000009@newsletter")
    assert got.name == "Weather Daily" and got.role in (None, "guest")
    found = {c.name for c in s.client.search_channels("daily")}
    assert found == {"Daily News", "Weather Daily"}
    assert {c.name for c in s.client.search_channels("daily", skip_subscribed=True)} == {
        "Weather Daily"
    }
    assert s.fake.wait_for_iq("channel.search")["searchText"] == "daily"
    with pytest.raises(InvalidInputError):
        s.client.get_channel(PEER)


def test_subscribe_and_unsubscribe_channel(s: Session) -> None:
    weather = "120363400000000009@newsletter"
    s.client.subscribe_channel(weather)
    assert s.fake.channel_state(weather)["role"] == "subscriber"
    assert weather in {str(c.id) for c in s.client.get_channels()}
    s.client.unsubscribe_channel(weather)
    assert s.fake.channel_state(weather)["role"] is None
    assert weather not in {str(c.id) for c in s.client.get_channels()}


def test_create_channel_and_post_text(s: Session) -> None:
    created = s.client.create_channel("Bot updates", description="Release notes")
    assert created.role == "owner" and created.id.server == "newsletter"
    assert s.fake.wait_for_iq("channel.create")["description"] == "Release notes"
    assert created.id in {c.id for c in s.client.get_channels()}
    msg = s.client.send_channel_text(created, "v1.0 is out")
    assert msg.chat_id == created.id and msg.from_me
    (post,) = s.fake.channel_posts
    assert post["to"] == str(created.id) and post["body"] == "v1.0 is out"
    with pytest.raises(InvalidContentError):
        s.client.create_channel(" ")


def test_posting_to_a_followed_channel_is_not_admin(s: Session) -> None:
    from wawebpy.errors import NotAdminError

    with pytest.raises(NotAdminError):
        s.client.send_channel_text(NEWS, "hi")


def test_delete_owned_channel(s: Session) -> None:
    created = s.client.create_channel("Short lived channel")
    s.client.delete_channel(created.id)
    assert s.fake.wait_for_iq("channel.delete")["id"] == str(created.id)
    assert created.id not in {c.id for c in s.client.get_channels()}


def test_channel_by_invite_code_and_link(s: Session) -> None:
    code = s.fake.channel_state(NEWS)["inviteCode"]
    got = s.client.get_channel_by_invite(f"https://whatsapp.com/channel/{code}")
    assert str(got.id) == NEWS and got.name == "Daily News" and got.role == "subscriber"
    assert s.fake.wait_for_iq("channel.by_invite")["code"] == code
    with pytest.raises(WhatsAppError) as err:
        s.client.get_channel_by_invite("nosuchcode")
    assert err.value.code == "not_found"


def test_customer_notes(s: Session) -> None:
    assert s.client.get_customer_note(PEER) is None
    s.client.set_customer_note(PEER, "VIP, ships on Fridays")
    args = s.fake.wait_for_iq("note.set")
    assert args["chatJid"] == "15551234567@s.whatsapp.net" and args["type"] == "unstructured"
    assert s.client.get_customer_note(PEER) == "VIP, ships on Fridays"
