"""Soak: steady traffic both ways against the fake for a while, printing the Chrome tree's RSS.

Run: ``python benchmarks/soak.py [--minutes 30] [--rate 2]``. Not part of the test suite: it
prints one line per minute (elapsed, messages in/out, Chrome tree RSS, Python RSS) so a leak
shows as a steady climb.
"""

from __future__ import annotations

import argparse
import resource
import threading
import time

from wawebpy import Client, events
from wawebpy.testing import FakeWhatsApp

PEER = "15551234567@c.us"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=2.0, help="messages per second each way")
    args = parser.parse_args()
    received = 0
    lock = threading.Lock()
    with FakeWhatsApp() as fake, Client(web_url=fake.url) as client:

        @client.on(events.NewMessage, lambda e: not e.message.from_me)
        def count(c: Client, e: events.NewMessage) -> None:
            nonlocal received
            with lock:
                received += 1

        fake.wait_for_qr()
        fake.scan_qr()
        client.wait_until_ready(timeout=60)
        start = time.monotonic()
        sent = 0
        next_report = start
        tick = threading.Event()
        while (now := time.monotonic()) - start < args.minutes * 60:
            fake.deliver_text(sender=PEER, text=f"soak in {sent}")
            client.send_text(PEER, f"soak out {sent}")
            sent += 1
            if now >= next_report:
                py_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(
                    f"{(now - start) / 60:6.1f} min  in={received:7d} out={sent:7d}  "
                    f"chrome_rss={client._browser_rss_mb():7.1f} MB  python_maxrss={py_mb:6.1f} MB",
                    flush=True,
                )
                next_report += 60
            tick.wait(1 / args.rate)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
