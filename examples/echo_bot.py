"""Echo bot: answers every private message with the same text.

    python examples/echo_bot.py                      # real WhatsApp Web: scan the QR once
    python examples/echo_bot.py --web-url URL        # e.g. a FakeWhatsApp's url

The login is kept in ./.wawebpy-echo (LocalAuth), so the QR is needed only the first time.
"""

from __future__ import annotations

import argparse

from wawebpy import DEFAULT_WEB_URL, Client, LocalAuth, events, filters, qr


def install(client: Client) -> None:
    """Register the bot's handlers (tests call this on a client logged in to the fake)."""

    @client.on(events.NewMessage, filters.Incoming() & filters.Private())
    def echo(client: Client, event: events.NewMessage) -> None:
        if event.message.text:
            client.send_text(event.message.chat_id, event.message.text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web-url", default=DEFAULT_WEB_URL)
    args = parser.parse_args()

    client = Client(web_url=args.web_url, auth=LocalAuth(".wawebpy-echo"))

    @client.on(events.QrCode)
    def show_qr(client: Client, event: events.QrCode) -> None:
        print(qr.render_terminal(event.data))

    install(client)
    client.start()
    ready = client.wait_until_ready(timeout=300)
    print(f"echo bot running as {ready.me}; Ctrl-C to stop")
    client.run_forever()


if __name__ == "__main__":
    main()
