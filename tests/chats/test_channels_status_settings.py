"""Status media, channel administration and media, call links, device preferences, the
contact number-change notification, and what the fake hands a device at login, end to end."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from conftest import ME, MEMBER, OTHER, PEER, Session, logged_in
from messages.assets import mp4, pdf, png, wav

from wawebpy import events
from wawebpy.errors import (
    InvalidContentError,
    InvalidInputError,
    NotAdminError,
    WhatsAppError,
)
from wawebpy.testing import FakeWhatsApp
from wawebpy.types import ChatId, MediaMessage, Poll, PollMessage

NEWS = "120363400000000101@newsletter"  # followed, someone else's
MINE = "120363400000000102@newsletter"  # owned by the account
INVITED = "120363400000000103@newsletter"  # the account is invited to administer it


def _before_login(fake: FakeWhatsApp) -> None:
    # Labels and channels exist before the device logs in: the server hands them over at login.
    fake.add_label("7", "Follow up", "#ffd429")
    fake.add_channel(NEWS, "Daily News", role="subscriber")
    fake.add_channel(MINE, "Shop news", role="owner", admins=[MEMBER], followers=[PEER, OTHER])
    fake.add_channel(INVITED, "Partner news")


@pytest.fixture(scope="module")
def s(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    with logged_in(
        tmp_path_factory.mktemp("more"), platform="smba", before_login=_before_login
    ) as session:
        yield session


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- what a device gets at login ----------------------------------------------------------------


def test_labels_and_channels_arrive_at_login(s: Session) -> None:
    assert [(lb.id, lb.name) for lb in s.client.get_labels()] == [("7", "Follow up")]
    roles = {str(c.id): c.role for c in s.client.get_channels()}
    assert roles == {NEWS: "subscriber", MINE: "owner"}


# -- status media -------------------------------------------------------------------------------


def test_post_image_status_with_caption_and_revoke_it(s: Session) -> None:
    image = png(32, 24)
    msg = s.client.post_status_media(image, caption="New stock in")
    assert isinstance(msg, MediaMessage) and msg.chat_id.is_status and msg.from_me
    assert msg.text == "New stock in"
    sent = s.fake.wait_for_iq("status.send")
    assert sent["id"] == str(msg.id) and sent["type"] == "image"
    assert sent["caption"] == "New stock in" and sent["mimetype"] == "image/png"
    assert sent["waveform"] is None
    assert _sha(s.fake.media_bytes(sent["directPath"])) == _sha(image)
    mine = [b for b in s.client.get_broadcasts() if b.id == ChatId.parse(f"{ME}@c.us")]
    assert msg.id in {m.id for m in mine[0].messages}
    s.client.revoke_status(msg)
    assert s.fake.wait_for_iq("status.revoke")["id"] == str(msg.id)
    assert all(st["id"] != str(msg.id) for st in s.fake.statuses)


def test_post_video_status(s: Session) -> None:
    video = mp4(4096)
    msg = s.client.post_status_media(video, caption="Tour")
    sent = next(st for st in s.fake.statuses if st["id"] == str(msg.id))
    assert sent["type"] == "video" and sent["mimetype"] == "video/mp4"
    assert _sha(s.fake.media_bytes(sent["directPath"])) == _sha(video)


def test_post_audio_status_carries_a_waveform(s: Session) -> None:
    msg = s.client.post_status_media(wav(), kind="audio")
    sent = next(st for st in s.fake.statuses if st["id"] == str(msg.id))
    assert sent["type"] == "audio" and len(sent["waveform"]) == 64
    assert max(sent["waveform"]) == 100 and min(sent["waveform"]) < 50  # it swells: not flat


def test_status_refuses_documents_and_stickers_before_the_browser(s: Session) -> None:
    before = len(s.fake.statuses)
    with pytest.raises(InvalidContentError):
        s.client.post_status_media(pdf())
    with pytest.raises(InvalidContentError):
        s.client.post_status_media(png(), kind="sticker")  # type: ignore[arg-type]
    with pytest.raises(InvalidContentError):
        s.client.post_status_media(png(), caption=" ")
    assert len(s.fake.statuses) == before


# -- channels -----------------------------------------------------------------------------------


def test_create_channel_with_picture(s: Session) -> None:
    created = s.client.create_channel("Pictured", description="with a face", picture=png(64, 32))
    args = s.fake.wait_for_iq("channel.create")
    assert args["picture"].startswith("data:image/jpeg;base64,")
    assert created.role == "owner" and created.name == "Pictured"
    with pytest.raises(InvalidContentError):
        s.client.create_channel("Bad picture", picture=b"not an image")


def test_edit_channel_name_description_picture_reactions(s: Session) -> None:
    updated = s.client.edit_channel(MINE, name="Shop updates", description="Weekly")
    assert updated.name == "Shop updates" and updated.description == "Weekly"
    args = s.fake.wait_for_iq("channel.edit")
    assert (args["name"], args["description"]) == ("Shop updates", "Weekly")
    state = s.fake.channel_state(MINE)
    assert (state["name"], state["description"]) == ("Shop updates", "Weekly")

    s.client.edit_channel(MINE, picture=png(40, 40))
    assert s.fake.channel_state(MINE)["picture"].startswith("data:image/jpeg;base64,")
    s.client.edit_channel(MINE, picture=b"")
    assert s.fake.channel_state(MINE)["picture"] is None

    for name, code in (("none", 3), ("basic", 1), ("all", 0)):
        got = s.client.edit_channel(MINE, reactions=name)  # type: ignore[arg-type]
        assert s.fake.channel_state(MINE)["reactions"] == code
        assert got.raw["reactions"] == name


def test_edit_channel_bad_input_and_not_admin(s: Session) -> None:
    with pytest.raises(InvalidContentError):
        s.client.edit_channel(MINE, name=" ")
    with pytest.raises(InvalidInputError):
        s.client.edit_channel(MINE)
    with pytest.raises(InvalidInputError):
        s.client.edit_channel(MINE, reactions="some")  # type: ignore[arg-type]
    with pytest.raises(NotAdminError):
        s.client.edit_channel(NEWS, name="Taken over")
    assert s.fake.channel_state(NEWS)["name"] == "Daily News"


def test_post_media_to_channel(s: Session) -> None:
    image = png(20, 20)
    msg = s.client.send_channel_media(MINE, image, caption="Photo of the week")
    assert isinstance(msg, MediaMessage) and str(msg.chat_id) == MINE and msg.from_me
    post = next(p for p in s.fake.channel_posts if p["id"] == str(msg.id))
    assert post["type"] == "media" and post["mediaType"] == "image"
    assert post["caption"] == "Photo of the week" and post["mediaHandle"]
    assert _sha(s.fake.media_bytes(post["directPath"])) == _sha(image)
    with pytest.raises(InvalidContentError):
        s.client.send_channel_media(MINE, pdf())
    with pytest.raises(NotAdminError):
        s.client.send_channel_media(NEWS, png())


def test_followers_of_an_owned_channel(s: Session) -> None:
    subs = {str(x.id): x.role for x in s.client.get_channel_subscribers(MINE)}
    assert subs == {MEMBER: "admin", PEER: "subscriber", OTHER: "subscriber"}
    assert s.fake.wait_for_iq("channel.subscribers")["id"] == MINE
    with pytest.raises(NotAdminError):
        s.client.get_channel_subscribers(NEWS)


def test_admin_invite_and_revoke(s: Session) -> None:
    s.client.invite_channel_admin(MINE, PEER, comment="Help me run it?")
    args = s.fake.wait_for_iq("channel.admin_invite")
    assert (args["id"], args["user"], args["comment"]) == (MINE, PEER, "Help me run it?")
    assert s.fake.channel_state(MINE)["pendingAdmins"] == [PEER]
    s.client.revoke_channel_admin_invite(MINE, PEER)
    assert s.fake.wait_for_iq("channel.admin_revoke")["user"] == PEER
    assert s.fake.channel_state(MINE)["pendingAdmins"] == []
    with pytest.raises(WhatsAppError) as err:
        s.client.revoke_channel_admin_invite(MINE, PEER)
    assert err.value.code == "not_found"
    with pytest.raises(NotAdminError):
        s.client.invite_channel_admin(NEWS, PEER)
    with pytest.raises(InvalidInputError):
        s.client.invite_channel_admin(MINE, "120363012345678901@g.us")


def test_accept_admin_invite_then_post_and_step_down(s: Session) -> None:
    with pytest.raises(WhatsAppError):
        s.client.accept_channel_admin_invite(INVITED)  # not invited yet
    s.fake.invite_as_channel_admin(INVITED)
    channel = s.client.accept_channel_admin_invite(INVITED)
    assert channel.role == "admin" and s.fake.channel_state(INVITED)["role"] == "admin"
    s.client.send_channel_text(INVITED, "first post as admin")
    assert s.fake.channel_posts[-1]["to"] == INVITED
    s.client.demote_channel_admin(INVITED, f"{ME}@c.us")
    assert s.fake.channel_state(INVITED)["role"] == "subscriber"
    assert s.client.get_channel(INVITED).role == "subscriber"


def test_demote_admin_and_transfer_ownership(s: Session) -> None:
    created = s.client.create_channel("Hand over")
    with pytest.raises(WhatsAppError) as err:  # the new owner must be an admin first
        s.client.transfer_channel_ownership(created, PEER)
    assert err.value.code == "not_acceptable"

    s.client.demote_channel_admin(MINE, MEMBER)
    s.fake.wait_for_iq("channel.admin_demote", lambda a: a["user"] == MEMBER)
    assert MEMBER not in s.fake.channel_state(MINE)["admins"]
    with pytest.raises(WhatsAppError):
        s.client.demote_channel_admin(MINE, MEMBER)  # no longer an admin

    s.fake.add_channel("120363400000000104@newsletter", "Passing on", role="owner", admins=[OTHER])
    got = s.client.transfer_channel_ownership(
        "120363400000000104@newsletter", OTHER, dismiss_self=True
    )
    state = s.fake.channel_state("120363400000000104@newsletter")
    assert state["owner"] == OTHER and state["role"] == "subscriber"
    assert got.role == "subscriber"
    s.fake.wait_for_iq("channel.owner", lambda a: a["user"] == OTHER)
    with pytest.raises(NotAdminError):
        s.client.transfer_channel_ownership(NEWS, OTHER)


def test_delete_channel_needs_the_owner(s: Session) -> None:
    with pytest.raises(NotAdminError):
        s.client.delete_channel(NEWS)
    assert NEWS in {str(c.id) for c in s.client.get_channels()}


# -- call links, device preferences, number changes ----------------------------------------------


def test_create_call_link(s: Session) -> None:
    start = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    link = s.client.create_call_link(start, "voice")
    assert link.startswith("https://call.whatsapp.com/voice/")
    assert s.fake.call_links[-1] == {
        "startTime": int(start.timestamp()),
        "callType": "voice",
        "link": link,
    }
    naive = datetime(2030, 1, 2, 3, 4, 5)
    video = s.client.create_call_link(naive + timedelta(hours=1))
    assert video.startswith("https://call.whatsapp.com/video/")
    assert s.fake.call_links[-1]["startTime"] == int(start.timestamp()) + 3600
    with pytest.raises(InvalidInputError):
        s.client.create_call_link(start, "group")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        s.client.create_call_link(1893553445)  # type: ignore[arg-type]


def test_device_settings(s: Session) -> None:
    before = s.client.get_device_settings()
    assert before.auto_download_photos and before.background_sync
    after = s.client.set_device_settings(auto_download_documents=True, background_sync=False)
    assert after.auto_download_documents and not after.background_sync
    assert after.auto_download_photos == before.auto_download_photos
    assert s.client.get_device_settings() == after
    s.client.set_device_settings(background_sync=True, auto_download_documents=False)
    with pytest.raises(InvalidInputError):
        s.client.set_device_settings()
    with pytest.raises(InvalidInputError):
        s.client.set_device_settings(auto_download_audio="yes")  # type: ignore[arg-type]


def test_contact_number_change_fires_contact_changed(s: Session) -> None:
    mark = s.rec.mark()
    mid = s.fake.change_contact_number(PEER, "15551110000@c.us")
    ev = s.rec.wait(events.ContactChanged, lambda e: str(e.message_id) == mid, start=mark)
    assert ev.old_id == ChatId.parse(PEER) and ev.new_id == ChatId.parse("15551110000@c.us")
    assert ev.group_id is None
    assert len([e for e in s.rec.of(events.ContactChanged) if str(e.message_id) == mid]) == 1


def test_mute_unmute_read_history_and_seen_of_a_channel(s: Session) -> None:
    muted = s.client.mute_channel(NEWS)
    args = s.fake.wait_for_iq("channel.user_setting")
    assert (args["id"], args["type"], args["value"]) == (NEWS, "admin_notifications", "on")
    assert muted.raw["muted"] and s.fake.channel_state(NEWS)["muted"]
    assert not s.client.unmute_channel(NEWS).raw["muted"]
    assert not s.fake.channel_state(NEWS)["muted"]
    with pytest.raises(WhatsAppError):  # not followed
        s.client.mute_channel("120363400000000199@newsletter")

    posted = s.client.send_channel_text(MINE, "history check")
    history = s.client.iter_messages(MINE, limit=10)
    assert history and history[0].id == posted.id
    s.client.send_seen(MINE)
    s.fake.wait_for_read(MINE)


def test_pinned_messages_of_a_chat(s: Session) -> None:
    assert s.client.get_pinned_messages(PEER) == []
    first = s.client.send_text(PEER, "pin me")
    s.client.send_text(PEER, "not me")
    s.client.pin_message(first, duration=86400)
    s.fake.wait_for_action(lambda a: a.action == "pin")
    assert [m.id for m in s.client.get_pinned_messages(PEER)] == [first.id]
    s.client.unpin_message(first)
    assert s.client.get_pinned_messages(PEER) == []


def test_post_poll_to_channel(s: Session) -> None:
    msg = s.client.send_channel_poll(MINE, Poll("Next drop?", ["Shoes", "Hats"]))
    assert isinstance(msg, PollMessage) and msg.question == "Next drop?"
    post = next(p for p in s.fake.channel_posts if p["id"] == str(msg.id))
    assert post["type"] == "pollCreation" and post["pollOptions"] == ["Shoes", "Hats"]
    assert post["pollSelectableOptionsCount"] == 1
    with pytest.raises(NotAdminError):
        s.client.send_channel_poll(NEWS, Poll("Hi?", ["a", "b"]))
    with pytest.raises(InvalidContentError):
        s.client.send_channel_poll(MINE, "Next drop?")  # type: ignore[arg-type]
