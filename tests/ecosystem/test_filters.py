"""Filters on hand-built events: the algebra and every built-in."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest

from wawebpy import events, filters
from wawebpy.errors import InvalidChatIdError, InvalidContentError
from wawebpy.types import Ack, ChatId, Message, MessageId, MessageType

ME = ChatId.parse("15550000001@c.us")
PEER = ChatId.parse("15551234567@c.us")
OTHER = ChatId.parse("15557654321@c.us")
GROUP = ChatId.parse("120363012345678901@g.us")


def message(
    text: str = "hello",
    *,
    chat: ChatId = PEER,
    sender: ChatId | None = None,
    from_me: bool = False,
    type: MessageType = MessageType.TEXT,
    mentions: tuple[ChatId, ...] = (),
    quoted: MessageId | None = None,
    forwarded: bool = False,
    raw: dict[str, Any] | None = None,
) -> events.NewMessage:
    sender = sender or (ME if from_me else PEER)
    return events.NewMessage(
        message=Message(
            id=MessageId(from_me, chat, "3EB0AAAAAAAAAAAAAAAA", sender if chat.is_group else None),
            type=type,
            chat_id=chat,
            sender=sender,
            recipient=chat if from_me else ME,
            text=text,
            timestamp=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ack=Ack.SERVER,
            from_me=from_me,
            is_new=True,
            is_forwarded=forwarded,
            mentioned_ids=mentions,
            quoted_id=quoted,
            raw=raw or {},
        )
    )


# -- algebra ------------------------------------------------------------------------------------


def test_and_or_not_combine() -> None:
    ping = filters.Text(r"^!ping")
    f = ping & ~filters.Outgoing()
    assert f(message("!ping"))
    assert not f(message("!ping", from_me=True))
    assert not f(message("pong"))
    g = filters.Groups() | filters.Outgoing()
    assert g(message(chat=GROUP, sender=OTHER)) and g(message(from_me=True))
    assert not g(message())
    assert (~~filters.Incoming())(message()) and not (~~filters.Incoming())(message(from_me=True))


def test_plain_callables_compose_on_either_side() -> None:
    long = lambda e: len(e.message.text) > 3  # noqa: E731
    assert (filters.Incoming() & long)(message("hello"))
    assert not (long & filters.Incoming())(message("hi"))
    assert (long | filters.Outgoing())(message("hi", from_me=True))
    assert (filters.Predicate(long) & filters.Incoming())(message("hello"))
    assert not (~filters.Predicate(long))(message("hello"))


def test_combinations_flatten_and_short_circuit() -> None:
    calls: list[str] = []

    def probe(name: str, value: bool) -> filters.Predicate[events.NewMessage]:
        def fn(e: events.NewMessage) -> bool:
            calls.append(name)
            return value

        return filters.Predicate(fn)

    both = probe("a", False) & probe("b", True) & probe("c", True)
    assert isinstance(both, filters.All) and len(both.filters) == 3
    assert not both(message())
    assert calls == ["a"]
    calls.clear()
    either = probe("a", True) | probe("b", False) | probe("c", False)
    assert isinstance(either, filters.Any) and len(either.filters) == 3
    assert either(message())
    assert calls == ["a"]


def test_reprs_read_like_the_expression() -> None:
    f = filters.Text(r"^!ping") & ~filters.Outgoing() | filters.Chats(GROUP)
    assert repr(f) == "((Text('^!ping') & ~Outgoing()) | Chats(120363012345678901@g.us))"


def test_message_filters_are_false_on_events_without_a_message() -> None:
    ready = events.LoadingProgress(percent=10)
    for f in (filters.Incoming(), filters.Text("x"), filters.Command(), filters.Media()):
        assert not f(ready)  # type: ignore[arg-type]
    assert (~filters.Incoming())(ready)  # type: ignore[arg-type]


# -- built-ins ----------------------------------------------------------------------------------


def test_incoming_outgoing() -> None:
    assert filters.Incoming()(message()) and not filters.Incoming()(message(from_me=True))
    assert filters.Outgoing()(message(from_me=True)) and not filters.Outgoing()(message())


def test_text_searches_body_and_exposes_the_match() -> None:
    f = filters.Text(r"order #(\d+)", re.IGNORECASE)
    event = message("Where is ORDER #42?")
    assert f(event)
    m = f.match(event)
    assert m is not None and m.group(1) == "42"
    assert f.match(message("nothing")) is None
    assert filters.Text(re.compile("^hi$"))(message("hi"))
    caption = message("a cat", type=MessageType.IMAGE)
    assert filters.Text("cat")(caption)


def test_text_rejects_bad_patterns() -> None:
    with pytest.raises(InvalidContentError):
        filters.Text("(unclosed")
    with pytest.raises(InvalidContentError):
        filters.Text(re.compile("x"), re.I)
    with pytest.raises(InvalidContentError):
        filters.Text(42)  # type: ignore[arg-type]


def test_command_parses_name_and_arguments() -> None:
    echo = filters.Command("echo", "say")
    event = message("  /Echo   hello   world ")
    assert echo(event)
    cmd = echo.parse(event)
    assert cmd == filters.CommandMatch(
        prefix="/", name="Echo", args=("hello", "world"), rest="hello   world"
    )
    assert echo(message("/say"))
    no_args = echo.parse(message("/say"))
    assert no_args is not None and no_args.args == () and no_args.rest == ""
    assert not echo(message("/echoes hi"))
    assert not echo(message("echo hi"))
    assert not echo(message("/ echo"))
    assert echo.parse(message("/other")) is None


def test_command_any_name_other_prefix_and_case() -> None:
    any_bang = filters.Command(prefix="!")
    assert any_bang(message("!anything goes"))
    assert not any_bang(message("/anything"))
    assert not any_bang(message("!"))
    strict = filters.Command("Start", case_sensitive=True)
    assert strict(message("/Start")) and not strict(message("/start"))
    assert filters.Command.split("/a b c") == filters.CommandMatch(
        prefix="/", name="a", args=("b", "c"), rest="b c"
    )
    assert filters.Command.split("no command") is None


def test_command_rejects_bad_definitions() -> None:
    for bad in ("", "two words", "/start"):
        with pytest.raises(InvalidContentError):
            filters.Command(bad)
    with pytest.raises(InvalidContentError):
        filters.Command("x", prefix="")


def test_chats_and_senders_validate_ids_early() -> None:
    assert filters.Chats(PEER)(message())
    assert filters.Chats("120363012345678901@g.us")(message(chat=GROUP, sender=OTHER))
    assert not filters.Chats(GROUP)(message())
    assert filters.Senders(OTHER)(message(chat=GROUP, sender=OTHER))
    assert not filters.Senders(OTHER)(message())
    with pytest.raises(InvalidChatIdError):
        filters.Chats("15551234567")
    with pytest.raises(InvalidContentError):
        filters.Senders()


def test_groups_private() -> None:
    assert filters.Groups()(message(chat=GROUP, sender=OTHER))
    assert not filters.Groups()(message())
    assert filters.Private()(message()) and not filters.Private()(message(chat=GROUP))


def test_media_kinds_and_mime() -> None:
    photo = message("", type=MessageType.IMAGE, raw={"mimetype": "image/jpeg"})
    pdf = message("", type=MessageType.DOCUMENT, raw={"mimetype": "application/pdf; x=1"})
    assert filters.Media()(photo) and filters.Media()(pdf)
    assert not filters.Media()(message("text"))
    assert filters.Media(MessageType.IMAGE)(photo) and not filters.Media([MessageType.IMAGE])(pdf)
    assert filters.Media(["document", "VOICE"])(pdf)
    assert filters.Media(mime="image/*")(photo) and not filters.Media(mime="image/*")(pdf)
    assert filters.Media(mime=["application/pdf"])(pdf)
    assert not filters.Media(mime="image/*")(message("", type=MessageType.IMAGE))
    with pytest.raises(InvalidContentError):
        filters.Media([MessageType.TEXT])
    with pytest.raises(InvalidContentError):
        filters.Media(["nonsense"])


def test_types() -> None:
    loc = message("", type=MessageType.LOCATION)
    assert filters.Types(MessageType.LOCATION, "chat")(loc)
    assert filters.Types("chat")(message())
    assert not filters.Types(MessageType.IMAGE)(loc)


def test_reply_and_forwarded() -> None:
    quoted = MessageId(False, PEER, "ABC")
    assert filters.Reply()(message(quoted=quoted)) and not filters.Reply()(message())
    assert filters.Forwarded()(message(forwarded=True)) and not filters.Forwarded()(message())


def test_mentioned_uses_the_recipient_or_given_ids() -> None:
    group_mention = message("@15550000001 hi", chat=GROUP, sender=OTHER, mentions=(ME,))
    assert filters.Mentioned()(group_mention)
    assert not filters.Mentioned()(message("hi", chat=GROUP, sender=OTHER, mentions=(PEER,)))
    assert not filters.Mentioned()(message("hi", chat=GROUP, sender=OTHER))
    own = message("@15550000001", chat=GROUP, from_me=True, mentions=(ME,))
    assert not filters.Mentioned()(own)
    assert filters.Mentioned(PEER)(message("hi", chat=GROUP, sender=OTHER, mentions=(PEER,)))
    assert filters.Mentioned(ME)(own)
