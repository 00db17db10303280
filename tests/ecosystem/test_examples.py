"""Every example in examples/ runs against the fake and does what its docstring says."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from wawebpy import Client
from wawebpy._dispatch import Handler
from wawebpy.auth import FileSessionStore, SessionKey
from wawebpy.testing import FakeWhatsApp
from wawebpy.testing._plugin import Conversation

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GROUP = "120363012345678901@g.us"
MEMBER = "15557654321@c.us"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class Scoped:
    """Hands an example's install() a client whose handlers are removed afterwards, so that
    several examples can take turns on one logged-in client (one browser per module)."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self.handles: list[Handler[Any]] = []

    def on(self, event_type: Any, predicate: Any = None, **kw: Any) -> Callable[[Any], Any]:
        def decorator(fn: Any) -> Any:
            self.handles.append(self._client.add_handler(event_type, fn, predicate, **kw))
            return fn

        return decorator

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def remove(self) -> None:
        for handle in self.handles:
            self._client.remove_handler(handle)


@pytest.fixture(scope="module")
def logged_in() -> Iterator[tuple[FakeWhatsApp, Client]]:
    with FakeWhatsApp(me="15550000001") as fake:
        fake.add_group(GROUP, "Example group", participants=[MEMBER])
        client = Client(web_url=fake.url)
        try:
            client.start()
            fake.scan_qr()
            client.wait_until_ready(timeout=60)
            yield fake, client
        finally:
            client.close()


@pytest.fixture
def installed(logged_in: tuple[FakeWhatsApp, Client]) -> Iterator[Callable[[str], Conversation]]:
    fake, client = logged_in
    scopes: list[Scoped] = []

    def install(example: str) -> Conversation:
        scope = Scoped(client)
        load(example).install(scope)
        scopes.append(scope)
        return Conversation(fake, client)

    yield install
    for scope in scopes:
        scope.remove()


def test_echo_bot(installed: Callable[[str], Conversation]) -> None:
    chat = installed("echo_bot")
    chat.ask("hello echo", "hello echo")
    chat.say("in a group", sender=MEMBER, chat=GROUP)
    chat.say("again")
    chat.expect_reply("again")  # the group message got no echo before this one
    assert not [s for s in chat.unconsumed if s.to == GROUP]


def test_command_bot(installed: Callable[[str], Conversation]) -> None:
    chat = installed("command_bot")
    assert "/echo" in (chat.ask("/help").body or "")
    chat.ask("/echo  spaced   out", "spaced   out")
    chat.say("/sum 1 2 3.5")
    chat.expect_reply("6.5", quoting=True)
    chat.ask("!PING now", "pong")
    assert (chat.ask("/nope").body or "").startswith("unknown command")
    chat.say("@15550000001 are you there?", sender=MEMBER, chat=GROUP, mentions=["15550000001"])
    reply = chat.expect_reply(f"@{MEMBER.split('@', maxsplit=1)[0]} you called?")
    assert reply.mentioned_ids == (MEMBER,)
    # Plain text is no command: no reply (handlers answer in order, so one would come first).
    chat.say("plain text")
    chat.ask("/help", example_help())
    assert not chat.unconsumed


def example_help() -> str:
    return str(sys.modules["example_command_bot"].HELP)


def test_async_bot() -> None:
    example = load("async_bot")

    async def scenario(fake: FakeWhatsApp) -> None:
        async with example.AsyncClient(web_url=fake.url) as client:
            await asyncio.to_thread(fake.scan_qr)
            await client.wait_until_ready(timeout=60)
            example.install(client)
            chat = Conversation(fake)
            await asyncio.to_thread(chat.ask, "/ask", "What is your name?")
            await asyncio.to_thread(chat.ask, "Grace", "Nice to meet you, Grace!")
            await asyncio.to_thread(chat.ask, "/slow quiet", "looked up: QUIET")

    with FakeWhatsApp() as fake:
        asyncio.run(scenario(fake))


def test_multi_account(tmp_path: Path) -> None:
    example = load("multi_account")
    store = FileSessionStore(tmp_path)
    key = SessionKey.generate()
    with FakeWhatsApp(me="15550000011") as sales, FakeWhatsApp(me="15550000022") as support:
        fakes = {"sales": sales, "support": support}
        clients = example.make_clients({n: f.url for n, f in fakes.items()}, store, key)
        try:
            for name, client in clients.items():
                example.install(name, client)
                client.start()
            for name, client in clients.items():
                fakes[name].scan_qr()
                ready = client.wait_until_ready(timeout=60)
                assert str(ready.me) == fakes[name].me
            for name, fake in fakes.items():
                Conversation(fake).ask("hi", f"[{name}] got: hi")
        finally:
            for client in clients.values():
                client.close()
    assert sorted(store.session_ids()) == ["sales", "support"]


def test_media_saver(installed: Callable[[str], Conversation], logged_in: tuple[FakeWhatsApp, Client],
                     tmp_path: Path) -> None:
    fake, client = logged_in
    scope = Scoped(client)
    load("media_saver").install(scope, tmp_path)
    try:
        chat = Conversation(fake, client)
        data = bytes(range(256)) * 64
        msg_id = fake.deliver_media(chat.peer, data, mimetype="application/pdf", filename="a.pdf")
        chat.expect_reply(f"saved {len(data)} bytes (application/pdf)", quoting=True)
        assert (tmp_path / msg_id.split("_")[2]).read_bytes() == data
    finally:
        scope.remove()


def test_group_admin_bot(installed: Callable[[str], Conversation],
                         logged_in: tuple[FakeWhatsApp, Client]) -> None:
    fake, _client = logged_in
    admins_group = "120363099999999999@g.us"
    fake.add_group(admins_group, "Admins", participants=[fake.me, MEMBER], admins=[fake.me])
    chat = installed("group_admin_bot")
    newcomer = "15551110000@c.us"
    fake.add_participants(admins_group, [newcomer], by=MEMBER)
    welcome = chat.expect_sent(to=admins_group, text="Welcome @15551110000!")
    assert welcome.mentioned_ids == (newcomer,)
    chat.say("/add +15552220000", sender=MEMBER, chat=admins_group)
    reply = chat.expect_sent(to=admins_group, text="15552220000: 200")
    assert reply.quoted_id is not None


def test_auto_reply(installed: Callable[[str], Conversation]) -> None:
    example = load("auto_reply")
    assert example.PACING.global_rate is not None  # the example spells its limits out
    chat = installed("auto_reply")
    chat.ask("are you there?", example.AWAY)
    chat.say("hello??")
    chat.say("/ping")  # nothing else is installed: a second away reply would arrive first
    chat.say("third", sender="15553334444@c.us")
    reply = chat.expect_reply(example.AWAY)
    assert reply.to == "15553334444@c.us"
