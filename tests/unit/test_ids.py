import pytest

from wawebpy.errors import InvalidChatIdError, InvalidInputError, InvalidMessageIdError
from wawebpy.types import Ack, ChatId, ChatKind, MessageId, MessageType


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("15551234567@c.us", ChatKind.USER),
        ("120363012345678901@g.us", ChatKind.GROUP),
        ("15551234567-1600000000@g.us", ChatKind.GROUP),
        ("123456789012345@lid", ChatKind.LID),
        ("status@broadcast", ChatKind.BROADCAST),
        ("120363123456789@newsletter", ChatKind.NEWSLETTER),
    ],
)
def test_chat_id_parses_every_server(text: str, kind: ChatKind) -> None:
    cid = ChatId.parse(text)
    assert cid.kind is kind
    assert str(cid) == text
    assert ChatId.parse(cid) is cid


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "15551234567",
        "+15551234567@c.us",
        "abc@c.us",
        "1555@c.us",
        "15551234567@s.whatsapp.net",
        "15551234567@c.us@c.us",
        "0123456789@c.us",
        " @g.us",
    ],
)
def test_bad_chat_ids_raise_typed_error(bad: str) -> None:
    with pytest.raises(InvalidChatIdError) as info:
        ChatId.parse(bad)
    assert isinstance(info.value, InvalidInputError)
    assert isinstance(info.value, ValueError)


def test_non_str_chat_id_says_what_was_given() -> None:
    with pytest.raises(InvalidChatIdError, match="not int"):
        ChatId.parse(15551234567)  # type: ignore[arg-type]


def test_long_input_is_not_echoed_whole() -> None:
    secret = "9" * 5000 + "@c.us"
    with pytest.raises(InvalidChatIdError) as info:
        ChatId.parse(secret)
    assert len(str(info.value)) < 300


def test_message_id_round_trip() -> None:
    for text in (
        "true_15551234567@c.us_3EB0ABCDEF0123456789",
        "false_120363012345678901@g.us_3A1234_15551234567@c.us",
    ):
        mid = MessageId.parse(text)
        assert str(mid) == text
    mid = MessageId.parse("false_120363012345678901@g.us_3A1234_15551234567@c.us")
    assert not mid.from_me and mid.participant == ChatId.parse("15551234567@c.us")


@pytest.mark.parametrize(
    "bad", ["", "x_y_z", "true_15551234567@c.us_", "maybe_1@c.us_A", "true_15551234567@c.us"]
)
def test_bad_message_ids(bad: str) -> None:
    with pytest.raises(InvalidMessageIdError):
        MessageId.parse(bad)


def test_enums_fall_back_to_unknown(caplog: pytest.LogCaptureFixture) -> None:
    assert Ack(3) is Ack.READ
    assert Ack(42) is Ack.UNKNOWN
    assert MessageType("brand_new_kind") is MessageType.UNKNOWN
    assert MessageType("chat") is MessageType.TEXT
