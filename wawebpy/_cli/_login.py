"""``python -m wawebpy login``: link this computer to a WhatsApp account and seal the login
into an EncryptedAuth store, so that later runs (``send``, ``listen``, your bot) start logged in.
"""

from __future__ import annotations

import argparse
import sys
import time

from .._client import Client
from ..errors import NotReadyError
from ._connect import add_client_options, connect, make_auth, make_client

HELP = "log in with a QR code or a pairing code and save an encrypted session"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Log in to WhatsApp Web and save the session, sealed with a passphrase or key, in a "
        "session store. The QR code is drawn on the terminal; --pairing-code asks for an "
        "8-character code to type on the phone instead."
    )
    parser.add_argument(
        "--pairing-code",
        metavar="PHONE",
        help="link with a code for this phone number (international digits) instead of a QR",
    )
    add_client_options(parser, session_required=True)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    auth = make_auth(args, create=True)
    client = make_client(args, auth)
    try:
        ready = connect(client, timeout=args.timeout, pairing_phone=args.pairing_code)
        _first_save(client)
        who = f"+{ready.me.user}" if ready.me is not None else "this account"
        name = f" ({ready.push_name})" if ready.push_name else ""
        print(f"logged in as {who}{name}; session {args.session_id!r} saved", file=sys.stderr)
    finally:
        client.close()
    return 0


def _first_save(client: Client, within: float = 15.0) -> None:
    """Seal the login now; close() seals it again once Chrome has flushed its storage.

    The auth strategy learns about Ready on a thread of its own, a moment after
    ``wait_until_ready()`` returns, and refuses to save before; there is no event to wait on.
    """
    deadline = time.monotonic() + within
    while True:
        try:
            client.save_session()
            return
        except NotReadyError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
