import json
import random

from wawebpy._transport._stream import Sequencer, sanitize_text


def _batch(epoch: str, seq: int, n: int) -> str:
    return json.dumps(
        {"epoch": epoch, "seq": seq, "events": [["e", {"n": seq + i}] for i in range(n)]}
    )


def _collect() -> tuple[list[int], Sequencer, list[int]]:
    out: list[int] = []
    resyncs: list[int] = []
    seqr = Sequencer(lambda kind, p: out.append(p["n"]), lambda: resyncs.append(1))
    return out, seqr, resyncs


def test_in_order_batches_pass_through() -> None:
    out, s, resyncs = _collect()
    for i in range(0, 100, 10):
        s.feed(_batch("a", i, 10))
    assert out == list(range(100))
    assert not resyncs


def test_duplicates_are_dropped_and_overlaps_trimmed() -> None:
    out, s, _ = _collect()
    s.feed(_batch("a", 0, 10))
    s.feed(_batch("a", 0, 10))
    s.feed(_batch("a", 5, 10))
    assert out == list(range(15))
    assert s.stats.duplicates == 1


def test_gap_holds_back_and_requests_resync() -> None:
    out, s, resyncs = _collect()
    s.feed(_batch("a", 0, 5))
    s.feed(_batch("a", 10, 5))
    assert out == list(range(5))
    assert resyncs == [1]
    s.feed(_batch("a", 5, 5))
    assert out == list(range(15))


def test_shuffled_delivery_from_two_channels_is_ordered_exactly_once() -> None:
    out, s, _ = _collect()
    batches = [_batch("a", i, 7) for i in range(0, 700, 7)]
    rng = random.Random(4)
    mixed = batches + rng.sample(batches, 40)
    rng.shuffle(mixed)
    for b in mixed:
        s.feed(b)
    assert out == list(range(700))


def test_new_epoch_restarts_and_old_epoch_is_remembered() -> None:
    out, s, _ = _collect()
    s.feed(_batch("a", 0, 3))
    s.feed(_batch("b", 0, 2))
    s.feed(_batch("a", 0, 3))  # a back/forward restore re-sends what was seen
    s.feed(_batch("a", 3, 1))
    assert out == [0, 1, 2, 0, 1, 3]


def test_unrecoverable_gap_is_counted_not_stalled() -> None:
    out, s, _ = _collect()
    s.feed(_batch("a", 0, 2))
    s.feed(_batch("a", 5, 2))
    s.feed_drain({"epoch": "a", "seq": 7, "first": 5, "batches": [_batch("a", 5, 2)]})
    assert out == [0, 1, 5, 6]
    assert s.stats.lost == 3


def test_lone_surrogates_are_replaced() -> None:
    out: list[str] = []
    s = Sequencer(lambda k, p: out.append(p), lambda: None)
    s.feed('{"epoch":"a","seq":0,"events":[["e","ok \\ud83d cut"]]}')
    assert out == ["ok \ufffd cut"]
    assert sanitize_text("a\ud83d\ude00b") == "a\ud83d\ude00b".encode(
        "utf-16", "surrogatepass"
    ).decode("utf-16")
