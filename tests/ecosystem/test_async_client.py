"""AsyncClient: parity with Client, and an asyncio bot against the fake in real Chromium."""

from __future__ import annotations

import asyncio
import inspect
import sys
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from wawebpy import CONTINUE, Client, StopPropagation, events, filters
from wawebpy._async_client import AsyncClient
from wawebpy.errors import InvalidContentError, WaitTimeoutError
from wawebpy.testing import FakeWhatsApp, IncomingText

PEER = "15551234567@c.us"
T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]


# -- parity (no browser) --------------------------------------------------------------------------


def public(cls: type) -> set[str]:
    return {n for n in dir(cls) if not n.startswith("_")}


def test_async_surface_mirrors_client() -> None:
    assert public(Client) <= public(AsyncClient)
    assert public(AsyncClient) - public(Client) == {"sync_client"}
    # Synchronous on both sides; expect() returns an awaitable AsyncExpectation instead.
    registration = {"on", "add_handler", "remove_handler", "expect"}
    for name in sorted(public(Client)):
        sync, aio = inspect.getattr_static(Client, name), inspect.getattr_static(AsyncClient, name)
        if isinstance(sync, property):
            assert isinstance(aio, property), name
            assert inspect.signature(sync.fget).return_annotation == inspect.signature(
                aio.fget
            ).return_annotation, name
            continue
        assert callable(aio), name
        assert inspect.iscoroutinefunction(aio) == (name not in registration), name
        if name == "expect":
            assert inspect.signature(sync).parameters == inspect.signature(aio).parameters
        else:
            assert inspect.signature(sync) == inspect.signature(aio), name
        assert bool(inspect.getdoc(aio)), name
    assert inspect.signature(Client.__init__) == inspect.signature(AsyncClient.__init__)
    assert inspect.iscoroutinefunction(AsyncClient.__aenter__)
    assert inspect.iscoroutinefunction(AsyncClient.__aexit__)


def test_mutating_marks_survive() -> None:
    def marked(cls: type) -> set[str]:
        return {n for n in public(cls) if getattr(getattr(cls, n), "__wawebpy_mutating__", False)}

    assert marked(Client)  # send_text, logout, ...
    assert marked(AsyncClient) == marked(Client)


def test_generated_file_is_current() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import gen_async
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    assert gen_async.main(["--check"]) == 0, "run python scripts/gen_async.py"


def test_handlers_must_be_callable() -> None:
    client = AsyncClient(web_url="http://127.0.0.1:9/")
    with pytest.raises(InvalidContentError):
        client.add_handler(events.NewMessage, "nope")  # type: ignore[arg-type]
    with pytest.raises(InvalidContentError):
        client.on("NewMessage")(lambda c, e: None)  # type: ignore[arg-type]


# -- against the fake ------------------------------------------------------------------------------


class Bot:
    """A fake, an AsyncClient logged in on it, and the event loop (on its own thread) it uses."""

    def __init__(self, fake: FakeWhatsApp, loop: asyncio.AbstractEventLoop) -> None:
        self.fake = fake
        self.loop = loop
        self.client = AsyncClient(web_url=fake.url)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 180) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)


@pytest.fixture(scope="module")
def bot() -> Iterator[Bot]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="test-loop", daemon=True)
    thread.start()
    with FakeWhatsApp() as fake:
        b = Bot(fake, loop)

        async def login() -> None:
            await b.client.start()
            await asyncio.to_thread(fake.scan_qr)
            ready = await b.client.wait_until_ready(timeout=60)
            assert str(ready.me) == fake.me

        try:
            b.run(login())
            yield b
        finally:
            b.run(b.client.close())
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            loop.close()


def test_coroutine_handler_replies(bot: Bot) -> None:
    async def pong(client: AsyncClient, event: events.NewMessage) -> None:
        assert client is bot.client
        asyncio.get_running_loop()  # handlers run on the loop
        await client.send_text(event.message.chat_id, "pong-async")

    async def scenario() -> None:
        pinged = filters.Incoming() & filters.Text(r"^ping-async")
        handle = bot.client.add_handler(events.NewMessage, pong, pinged)
        try:
            await asyncio.to_thread(bot.fake.deliver_text, PEER, "ping-async")
            (sent,) = await asyncio.to_thread(
                bot.fake.wait_for_sent, 1, 20, lambda s: s.body == "pong-async"
            )
            assert sent.to == PEER
        finally:
            bot.client.remove_handler(handle)

    bot.run(scenario())


def test_thousand_messages_without_blocking_the_loop(bot: Bot) -> None:
    count, every = 1000, 100

    async def scenario() -> tuple[list[int], list[int], int]:
        loop = asyncio.get_running_loop()
        seen: list[int] = []
        progress_at_tick: list[int] = []
        finished = asyncio.Event()

        async def handle(client: AsyncClient, event: events.NewMessage) -> None:
            n = int(event.message.text.split()[1])
            seen.append(n)
            if n % every == 0:
                await client.send_text(event.message.chat_id, f"burst-ack {n}")
            if len(seen) == count:
                finished.set()

        async def probe() -> None:
            while not finished.is_set():
                await asyncio.sleep(0.002)
                progress_at_tick.append(len(seen))

        handler = bot.client.add_handler(
            events.NewMessage, handle, filters.Incoming() & filters.Text(r"^burst ")
        )
        ticker = loop.create_task(probe())
        try:
            burst = [IncomingText(sender=PEER, text=f"burst {i}") for i in range(count)]
            await asyncio.to_thread(bot.fake.deliver_many, burst)
            await asyncio.wait_for(finished.wait(), 120)
        finally:
            bot.client.remove_handler(handler)
            await ticker
        replies = await asyncio.to_thread(
            bot.fake.wait_for_sent, count // every, 30, lambda s: (s.body or "").startswith("burst-ack")
        )
        return seen, progress_at_tick, len(replies)

    seen, ticks, replies = bot.run(scenario())
    assert seen == list(range(count))  # every message, once, in order
    assert replies == count // every
    # The loop kept running between handlers while the burst was being handled.
    during = [p for p in ticks if 0 < p < count]
    assert len(during) >= 5, ticks[-20:]


def test_groups_continue_and_stop_propagation(bot: Bot) -> None:
    calls: list[str] = []

    async def first(client: AsyncClient, event: events.NewMessage) -> Any:
        calls.append("first")
        return CONTINUE

    def second(client: AsyncClient, event: events.NewMessage) -> None:  # plain function
        asyncio.get_running_loop()
        calls.append("second")

    async def shadowed(client: AsyncClient, event: events.NewMessage) -> None:
        calls.append("shadowed")

    async def stopper(client: AsyncClient, event: events.NewMessage) -> None:
        calls.append("stopper")
        raise StopPropagation

    async def never(client: AsyncClient, event: events.NewMessage) -> None:
        calls.append("never")

    async def scenario() -> None:
        only = filters.Text(r"^groups-test$")
        handles = [
            bot.client.add_handler(events.NewMessage, first, only, priority=10),
            bot.client.add_handler(events.NewMessage, second, only, priority=5),
            bot.client.add_handler(events.NewMessage, shadowed, only, priority=1),
            bot.client.add_handler(events.NewMessage, stopper, only, group=1),
            bot.client.add_handler(events.NewMessage, never, only, group=2),
        ]
        try:
            waiting = asyncio.ensure_future(
                bot.client.wait_for(events.NewMessage, only, timeout=20)
            )
            await asyncio.sleep(0)
            await asyncio.to_thread(bot.fake.deliver_text, PEER, "groups-test")
            await waiting
            # A later marker message proves the first one was fully dispatched.
            marker = asyncio.Event()
            mark = bot.client.add_handler(
                events.NewMessage, lambda c, e: marker.set(), filters.Text("^groups-marker$")
            )
            handles.append(mark)
            await asyncio.to_thread(bot.fake.deliver_text, PEER, "groups-marker")
            await asyncio.wait_for(marker.wait(), 20)
        finally:
            for h in handles:
                bot.client.remove_handler(h)

    bot.run(scenario())
    assert calls == ["first", "second", "stopper"]


def test_wait_for_inside_a_handler_holds_a_conversation(bot: Bot) -> None:
    async def ask(client: AsyncClient, event: events.NewMessage) -> None:
        chat = event.message.chat_id
        answering = asyncio.ensure_future(
            client.wait_for(
                events.NewMessage,
                filters.Chats(chat) & filters.Incoming() & filters.Text(r"^name: "),
                timeout=20,
            )
        )
        await client.send_text(chat, "what is your name?")
        answer = await answering
        await client.send_text(chat, "hello " + answer.message.text[6:])

    async def scenario() -> None:
        handle = bot.client.add_handler(events.NewMessage, ask, filters.Command("ask"))
        try:
            await asyncio.to_thread(bot.fake.deliver_text, PEER, "/ask")
            await asyncio.to_thread(
                bot.fake.wait_for_sent, 1, 20, lambda s: s.body == "what is your name?"
            )
            await asyncio.to_thread(bot.fake.deliver_text, PEER, "name: Ada")
            await asyncio.to_thread(bot.fake.wait_for_sent, 1, 20, lambda s: s.body == "hello Ada")
        finally:
            bot.client.remove_handler(handle)

    bot.run(scenario())


def test_wait_for_times_out_and_cancels_cleanly(bot: Bot) -> None:
    async def scenario() -> None:
        with pytest.raises(WaitTimeoutError):
            await bot.client.wait_for(events.LoggedOut, timeout=0.05)
        task = asyncio.ensure_future(bot.client.wait_for(events.LoggedOut))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The client still works after both.
        chats = await bot.client.get_chats()
        assert any(str(c.id) == PEER for c in chats)

    bot.run(scenario())


def test_a_crashing_handler_is_logged_and_the_next_event_still_arrives(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    async def boom(client: AsyncClient, event: events.NewMessage) -> None:
        raise RuntimeError("async handler bug")

    async def scenario() -> None:
        after = asyncio.Event()
        handles = [
            bot.client.add_handler(events.NewMessage, boom, filters.Text("^crash-test$")),
            bot.client.add_handler(
                events.NewMessage, lambda c, e: after.set(), filters.Text("^after-crash$")
            ),
        ]
        try:
            await asyncio.to_thread(bot.fake.deliver_text, PEER, "crash-test")
            await asyncio.to_thread(bot.fake.deliver_text, PEER, "after-crash")
            await asyncio.wait_for(after.wait(), 20)
        finally:
            for h in handles:
                bot.client.remove_handler(h)

    with caplog.at_level("ERROR", logger="wawebpy"):
        bot.run(scenario())
    assert "async handler bug" in caplog.text
