"""A bot process for the outbox crash test: queues 100 messages in a durable outbox and sends
them slowly (paced), so that the test can SIGKILL it with most of them still queued.

Usage: python outbox_child.py WEB_URL PROFILE_DIR OUTBOX_FILE CHAT
"""

from __future__ import annotations

import sys

from wawebpy import Client, LocalAuth, Pacing


def main() -> None:
    url, profile, outbox, chat = sys.argv[1:5]
    pacing = Pacing(global_rate=4, global_burst=1, per_chat_rate=None, first_contact_rate=None)
    client = Client(web_url=url, auth=LocalAuth(profile), outbox=outbox, pacing=pacing)
    client.start()
    client.wait_until_ready(timeout=60)
    for i in range(100):
        client.send_text(chat, f"outbox {i:03d}", wait=False)
    print("QUEUED", flush=True)
    client.run_forever()


if __name__ == "__main__":
    main()
