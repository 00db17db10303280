"""Media saver: every photo, video, voice note or document someone sends is saved to a folder
(streamed to disk, never held whole in memory), and the sender gets a receipt."""

from __future__ import annotations

import argparse
from pathlib import Path

from wawebpy import DEFAULT_WEB_URL, Client, LocalAuth, events, filters, qr


def install(client: Client, folder: Path) -> None:
    """Register the saver; files land in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)

    @client.on(events.NewMessage, filters.Incoming() & filters.Media())
    def save(client: Client, event: events.NewMessage) -> None:
        target = folder / f"{event.message.id.id}"
        saved = client.download_media(event.message, to=target)
        client.send_text(
            event.message.chat_id,
            f"saved {saved.size} bytes ({saved.mimetype})",
            reply_to=event.message,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web-url", default=DEFAULT_WEB_URL)
    parser.add_argument("--folder", type=Path, default=Path("saved-media"))
    args = parser.parse_args()
    client = Client(web_url=args.web_url, auth=LocalAuth(".wawebpy-media"))
    client.on(events.QrCode)(lambda c, e: print(qr.render_terminal(e.data)))
    install(client, args.folder)
    client.start()
    client.wait_until_ready(timeout=300)
    client.run_forever()


if __name__ == "__main__":
    main()
