"""Away auto-reply with pacing: answers private messages once per chat per ``quiet`` seconds.

Pacing (``wawebpy.Pacing``) is on by default against WhatsApp; this example spells the limits
out so they are easy to tune: a burst of incoming messages never becomes a burst of replies.
"""

from __future__ import annotations

import argparse
import threading
import time

from wawebpy import DEFAULT_WEB_URL, Client, LocalAuth, Pacing, events, filters, qr

AWAY = "I'm away right now and will answer later."
PACING = Pacing(global_rate=0.2, global_burst=3, per_chat_rate=0.05, per_chat_burst=1)


def install(client: Client, *, quiet: float = 3600.0) -> None:
    """Register the auto-reply; each chat gets at most one reply per ``quiet`` seconds."""
    last: dict[str, float] = {}
    lock = threading.Lock()

    @client.on(events.NewMessage, filters.Incoming() & filters.Private())
    def away(client: Client, event: events.NewMessage) -> None:
        chat = str(event.message.chat_id)
        now = time.monotonic()
        with lock:
            if now - last.get(chat, -quiet) < quiet:
                return
            last[chat] = now
        client.send_text(event.message.chat_id, AWAY)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web-url", default=DEFAULT_WEB_URL)
    args = parser.parse_args()
    client = Client(web_url=args.web_url, auth=LocalAuth(".wawebpy-away"), pacing=PACING)
    client.on(events.QrCode)(lambda c, e: print(qr.render_terminal(e.data)))
    install(client)
    client.start()
    client.wait_until_ready(timeout=300)
    client.run_forever()


if __name__ == "__main__":
    main()
