"""End to end against the fake WhatsApp Web in real headless Chromium: login, receive, send, acks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import Recorder

from wawebpy import Client, LocalAuth, events
from wawebpy.errors import (
    ChatNotFoundError,
    InvalidChatIdError,
    InvalidContentError,
    InvalidInputError,
    InvalidMessageIdError,
)
from wawebpy.testing import FakeWhatsApp
from wawebpy.types import Ack, ChatId, MessageType

PEER = "15551234567@c.us"
GROUP = "120363012345678901@g.us"
MEMBER = "15557654321@c.us"


class Session:
    def __init__(self, fake: FakeWhatsApp, client: Client, rec: Recorder, auth_dir: Path) -> None:
        self.fake, self.client, self.rec, self.auth_dir = fake, client, rec, auth_dir


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    auth_dir = tmp_path_factory.mktemp("auth")
    with FakeWhatsApp(me="15550000001", push_name="Test Phone") as fake:
        fake.add_group(GROUP, "Test group", participants=[PEER, MEMBER, "15550000001@c.us"])
        rec = Recorder()
        client = Client(web_url=fake.url, auth=LocalAuth(auth_dir))
        client.on(events.Event, group=-1)(rec)
        client.start()
        try:
            qr = rec.wait(events.QrCode)
            assert qr.data == fake.wait_for_qr()
            fake.scan_qr()
            ready = client.wait_until_ready(timeout=60)
            assert ready.me == ChatId.parse("15550000001@c.us")
            yield Session(fake, client, rec, auth_dir)
        finally:
            client.close()


def test_login_goes_qr_then_authenticated_then_ready(session: Session) -> None:
    session.rec.wait(events.Ready)  # handlers run on their own thread: let them catch up
    kinds = [type(e) for e in session.rec.events]
    first = {k: kinds.index(k) for k in (events.QrCode, events.Authenticated, events.Ready)}
    assert first[events.QrCode] < first[events.Authenticated] < first[events.Ready], kinds
    qr = session.rec.of(events.QrCode)[0]
    parts = qr.data.split(",")
    assert len(parts) == 5 and all(parts)
    assert "data" not in repr(qr) or qr.data not in repr(qr)
    states = [e.state.value for e in session.rec.of(events.StateChanged)]
    assert "UNPAIRED" in states and states[-1] == "CONNECTED", states
    assert session.client.is_ready and session.client.version


def test_incoming_private_text_arrives_as_new_message(session: Session) -> None:
    before = time.time()
    msg_id = session.fake.deliver_text(sender=PEER, text="hello there")
    event = session.rec.wait(events.NewMessage, lambda e: str(e.message.id) == msg_id)
    m = event.message
    assert m.text == "hello there"
    assert m.chat_id == ChatId.parse(PEER) and m.sender == ChatId.parse(PEER)
    assert m.recipient == session.client.me
    assert not m.from_me and m.is_new and m.type is MessageType.TEXT
    assert abs(m.timestamp.timestamp() - before) < 120


def test_incoming_group_text_names_group_and_author(session: Session) -> None:
    msg_id = session.fake.deliver_text(sender=MEMBER, text="in the group", chat=GROUP)
    m = session.rec.wait(events.NewMessage, lambda e: str(e.message.id) == msg_id).message
    assert m.chat_id == ChatId.parse(GROUP) and m.is_group
    assert m.sender == ChatId.parse(MEMBER)
    assert m.id.participant == ChatId.parse(MEMBER)


def test_send_text_reaches_server_and_returns_message(session: Session) -> None:
    sent = session.client.send_text(PEER, "hello from python")
    assert sent.from_me and sent.chat_id == ChatId.parse(PEER) and sent.text == "hello from python"
    (record,) = session.fake.wait_for_sent(predicate=lambda s: s.id == str(sent.id))
    assert record.to == PEER and record.body == "hello from python" and record.type == "chat"
    own = session.rec.wait(events.NewMessage, lambda e: e.message.id == sent.id)
    assert own.message.from_me


def test_acks_arrive_in_order(session: Session) -> None:
    sent = session.client.send_text(PEER, "ack me")
    session.rec.wait(events.MessageAck, lambda e: e.message_id == sent.id and e.ack is Ack.SERVER)
    session.fake.set_ack(str(sent.id), 2)
    session.rec.wait(events.MessageAck, lambda e: e.message_id == sent.id and e.ack is Ack.DEVICE)
    session.fake.set_ack(str(sent.id), 3)
    session.rec.wait(events.MessageAck, lambda e: e.message_id == sent.id and e.ack is Ack.READ)
    acks = [e.ack for e in session.rec.of(events.MessageAck) if e.message_id == sent.id]
    assert acks == [Ack.SERVER, Ack.DEVICE, Ack.READ]


def test_wait_for_ack_returns_once_the_ack_is_reached(session: Session) -> None:
    sent = session.client.send_text(PEER, "wait for my ack")
    assert session.client.wait_for_ack(sent, Ack.SERVER, timeout=20) >= Ack.SERVER
    session.fake.set_ack(str(sent.id), 3)
    assert session.client.wait_for_ack(sent.id, Ack.READ, timeout=20) is Ack.READ
    # Already reached: returns at once from what was seen.
    assert session.client.wait_for_ack(str(sent.id), Ack.DEVICE, timeout=20) is Ack.READ


def test_expect_catches_an_answer_that_beats_the_send(session: Session) -> None:
    peer = ChatId.parse(PEER)
    with session.client.expect(
        events.NewMessage, lambda e: e.message.chat_id == peer and not e.message.from_me
    ) as answer:
        # The answer arrives before we even ask: a wait started after the send would miss it.
        session.fake.deliver_text(sender=PEER, text="42")
        session.client.send_text(PEER, "what is the answer?")
        assert answer.wait(timeout=20).message.text == "42"


def test_reply_and_mentions_reach_server(session: Session) -> None:
    incoming = session.fake.deliver_text(sender=MEMBER, text="question?", chat=GROUP)
    session.rec.wait(events.NewMessage, lambda e: str(e.message.id) == incoming)
    sent = session.client.send_text(
        GROUP, "@15551234567 answer", reply_to=incoming, mentions=[PEER]
    )
    (record,) = session.fake.wait_for_sent(predicate=lambda s: s.id == str(sent.id))
    assert record.quoted_id == incoming
    assert record.mentioned_ids == (PEER,)
    assert sent.mentioned_ids == (ChatId.parse(PEER),)
    assert sent.quoted_id is not None and str(sent.quoted_id).endswith(incoming.split("_", 2)[2])


TRICKY = [
    "quotes \" ' and backslash \\ and `backticks` ${x}",
    "</script><script>alert(1)</script>",
    "emoji 😀👍🏽🇧🇷 and ZWJ 👨‍👩‍👧",
    "RTL: مرحبا بالعالم — עברית",
    "line1\nline2\r\n\ttab\u0000nul",
    "x" * 65536,
]


@pytest.mark.parametrize("text", TRICKY, ids=["quotes", "script", "emoji", "rtl", "control", "64k"])
def test_tricky_text_arrives_byte_identical(session: Session, text: str) -> None:
    sent = session.client.send_text(PEER, text)
    (record,) = session.fake.wait_for_sent(predicate=lambda s: s.id == str(sent.id))
    assert record.body.encode("utf-8") == text.encode("utf-8")


@pytest.mark.parametrize(
    ("chat", "text", "error"),
    [
        ("15551234567", "hi", InvalidChatIdError),
        ("not-a-number@c.us", "hi", InvalidChatIdError),
        (12345, "hi", InvalidChatIdError),
        (PEER, 42, InvalidContentError),
        (PEER, b"bytes", InvalidContentError),
        (PEER, "   ", InvalidContentError),
        (PEER, "x" * 65537, InvalidContentError),
    ],
)
def test_bad_input_is_refused_before_sending(
    session: Session, chat: object, text: object, error: type[Exception]
) -> None:
    count = len(session.fake.sent)
    with pytest.raises(error) as info:
        session.client.send_text(chat, text)  # type: ignore[arg-type]
    assert isinstance(info.value, InvalidInputError)
    assert len(session.fake.sent) == count


def test_bad_reply_id_is_refused(session: Session) -> None:
    with pytest.raises(InvalidMessageIdError):
        session.client.send_text(PEER, "hi", reply_to="nonsense")


def test_unknown_quoted_message_is_typed(session: Session) -> None:
    from wawebpy.errors import MessageNotFoundError

    with pytest.raises(MessageNotFoundError):
        session.client.send_text(PEER, "hi", reply_to="false_15551234567@c.us_3A0000000000")


def test_echo_bot_handler_can_send(session: Session) -> None:
    client = session.client

    def echo(c: Client, event: events.NewMessage) -> None:
        if not event.message.from_me and event.message.text.startswith("echo?"):
            c.send_text(event.message.chat_id, "echo: " + event.message.text)

    handle = client.add_handler(events.NewMessage, echo)
    try:
        session.fake.deliver_text(sender=PEER, text="echo? ping")
        (record,) = session.fake.wait_for_sent(predicate=lambda s: s.body == "echo: echo? ping")
        assert record.to == PEER
    finally:
        client.remove_handler(handle)


def test_chats_are_listed(session: Session) -> None:
    chats = {c.id: c for c in session.client.get_chats()}
    assert ChatId.parse(PEER) in chats and ChatId.parse(GROUP) in chats
    assert chats[ChatId.parse(GROUP)].is_group
    assert session.client.get_chat(GROUP).id == ChatId.parse(GROUP)


def test_self_check_reports_every_capability(session: Session) -> None:
    report = session.client.self_check()
    assert report.version == session.client.version
    assert report.ok, report.missing_modules
    assert "messages.send" in report.capabilities


def test_unknown_chat_is_typed(session: Session) -> None:
    with pytest.raises(ChatNotFoundError):
        session.client.get_chat("19999999999@c.us")


def test_zz_relaunch_on_same_profile_needs_no_qr(session: Session) -> None:
    session.client.close()
    rec = Recorder()
    with Client(web_url=session.fake.url, auth=LocalAuth(session.auth_dir)) as client:
        client.on(events.Event, group=-1)(rec)
        client.wait_until_ready(timeout=60)
        assert not rec.of(events.QrCode)
        msg_id = session.fake.deliver_text(sender=PEER, text="after restart")
        rec.wait(events.NewMessage, lambda e: str(e.message.id) == msg_id)
        session.fake.logout_device()
        rec.wait(events.LoggedOut)
        assert not client.is_ready
        # The page asks for a new login once it has come back.
        rec.wait(events.QrCode)
