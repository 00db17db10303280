"""Command bot: filters route messages to handlers.

    /help             list the commands
    /echo TEXT        repeat TEXT
    /sum 1 2 3        add numbers
    !ping             pong (any message starting with !ping, case-insensitive)
    @mention in a group  the bot answers who mentioned it

Within a group of handlers the first matching one wins, so the catch-all registered last only
sees what no command took.
"""

from __future__ import annotations

import argparse
import re

from wawebpy import DEFAULT_WEB_URL, Client, LocalAuth, events, filters, qr

echo = filters.Command("echo")
add = filters.Command("sum", "add")
HELP = "commands: /help, /echo TEXT, /sum NUMBERS..., !ping"


def install(client: Client) -> None:
    """Register the bot's handlers."""
    incoming = filters.Incoming()

    @client.on(events.NewMessage, incoming & filters.Command("help", "start"))
    def help_(client: Client, event: events.NewMessage) -> None:
        client.send_text(event.message.chat_id, HELP)

    @client.on(events.NewMessage, incoming & echo)
    def echo_(client: Client, event: events.NewMessage) -> None:
        cmd = echo.parse(event)
        client.send_text(event.message.chat_id, cmd.rest if cmd and cmd.rest else "echo what?")

    @client.on(events.NewMessage, incoming & add)
    def sum_(client: Client, event: events.NewMessage) -> None:
        cmd = add.parse(event)
        try:
            total = sum(float(a) for a in cmd.args) if cmd else 0.0
        except ValueError:
            client.send_text(event.message.chat_id, "usage: /sum 1 2 3", reply_to=event.message)
            return
        client.send_text(event.message.chat_id, f"{total:g}", reply_to=event.message)

    @client.on(events.NewMessage, incoming & filters.Text(r"^!ping\b", re.IGNORECASE))
    def ping(client: Client, event: events.NewMessage) -> None:
        client.send_text(event.message.chat_id, "pong")

    @client.on(events.NewMessage, incoming & filters.Groups() & filters.Mentioned())
    def mentioned(client: Client, event: events.NewMessage) -> None:
        sender = event.message.sender
        client.send_text(
            event.message.chat_id, f"@{sender.user} you called?", mentions=[sender]
        )

    @client.on(events.NewMessage, incoming & filters.Private() & filters.Command(prefix="/"))
    def unknown(client: Client, event: events.NewMessage) -> None:
        client.send_text(event.message.chat_id, "unknown command; " + HELP)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web-url", default=DEFAULT_WEB_URL)
    args = parser.parse_args()
    client = Client(web_url=args.web_url, auth=LocalAuth(".wawebpy-commands"))
    client.on(events.QrCode)(lambda c, e: print(qr.render_terminal(e.data)))
    install(client)
    client.start()
    client.wait_until_ready(timeout=300)
    client.run_forever()


if __name__ == "__main__":
    main()
