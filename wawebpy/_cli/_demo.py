"""``python -m wawebpy demo``: an echo bot against the bundled fake WhatsApp Web.

Runs entirely on this machine: starts :class:`~wawebpy.testing.FakeWhatsApp`, a Client in
headless Chrome pointed at it, lets the fake phone scan the QR code, sends a few messages from
fake contacts and prints the conversation as the bot answers. Finishes by itself.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from typing import Any

from .. import events, filters, qr
from .._client import Client
from .._transport._driver import BrowserOptions
from ..testing import FakeWhatsApp, SentMessage

HELP = "run an echo bot against the bundled offline fake WhatsApp Web"

CONTACTS = {"15551230001@c.us": "Alice", "15551230002@c.us": "Bob"}
SCRIPT = (
    ("15551230001@c.us", "hi bot!"),
    ("15551230002@c.us", "/echo wawebpy works offline"),
    ("15551230001@c.us", "how are you? 😀"),
)


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = __doc__.splitlines()[0] if __doc__ else HELP
    parser.add_argument("--show-qr", action="store_true", help="draw the login QR code")
    parser.add_argument("--show-browser", action="store_true", help="run Chrome with a window")
    parser.add_argument("--browser", metavar="PATH", help="Chrome/Chromium executable")
    parser.add_argument("--driver", metavar="PATH", help="chromedriver executable")
    parser.set_defaults(handler=run)


def echo_bot(client: Client) -> None:
    """The bot: answer ``/echo TEXT`` with TEXT and anything else with ``echo: ...``."""
    echo = filters.Command("echo")

    @client.on(events.NewMessage, filters.Incoming() & echo)
    def command(c: Client, event: events.NewMessage) -> None:
        cmd = echo.parse(event)
        c.send_text(event.message.chat_id, cmd.rest if cmd and cmd.rest else "(nothing to echo)")

    @client.on(events.NewMessage, filters.Incoming() & filters.Private())
    def everything_else(c: Client, event: events.NewMessage) -> None:
        c.send_text(event.message.chat_id, "echo: " + event.message.text)


def _sent_to(chat: str, sent: SentMessage) -> bool:
    return sent.to == chat


def run(args: argparse.Namespace) -> int:
    began = time.monotonic()
    out = sys.stdout
    with FakeWhatsApp(me="15550000001", push_name="Demo Bot") as fake:
        for number, name in CONTACTS.items():
            fake.add_contact(number, name)
        print(f"fake WhatsApp Web running at {fake.url} (offline)", file=out)
        browser = BrowserOptions(
            headless=not args.show_browser, binary=args.browser, driver_path=args.driver
        )
        client = Client(web_url=fake.url, browser=browser)
        echo_bot(client)
        if args.show_qr:

            @client.on(events.QrCode)
            def show(c: Any, event: events.QrCode) -> None:
                out.write(qr.render_terminal(event.data))

        try:
            client.start()
            fake.scan_qr(timeout=60)
            print("[phone] scanned the QR code", file=out)
            ready = client.wait_until_ready(timeout=60)
            print(f"[bot]   ready as {ready.me} on WhatsApp Web {ready.version}", file=out)
            print(file=out)
            for sender, text in SCRIPT:
                name = CONTACTS[sender]
                to_sender = functools.partial(_sent_to, sender)
                before = len([s for s in fake.sent if to_sender(s)])
                fake.deliver_text(sender, text)
                print(f"{name:>6} > {text}", file=out)
                reply = fake.wait_for_sent(before + 1, timeout=30, predicate=to_sender)[-1]
                print(f"{'bot':>6} > {reply.body}", file=out)
                out.flush()
        finally:
            client.close()
    print(
        f"\ndemo finished: {len(SCRIPT)} messages answered in {time.monotonic() - began:.1f} s",
        file=out,
    )
    return 0
