"""What the client commands (login, send, listen, doctor) share: options, the session store,
and logging in with a QR or a pairing code shown on the terminal.

Everything a person must see goes to stderr, so that stdout stays machine-readable (JSON lines
for ``listen``, ids for ``send``). Secrets never reach either: the QR is drawn, never printed
as text, and keys and passphrases are only read.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import Any, TextIO

from .. import events, qr
from .._client import DEFAULT_WEB_URL, Client
from .._dispatch import Handler
from .._transport._driver import BrowserOptions
from ..auth import (
    AuthStrategy,
    EncryptedAuth,
    FileSessionStore,
    NoAuth,
    Passphrase,
    SessionStore,
    SQLiteSessionStore,
)
from ..errors import InvalidInputError
from ._session import _add_secret_options, _read_secret

__all__ = ["add_client_options", "connect", "make_auth", "make_client"]


def add_client_options(parser: argparse.ArgumentParser, *, session_required: bool) -> None:
    """``--web-url``, browser options, ``--timeout`` and the EncryptedAuth store options."""
    page = parser.add_argument_group("WhatsApp Web and the browser")
    page.add_argument(
        "--web-url",
        default=DEFAULT_WEB_URL,
        metavar="URL",
        help="WhatsApp Web's address (default: %(default)s; a FakeWhatsApp's url in tests)",
    )
    page.add_argument("--browser", metavar="PATH", help="Chrome/Chromium executable")
    page.add_argument("--driver", metavar="PATH", help="chromedriver executable")
    page.add_argument("--show-browser", action="store_true", help="run Chrome with a window")
    page.add_argument(
        "--timeout",
        type=float,
        default=180.0,
        metavar="SECONDS",
        help="how long to wait for login and sync (default: %(default)g)",
    )
    title = "session store (EncryptedAuth)" + ("" if session_required else "; default: none")
    store = parser.add_argument_group(title)
    where = store.add_mutually_exclusive_group(required=session_required)
    where.add_argument("--session-dir", type=Path, metavar="DIR", help="a FileSessionStore folder")
    where.add_argument(
        "--session-sqlite", type=Path, metavar="PATH", help="a SQLiteSessionStore file"
    )
    store.add_argument(
        "--session-id", default="default", metavar="ID", help="session name (default: %(default)s)"
    )
    _add_secret_options(parser, "", "session secret")


def _store(args: argparse.Namespace, *, create: bool) -> SessionStore | None:
    if args.session_dir is not None:
        directory: Path = args.session_dir
        if create:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        elif not directory.is_dir():
            raise InvalidInputError(f"{directory} is not a folder; log in first: wawebpy login")
        return FileSessionStore(directory)
    if args.session_sqlite is not None:
        path: Path = args.session_sqlite
        if not create and not path.is_file():
            raise InvalidInputError(f"{path} does not exist; log in first: wawebpy login")
        return SQLiteSessionStore(path)
    return None


def make_auth(args: argparse.Namespace, *, create: bool = False) -> AuthStrategy:
    """EncryptedAuth on the chosen store (NoAuth when none is given)."""
    store = _store(args, create=create)
    if store is None:
        return NoAuth()
    new = not store.exists(args.session_id)
    secret = _read_secret(args, "", prompt="Session passphrase: ", confirm=create and new)
    if isinstance(secret, Passphrase):
        return EncryptedAuth(store, passphrase=secret, session_id=args.session_id)
    return EncryptedAuth(store, key=secret, session_id=args.session_id)


def make_client(args: argparse.Namespace, auth: AuthStrategy, **kwargs: Any) -> Client:
    browser = BrowserOptions(
        headless=not args.show_browser, binary=args.browser, driver_path=args.driver
    )
    return Client(web_url=args.web_url, auth=auth, browser=browser, **kwargs)


class _Progress:
    """A one-line sync progress bar on a terminal; plain lines otherwise."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.last = -1
        self.tty = out.isatty()

    def __call__(self, client: Any, event: events.LoadingProgress) -> None:
        percent = max(0, min(100, event.percent))
        if percent == self.last:
            return
        self.last = percent
        filled = percent * 30 // 100
        bar = f"syncing [{'#' * filled}{'.' * (30 - filled)}] {percent:3d}%"
        if self.tty:
            self.out.write("\r" + bar + ("\n" if percent == 100 else ""))
        else:
            self.out.write(bar + "\n")
        self.out.flush()


def connect(
    client: Client,
    *,
    timeout: float,
    pairing_phone: str | None = None,
    out: TextIO | None = None,
) -> events.Ready:
    """Start ``client`` and log in: restore the session, or show the QR (or request a pairing
    code for ``pairing_phone``) on ``out`` (stderr) and wait for the phone; returns Ready."""
    stream = out or sys.stderr
    asked = threading.Event()

    def show_qr(c: Any, event: events.QrCode) -> None:
        if pairing_phone is not None:
            if not asked.is_set():
                asked.set()
                code = client.request_pairing_code(pairing_phone)
                stream.write(
                    "\nOn your phone: WhatsApp > Linked devices > Link a device > "
                    "Link with phone number instead, and enter this code:\n\n"
                    f"    {code[:4]}-{code[4:]}\n\n"
                )
                stream.flush()
            return
        stream.write(
            f"\nScan this QR code with WhatsApp > Linked devices > Link a device "
            f"(code {event.attempt}; a new one replaces it after a while):\n\n"
        )
        stream.write(qr.render_terminal(event.data))
        stream.flush()

    # Ready is returned when it is published; the progress events before it may still be in
    # the dispatch queue, so wait until Ready itself is dispatched before unregistering.
    dispatched = threading.Event()
    handles: list[Handler[Any]] = [
        client.add_handler(events.QrCode, show_qr),
        client.add_handler(events.LoadingProgress, _Progress(stream)),
        client.add_handler(events.Ready, lambda c, e: dispatched.set()),
    ]
    try:
        client.start()
        ready = client.wait_until_ready(timeout=timeout)
        dispatched.wait(timeout=10)
        return ready
    finally:
        for handle in handles:
            client.remove_handler(handle)
