"""pytest plugin of wawebpy (registered through the ``pytest11`` entry point).

Fixtures for testing a bot against the offline fake WhatsApp Web, in a real headless Chrome:

- ``fake_whatsapp`` — a started :class:`~wawebpy.testing.FakeWhatsApp`, closed after the test.
- ``whatsapp_client`` — a :class:`~wawebpy.Client` on that fake, QR scanned, Ready; closed
  after the test. Register the bot's handlers on it (or pass it to your bot's setup function).
- ``bot_conversation`` — a :class:`Conversation`: say things as a contact, expect the bot's
  replies.

Options: ``--wawebpy-browser PATH``, ``--wawebpy-driver PATH``, ``--wawebpy-show-browser``.
See docs/testing-your-bot.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pytest

from .._client import Client
from .._transport._driver import BrowserOptions
from ..errors import WaitTimeoutError
from ..types import ChatId
from ._fake import FakeWhatsApp
from ._models import SentMessage

__all__ = ["DEFAULT_PEER", "Conversation", "bot_conversation", "fake_whatsapp", "whatsapp_client"]

DEFAULT_PEER = "15551234567@c.us"
"""The contact a :class:`Conversation` talks as, unless told otherwise."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("wawebpy", "wawebpy: testing bots against the fake WhatsApp Web")
    group.addoption("--wawebpy-browser", metavar="PATH", help="Chrome/Chromium for whatsapp_client")
    group.addoption("--wawebpy-driver", metavar="PATH", help="chromedriver for whatsapp_client")
    group.addoption(
        "--wawebpy-show-browser",
        action="store_true",
        help="run whatsapp_client's Chrome with a window (debugging)",
    )


@pytest.fixture
def fake_whatsapp() -> Iterator[FakeWhatsApp]:
    """A started fake WhatsApp (fresh account, no linked device) for one test."""
    with FakeWhatsApp() as fake:
        yield fake


@pytest.fixture
def whatsapp_client(
    request: pytest.FixtureRequest, fake_whatsapp: FakeWhatsApp
) -> Iterator[Client]:
    """A Client logged in on ``fake_whatsapp`` (the fake phone scanned its QR) and Ready."""
    config = request.config
    browser = BrowserOptions(
        headless=not config.getoption("--wawebpy-show-browser", False),
        binary=config.getoption("--wawebpy-browser", None),
        driver_path=config.getoption("--wawebpy-driver", None),
    )
    client = Client(web_url=fake_whatsapp.url, browser=browser)
    try:
        client.start()
        fake_whatsapp.scan_qr(timeout=60)
        client.wait_until_ready(timeout=60)
        yield client
    finally:
        client.close()


@dataclass(frozen=True, slots=True)
class _Said:
    message_id: str
    chat: str


class Conversation:
    """Talk to the bot as a contact and check what it sends back.

    ::

        def test_ping(whatsapp_client, bot_conversation):
            install_my_bot(whatsapp_client)
            bot_conversation.say("!ping")
            bot_conversation.expect_reply("pong")

    Each reply is consumed once: two ``expect_reply()`` calls need two messages from the bot.
    """

    def __init__(
        self, fake: FakeWhatsApp, client: Client | None = None, *, peer: str = DEFAULT_PEER
    ) -> None:
        self.fake = fake
        self.client = client
        self.peer = str(ChatId.parse(peer))
        self._seen = {s.id for s in fake.sent}
        self._last: _Said | None = None

    def say(
        self,
        text: str,
        *,
        sender: str | None = None,
        chat: str | None = None,
        quoted_id: str | None = None,
        mentions: Iterable[str] = (),
    ) -> str:
        """Deliver ``text`` from ``sender`` (default: :attr:`peer`), in group ``chat`` if
        given; returns the message id. Later ``expect_reply()`` calls look at that chat."""
        who = sender or self.peer
        message_id = self.fake.deliver_text(
            who, text, chat=chat, quoted_id=quoted_id, mentions=tuple(mentions)
        )
        self._last = _Said(message_id, _chat(chat or who))
        return message_id

    def expect_reply(
        self,
        text: str | re.Pattern[str] | None = None,
        *,
        to: str | None = None,
        quoting: bool | None = None,
        timeout: float = 10.0,
    ) -> SentMessage:
        """Wait for the next message the bot sends to ``to`` (default: the chat of the last
        :meth:`say`) and check it: ``text`` is the exact body, or a compiled pattern to
        ``search``; ``quoting=True`` requires it to quote the last said message.

        Raises ``AssertionError`` naming what the bot did send instead.
        """
        chat = _chat(to) if to is not None else (self._last.chat if self._last else self.peer)
        quoted = self._last.message_id if quoting and self._last else None
        return self._expect(text, chat, quoted, quoting, timeout)

    def expect_sent(
        self,
        text: str | re.Pattern[str] | None = None,
        *,
        to: str | None = None,
        timeout: float = 10.0,
    ) -> SentMessage:
        """Like :meth:`expect_reply`, but to any chat unless ``to`` is given."""
        return self._expect(text, _chat(to) if to is not None else None, None, None, timeout)

    def _expect(
        self,
        text: str | re.Pattern[str] | None,
        chat: str | None,
        quoted: str | None,
        quoting: bool | None,
        timeout: float,
    ) -> SentMessage:
        def matches(s: SentMessage) -> bool:
            if s.id in self._seen or (chat is not None and s.to != chat):
                return False
            if quoting is not None and (s.quoted_id is not None) != quoting:
                return False
            if quoted is not None and s.quoted_id != quoted:
                return False
            if text is None:
                return True
            body = s.body or ""
            return body == text if isinstance(text, str) else text.search(body) is not None

        try:
            found = self.fake.wait_for_sent(1, timeout=timeout, predicate=matches)[0]
        except WaitTimeoutError:
            others = [s for s in self.fake.sent if s.id not in self._seen]
            got = "; ".join(f"to {s.to}: {s.body!r}" for s in others[-5:]) or "nothing"
            want = f"{text!r}" if text is not None else "a message"
            where = f" to {chat}" if chat else ""
            raise AssertionError(
                f"the bot did not send {want}{where} within {timeout:g} s; it sent: {got}"
            ) from None
        self._seen.add(found.id)
        return found

    def ask(
        self, text: str, reply: str | re.Pattern[str] | None = None, *, timeout: float = 10.0
    ) -> SentMessage:
        """:meth:`say` ``text``, then :meth:`expect_reply` ``reply`` in the same chat."""
        self.say(text)
        return self.expect_reply(reply, timeout=timeout)

    @property
    def unconsumed(self) -> list[SentMessage]:
        """What the bot sent that no expectation has consumed yet, oldest first."""
        return [s for s in self.fake.sent if s.id not in self._seen]


def _chat(value: str) -> str:
    """A serialized chat id; a bare number means a person (``@c.us``)."""
    text = value if "@" in value else f"{value}@c.us"
    return str(ChatId.parse(text))


@pytest.fixture
def bot_conversation(fake_whatsapp: FakeWhatsApp, whatsapp_client: Client) -> Conversation:
    """A :class:`Conversation` with the bot running on ``whatsapp_client``."""
    return Conversation(fake_whatsapp, whatsapp_client)
