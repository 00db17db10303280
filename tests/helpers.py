"""Shared test helpers: event recording and process checks (importable as ``helpers``)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from wawebpy import events

E = TypeVar("E", bound=events.Event)


class Recorder:
    """Collects every event a client publishes, and waits on them."""

    def __init__(self) -> None:
        self.events: list[events.Event] = []
        self._cond = threading.Condition()

    def __call__(self, client: Any, event: events.Event) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def of(self, kind: type[E]) -> list[E]:
        with self._cond:
            return [e for e in self.events if isinstance(e, kind)]

    def wait(
        self,
        kind: type[E],
        pred: Callable[[E], bool] = lambda e: True,
        timeout: float = 20.0,
        start: int = 0,
    ) -> E:
        with self._cond:
            found: list[E] = []

            def check() -> bool:
                found[:] = [e for e in self.events[start:] if isinstance(e, kind) and pred(e)]
                return bool(found)

            if not self._cond.wait_for(check, timeout):
                raise AssertionError(
                    f"no {kind.__name__} within {timeout} s; got "
                    f"{[type(e).__name__ for e in self.events[-20:]]}"
                )
            return found[0]

    def mark(self) -> int:
        with self._cond:
            return len(self.events)


def alive(pids: Iterable[int]) -> list[int]:
    """The pids that still exist and are not zombies."""
    out = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                state = fh.read().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if state != "Z":
            out.append(pid)
    return out


def chrome_pids_using(fragment: str) -> list[int]:
    """Processes whose command line contains ``fragment`` (e.g. a profile dir)."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as fh:
                cmd = fh.read().decode(errors="replace")
        except OSError:
            continue
        if fragment in cmd and int(name) != os.getpid():
            out.append(int(name))
    return alive(out)


def on_disk(profile: Path, needle: bytes) -> bool:
    """Whether Chrome has written ``needle`` into the profile's Local Storage files: Chrome
    flushes them seconds after a change, and a browser killed before that loses the change."""
    for path in (profile / "Default" / "Local Storage").rglob("*"):
        try:
            if path.is_file() and needle in path.read_bytes():
                return True
        except OSError:
            continue
    return False


def wait_until(cond: Callable[[], bool], timeout: float) -> None:
    """Poll ``cond`` (for states nothing announces, such as files on disk)."""
    ticker = threading.Event()
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        ticker.wait(0.2)


CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# The flags this machine's Chromium needs (the closed network refuses its background traffic).
BARE_CHROME_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def bare_chrome(profile: Path, *, script_timeout: float) -> Any:
    """Plain Selenium Chromium on ``profile``, none of wawebpy's launch code: for tests of the
    fake page and of session snapshots that must not depend on what they check."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (*BARE_CHROME_ARGS, f"--user-data-dir={profile}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_script_timeout(script_timeout)
    return driver
