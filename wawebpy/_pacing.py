"""Pacing: token buckets that space out sends, globally, per chat and for first contacts.

WhatsApp bans numbers that send in bursts or message many strangers; the defaults keep a bot
well under what a busy human does (reasons in SECURITY.md). Each bucket is kept as a
"theoretical arrival time" (GCRA): a send may happen once the bucket's time minus the burst
allowance is not in the future; taking it moves the time one interval on.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal

from .errors import InvalidInputError, RateLimitedError

__all__ = ["Pacer", "Pacing"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Pacing:
    """How fast the client may send. Rates are messages per second; ``None`` turns a limit off.

    ``policy="wait"`` makes a send block until it is allowed; ``"raise"`` makes it raise
    :class:`~wawebpy.errors.RateLimitedError` with ``retry_after`` instead.
    """

    global_rate: float | None = 0.5
    global_burst: int = 5
    per_chat_rate: float | None = 0.2
    per_chat_burst: int = 3
    first_contact_rate: float | None = 1 / 60
    """New conversations (a chat that never wrote to us) per second."""
    first_contact_burst: int = 2
    policy: Literal["wait", "raise"] = "wait"
    max_wait: float = 600.0
    """With ``policy="wait"``, a send that would wait longer raises instead."""
    typing: bool = False
    """Show "typing…" in the chat before each text (or caption), for as long as a person would
    take to type it: ``len(text) / typing_chars_per_second`` seconds, at most ``typing_max``."""
    typing_chars_per_second: float = 15.0
    typing_max: float = 8.0

    def __post_init__(self) -> None:
        for name in ("global_rate", "per_chat_rate", "first_contact_rate"):
            rate = getattr(self, name)
            if rate is not None and not rate > 0:
                raise InvalidInputError(f"Pacing.{name} must be positive or None")
        for name in ("global_burst", "per_chat_burst", "first_contact_burst"):
            if getattr(self, name) < 1:
                raise InvalidInputError(f"Pacing.{name} must be at least 1")
        if self.policy not in ("wait", "raise"):
            raise InvalidInputError("Pacing.policy must be 'wait' or 'raise'")
        if not self.typing_chars_per_second > 0 or not self.typing_max >= 0:
            raise InvalidInputError(
                "Pacing.typing_chars_per_second must be positive and typing_max not negative"
            )

    def typing_delay(self, text: str) -> float:
        """How long to show "typing…" before sending ``text`` (0 when typing is off)."""
        if not self.typing or not text:
            return 0.0
        return min(self.typing_max, len(text) / self.typing_chars_per_second)

    @classmethod
    def off(cls) -> Pacing:
        """No pacing at all (tests against the fake, or your own limiter)."""
        return cls(global_rate=None, per_chat_rate=None, first_contact_rate=None)


class _Bucket:
    __slots__ = ("burst", "interval", "tat")

    def __init__(self, rate: float, burst: int) -> None:
        self.interval = 1.0 / rate
        self.burst = burst
        self.tat = 0.0

    def earliest(self, now: float) -> float:
        return max(now, self.tat - (self.burst - 1) * self.interval)

    def take(self, at: float) -> None:
        self.tat = max(self.tat, at) + self.interval


_MAX_CHATS = 10000


class Pacer:
    """The buckets of one client; thread-safe."""

    def __init__(self, pacing: Pacing) -> None:
        self.pacing = pacing
        self._lock = threading.Lock()
        self._global = (
            _Bucket(pacing.global_rate, pacing.global_burst) if pacing.global_rate else None
        )
        self._first = (
            _Bucket(pacing.first_contact_rate, pacing.first_contact_burst)
            if pacing.first_contact_rate
            else None
        )
        self._chats: OrderedDict[str, _Bucket] = OrderedDict()
        self._known: OrderedDict[str, None] = OrderedDict()

    def note_incoming(self, chat: str) -> None:
        """The chat wrote to us: sending there is no longer a first contact."""
        with self._lock:
            self._known[chat] = None
            self._known.move_to_end(chat)
            while len(self._known) > _MAX_CHATS:
                self._known.popitem(last=False)

    def _buckets(self, chat: str) -> tuple[list[_Bucket], bool]:
        """The buckets a send to ``chat`` takes from, and whether it is a first contact."""
        p = self.pacing
        buckets: list[_Bucket] = []
        if self._global is not None:
            buckets.append(self._global)
        if p.per_chat_rate is not None:
            bucket = self._chats.get(chat)
            if bucket is None:
                bucket = self._chats[chat] = _Bucket(p.per_chat_rate, p.per_chat_burst)
                while len(self._chats) > _MAX_CHATS:
                    self._chats.popitem(last=False)
            buckets.append(bucket)
        first = self._first is not None and chat not in self._known
        if first and self._first is not None:
            buckets.append(self._first)
        return buckets, first

    def ready_in(self, chat: str) -> float:
        """Seconds until a send to ``chat`` would be allowed (0 if now); reserves nothing."""
        with self._lock:
            now = time.monotonic()
            buckets, _ = self._buckets(chat)
            return max(0.0, max((b.earliest(now) for b in buckets), default=now) - now)

    def refuses(self, wait: float) -> bool:
        """Whether the policy refuses (rather than waits out) a send ``wait`` seconds away."""
        p = self.pacing
        return wait > 0 and (p.policy == "raise" or wait > p.max_wait)

    def reserve(self, chat: str, *, may_raise: bool = True) -> float:
        """Reserve a send to ``chat`` and return how long to wait before it may go.

        Raises :class:`RateLimitedError` per the policy; with ``may_raise=False`` (a send nobody
        waits for, such as one replayed from the durable outbox) it always waits instead.
        """
        with self._lock:
            now = time.monotonic()
            buckets, first = self._buckets(chat)
            at = max((b.earliest(now) for b in buckets), default=now)
            wait = at - now
            if may_raise and self.refuses(wait):
                raise RateLimitedError(
                    f"sending to {chat} now would exceed the pacing limits; retry in {wait:.1f} s",
                    retry_after=wait,
                    chat_id=chat,
                )
            for b in buckets:
                b.take(at)
            if first:
                # One first contact is enough: later sends there are part of a conversation.
                self._known[chat] = None
        return max(0.0, wait)
