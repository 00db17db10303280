"""Process helpers that read ``/proc`` directly.

Chrome spreads itself over a dozen processes that chromedriver does not own for long: when the
driver dies they are re-parented to PID 1. We therefore identify a browser tree by its *session
id* (chromedriver is started as a session leader; only Chrome's crash handler leaves the
session, and an environment tag finds it) and by parent links, and we compare start times so
that a recycled pid is never signalled.

Everything here is best effort and silent: a process can vanish between two reads at any time.
On systems without ``/proc`` the functions return empty results and the caller falls back to
what Selenium itself does.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ProcStat",
    "cmdline",
    "descendants",
    "has_env",
    "is_running",
    "iter_stats",
    "read_stat",
    "signal_all",
    "wait_gone",
]

_PROC = Path("/proc")


@dataclass(frozen=True, slots=True)
class ProcStat:
    """The fields of ``/proc/<pid>/stat`` we need; ``starttime`` tells a recycled pid apart."""

    pid: int
    comm: str
    state: str
    ppid: int
    pgid: int
    sid: int
    starttime: int

    @property
    def zombie(self) -> bool:
        """A zombie holds only a pid slot; it is dead for all our purposes."""
        return self.state in ("Z", "X", "x")


def read_stat(pid: int) -> ProcStat | None:
    """Return the stat of ``pid``, or None if it does not exist (or /proc is unreadable)."""
    try:
        raw = (_PROC / str(pid) / "stat").read_bytes().decode("utf-8", "replace")
    except OSError:
        return None
    # comm is wrapped in parentheses and may itself contain ") ", so split on the last one.
    lpar, rpar = raw.find("("), raw.rfind(")")
    if lpar < 0 or rpar < 0:
        return None
    fields = raw[rpar + 2 :].split()
    try:
        return ProcStat(
            pid=pid,
            comm=raw[lpar + 1 : rpar],
            state=fields[0],
            ppid=int(fields[1]),
            pgid=int(fields[2]),
            sid=int(fields[3]),
            starttime=int(fields[19]),
        )
    except (IndexError, ValueError):
        return None


def iter_stats() -> Iterator[ProcStat]:
    """Yield the stat of every process visible in /proc."""
    try:
        names = os.listdir(_PROC)
    except OSError:
        return
    for name in names:
        if name.isdigit():
            st = read_stat(int(name))
            if st is not None:
                yield st


def cmdline(pid: int) -> list[str]:
    """Return the argv of ``pid`` (empty for zombies, kernel threads and vanished processes)."""
    try:
        raw = (_PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def has_env(pid: int, entry: bytes) -> bool:
    """True if the environment of ``pid`` contains ``entry`` (``b"NAME=value"``) exactly."""
    try:
        raw = (_PROC / str(pid) / "environ").read_bytes()
    except OSError:
        return False
    return entry in raw.split(b"\0")


def descendants(roots: Iterable[int], stats: Iterable[ProcStat] | None = None) -> set[int]:
    """Return the pids below ``roots`` by parent links (roots excluded)."""
    children: dict[int, list[int]] = {}
    for st in iter_stats() if stats is None else stats:
        children.setdefault(st.ppid, []).append(st.pid)
    found: set[int] = set()
    stack = list(roots)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def is_running(pid: int, starttime: int | None = None) -> bool:
    """True if ``pid`` exists, is not a zombie and (if given) started at ``starttime``."""
    st = read_stat(pid)
    if st is None or st.zombie:
        return False
    return starttime is None or st.starttime == starttime


def signal_all(procs: dict[int, int], sig: signal.Signals) -> None:
    """Send ``sig`` to each running pid of ``{pid: starttime}``, skipping recycled pids."""
    for pid, start in procs.items():
        if is_running(pid, start):
            with contextlib.suppress(OSError):
                os.kill(pid, sig)


def wait_gone(procs: dict[int, int], deadline: float) -> dict[int, int]:
    """Poll until none of ``procs`` runs or ``time.monotonic()`` passes ``deadline``.

    Returns the processes still running. Zombies count as gone: we can only reap our own
    children, and a container whose PID 1 does not reap leaves Chrome's orphans as zombies.
    """
    delay = 0.005
    while True:
        alive = {pid: start for pid, start in procs.items() if is_running(pid, start)}
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 2, 0.1)
