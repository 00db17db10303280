"""The pytest plugin for bot authors: fixtures, the Conversation helper, its failure message."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from wawebpy import Client, events, filters
from wawebpy.testing import FakeWhatsApp
from wawebpy.testing._plugin import Conversation

BOT_TESTS = '''
import re

from wawebpy import events, filters


def install(client):
    @client.on(events.NewMessage, filters.Incoming() & filters.Text(r"^!ping"))
    def pong(client, event):
        client.send_text(event.message.chat_id, "pong", reply_to=event.message)


def test_ping(whatsapp_client, bot_conversation, fake_whatsapp):
    install(whatsapp_client)
    sent = bot_conversation.ask("!ping", "pong")
    assert sent.to == bot_conversation.peer
    bot_conversation.say("!ping again", sender="15557654321")
    bot_conversation.expect_reply(re.compile("^po"), quoting=True)
    assert fake_whatsapp.connected


def test_wrong_expectation_fails_readably(whatsapp_client, bot_conversation):
    install(whatsapp_client)
    bot_conversation.say("!ping")
    bot_conversation.expect_reply("PONG!", timeout=2)
'''


def test_plugin_in_a_bot_project(tmp_path: Path) -> None:
    (tmp_path / "test_bot.py").write_text(textwrap.dedent(BOT_TESTS))
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "wawebpy.testing._plugin", "-q", "-rf", "test_bot.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert "1 failed, 1 passed" in out, out
    assert "the bot did not send 'PONG!' to 15551234567@c.us" in out
    assert "it sent: to 15551234567@c.us: 'pong'" in out


def test_plugin_options_are_listed(tmp_path: Path) -> None:
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "wawebpy.testing._plugin", "--help"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "--wawebpy-show-browser" in proc.stdout


def test_fixtures_directly(whatsapp_client: Client, bot_conversation: Conversation) -> None:
    @whatsapp_client.on(events.NewMessage, filters.Incoming() & filters.Groups())
    def in_groups(client: Client, event: events.NewMessage) -> None:
        client.send_text(event.message.chat_id, f"hi {event.message.sender.user}")

    fake: FakeWhatsApp = bot_conversation.fake
    group = "120363000000000777@g.us"
    fake.add_group(group, "g", participants=["15557654321@c.us"])
    bot_conversation.say("hello all", sender="15557654321", chat=group)
    bot_conversation.expect_reply("hi 15557654321")  # to the group, where it was said
    bot_conversation.say("private")
    bot_conversation.say("hello again", sender="15557654321", chat=group)
    reply = bot_conversation.expect_sent(to=group)
    assert reply.body == "hi 15557654321"
    assert bot_conversation.unconsumed == []
