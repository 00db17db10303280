"""Content types and media loading without a browser: MIME sniffing, limits, vCards, polls,
locations, and typed models built from payloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from assets import mp4, ogg_opus, pdf, png

from wawebpy import Location, Media, Poll, VCard
from wawebpy._media import MEDIA_LIMITS, load_media, sniff_mimetype
from wawebpy._models import build_message
from wawebpy.errors import InvalidContentError
from wawebpy.types import (
    ContactMessage,
    LocationMessage,
    MediaMessage,
    Message,
    MessageType,
    PollMessage,
)


@pytest.mark.parametrize(
    ("data", "name", "mime"),
    [
        (png(), None, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, None, "image/jpeg"),
        (b"GIF89a" + b"\x00" * 20, None, "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", None, "image/webp"),
        (mp4(), "clip.bin", "video/mp4"),
        (ogg_opus(), None, "audio/ogg; codecs=opus"),
        (b"ID3\x03" + b"\x00" * 20, None, "audio/mpeg"),
        (pdf(), "x.png", "application/pdf"),
        (
            b"PK\x03\x04" + b"\x00" * 30,
            "a.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (b"hello, world", "notes.txt", "text/plain"),
        (b"hello, world", None, None),
    ],
)
def test_sniffing_uses_content(data: bytes, name: str | None, mime: str | None) -> None:
    assert sniff_mimetype(data, name) == mime


def test_load_media_limits_and_errors(tmp_path: Path) -> None:
    assert MEDIA_LIMITS["image"] == 16 * 1024 * 1024
    assert MEDIA_LIMITS["document"] == 100 * 1024 * 1024
    with pytest.raises(InvalidContentError, match="no such file"):
        load_media(tmp_path / "nope.png", kind="image")
    with pytest.raises(InvalidContentError, match="empty"):
        load_media(b"", kind="image")
    with pytest.raises(InvalidContentError, match="unknown media format"):
        load_media(b"\x00" * 64, kind="image")
    with pytest.raises(InvalidContentError, match="limit"):
        load_media(b"\x00" * (MEDIA_LIMITS["audio"] + 1), kind="audio")
    with pytest.raises(InvalidContentError, match="http"):
        load_media("file:///etc/passwd", kind="document")
    doc = load_media(b"\x00" * 64, kind="document", filename="blob.bin")
    assert doc.mimetype == "application/octet-stream" and doc.filename == "blob.bin"
    path = tmp_path / "pic.jpg"
    path.write_bytes(png())
    got = load_media(path, kind="image")
    assert got.mimetype == "image/png" and got.filename == "pic.jpg"


def test_media_repr_hides_bytes() -> None:
    media = Media(data=b"secret-bytes", mimetype="image/png", filename="a.png")
    assert "secret-bytes" not in repr(media) and media.size == 12


def test_vcard_round_trip_with_rfc6350_escaping() -> None:
    card = VCard("Smith, John; Jr.\\III\nnext", phones=("+1 (555) 000-1234",), email="j@x.org")
    text = card.to_vcard()
    assert "FN:Smith\\, John\\; Jr.\\\\III\\nnext" in text
    assert "TEL;type=CELL;type=VOICE;waid=15550001234:+15550001234" in text
    back = VCard.parse(text)
    assert back.name == card.name and back.phones == ("15550001234",) and back.email == "j@x.org"


def test_vcard_parse_folded_lines_and_groups() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Very Long\r\n  Name\r\n"
        "item1.TEL;waid=447700900123:+44 7700 900123\r\nORG:Acme\\, Ltd;Dept\r\nEND:VCARD\r\n"
    )
    card = VCard.parse(text)
    assert card.name == "Very Long Name" and card.phones == ("447700900123",)
    assert card.organization == "Acme, Ltd"


def test_poll_and_location_validation() -> None:
    assert Poll("Q?", ["a", "b"]).options == ("a", "b")
    for bad in ((), ("only",), ("a", "a"), tuple(str(i) for i in range(13)), ("a", " ")):
        with pytest.raises(InvalidContentError):
            Poll("Q?", bad)
    with pytest.raises(InvalidContentError):
        Poll("  ", ("a", "b"))
    assert len(Poll("Q?", tuple(str(i) for i in range(12))).options) == 12
    for lat, lng in ((90.1, 0), (0, -180.5), (float("inf"), 0), (True, 0)):
        with pytest.raises(InvalidContentError):
            Location(lat, lng)  # type: ignore[arg-type]


BASE = {"id": "false_15551234567@c.us_3A01", "t": 1700000000, "from": "15551234567@c.us"}


def test_models_are_typed_by_kind() -> None:
    media = build_message(
        {**BASE, "type": "ptt", "mimetype": "audio/ogg", "size": 99, "duration": "7"}
    )  # type: ignore[typeddict-item]
    assert isinstance(media, MediaMessage) and media.duration == 7 and media.size == 99
    loc = build_message({**BASE, "type": "location", "lat": 1.5, "lng": 2.5, "loc": "A\nB"})  # type: ignore[typeddict-item]
    assert isinstance(loc, LocationMessage) and loc.location == Location(1.5, 2.5, "A", "B")
    card = build_message({**BASE, "type": "vcard", "body": VCard("Z", ("1555",)).to_vcard()})  # type: ignore[typeddict-item]
    assert isinstance(card, ContactMessage) and card.vcards[0].name == "Z"
    poll = build_message(
        {
            **BASE,
            "type": "poll_creation",
            "pollName": "Q",
            "pollSelectableOptionsCount": 1,  # type: ignore[typeddict-item]
            "pollOptions": [{"name": "x", "localId": 0}, {"name": "y", "localId": 1}],
        }
    )
    assert isinstance(poll, PollMessage) and poll.options == ("x", "y") and not poll.allow_multiple
    assert poll.text == "Q" and "Q" not in repr(poll)
    odd = build_message({**BASE, "type": "future_kind"})  # type: ignore[typeddict-item]
    assert type(odd) is Message and odd.type is MessageType.UNKNOWN


def test_personal_content_stays_out_of_reprs() -> None:
    loc = Location(48.85, 2.29, "Home", "1 Secret St")
    card = VCard("Jane Roe", phones=("15550009999",), email="jane@example.org")
    for obj, secrets in ((loc, ("48.85", "Home", "Secret")), (card, ("Jane", "15550009999"))):
        assert not any(s in repr(obj) for s in secrets), repr(obj)
