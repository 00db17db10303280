"""``python -m wawebpy listen``: print incoming messages as JSON lines until Ctrl-C."""

from __future__ import annotations

import argparse
import json
import queue
import sys
from typing import Any

from .. import events
from ..types import Message
from ._connect import add_client_options, connect, make_auth, make_client

HELP = "print incoming messages as JSON lines (from a session saved by 'login')"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print each new message as one JSON object per line on stdout (id, chat, sender, "
        "from_me, type, text, timestamp, quoted_id, mentions) until Ctrl-C or --count."
    )
    parser.add_argument(
        "--count", type=int, metavar="N", help="exit after N messages (default: run until Ctrl-C)"
    )
    parser.add_argument(
        "--include-own", action="store_true", help="also print messages this account sends"
    )
    add_client_options(parser, session_required=False)
    parser.set_defaults(handler=run)


def message_json(message: Message) -> dict[str, Any]:
    """The JSON line for one message (a stable shape for scripts to read)."""
    return {
        "id": str(message.id),
        "chat": str(message.chat_id),
        "sender": str(message.sender),
        "from_me": message.from_me,
        "type": message.type.value,
        "text": message.text,
        "timestamp": message.timestamp.isoformat(),
        "quoted_id": str(message.quoted_id) if message.quoted_id else None,
        "mentions": [str(m) for m in message.mentioned_ids],
    }


_LOGGED_OUT = object()


def run(args: argparse.Namespace) -> int:
    if args.count is not None and args.count < 1:
        print("wawebpy: error: --count must be at least 1", file=sys.stderr)
        return 2
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def on_message(client: Any, event: events.NewMessage) -> None:
        message = event.message
        if message.is_new and (args.include_own or not message.from_me):
            inbox.put(message)

    client = make_client(args, make_auth(args))
    client.add_handler(events.NewMessage, on_message)
    client.add_handler(events.LoggedOut, lambda c, e: inbox.put(_LOGGED_OUT))
    try:
        connect(client, timeout=args.timeout)
        print("listening; Ctrl-C to stop", file=sys.stderr)
        printed = 0
        while args.count is None or printed < args.count:
            item = inbox.get()
            if item is _LOGGED_OUT:
                print("wawebpy: the device was logged out", file=sys.stderr)
                return 1
            print(json.dumps(message_json(item), ensure_ascii=False), flush=True)
            printed += 1
        return 0
    finally:
        client.close()
