"""The per-event fast paths behave exactly like the plain ones they replace."""

from __future__ import annotations

import dataclasses
import json
import threading

import pytest

from wawebpy import events
from wawebpy._dispatch import Dispatcher
from wawebpy._models import _MESSAGE_FIELDS, _slot_constructor, build_message, from_unix
from wawebpy._transport._stream import Sequencer
from wawebpy.types import Ack, ChatId, Location, Message, MessageId, MessageType

PEER = "15551234567@c.us"
ME = ChatId.parse("15550000001@c.us")


def _payload(**extra: object) -> dict[str, object]:
    p: dict[str, object] = {
        "id": f"false_{PEER}_ABC",
        "fromMe": False,
        "remote": PEER,
        "from": PEER,
        "to": "15550000001@c.us",
        "type": "chat",
        "t": 1_700_000_000,
        "ack": 1,
        "isNewMsg": True,
        "body": "hi",
        "mentionedJidList": ["15557654321@c.us"],
    }
    p.update(extra)
    return p


def test_a_text_message_equals_one_built_by_its_init() -> None:
    p = _payload()
    built = build_message(p, ME)  # type: ignore[arg-type]
    chat = ChatId.parse(PEER)
    expected = Message(
        id=MessageId(False, chat, "ABC"),
        type=MessageType.TEXT,
        chat_id=chat,
        sender=chat,
        recipient=ME,
        text="hi",
        timestamp=from_unix(1_700_000_000),  # type: ignore[arg-type]
        ack=Ack.SERVER,
        from_me=False,
        is_new=True,
        mentioned_ids=(ChatId.parse("15557654321@c.us"),),
        sender_phone=chat,  # a @c.us sender is its own phone id; its LID is not in the payload
        raw=p,
    )
    assert type(built) is Message
    assert built == expected
    assert built.raw is p
    assert repr(built) == repr(expected)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.text = "changed"  # type: ignore[misc]


def test_slot_constructor_refuses_models_it_would_build_wrongly() -> None:
    with pytest.raises(TypeError, match="fields changed"):
        _slot_constructor(Message, tuple(reversed(_MESSAGE_FIELDS)))
    with pytest.raises(TypeError, match="__post_init__"):
        _slot_constructor(Location, ("latitude", "longitude", "name", "address", "url"))


def test_whole_second_timestamps_share_one_datetime_and_floats_still_work() -> None:
    assert from_unix(1_700_000_000) is from_unix(1_700_000_000)
    assert from_unix(1_700_000_000.5) == from_unix(1_700_000_000.5)
    assert from_unix(0) is None and from_unix(None) is None


def test_batched_publishes_keep_order_and_waiters_match_at_publish_time() -> None:
    d = Dispatcher(owner=None)
    got: list[int] = []
    done = threading.Event()

    def record(owner: object, e: events.LoadingProgress) -> None:
        got.append(e.percent)
        if e.percent == 99:
            done.set()

    d.add(events.LoadingProgress, record)
    expectation = d.expect(events.LoadingProgress, lambda e: e.percent == 2)
    d.publish(events.LoadingProgress(percent=0))
    with d.batch():
        d.publish(events.LoadingProgress(percent=1))
        with d.batch():  # nested: still one hand-off, at the outer end
            d.publish(events.LoadingProgress(percent=2))
        assert expectation.done  # matched before the batch was handed over
        d.publish(events.LoadingProgress(percent=3))
    d.publish(events.LoadingProgress(percent=99))
    d.start()
    assert done.wait(5)
    d.stop()
    assert got == [0, 1, 2, 3, 99]


def test_handlers_added_later_see_later_events() -> None:
    d = Dispatcher(owner=None)
    first: list[int] = []
    second: list[int] = []
    d.add(events.LoadingProgress, lambda o, e: first.append(e.percent), group=0)
    d._handle(events.LoadingProgress(percent=1))
    handler = d.add(events.LoadingProgress, lambda o, e: second.append(e.percent), group=1)
    d._handle(events.LoadingProgress(percent=2))
    d.remove(handler)
    d._handle(events.LoadingProgress(percent=3))
    assert first == [1, 2, 3]
    assert second == [2]


def _page_batch(epoch: str, seq: int, n: int, left: int) -> str:
    events_ = [["e", {"n": seq + i}] for i in range(n)]
    body = {"epoch": epoch, "seq": seq, "n": n, "left": left, "events": events_}
    return json.dumps(body, separators=(",", ":"))


def test_sequencer_skips_known_batches_unread_and_reports_the_page_backlog() -> None:
    out: list[int] = []
    s = Sequencer(lambda kind, p: out.append(p["n"]), lambda: None)
    assert s.feed(_page_batch("a1", 0, 3, 5)) == 5
    assert s.feed(_page_batch("a1", 3, 5, 0)) == 0
    # A drain re-sends a batch already pushed: counted, not decoded (its body is not JSON).
    assert s.feed(_page_batch("a1", 0, 3, 5)[:40] + "garbage") == 5
    assert s.stats.duplicates == 1
    assert out == list(range(8))
