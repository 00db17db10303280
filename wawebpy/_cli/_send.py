"""``python -m wawebpy send CHAT TEXT``: send one text message from a saved session."""

from __future__ import annotations

import argparse
import json
import threading
from typing import Any

from .. import events
from ..types import Ack, ChatId, MessageId
from ._connect import add_client_options, connect, make_auth, make_client

HELP = "send a text message (from a session saved by 'login')"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Send one text message and wait until WhatsApp's server has it; prints the message "
        "as a JSON line (id, chat, ack) on stdout."
    )
    parser.add_argument("chat", metavar="CHAT", help="e.g. 15551234567@c.us or 1203...@g.us")
    parser.add_argument("text", metavar="TEXT", help="the message text")
    parser.add_argument("--reply-to", metavar="MESSAGE_ID", help="quote this message")
    add_client_options(parser, session_required=False)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    chat = ChatId.parse(args.chat)  # fail before Chrome starts
    reply_to = MessageId.parse(args.reply_to) if args.reply_to else None
    acked: dict[MessageId, Ack] = {}
    cond = threading.Condition()

    def on_ack(client: Any, event: events.MessageAck) -> None:
        with cond:
            acked[event.message_id] = max(event.ack, acked.get(event.message_id, Ack.PENDING))
            cond.notify_all()

    client = make_client(args, make_auth(args))
    client.add_handler(events.MessageAck, on_ack)
    try:
        connect(client, timeout=args.timeout)
        sent = client.send_text(chat, args.text, reply_to=reply_to)
        with cond:
            cond.wait_for(lambda: acked.get(sent.id, Ack.PENDING) >= Ack.SERVER, args.timeout)
            ack = acked.get(sent.id, sent.ack)
        print(json.dumps({"id": str(sent.id), "chat": str(chat), "ack": ack.name.lower()}))
        return 0 if ack >= Ack.SERVER else 1
    finally:
        client.close()
