"""Messaging parity against the fake WhatsApp Web in real headless Chromium (one browser for the
module): every kind of send checked on what the fake server received, every action on messages,
and the events incoming traffic produces."""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from assets import mp4, ogg_opus, pdf, png, sha, wav
from helpers import Recorder

from wawebpy import Client, Location, Media, NoAuth, Poll, VCard, events
from wawebpy.errors import InvalidContentError, InvalidInputError, WhatsAppError
from wawebpy.testing import FakeWhatsApp
from wawebpy.types import (
    ChatId,
    ContactMessage,
    LocationMessage,
    MediaMessage,
    Message,
    MessageType,
    PollMessage,
)

ME = "15550000001"
PEER = "15551234567@c.us"
MEMBER = "15557654321@c.us"
GROUP = "120363012345678901@g.us"
OTHER_GROUP = "120363012345678902@g.us"


class Session:
    def __init__(self, fake: FakeWhatsApp, client: Client, rec: Recorder) -> None:
        self.fake, self.client, self.rec = fake, client, rec

    def incoming(self, msg_id: str) -> Message:
        return self.rec.wait(events.NewMessage, lambda e: str(e.message.id) == msg_id).message

    def sent(self, message: Message) -> object:
        (record,) = self.fake.wait_for_sent(predicate=lambda s: s.id == str(message.id))
        return record


@pytest.fixture(scope="module")
def s() -> Iterator[Session]:
    with FakeWhatsApp(me=ME, push_name="Test Phone") as fake:
        fake.add_group(GROUP, "Test group", participants=[PEER, MEMBER, f"{ME}@c.us"])
        fake.add_group(OTHER_GROUP, "Other group", participants=[PEER, f"{ME}@c.us"])
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


# -- sending ---------------------------------------------------------------------------------


def test_text_with_link_preview(s: Session) -> None:
    sent = s.client.send_text(PEER, "see https://example.org/page", link_preview=True)
    record = s.sent(sent)
    assert record.type == "chat" and record.raw["subtype"] == "url"  # type: ignore[attr-defined]
    assert record.raw["canonicalUrl"] == "https://example.org/page"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kind", "data", "mime", "mtype", "caption"),
    [
        ("image", png(), "image/png", "image", "a photo"),
        ("video", mp4(), "video/mp4", "video", "a clip"),
        ("gif", mp4(), "video/mp4", "video", "a gif"),
        ("audio", ogg_opus(), "audio/ogg; codecs=opus", "audio", None),
        ("voice", ogg_opus(), "audio/ogg; codecs=opus", "ptt", None),
    ],
)
def test_send_media_kinds(
    s: Session, kind: str, data: bytes, mime: str, mtype: str, caption: str | None
) -> None:
    sent = s.client.send_media(PEER, data, kind=kind, caption=caption)  # type: ignore[arg-type]
    assert isinstance(sent, MediaMessage) and sent.type.value == mtype
    record = s.sent(sent)
    assert record.type == mtype  # type: ignore[attr-defined]
    assert record.media_sha256 == sha(data)  # type: ignore[attr-defined]
    assert record.mimetype == mime  # type: ignore[attr-defined]
    assert record.caption == caption  # type: ignore[attr-defined]
    assert bool(record.raw.get("isGif")) == (kind == "gif")  # type: ignore[attr-defined]


def test_send_document_from_path_keeps_filename(s: Session, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf())
    sent = s.client.send_media(PEER, path, caption="the report")
    record = s.sent(sent)
    assert record.type == "document" and record.filename == "report.pdf"  # type: ignore[attr-defined]
    assert record.mimetype == "application/pdf"  # type: ignore[attr-defined]
    assert record.media_sha256 == sha(pdf())  # type: ignore[attr-defined]
    assert record.caption == "the report"  # type: ignore[attr-defined]


def test_mime_comes_from_content_not_extension(s: Session, tmp_path: Path) -> None:
    path = tmp_path / "photo.pdf"  # a PNG with a misleading name
    path.write_bytes(png())
    sent = s.client.send_media(PEER, path)
    record = s.sent(sent)
    assert record.type == "image" and record.mimetype == "image/png"  # type: ignore[attr-defined]


def test_sticker_is_converted_to_webp_in_the_page(s: Session) -> None:
    sent = s.client.send_media(PEER, png(64, 32), kind="sticker", caption="ignored")
    record = s.sent(sent)
    assert record.type == "sticker" and record.mimetype == "image/webp"  # type: ignore[attr-defined]
    assert record.caption is None  # type: ignore[attr-defined]
    webp = s.fake.media_bytes(record.raw["directPath"])  # type: ignore[attr-defined]
    assert webp[:4] == b"RIFF" and webp[8:12] == b"WEBP"


def test_view_once_and_reply_with_mentions(s: Session) -> None:
    incoming = s.fake.deliver_text(sender=MEMBER, text="send a pic", chat=GROUP)
    s.incoming(incoming)
    sent = s.client.send_media(
        GROUP,
        Media(data=png(), mimetype="image/png"),
        view_once=True,
        reply_to=incoming,
        mentions=[MEMBER],
    )
    record = s.sent(sent)
    assert record.raw["isViewOnce"] is True  # type: ignore[attr-defined]
    assert record.quoted_id == incoming  # type: ignore[attr-defined]
    assert record.mentioned_ids == (MEMBER,)  # type: ignore[attr-defined]


def test_media_from_url_is_downloaded_by_python(s: Session) -> None:
    import http.server
    import threading

    body = png(16, 16)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/pics/cat.png"
        sent = s.client.send_media(PEER, url, caption="from a url")
    finally:
        server.shutdown()
    record = s.sent(sent)
    assert record.media_sha256 == sha(body) and record.type == "image"  # type: ignore[attr-defined]
    assert record.filename == "cat.png"  # type: ignore[attr-defined]


def test_location(s: Session) -> None:
    loc = Location(-23.5505, -46.6333, name="Praça da Sé", address="São Paulo, SP")
    sent = s.client.send_location(PEER, loc)
    assert isinstance(sent, LocationMessage) and sent.location.latitude == pytest.approx(-23.5505)
    record = s.sent(sent)
    raw = record.raw  # type: ignore[attr-defined]
    assert raw["type"] == "location" and raw["lat"] == -23.5505 and raw["lng"] == -46.6333
    assert raw["loc"] == "Praça da Sé\nSão Paulo, SP"


def test_contact_cards_single_and_multi(s: Session) -> None:
    card = VCard("Doe, Jane; CEO", phones=("+1 555 123 4567",), organization="ACME, Inc.")
    one = s.client.send_contacts(PEER, card)
    raw = s.sent(one).raw  # type: ignore[attr-defined]
    assert raw["type"] == "vcard"
    parsed = VCard.parse(raw["body"])
    assert parsed == card.__class__(
        name="Doe, Jane; CEO", phones=("15551234567",), organization="ACME, Inc."
    )
    assert "FN:Doe\\, Jane\\; CEO" in raw["body"]
    two = s.client.send_contacts(PEER, [card, VCard("Bob", phones=("15550001111",))])
    raw2 = s.sent(two).raw  # type: ignore[attr-defined]
    assert raw2["type"] == "multi_vcard" and len(raw2["vcardList"]) == 2
    assert isinstance(two, ContactMessage) and [c.name for c in two.vcards] == [
        "Doe, Jane; CEO",
        "Bob",
    ]


def test_poll_create(s: Session) -> None:
    sent = s.client.send_poll(
        GROUP, Poll("Lunch?", ("Pizza", "Sushi", "Salad"), allow_multiple=True)
    )
    assert isinstance(sent, PollMessage) and sent.options == ("Pizza", "Sushi", "Salad")
    raw = s.sent(sent).raw  # type: ignore[attr-defined]
    assert raw["type"] == "poll_creation" and raw["pollName"] == "Lunch?"
    assert [o["name"] for o in raw["pollOptions"]] == ["Pizza", "Sushi", "Salad"]
    assert raw["pollSelectableOptionsCount"] == 0
    assert "$bytes" in raw["messageSecret"]


def test_group_mentions(s: Session) -> None:
    sent = s.client.send_text(
        GROUP, "see @Other group", group_mentions=[(OTHER_GROUP, "Other group")]
    )
    raw = s.sent(sent).raw  # type: ignore[attr-defined]
    assert raw["groupMentions"] == [{"groupSubject": "Other group", "groupJid": OTHER_GROUP}]


def test_forward(s: Session) -> None:
    incoming = s.fake.deliver_text(sender=PEER, text="forward me")
    s.incoming(incoming)
    s.client.forward_message(incoming, GROUP)
    (record,) = s.fake.wait_for_sent(predicate=lambda m: m.to == GROUP and m.body == "forward me")
    assert record.raw["isForwarded"] is True and record.raw["forwardingScore"] == 1


# -- bad input ---------------------------------------------------------------------------------


def test_bad_media_input_is_refused_before_sending(s: Session, tmp_path: Path) -> None:
    count = len(s.fake.sent)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    big = tmp_path / "big.mp4"
    with open(big, "wb") as f:
        f.truncate(16 * 1024 * 1024 + 1)
    cases: list[tuple[object, dict[str, object]]] = [
        (tmp_path / "missing.png", {}),
        (empty, {}),
        (big, {"kind": "video"}),
        (b"\x00\x01garbage", {"kind": "image"}),
        (pdf(), {"kind": "sticker"}),
        ("ftp://example.org/x.png", {}),
    ]
    for source, kwargs in cases:
        with pytest.raises(InvalidContentError):
            s.client.send_media(PEER, source, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(InvalidContentError):
        Location(91.0, 0.0)
    with pytest.raises(InvalidContentError):
        Location(0.0, float("nan"))
    with pytest.raises(InvalidContentError):
        Poll("Empty?", ())
    with pytest.raises(InvalidContentError):
        Poll("Too many?", tuple(str(i) for i in range(13)))
    assert len(s.fake.sent) == count


def test_corrupt_sticker_image_is_refused(s: Session) -> None:
    count = len(s.fake.sent)
    corrupt = png()[:40] + b"\x00" * 40  # a PNG header with broken data
    with pytest.raises(InvalidInputError):
        s.client.send_media(PEER, corrupt, kind="sticker")
    assert len(s.fake.sent) == count


def test_editing_someone_elses_message_is_refused(s: Session) -> None:
    incoming = s.fake.deliver_text(sender=PEER, text="not yours")
    s.incoming(incoming)
    with pytest.raises(InvalidContentError):
        s.client.edit_message(incoming, "changed")
    assert not [a for a in s.fake.message_actions if a.message_id == incoming]


# -- actions on messages --------------------------------------------------------------------------


def test_react_and_remove_reaction(s: Session) -> None:
    incoming = s.fake.deliver_text(sender=PEER, text="react to me")
    s.incoming(incoming)
    s.client.react(incoming, "👍")
    act = s.fake.wait_for_action(lambda a: a.action == "react" and a.message_id == incoming)
    assert act.value == "👍"
    ev = s.rec.wait(events.ReactionChanged, lambda e: str(e.reaction.message_id) == incoming)
    assert ev.reaction.emoji == "👍" and ev.reaction.sender == s.client.me
    assert [r.emoji for r in s.client.get_reactions(incoming)] == ["👍"]
    s.client.remove_reaction(incoming)
    s.fake.wait_for_action(lambda a: a.action == "react" and a.value == "")
    assert s.client.get_reactions(incoming) == []


def test_edit_own_message(s: Session) -> None:
    sent = s.client.send_text(PEER, "typo heer")
    s.sent(sent)
    edited = s.client.edit_message(sent, "typo here")
    assert edited.text == "typo here"
    act = s.fake.wait_for_action(lambda a: a.action == "edit" and a.message_id == str(sent.id))
    assert act.value["body"] == "typo here"
    ev = s.rec.wait(events.MessageEdited, lambda e: e.message.id == sent.id)
    assert ev.new_text == "typo here" and ev.previous_text == "typo heer"


def test_revoke_for_everyone_and_delete_for_me(s: Session) -> None:
    a = s.client.send_text(PEER, "oops")
    s.sent(a)
    s.client.delete_message(a, everyone=True)
    s.fake.wait_for_action(lambda x: x.action == "revoke" and x.message_id == str(a.id))
    ev = s.rec.wait(events.MessageRevoked, lambda e: e.message.id == a.id)
    assert ev.scope == "everyone" and ev.message.type is MessageType.REVOKED
    b = s.client.send_text(PEER, "hide me")
    s.sent(b)
    s.client.delete_message(b)
    s.fake.wait_for_action(lambda x: x.action == "delete_for_me" and x.message_id == str(b.id))
    ev2 = s.rec.wait(events.MessageRevoked, lambda e: e.message.id == b.id)
    assert ev2.scope == "me"


def test_star_and_pin(s: Session) -> None:
    incoming = s.fake.deliver_text(sender=PEER, text="important")
    s.incoming(incoming)
    s.client.star_message(incoming)
    s.client.star_message(incoming, star=False)
    s.client.pin_message(incoming, duration=86400)
    s.client.unpin_message(incoming)
    s.fake.wait_for_action(lambda a: a.action == "pin" and a.value["pinType"] == 2)
    acts = [(a.action, a.value) for a in s.fake.message_actions if a.message_id == incoming]
    assert acts == [
        ("star", True),
        ("star", False),
        ("pin", {"pinType": 1, "duration": 86400}),
        ("pin", {"pinType": 2, "duration": 0}),
    ]
    with pytest.raises(InvalidContentError):
        s.client.pin_message(incoming, duration=5)


def test_quoted_message_and_info(s: Session) -> None:
    first = s.fake.deliver_text(sender=PEER, text="original")
    s.incoming(first)
    reply = s.fake.deliver_text(sender=PEER, text="a reply", quoted_id=first)
    s.incoming(reply)
    quoted = s.client.get_quoted_message(reply)
    assert quoted is not None and str(quoted.id) == first and quoted.text == "original"
    sent = s.client.send_text(PEER, "did you read it?")
    s.sent(sent)
    s.fake.set_ack(str(sent.id), 3)
    s.rec.wait(events.MessageAck, lambda e: e.message_id == sent.id and e.ack == 3)
    info = s.client.get_message_info(sent)
    assert info.delivered == (ChatId.parse(PEER),) and info.read == (ChatId.parse(PEER),)
    assert info.played == () and info.played_remaining == 1


def test_vote_and_votes(s: Session) -> None:
    poll_id = s.fake.deliver_poll(PEER, "Best day?", ["Mon", "Fri", "Sun"])
    poll = s.incoming(poll_id)
    assert isinstance(poll, PollMessage) and poll.text == "Best day?" and not poll.allow_multiple
    s.fake.vote_poll(PEER, poll_id, ["Fri"])
    ev = s.rec.wait(events.PollVote, lambda e: str(e.vote.poll_id) == poll_id)
    assert ev.vote.voter == ChatId.parse(PEER) and ev.vote.selected == ("Fri",)
    s.client.vote_poll(poll_id, ["Sun"])
    act = s.fake.wait_for_action(lambda a: a.action == "vote" and a.message_id == poll_id)
    assert act.value == [2]
    votes = {str(v.voter): v.selected for v in s.client.get_poll_votes(poll_id)}
    assert votes == {PEER: ("Fri",), f"{ME}@c.us": ("Sun",)}
    with pytest.raises(InvalidContentError):
        s.client.vote_poll(poll_id, ["Mon", "Fri"])  # single answer poll
    with pytest.raises(InvalidContentError):
        s.client.vote_poll(poll_id, ["Tue"])


# -- incoming events -------------------------------------------------------------------------------


def test_incoming_kinds_are_typed(s: Session) -> None:
    loc = s.incoming(s.fake.deliver_location(PEER, 48.8584, 2.2945, name="Tour", address="Paris"))
    assert isinstance(loc, LocationMessage)
    assert loc.location == Location(48.8584, 2.2945, "Tour", "Paris")
    card = VCard("Ann", phones=("15550002222",))
    one = s.incoming(s.fake.deliver_contacts(PEER, [card.to_vcard()]))
    assert isinstance(one, ContactMessage) and one.vcards == (card,)
    image = s.incoming(
        s.fake.deliver_media(MEMBER, png(), mimetype="image/png", caption="look", chat=GROUP)
    )
    assert isinstance(image, MediaMessage) and image.text == "look"
    assert image.mimetype == "image/png" and image.sender == ChatId.parse(MEMBER)
    odd = s.incoming(s.fake.deliver_message(PEER, {"type": "brand_new_kind", "body": "?"}))
    assert odd.type is MessageType.UNKNOWN and odd.raw["type"] == "brand_new_kind"


def test_incoming_edit_revoke_reaction_events(s: Session) -> None:
    mid = s.fake.deliver_text(sender=PEER, text="first")
    s.incoming(mid)
    s.fake.edit_message(mid, "second")
    ev = s.rec.wait(events.MessageEdited, lambda e: str(e.message.id) == mid)
    assert ev.new_text == "second" and ev.previous_text == "first"
    s.fake.deliver_reaction(PEER, mid, "❤️")
    r = s.rec.wait(events.ReactionChanged, lambda e: str(e.reaction.message_id) == mid)
    assert r.reaction.emoji == "❤️" and r.reaction.sender == ChatId.parse(PEER)
    s.fake.revoke_message(mid)
    rv = s.rec.wait(events.MessageRevoked, lambda e: str(e.message.id) == mid)
    assert rv.scope == "everyone"


def test_own_sends_raise_created_and_uploaded(s: Session) -> None:
    sent = s.client.send_media(PEER, png(), caption="uploaded?")
    s.rec.wait(events.MessageCreated, lambda e: e.message.id == sent.id)
    up = s.rec.wait(events.MediaUploaded, lambda e: e.message.id == sent.id)
    assert isinstance(up.message, MediaMessage)


# -- downloads --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1024, 20 * 1024 * 1024], ids=["1KB", "20MB"])
def test_download_is_byte_identical(s: Session, size: int, tmp_path: Path) -> None:
    data = os.urandom(size)
    mid = s.fake.deliver_media(
        PEER, data, mimetype="application/pdf", filename="blob.pdf", kind="document"
    )
    msg = s.incoming(mid)
    assert isinstance(msg, MediaMessage) and msg.size == size
    start = time.perf_counter()
    media = s.client.download_media(msg)
    elapsed = time.perf_counter() - start
    assert isinstance(media, Media)
    assert sha(media.data) == sha(data) and media.filename == "blob.pdf"
    assert media.mimetype == "application/pdf"
    print(f"\ndownload {size} bytes: {elapsed:.2f} s")
    streamed = s.client.download_media(msg, to=tmp_path)
    assert not isinstance(streamed, Media)
    assert streamed.path == tmp_path / "blob.pdf" and sha(streamed.path.read_bytes()) == sha(data)


def test_own_media_download_round_trip(s: Session) -> None:
    data = png(32, 32)
    sent = s.client.send_media(PEER, data)
    s.sent(sent)
    got = s.client.download_media(sent)
    assert isinstance(got, Media) and got.data == data


def test_download_of_text_message_is_typed(s: Session) -> None:
    mid = s.fake.deliver_text(sender=PEER, text="no media")
    s.incoming(mid)
    with pytest.raises(WhatsAppError) as info:
        s.client.download_media(mid)
    assert info.value.code == "media_unavailable"


def test_edit_refused_by_whatsapp_is_typed(s: Session) -> None:
    sent = s.client.send_text(PEER, "soon gone")
    s.sent(sent)
    s.client.delete_message(sent, everyone=True)
    s.rec.wait(events.MessageRevoked, lambda e: e.message.id == sent.id)
    with pytest.raises(WhatsAppError) as info:
        s.client.edit_message(sent, "too late")
    assert info.value.code == "cannot_edit"
    assert not [
        a for a in s.fake.message_actions if a.action == "edit" and a.message_id == str(sent.id)
    ]


def test_own_message_from_another_device_is_created(s: Session) -> None:
    mid = s.fake.send_from_phone(PEER, "typed on the phone")
    created = s.rec.wait(events.MessageCreated, lambda e: str(e.message.id) == mid)
    assert created.message.from_me and created.message.text == "typed on the phone"
    assert created.message.sender == s.client.me and created.message.chat_id == ChatId.parse(PEER)


def test_sticker_pack_metadata_is_written_to_exif(s: Session) -> None:
    sent = s.client.send_sticker(
        PEER, png(20, 40), pack_name="My Pack", pack_author="wawebpy", emojis=["😀"]
    )
    record = s.sent(sent)
    webp = s.fake.media_bytes(record.raw["directPath"])  # type: ignore[attr-defined]
    assert webp[:4] == b"RIFF" and webp[12:16] == b"VP8X" and webp[20] & 0x08
    assert int.from_bytes(webp[4:8], "little") == len(webp) - 8
    exif = webp[webp.index(b"EXIF") + 8 :]
    assert exif[:4] == b"II*\x00" and exif[10:12] == b"\x41\x57"
    assert '"sticker-pack-name":"My Pack"' in exif.decode("utf-8", "replace")
    assert '"sticker-pack-publisher":"wawebpy"' in exif.decode("utf-8", "replace")


def test_voice_note_gets_a_waveform_computed_in_the_page(s: Session) -> None:
    sent = s.client.send_media(PEER, wav(), kind="voice")
    record = s.sent(sent)
    assert record.type == "ptt" and record.mimetype == "audio/wav"  # type: ignore[attr-defined]
    bars = base64.b64decode(record.raw["waveform"]["$bytes"])  # type: ignore[attr-defined]
    assert len(bars) == 64 and max(bars) == 100 and bars[0] < bars[-1]


def test_edit_after_the_15_minute_window_is_refused(s: Session) -> None:
    old = s.fake.send_from_phone(PEER, "sent 20 minutes ago", timestamp=time.time() - 20 * 60)
    s.rec.wait(events.MessageCreated, lambda e: str(e.message.id) == old)
    with pytest.raises(WhatsAppError) as info:
        s.client.edit_message(old, "too late now")
    assert info.value.code == "cannot_edit"
    recent = s.fake.send_from_phone(PEER, "sent 14 minutes ago", timestamp=time.time() - 14 * 60)
    s.rec.wait(events.MessageCreated, lambda e: str(e.message.id) == recent)
    assert s.client.edit_message(recent, "still editable").text == "still editable"


def test_admin_revokes_a_members_message(s: Session) -> None:
    admin_group = "120363012345678903@g.us"
    s.fake.add_group(
        admin_group, "Admins", participants=[PEER, MEMBER, f"{ME}@c.us"], admins=[f"{ME}@c.us"]
    )
    mid = s.fake.deliver_text(sender=MEMBER, text="spam", chat=admin_group)
    s.incoming(mid)
    s.client.delete_message(mid, everyone=True)
    s.fake.wait_for_action(lambda a: a.action == "revoke" and a.message_id == mid)
    plain_group = "120363012345678904@g.us"
    s.fake.add_group(plain_group, "Members", participants=[PEER, MEMBER], admins=[MEMBER])
    other = s.fake.deliver_text(sender=MEMBER, text="not yours", chat=plain_group)
    s.incoming(other)
    with pytest.raises(WhatsAppError) as info:  # we are not an admin there
        s.client.delete_message(other, everyone=True)
    assert info.value.code == "cannot_revoke"


def test_forwarded_media_keeps_its_bytes_and_located_reply(s: Session) -> None:
    data = png(24, 24, (0, 90, 200))
    mid = s.fake.deliver_media(PEER, data, mimetype="image/png", caption="fwd me")
    s.incoming(mid)
    s.client.forward_message(mid, GROUP)
    (record,) = s.fake.wait_for_sent(
        predicate=lambda m: m.to == GROUP and m.type == "image" and m.caption == "fwd me"
    )
    assert record.media_sha256 == sha(data) and record.raw["isForwarded"] is True
    reply = s.client.send_location(PEER, Location(1.0, 2.0, name="here"), reply_to=mid)
    assert s.sent(reply).quoted_id == mid  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kind", "data", "mime"),
    [
        ("video", mp4(), "video/mp4"),
        ("ptt", ogg_opus(), "audio/ogg; codecs=opus"),
        ("audio", ogg_opus(), "audio/ogg; codecs=opus"),
        ("sticker", b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8, "image/webp"),
        ("document", pdf(), "application/pdf"),
    ],
)
def test_incoming_media_kinds_and_multi_vcard(
    s: Session, kind: str, data: bytes, mime: str
) -> None:
    mid = s.fake.deliver_media(PEER, data, mimetype=mime, kind=kind, filename=f"f.{kind}")
    msg = s.incoming(mid)
    assert isinstance(msg, MediaMessage) and msg.type.value == kind and msg.mimetype == mime
    got = s.client.download_media(msg)
    assert isinstance(got, Media) and got.data == data and got.filename == f"f.{kind}"
    if kind == "document":
        cards = [VCard("A", ("15550000011",)).to_vcard(), VCard("B", ("15550000022",)).to_vcard()]
        multi = s.incoming(s.fake.deliver_contacts(PEER, cards))
        assert isinstance(multi, ContactMessage) and multi.type is MessageType.CONTACT_CARD_MULTI
        assert [c.phones for c in multi.vcards] == [("15550000011",), ("15550000022",)]
