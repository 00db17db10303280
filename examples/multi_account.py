"""Several WhatsApp accounts in one process: one Client per account, one session store.

Each account runs in its own Chrome; their logins are sealed (EncryptedAuth) into one shared
store under their own session id, so the process can restart without new QR scans. For many
accounts, run the browsers on a Selenium Grid and pass ``Client(driver=webdriver.Remote(...))``
(see docs/scaling-out.md).

    WAWEBPY_KEY=$(python -m wawebpy session keygen --out -) \\
        python examples/multi_account.py --account sales --account support
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from wawebpy import DEFAULT_WEB_URL, Client, events, filters, qr
from wawebpy.auth import EncryptedAuth, FileSessionStore, SessionKey, SessionStore


def make_clients(
    accounts: Mapping[str, str], store: SessionStore, key: SessionKey
) -> dict[str, Client]:
    """One Client per account name (``{name: web_url}``), all sealing into ``store``."""
    return {
        name: Client(web_url=url, auth=EncryptedAuth(store, key=key, session_id=name))
        for name, url in accounts.items()
    }


def install(name: str, client: Client) -> None:
    """The same bot on every account, signing its answers with the account's name."""

    @client.on(events.NewMessage, filters.Incoming() & filters.Private())
    def answer(client: Client, event: events.NewMessage) -> None:
        client.send_text(event.message.chat_id, f"[{name}] got: {event.message.text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--account", action="append", required=True, help="account name")
    parser.add_argument("--store", default=".wawebpy-sessions")
    parser.add_argument("--web-url", default=DEFAULT_WEB_URL)
    args = parser.parse_args()
    clients = make_clients(
        dict.fromkeys(args.account, args.web_url),
        FileSessionStore(args.store),
        SessionKey.from_env("WAWEBPY_KEY"),
    )
    try:
        for name, client in clients.items():
            client.on(events.QrCode)(
                lambda c, e, name=name: print(f"{name}:\n{qr.render_terminal(e.data)}")
            )
            install(name, client)
            client.start()
        for name, client in clients.items():
            ready = client.wait_until_ready(timeout=300)
            print(f"{name} ready as {ready.me}")
        next(iter(clients.values())).run_forever()
    finally:
        for client in clients.values():
            client.close()


if __name__ == "__main__":
    main()
