"""``python -m wawebpy send CHAT TEXT``: send one text message from a saved session."""

from __future__ import annotations

import argparse
import json

from ..errors import WaitTimeoutError
from ..types import Ack, ChatId, MessageId
from ._connect import add_client_options, connect, make_auth, make_client

HELP = "send a text message (from a session saved by 'login')"

_WAITS = {"server": Ack.SERVER, "device": Ack.DEVICE, "read": Ack.READ}


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Send one text message and wait until it reached --wait (default: WhatsApp's server has "
        "it); prints the message as a JSON line (id, chat, ack) on stdout."
    )
    parser.add_argument("chat", metavar="CHAT", help="e.g. 15551234567@c.us or 1203...@g.us")
    parser.add_argument("text", metavar="TEXT", help="the message text")
    parser.add_argument("--reply-to", metavar="MESSAGE_ID", help="quote this message")
    parser.add_argument(
        "--wait",
        choices=sorted(_WAITS),
        default="server",
        help="the ack to wait for before exiting with 0 (default: server)",
    )
    add_client_options(parser, session_required=False)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    chat = ChatId.parse(args.chat)  # fail before Chrome starts
    reply_to = MessageId.parse(args.reply_to) if args.reply_to else None
    wanted = _WAITS[args.wait]
    client = make_client(args, make_auth(args))
    try:
        connect(client, timeout=args.timeout)
        sent = client.send_text(chat, args.text, reply_to=reply_to)
        try:
            ack = client.wait_for_ack(sent, wanted, timeout=args.timeout)
        except WaitTimeoutError:
            ack = client._acks.get(str(sent.id), sent.ack)
        print(json.dumps({"id": str(sent.id), "chat": str(chat), "ack": ack.name.lower()}))
        return 0 if ack >= wanted else 1
    finally:
        client.close()
