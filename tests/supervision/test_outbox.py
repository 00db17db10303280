"""The send queue and the durable outbox: sends go out in order, exactly once, across a SIGKILL
of the Python process; ``wait=`` and ``timeout=`` say how long a send blocks; typing is shown
for as long as a person would type."""

from __future__ import annotations

import base64
import collections
import hashlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import Recorder, on_disk, wait_until

from wawebpy import Client, LocalAuth, Pacing, events
from wawebpy._outbox import SQLiteOutbox
from wawebpy.errors import WaitTimeoutError
from wawebpy.testing import FakeWhatsApp
from wawebpy.types import Ack

PEER = "15551234567@c.us"
CHILD = Path(__file__).with_name("outbox_child.py")
PNG = base64.b64decode(  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_sigkill_with_100_queued_messages_then_restart_sends_each_exactly_once(
    tmp_path: Path,
) -> None:
    profile, outbox = tmp_path / "profile", tmp_path / "outbox.sqlite"
    with FakeWhatsApp() as fake:
        child = subprocess.Popen(
            [sys.executable, str(CHILD), fake.url, str(profile), str(outbox), PEER],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            fake.wait_for_qr(timeout=60)
            fake.scan_qr()
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "QUEUED"
            # A Chrome killed before it flushed the new login loses it (any site): wait for it.
            wait_until(lambda: on_disk(profile / "session-default", b"last-wid-md"), 60)
            fake.wait_for_sent(count=5, timeout=60)  # sending has begun: kill it mid-queue
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        before = len(fake.sent)
        assert before < 100, "the child sent everything before it was killed"

        recorder = Recorder()
        client = Client(web_url=fake.url, auth=LocalAuth(profile), outbox=outbox)
        client.on(events.Event)(recorder)
        with client:
            client.wait_until_ready(timeout=60)  # the stored session: no QR
            assert client.flush_outbox(timeout=120)
            assert client.outbox_entries() == []
        sent = fake.sent
        assert recorder.of(events.QrCode) == []
        assert recorder.of(events.SendFailed) == []
    counts = collections.Counter(s.body for s in sent)
    assert counts == {f"outbox {i:03d}": 1 for i in range(100)}
    assert len({s.id for s in sent}) == 100
    assert fake.resent == []  # not even a retry the server had to drop
    # The queue kept the order it was given, across the crash.
    assert [s.body for s in sent] == [f"outbox {i:03d}" for i in range(100)]


def test_a_send_that_went_out_just_before_a_crash_is_not_sent_again(tmp_path: Path) -> None:
    """The worst moment to die: the page sent the message, the outbox had not yet forgotten it."""
    profile, outbox = tmp_path / "profile", tmp_path / "outbox.db"
    text = "went out just before the crash"
    with FakeWhatsApp() as fake:
        with Client(web_url=fake.url, auth=LocalAuth(profile)) as first:
            fake.wait_for_qr()
            fake.scan_qr()
            first.wait_until_ready(timeout=60)
            message = first.send_text(PEER, text)
        store = SQLiteOutbox(outbox)
        args = {"chatId": PEER, "text": text, "msgId": message.id.id}
        store.attempted(store.add(str(message.id), "messages.sendText", PEER, args, None))
        # And a media message that was queued but never tried: its bytes come from the file.
        image = hashlib.sha256(PNG).hexdigest()
        media_args = {"chatId": PEER, "mimetype": "image/png", "filename": None, "kind": "image",
                      "viewOnce": False, "caption": "from the outbox", "msgId": "3EB0AAAABBBBCCCC0001"}
        store.add(f"true_{PEER}_3EB0AAAABBBBCCCC0001", "messages.sendMedia", PEER, media_args, PNG)
        store.close()
        with Client(web_url=fake.url, auth=LocalAuth(profile), outbox=outbox) as second:
            second.wait_until_ready(timeout=60)
            assert second.flush_outbox(timeout=60)
            assert second.outbox_entries() == []
        assert [s.body for s in fake.sent][:1] == [text]
        (media,) = fake.sent[1:]
        assert media.id == f"true_{PEER}_3EB0AAAABBBBCCCC0001" and media.caption == "from the outbox"
        assert media.media_sha256 == image
        assert fake.resent == []


@pytest.fixture(scope="module")
def paced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeWhatsApp, Client]]:
    """One chat may take a message every 2 s: the second send to it waits in the queue."""
    pacing = Pacing(
        global_rate=None,
        per_chat_rate=0.5,
        per_chat_burst=1,
        first_contact_rate=None,
        typing=True,
        typing_chars_per_second=200,
    )
    outbox = tmp_path_factory.mktemp("outbox") / "outbox.db"
    with FakeWhatsApp(auto_ack_device=True) as fake:
        client = Client(web_url=fake.url, pacing=pacing, outbox=outbox)
        with client:
            fake.wait_for_qr()
            fake.scan_qr()
            client.wait_until_ready(timeout=60)
            yield fake, client


def test_wait_false_returns_a_provisional_message_and_sends_it(
    paced: tuple[FakeWhatsApp, Client],
) -> None:
    fake, client = paced
    chat = "15550000101@c.us"
    message = client.send_text(chat, "queued, not waited for", wait=False)
    assert message.ack is Ack.PENDING and message.from_me and str(message.chat_id) == chat
    assert message.text == "queued, not waited for"
    assert [e.message_id for e in client.outbox_entries()] == [message.id]
    assert client.diagnostics()["queued_sends"] == 1
    assert client.flush_outbox(timeout=30)
    assert client.diagnostics()["queued_sends"] == 0
    (sent,) = fake.wait_for_sent(predicate=lambda s: s.to == chat)
    assert sent.id == str(message.id)  # the id chosen before sending is the one WhatsApp got
    assert client.outbox_entries() == []


def test_timeout_leaves_the_message_queued_and_it_is_sent_once(
    paced: tuple[FakeWhatsApp, Client],
) -> None:
    fake, client = paced
    chat = "15550000102@c.us"
    client.send_text(chat, "first")
    with pytest.raises(WaitTimeoutError, match="stays in the outbox"):
        client.send_text(chat, "second, held by pacing", timeout=0.2)
    assert client.flush_outbox(timeout=30)
    bodies = [s.body for s in fake.wait_for_sent(2, predicate=lambda s: s.to == chat)]
    assert bodies == ["first", "second, held by pacing"]


def test_wait_for_an_ack_returns_after_it(paced: tuple[FakeWhatsApp, Client]) -> None:
    _fake, client = paced
    chat = "15550000103@c.us"
    message = client.send_text(chat, "wait for the device", wait=Ack.DEVICE, timeout=30)
    assert client._acks[str(message.id)] >= Ack.DEVICE
    with pytest.raises(WaitTimeoutError):
        client.send_text(chat, "never read", wait=Ack.READ, timeout=3)


def test_typing_is_shown_before_the_text_for_its_length(
    paced: tuple[FakeWhatsApp, Client],
) -> None:
    fake, client = paced
    chat = "15550000104@c.us"
    text = "x" * 400  # 400 chars at 200 per second: 2 s of "typing…"
    message = client.send_text(chat, text)
    sent = fake.wait_for_sent(predicate=lambda s: s.id == str(message.id))[0]
    states = [(t, a["state"]) for t, n, a in fake.iq_log if n == "chatstate" and a["wid"] == chat]
    assert [s for _, s in states] == ["composing", "paused"]
    assert states[0][0] <= sent.timestamp - 2.0 <= sent.timestamp <= states[1][0]


def test_a_failing_unwaited_send_is_reported_and_kept(paced: tuple[FakeWhatsApp, Client]) -> None:
    fake, client = paced
    recorder = Recorder()
    client.on(events.SendFailed)(recorder)
    chat = "15550000105@c.us"
    gone = f"false_{chat}_3EB0000000000000DEAD"  # a reply to a message the page does not have
    message = client.send_text(chat, "a reply to nothing", reply_to=gone, wait=False)
    failed = recorder.wait(events.SendFailed, timeout=30)
    assert failed.message_id == message.id and str(failed.chat_id) == chat
    assert failed.error.code == "message_not_found"  # type: ignore[attr-defined]
    (entry,) = [e for e in client.outbox_entries() if e.message_id == message.id]
    assert entry.error == "message_not_found"
    assert client.discard_outbox_entry(message.id)
    assert client.outbox_entries() == []
    assert not any(s.to == chat for s in fake.sent)


def test_a_chat_held_by_its_own_pacing_does_not_hold_back_others(
    paced: tuple[FakeWhatsApp, Client],
) -> None:
    fake, client = paced
    a, b = "15550000106@c.us", "15550000107@c.us"
    client.send_text(a, "a1", wait=False)
    client.send_text(a, "a2", wait=False)  # 2 s behind a1: its chat's bucket
    client.send_text(b, "b1")  # queued after a2, but its chat is free
    assert client.flush_outbox(timeout=30)
    order = [s.body for s in fake.sent if s.to in (a, b)]
    assert order == ["a1", "b1", "a2"]


def test_close_lets_queued_sends_go_first() -> None:
    with FakeWhatsApp() as fake:
        with Client(web_url=fake.url) as client:
            fake.wait_for_qr()
            fake.scan_qr()
            client.wait_until_ready(timeout=60)
            for i in range(20):
                client.send_text(PEER, f"just before close {i}", wait=False)
        assert [s.body for s in fake.sent] == [f"just before close {i}" for i in range(20)]
