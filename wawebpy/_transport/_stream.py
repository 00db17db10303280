"""The ordered event stream from the page: sequencing, gap recovery, and the channels feeding it.

Batches arrive as JSON strings ``{"epoch", "seq", "n", "left", "events": [[kind, payload], ...]}``
from a push channel (CDP binding, BiDi) and from ``drain`` reads (resync and polling). Whatever
the channel, the :class:`Sequencer` hands every event to ``deliver`` exactly once and in page
order: duplicates are dropped (unread, when the head says so), a gap holds later batches back and
asks for a resync read from the page.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["BatchStats", "Sequencer", "sanitize_text"]

_log = logging.getLogger(__name__)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def sanitize_text(text: str) -> str:
    """Replace lone UTF-16 surrogates (a message cut mid-emoji) with U+FFFD.

    Chrome's JSON keeps them as ``\\udXXX`` escapes; passed on, they crash chromedriver commands
    and any later UTF-8 encoding in user code.
    """
    if _LONE_SURROGATE.search(text) is None:
        return text
    # Valid pairs (as separate code points) join; lone halves become U+FFFD.
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _sanitize_obj(value: Any) -> Any:
    if isinstance(value, str):
        return sanitize_text(value)
    if isinstance(value, list):
        return [_sanitize_obj(v) for v in value]
    if isinstance(value, dict):
        return {k: _sanitize_obj(v) for k, v in value.items()}
    return value


def decode_batch(raw: str) -> dict[str, Any]:
    batch: dict[str, Any] = json.loads(raw)
    if "\\ud" in raw or "\\uD" in raw:
        batch = _sanitize_obj(batch)
    return batch


@dataclass(slots=True)
class BatchStats:
    """Counters for diagnostics and tests."""

    batches: int = 0
    events: int = 0
    duplicates: int = 0
    gaps: int = 0
    resyncs: int = 0
    epochs: int = 0
    lost: int = 0


_MAX_EPOCHS = 16
# The page writes its keys in this order (core.js flushBatch); batches without this head
# (stashed by an older bridge) are simply decoded.
_HEAD = re.compile(r'\{"epoch":"([0-9a-z]+)","seq":([0-9]+),"n":([0-9]+),"left":([0-9]+),')


class Sequencer:
    """Turns batches from any channel into one ordered, loss-checked event sequence."""

    def __init__(
        self,
        deliver: Callable[[str, Any], None],
        request_resync: Callable[[], None],
    ) -> None:
        self._deliver = deliver
        self._request_resync = request_resync
        self._lock = threading.Lock()
        self._next: OrderedDict[str, int] = OrderedDict()
        self._ahead: dict[int, list[Any]] = {}
        self.epoch: str | None = None
        self.stats = BatchStats()

    def position(self) -> tuple[str | None, int]:
        """(current epoch, next expected sequence number): what a drain should ask after."""
        with self._lock:
            return self.epoch, self._next.get(self.epoch or "", 0)

    def feed(self, raw: str) -> int:
        """Accept one JSON batch from any channel (thread-safe). Returns how many events the
        page still had queued behind this batch (0 also when the batch does not say): at 0, a
        burst is over and everything before it has been sent."""
        head = _HEAD.match(raw)
        if head is None:
            self.feed_batch(decode_batch(raw))
            return 0
        epoch, seq, count = head.group(1), int(head.group(2)), int(head.group(3))
        with self._lock:
            # A batch already delivered (a drain racing the push channel) is not decoded again.
            duplicate = epoch == self.epoch and seq + count <= self._next[epoch]
            if duplicate:
                self.stats.batches += 1
                self.stats.duplicates += 1
        if not duplicate:
            self.feed_batch(decode_batch(raw))
        return int(head.group(4))

    def feed_batch(self, batch: dict[str, Any]) -> None:
        epoch = str(batch["epoch"])
        seq = int(batch["seq"])
        events: list[Any] = batch["events"]
        resync = False
        with self._lock:
            self.stats.batches += 1
            if epoch != self.epoch:
                if epoch not in self._next:
                    self._next[epoch] = 0
                    self.stats.epochs += 1
                    while len(self._next) > _MAX_EPOCHS:
                        self._next.popitem(last=False)
                self._next.move_to_end(epoch)
                self.epoch = epoch
                self._ahead.clear()
            expected = self._next[epoch]
            end = seq + len(events)
            if end <= expected:
                self.stats.duplicates += 1
                return
            if seq > expected:
                self.stats.gaps += 1
                self._ahead[seq] = events
                resync = True
            else:
                self._emit(events[expected - seq :])
                self._next[epoch] = end
                self._release_ahead(epoch)
        if resync:
            self._request_resync()

    def _release_ahead(self, epoch: str) -> None:
        while self._ahead:
            expected = self._next[epoch]
            ready = [s for s in self._ahead if s <= expected]
            if not ready:
                return
            for s in sorted(ready):
                events = self._ahead.pop(s)
                end = s + len(events)
                if end > self._next[epoch]:
                    self._emit(events[self._next[epoch] - s :])
                    self._next[epoch] = end

    def _emit(self, events: list[Any]) -> None:
        deliver = self._deliver
        self.stats.events += len(events)
        for kind, payload in events:
            try:
                deliver(kind, payload)
            except Exception:  # a bug in translation must not stop the stream
                _log.exception("wawebpy: failed to handle page event %s", kind)

    def feed_drain(self, result: dict[str, Any] | None) -> None:
        """Accept the result of the page's ``drain(epoch, seq)``."""
        if not result:
            return
        with self._lock:
            self.stats.resyncs += 1
        for raw in result.get("batches", ()):
            self.feed(raw)
        with self._lock:
            epoch = str(result.get("epoch"))
            if epoch != self.epoch or not self._ahead:
                return
            first = int(result.get("first", 0))
            expected = self._next[epoch]
            if first > expected:
                # The page no longer holds the missing events: say so loudly and move on.
                lost = min(*self._ahead, first) - expected
                self.stats.lost += lost
                _log.error("wawebpy: %d page events were lost before they could be re-read", lost)
                self._next[epoch] = min(*self._ahead, first)
                self._release_ahead(epoch)
