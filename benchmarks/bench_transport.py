"""Event transport, send round trip, start-up and memory, against the bundled fake WhatsApp Web.

Run: ``python benchmarks/bench_transport.py [--quick] [--markdown FILE]``. Prints one line per
figure and, with ``--markdown``, appends a table. Not a test: nothing here asserts a time.

What is measured (all on this machine, real headless Chromium):
- latency page → handler: the page stamps ``performance.timeOrigin + performance.now()`` into
  a message and emits it through the bridge queue every few ms; the NewMessage handler
  subtracts it from ``time.time()``. Covers the queue, the channel, sequencing, model building
  and dispatch.
- throughput: 10,000 events emitted in one page task (small, and 1 KiB bodies), from the first
  emit to the last handler call, with an order and loss check.
- send_text round trip: call to return, sequential.
- start → Ready on a restored session, against bare Selenium loading the same page and waiting
  for the same condition (``Socket.hasSynced``).
- idle PSS of the whole Chrome process tree, lean flags vs stock, and what a BiDi session costs
  (chromedriver's BiDi mapper runs in an extra tab).

Each event transport is measured on its own (``transport="cdp"``, ``"bidi"``, ``"poll"``): the
first is what ``auto`` picks on a local launch, the others are its fallbacks.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from wawebpy import BrowserOptions, Client, LocalAuth, events
from wawebpy._transport._driver import chrome_arguments, find_browser, find_driver
from wawebpy.testing import FakeWhatsApp

PEER = "15551234567@c.us"

# Emits synthetic messages.add events through the real bridge queue (same path as WhatsApp's).
EMIT_JS = """
const [count, size, spacingMs, run] = arguments;
const W = window.__wawebpy;
const pad = 'x'.repeat(Math.max(0, size));
let i = 0;
function one() {
  const stamp = performance.timeOrigin + performance.now();
  W.emit('messages.add', {id: 'false_15551234567@c.us_BENCH' + run + 'X' + i, fromMe: false,
    remote: '15551234567@c.us', from: '15551234567@c.us', to: '15550000001@c.us',
    type: 'chat', t: Math.floor(Date.now() / 1000), ack: 1, isNewMsg: true,
    body: stamp.toFixed(3) + '|' + i + '|' + pad, mentionedJidList: [], groupMentions: []});
  i += 1;
}
if (spacingMs <= 0) { for (let k = 0; k < count; k++) one(); return true; }
// Paced emission runs on its own: no WebDriver command stays open meanwhile.
const timer = setInterval(() => { one(); if (i >= count) clearInterval(timer); }, spacingMs);
return true;
"""

results: list[tuple[str, str]] = []


def report(name: str, value: str) -> None:
    results.append((name, value))
    print(f"{name:<58} {value}", flush=True)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


class Sink:
    def __init__(self) -> None:
        self.lat: list[float] = []
        self.order: list[int] = []
        self.last_at = 0.0
        self.target = 1
        self.cond = threading.Condition()

    def __call__(self, client: Client, event: events.NewMessage) -> None:
        now = time.time() * 1000.0
        stamp, idx, _ = event.message.text.split("|", 2)
        with self.cond:
            self.lat.append(now - float(stamp))
            self.order.append(int(idx))
            self.last_at = time.perf_counter()
            # Wake the waiter once, at its count: a wake per event would measure this script.
            if len(self.order) >= self.target:
                self.cond.notify_all()

    def reset(self) -> None:
        with self.cond:
            self.lat.clear()
            self.order.clear()

    def wait(self, n: int, timeout: float = 120.0) -> None:
        with self.cond:
            self.target = n
            if not self.cond.wait_for(lambda: len(self.order) >= n, timeout):
                raise SystemExit(f"only {len(self.order)} of {n} events arrived")


def ready_client(fake: FakeWhatsApp, **kw: object) -> tuple[Client, Sink]:
    sink = Sink()
    client = Client(web_url=fake.url, **kw)  # type: ignore[arg-type]
    client.on(events.NewMessage, lambda e: e.message.id.id.startswith("BENCH"))(sink)
    client.start()
    if not client.is_ready:
        fake.wait_for_qr()
        fake.scan_qr()
    client.wait_until_ready(timeout=60)
    return client, sink


_runs = iter(range(1_000_000))


def emit(client: Client, count: int, size: int, spacing_ms: float) -> None:
    client.driver.execute_script(EMIT_JS, count, size, spacing_ms, next(_runs))


def bench_stream(transport: str, quick: bool) -> None:
    with FakeWhatsApp() as fake:
        client, sink = ready_client(fake, transport=transport)
        try:
            n_lat = 300 if quick else 2000
            emit(client, n_lat, 0, 5)
            sink.wait(n_lat)
            lat = sink.lat[50:]
            report(
                f"[{transport}] latency page→handler p50/p95/p99 (ms)",
                f"{pct(lat, 0.5):.2f} / {pct(lat, 0.95):.2f} / {pct(lat, 0.99):.2f}",
            )
            for size, label in ((0, "small"), (1024, "1 KiB")):
                rates = []
                ok = True
                # One warm-up burst (V8 and Python caches), then the measured ones.
                for run in range(2 if quick else 8):
                    sink.reset()
                    start = time.perf_counter()
                    emit(client, 10_000, size, 0)
                    sink.wait(10_000)
                    if run:
                        rates.append(10_000 / (sink.last_at - start))
                    ok = ok and sink.order == list(range(10_000))
                report(
                    f"[{transport}] throughput 10,000 {label} events (ev/s, best / median of "
                    f"{len(rates)})",
                    f"{max(rates):,.0f} / {statistics.median(rates):,.0f}  "
                    f"order+loss check: {'ok' if ok else 'FAILED'}",
                )
            diag = client.diagnostics()
            report(
                f"[{transport}] stream counters",
                f"transport={diag['transport']} gaps={diag['gaps']} lost={diag['lost']} "
                f"duplicates={diag['duplicates']}",
            )
        finally:
            client.close()


def bench_send(quick: bool) -> None:
    with FakeWhatsApp() as fake:
        client, _ = ready_client(fake)
        try:
            times = []
            for i in range(50 if quick else 300):
                t0 = time.perf_counter()
                client.send_text(PEER, f"round trip {i}")
                times.append((time.perf_counter() - t0) * 1000)
            times = times[10:]
            report(
                "send_text round trip p50/p99 (ms)",
                f"{statistics.median(times):.2f} / {pct(times, 0.99):.2f}",
            )
        finally:
            client.close()


SYNCED_JS = (
    "try { return !!window.require('WAWebSocketModel').Socket.hasSynced; }"
    " catch (e) { return false; }"
)


def bench_startup(quick: bool) -> None:
    runs = 2 if quick else 5
    with FakeWhatsApp() as fake, tempfile.TemporaryDirectory() as tmp:
        auth = LocalAuth(Path(tmp))
        client, _ = ready_client(fake, auth=auth)
        client.close()
        ours = []
        for _ in range(runs):
            t0 = time.perf_counter()
            with Client(web_url=fake.url, auth=auth) as c:
                c.wait_until_ready(timeout=60)
                ours.append(time.perf_counter() - t0)
        options = BrowserOptions()
        browser = find_browser(options.binary)
        bare = []
        profile = Path(tmp) / "session-default"
        for _ in range(runs):
            t0 = time.perf_counter()
            opts = webdriver.ChromeOptions()
            opts.binary_location = browser
            for arg in chrome_arguments(options, profile):
                opts.add_argument(arg)
            drv = webdriver.Chrome(options=opts, service=Service(find_driver(options, browser)))
            try:
                drv.get(fake.url)
                while not drv.execute_script(SYNCED_JS):
                    time.sleep(0.01)
                bare.append(time.perf_counter() - t0)
            finally:
                drv.quit()
        o, b = statistics.median(ours), statistics.median(bare)
        report(
            "start → Ready, restored session: wawebpy vs bare Selenium (s)",
            f"{o:.2f} vs {b:.2f}  overhead {100 * (o - b) / b:+.1f} %",
        )


def pss_kib(pids: frozenset[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def bench_memory() -> None:
    configs = (
        ("lean (default) flags", True, "auto"),
        ("stock flags", False, "auto"),
        ("lean flags + BiDi session (mapper tab)", True, "bidi"),
    )
    for label, lean, transport in configs:
        with FakeWhatsApp() as fake:
            client, _ = ready_client(fake, browser=BrowserOptions(lean=lean), transport=transport)
            try:
                time.sleep(5)  # idle on purpose: memory settles after the sync
                assert client._browser is not None
                mb = pss_kib(client._browser.pids()) / 1024
                report(f"idle Chrome tree PSS, {label} (MB)", f"{mb:.0f}")
            finally:
                client.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    parser.add_argument("--markdown", type=Path, help="append a markdown table to this file")
    parser.add_argument("--only", choices=["stream", "send", "startup", "memory"], action="append")
    args = parser.parse_args()
    only = set(args.only or ["stream", "send", "startup", "memory"])
    if "stream" in only:
        for transport in ("cdp", "bidi", "poll"):
            bench_stream(transport, args.quick)
    if "send" in only:
        bench_send(args.quick)
    if "startup" in only:
        bench_startup(args.quick)
    if "memory" in only:
        bench_memory()
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as fh:
            fh.write("\n| transport benchmark | result |\n|---|---|\n")
            for name, value in results:
                fh.write(f"| {name} | {value} |\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
