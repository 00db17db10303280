"""Python side of the event pipeline, without a browser: CDP frame → handler.

Run: ``python benchmarks/bench_pipeline.py [--events N] [--runs R] [--size BYTES] [--profile]``.
Feeds the batches a 10,000-event page burst produces (the same ``messages.add`` payloads
``bench_transport.py`` emits) through what the CDP reader thread does with a frame, the
:class:`Sequencer`, page-event translation and model building, and the dispatcher's thread, to
one ``NewMessage`` handler with a filter; prints ev/s (best and median) and, per stage, the
µs per event measured on one thread. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import threading
import time
from collections.abc import Callable

from wawebpy import Client, events
from wawebpy._models import build_message

PEER = "15551234567@c.us"


def page_batch(run: int, count: int, size: int, first: int = 0) -> str:
    """The JSON the page's queue sends for ``count`` synthetic messages.add events."""
    pad = "x" * size
    now = time.time()
    evs = [
        [
            "messages.add",
            {
                "id": f"false_{PEER}_BENCH{run}X{i}",
                "fromMe": False,
                "remote": PEER,
                "from": PEER,
                "to": "15550000001@c.us",
                "type": "chat",
                "t": int(now),
                "ack": 1,
                "isNewMsg": True,
                "body": f"{now * 1000:.3f}|{i}|{pad}",
                "mentionedJidList": [],
                "groupMentions": [],
            },
        ]
        for i in range(first, first + count)
    ]
    batch = {"epoch": "benchepoch", "seq": first, "events": evs}
    return json.dumps(batch, separators=(",", ":"), ensure_ascii=False)


def cdp_frame(payload: str) -> str:
    """How Chrome wraps one binding call on the websocket."""
    msg = {
        "method": "Runtime.bindingCalled",
        "params": {"name": "__wawebpyPush", "payload": payload, "executionContextId": 1},
    }
    return json.dumps(msg, separators=(",", ":"), ensure_ascii=False)


class Sink:
    """The bench_transport handler: parse the body, keep the order, note the last call."""

    def __init__(self, expect: int) -> None:
        self.order: list[int] = []
        self.expect = expect
        self.done = threading.Event()
        self.last_at = 0.0

    def __call__(self, client: Client, event: events.NewMessage) -> None:
        _, idx, _ = event.message.text.split("|", 2)
        self.order.append(int(idx))
        if len(self.order) >= self.expect:
            self.last_at = time.perf_counter()
            self.done.set()


def new_client(sink: Sink) -> Client:
    client = Client(web_url="http://127.0.0.1:9/")
    client.on(events.NewMessage, lambda e: e.message.id.id.startswith("BENCH"))(sink)
    return client


def run_once(run: int, count: int, size: int, batch_size: int) -> float:
    """End to end through both threads: the reader's work, then handoff to dispatch."""
    sink = Sink(count)
    client = new_client(sink)
    frames = [
        cdp_frame(page_batch(run, min(batch_size, count - first), size, first))
        for first in range(0, count, batch_size)
    ]
    client._dispatcher.start()
    try:
        start = time.perf_counter()
        for frame in frames:  # the CDP reader thread's share
            msg = json.loads(frame)
            client._on_push(msg["params"]["payload"])
        if not sink.done.wait(60):
            raise SystemExit(f"only {len(sink.order)} of {count} events arrived")
        elapsed = sink.last_at - start
        if sink.order != list(range(count)):
            raise SystemExit("order/loss check FAILED")
        return count / elapsed
    finally:
        client._dispatcher.stop()


def per_stage(count: int, size: int) -> list[tuple[str, float]]:
    """µs per event of each stage, on one thread (no GIL contention)."""
    frame = cdp_frame(page_batch(7, count, size))
    payload = json.loads(frame)["params"]["payload"]
    batch = json.loads(payload)
    evs = batch["events"]
    sink = Sink(count)
    client = new_client(sink)
    published: list[events.Event] = []
    stages: list[tuple[str, Callable[[], object]]] = [
        ("CDP frame json.loads (reader, _cdp.py)", lambda: json.loads(frame)),
        ("batch json.loads (Sequencer.feed)", lambda: json.loads(payload)),
        ("build_message", lambda: [build_message(p) for _, p in evs]),
    ]

    def translate() -> None:
        client._seen_ids.clear()
        published.clear()
        seq = client._sequencer
        seq._next.clear()
        seq.epoch = None
        real = client._dispatcher.publish
        client._dispatcher.publish = published.append  # type: ignore[method-assign]
        try:
            client._on_push(payload)
        finally:
            client._dispatcher.publish = real  # type: ignore[method-assign]

    stages.append(("feed → translate → model (no publish)", translate))

    def handle() -> None:
        sink.order.clear()
        for event in published:
            client._dispatcher._handle(event)

    stages.append(("dispatch _handle: filter + handler", handle))
    out = []
    for name, fn in stages:
        best = min(_timed(fn) for _ in range(5))
        out.append((name, best * 1e6 / count))
    return out


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", type=int, default=0, help="body padding in bytes")
    parser.add_argument("--batch", type=int, default=10_000, help="events per page batch")
    parser.add_argument("--profile", action="store_true", help="cProfile one run")
    args = parser.parse_args()
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        run_once(0, args.events, args.size, args.batch)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return 0
    rates = [run_once(r, args.events, args.size, args.batch) for r in range(args.runs)]
    print(
        f"pipeline {args.events:,} events, {args.size} B bodies, {args.batch}/batch: "
        f"best {max(rates):,.0f} ev/s, median {statistics.median(rates):,.0f} ev/s"
    )
    for name, us in per_stage(args.events, args.size):
        print(f"  {name:<44} {us:6.2f} µs/event")
    return 0


if __name__ == "__main__":
    sys.exit(main())
