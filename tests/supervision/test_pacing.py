"""Pacing: a burst of sends is spread out to the configured rates, and nothing is lost."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest

from wawebpy import Client, Pacing
from wawebpy._client import DEFAULT_WEB_URL
from wawebpy._pacing import Pacer
from wawebpy.errors import InvalidInputError, RateLimitedError
from wawebpy.testing import FakeWhatsApp

GLOBAL_RATE, GLOBAL_BURST = 40.0, 5
CHAT_RATE, CHAT_BURST = 5.0, 1
SLACK = 0.15  # delivery jitter between the paced send and the server's receive stamp


def test_200_sends_to_50_chats_respect_the_rates() -> None:
    pacing = Pacing(global_rate=GLOBAL_RATE, global_burst=GLOBAL_BURST, per_chat_rate=CHAT_RATE,
                    per_chat_burst=CHAT_BURST, first_contact_rate=None)
    chats = [f"1555{i:07d}@c.us" for i in range(50)]
    with FakeWhatsApp() as fake, Client(web_url=fake.url, pacing=pacing) as client:
        fake.wait_for_qr()
        fake.scan_qr()
        client.wait_until_ready(timeout=60)
        jobs = [(chats[i % 50], f"paced {i}") for i in range(200)]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda job: client.send_text(*job), jobs))
        sent = fake.wait_for_sent(count=200, timeout=120)
    assert sorted(s.body or "" for s in sent) == sorted(text for _, text in jobs)
    stamps = sorted(s.timestamp for s in sent)
    # In any window of length w, at most burst + rate * (w + slack) sends.
    for i, start in enumerate(stamps):
        for j in range(i, len(stamps)):
            w = stamps[j] - start
            assert j - i + 1 <= GLOBAL_BURST + GLOBAL_RATE * (w + SLACK), (i, j, w)
    for chat in chats:
        own = sorted(s.timestamp for s in sent if s.to == chat)
        gaps = [b - a for a, b in itertools.pairwise(own)]
        assert min(gaps) >= 1 / CHAT_RATE - SLACK, (chat, gaps)


def test_raise_policy_says_when_to_retry() -> None:
    pacer = Pacer(Pacing(global_rate=None, per_chat_rate=0.01, per_chat_burst=1,
                         first_contact_rate=None, policy="raise"))
    pacer.reserve("15550000002@c.us")
    with pytest.raises(RateLimitedError) as info:
        pacer.reserve("15550000002@c.us")
    assert 90 < info.value.retry_after <= 100
    assert info.value.chat_id == "15550000002@c.us"
    pacer.reserve("15550000003@c.us")  # other chats are not held up


def test_first_contact_is_slower_than_a_reply() -> None:
    pacer = Pacer(Pacing(global_rate=None, per_chat_rate=None, first_contact_rate=0.001,
                         first_contact_burst=1, policy="raise"))
    pacer.reserve("15550000010@c.us")  # the one allowed new conversation
    with pytest.raises(RateLimitedError):
        pacer.reserve("15550000011@c.us")
    pacer.note_incoming("15550000012@c.us")
    pacer.reserve("15550000012@c.us")  # they wrote first: not a first contact
    pacer.reserve("15550000010@c.us")  # already talking


def test_defaults_are_on_for_whatsapp_and_validated() -> None:
    assert Client()._pacer.pacing == Pacing()
    assert Client(web_url=DEFAULT_WEB_URL)._pacer.pacing.global_rate is not None
    with pytest.raises(InvalidInputError):
        Pacing(global_rate=0)
    with pytest.raises(InvalidInputError):
        Pacing(per_chat_burst=0)
