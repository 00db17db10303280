"""Finding, launching and killing Chrome and chromedriver.

The Client calls :func:`launch` once per start and :meth:`LaunchedBrowser.quit` once per stop;
the supervisor calls :func:`kill_stale` before a launch that reuses a profile directory.
Nothing here knows about WhatsApp beyond the flags it needs.

Why so much process handling: Selenium's own ``driver.quit()`` can block for minutes when the
browser hangs, and it only ever kills chromedriver, not Chrome's helpers. We start chromedriver
as the leader of a new session, so that every Chrome process shares its session id, and we kill
that whole set ourselves when the polite way does not finish in time.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import functools
import importlib
import itertools
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import SessionNotCreatedException, WebDriverException
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.selenium_manager import SeleniumManager
from selenium.webdriver.remote.webdriver import WebDriver

from wawebpy._transport import _procs
from wawebpy.errors import (
    BrowserNotFoundError,
    BrowserStartError,
    DriverNotFoundError,
    InvalidInputError,
)

__all__ = [
    "DEFAULT_USER_AGENT",
    "BrowserOptions",
    "DriverLocation",
    "LaunchedBrowser",
    "attach",
    "chrome_arguments",
    "find_browser",
    "find_driver",
    "kill_stale",
    "launch",
    "resolve_driver",
]

log = logging.getLogger(__name__)

#: The user agent Chrome announces unless ``BrowserOptions(user_agent=...)`` says otherwise.
#: WhatsApp Web refuses any UA containing "HeadlessChrome", which is what headless Chrome sends.
DEFAULT_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Safari/537.36"
)

_BROWSER_NAMES = ("google-chrome", "google-chrome-stable", "chromium", "chromium-browser")
_BROWSER_PATHS = (
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/opt/google/chrome/chrome",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/snap/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
)
_DRIVER_NAME = "chromedriver"
_DRIVER_PATHS = (
    "/usr/bin/chromedriver",
    "/usr/lib/chromium/chromedriver",
    "/usr/lib/chromium-browser/chromedriver",
    "/snap/bin/chromium.chromedriver",
)
#: Selenium honours this variable itself; we resolve it in our own order instead.
_SELENIUM_DRIVER_ENV = "SE_CHROMEDRIVER"
#: Given to Service as its env key so that Selenium does not second-guess our resolution.
_NO_DRIVER_ENV = "_WAWEBPY_DRIVER_ALREADY_RESOLVED"
#: Selenium Manager may try to download a driver; the network can be closed or slow. Its own
#: per-request limit is the inner bound, the subprocess timeout the outer one.
_SELENIUM_MANAGER_TIMEOUT = 30.0
_SELENIUM_MANAGER_REQUEST_TIMEOUT = 20
_WEBDRIVER_MANAGER_TIMEOUT = 30.0
#: webdriver-manager's requests: (connect, read) seconds; it sets none of its own.
_WEBDRIVER_MANAGER_HTTP_TIMEOUT = (5.0, 20.0)
#: Both download steps fetch from here first (Chrome for Testing's version index).
_DOWNLOAD_HOST = ("googlechromelabs.github.io", 443)
#: How long the reachability probe before the download steps may take.
_NETWORK_PROBE_TIMEOUT = 3.0
#: Selenium Manager's own offline switch (``--offline``; every flag reads ``SE_<FLAG>``).
_SELENIUM_OFFLINE_ENV = "SE_OFFLINE"
#: After ``driver.quit()``: how long SIGTERM gets before SIGKILL, and how long SIGKILL gets.
_TERM_GRACE = 1.5
_KILL_WAIT = 3.0
_ATEXIT_QUIT_TIMEOUT = 3.0
#: Set on chromedriver and inherited by every Chrome process, even the ones that leave the tree.
_TAG_ENV = "WAWEBPY_BROWSER_TAG"
_TAG_COUNTER = itertools.count(1)
_PROFILE_LOCKS = ("SingletonLock", "SingletonSocket", "SingletonCookie")

#: Always on: what WhatsApp Web and a server without a desktop need.
_BASE_ARGS = (
    # navigator.webdriver stays false; WhatsApp Web does not need to know.
    "--disable-blink-features=AutomationControlled",
    "--disable-gpu",
    # /dev/shm is 64 MB in Docker; Chrome crashes with "Aw, Snap" when it fills up.
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Without these a hidden or occluded window stops processing WhatsApp's socket timers.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    # Keeps cookies portable between machines (profile snapshots) and avoids keyring prompts.
    "--password-store=basic",
    "--use-mock-keychain",
)

#: ``lean=True``: trims memory without touching what WhatsApp Web uses (service worker,
#: IndexedDB, WebSocket, canvas, notifications). Measured in docs/browser.md.
_LEAN_ARGS = (
    # Headless Chrome prewarms a WebUI renderer for an omnibox popup nobody sees (~40 MiB).
    # It also keeps a spare renderer, caches pages for back/forward navigation WhatsApp
    # never does, and runs services (translate, hints, cast) a bot does not use.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup,"
    "SpareRendererForSitePerProcess,BackForwardCache,Translate,OptimizationHints,"
    "MediaRouter,GlobalMediaControls,InterestFeedContentSuggestions,AutofillServerCommunication",
    # The network service runs in the browser process instead of a utility process of its own
    # (~16 MiB): one page on one site needs no separate process to contain it.
    "--enable-features=NetworkServiceInProcess2",
    # No SwiftShader in the GPU process (~10 MiB); only WebGL needs it, WhatsApp Web does not.
    "--disable-software-rasterizer",
    "--disable-extensions",
    "--disable-component-extensions-with-background-pages",
    "--disable-default-apps",
)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class BrowserOptions:
    """How to start Chrome for a Client.

    Every field has a default that works on a Linux server with Chromium installed.
    """

    #: Run without a window (``--headless=new``).
    headless: bool = True
    #: Chrome/Chromium executable; None searches PATH and the usual install locations.
    binary: str | os.PathLike[str] | None = None
    #: chromedriver executable; None searches $SE_CHROMEDRIVER, PATH, the usual package
    #: locations, then Selenium Manager, then webdriver-manager.
    driver_path: str | os.PathLike[str] | None = None
    #: User agent to announce; None keeps the browser's own (which contains "HeadlessChrome"
    #: when headless, and WhatsApp Web refuses that).
    user_agent: str | None = DEFAULT_USER_AGENT
    #: Extra Chrome command-line switches, appended last (e.g. ``("--no-sandbox",)``).
    extra_args: tuple[str, ...] = ()
    #: ``--proxy-server`` value, e.g. ``"socks5://127.0.0.1:1080"``.
    proxy: str | None = None
    window_size: tuple[int, int] = (1280, 900)
    #: Memory-saving switches that WhatsApp Web does not notice; see docs/browser.md.
    lean: bool = True
    #: Seconds a navigation may take before WebDriver gives up.
    page_load_timeout: float = 120.0

    def __post_init__(self) -> None:
        # A str here would become one switch per character; a list would make options unhashable.
        if isinstance(self.extra_args, str) or not all(
            isinstance(arg, str) for arg in self.extra_args
        ):
            raise InvalidInputError("extra_args must be a tuple of strings, e.g. ('--lang=de',)")
        object.__setattr__(self, "extra_args", tuple(self.extra_args))
        width, height = self.window_size
        if width <= 0 or height <= 0:
            raise InvalidInputError(f"window_size must be positive, got {self.window_size!r}")
        if not self.page_load_timeout > 0:
            raise InvalidInputError("page_load_timeout must be > 0 seconds")


# -- discovery ---------------------------------------------------------------------------------


def _executable(path: str | os.PathLike[str]) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_browser(binary: str | os.PathLike[str] | None = None) -> str:
    """Return the Chrome executable to use, or raise :class:`BrowserNotFoundError`.

    Called before chromedriver starts, so that a missing browser costs no process.
    """
    tried: list[str] = []
    if binary is not None:
        path = os.fspath(binary)
        if _executable(path):
            log.debug("browser: BrowserOptions.binary %s", path)
            return path
        tried.append(f"BrowserOptions(binary={path!r}): not an executable file")
        raise BrowserNotFoundError(
            f"Chrome/Chromium not found: {tried[0]}. Fix the path or leave binary=None "
            "to search PATH and the usual install locations.",
            tried=tried,
        )
    for name in _BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            log.debug("browser: %s found on PATH at %s", name, found)
            return found
        tried.append(f"{name} on PATH")
    for path in _BROWSER_PATHS:
        if _executable(path):
            log.debug("browser: found at %s", path)
            return path
        tried.append(path)
    raise BrowserNotFoundError(
        "no Chrome/Chromium browser found (tried "
        + ", ".join(tried)
        + "). Install one (Debian/Ubuntu: apt-get install chromium) or pass "
        "BrowserOptions(binary='/path/to/chrome').",
        tried=tried,
    )


@dataclasses.dataclass(frozen=True, slots=True)
class DriverLocation:
    """A resolved chromedriver and the step of the search that found it."""

    path: str
    #: "driver_path", "$SE_CHROMEDRIVER", "PATH", "package location", "Selenium Manager",
    #: "webdriver-manager"
    step: str


def find_driver(options: BrowserOptions, browser: str) -> str:
    """Return a chromedriver path, or raise :class:`DriverNotFoundError` naming every attempt."""
    return resolve_driver(options, browser).path


def resolve_driver(options: BrowserOptions, browser: str) -> DriverLocation:
    """Find chromedriver, or raise :class:`DriverNotFoundError` naming every attempt.

    Order: ``options.driver_path`` (if given, the only candidate), ``$SE_CHROMEDRIVER``,
    ``chromedriver`` on PATH and in the usual package locations, Selenium Manager, then
    webdriver-manager. The last two may download a driver: when the download host cannot be
    reached within a few seconds (or ``SE_OFFLINE=true``), Selenium Manager only looks in its
    cache and webdriver-manager is skipped, so an offline machine fails in seconds.
    """
    tried: list[str] = []

    if options.driver_path is not None:
        # An explicit path is a decision, as for the browser: never swap in another driver.
        path = os.fspath(options.driver_path)
        if _executable(path):
            log.debug("driver: BrowserOptions.driver_path %s", path)
            return DriverLocation(path, "driver_path")
        tried.append(f"BrowserOptions(driver_path={path!r}): not an executable file")
        raise DriverNotFoundError(
            f"chromedriver not found: {tried[0]}. Fix the path or leave driver_path=None to "
            "search PATH, Selenium Manager and webdriver-manager.",
            tried=tried,
        )

    env_path = os.environ.get(_SELENIUM_DRIVER_ENV)
    if env_path:
        if _executable(env_path):
            log.debug("driver: $%s %s", _SELENIUM_DRIVER_ENV, env_path)
            return DriverLocation(env_path, f"${_SELENIUM_DRIVER_ENV}")
        tried.append(f"${_SELENIUM_DRIVER_ENV}={env_path!r}: not an executable file")

    found = shutil.which(_DRIVER_NAME)
    if found:
        log.debug("driver: chromedriver found on PATH at %s", found)
        return DriverLocation(found, "PATH")
    tried.append("chromedriver on PATH")
    for path in _DRIVER_PATHS:
        if _executable(path):
            log.debug("driver: found at %s", path)
            return DriverLocation(path, "package location")
        tried.append(path)

    offline = _offline_reason()
    result, note = _from_selenium_manager(browser, offline=offline is not None)
    if result:
        return DriverLocation(result, "Selenium Manager")
    tried.append(note)
    if offline is None:
        result, note = _from_webdriver_manager(browser)
        if result:
            return DriverLocation(result, "webdriver-manager")
        tried.append(note)
    else:
        tried.append(f"webdriver-manager: skipped, {offline}")

    raise DriverNotFoundError(
        "no chromedriver found; tried: "
        + "; ".join(tried)
        + ". Install the driver matching your browser (Debian/Ubuntu: apt-get install "
        "chromium-driver), pass BrowserOptions(driver_path='/path/to/chromedriver'), or "
        "run once with network access so that Selenium Manager can download and cache one.",
        tried=tried,
    )


def _offline_reason() -> str | None:
    """Why the download steps cannot work now, or None if the download host answers.

    A TCP connect to the download host, or to the HTTPS proxy when one is set (the downloads
    go through it), bounded by ``_NETWORK_PROBE_TIMEOUT``: a closed network fails at once or
    after that, instead of after each step's full download timeout.
    """
    flag = os.environ.get(_SELENIUM_OFFLINE_ENV, "").strip().lower()
    if flag in ("1", "true", "yes"):
        return f"offline (${_SELENIUM_OFFLINE_ENV}={flag})"
    target = _DOWNLOAD_HOST
    proxy = os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy")
    if proxy:
        parsed = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        with contextlib.suppress(ValueError):
            target = (parsed.hostname or "", parsed.port or 80)
    try:
        with socket.create_connection(target, timeout=_NETWORK_PROBE_TIMEOUT):
            return None
    except OSError as exc:
        where = "the HTTPS proxy" if proxy else target[0]
        log.debug("driver: %s unreachable: %s", where, exc)
        return f"no network ({where} unreachable: {_first_line(exc)})"


def _from_selenium_manager(browser: str, *, offline: bool = False) -> tuple[str | None, str]:
    """Ask Selenium Manager, bounded in time; any failure counts as 'tried'.

    ``offline`` passes its ``--offline`` switch: only a driver already in its cache is found.
    """
    try:
        binary = str(SeleniumManager._get_binary())
    except Exception as exc:
        log.debug("driver: Selenium Manager unavailable: %s", exc)
        return None, f"Selenium Manager: unavailable ({_first_line(exc)})"
    timeout = _SELENIUM_MANAGER_TIMEOUT
    args = [
        binary,
        "--browser", "chrome",
        "--browser-path", browser,
        "--avoid-browser-download",
        "--timeout", str(_SELENIUM_MANAGER_REQUEST_TIMEOUT),
        "--language-binding", "python",
        "--output", "json",
    ]  # fmt: skip
    if offline:
        args.append("--offline")
    log.debug("driver: running Selenium Manager (up to %.0f s)", timeout)
    try:
        proc = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("driver: Selenium Manager failed: %s", exc)
        return None, f"Selenium Manager: {_first_line(exc)}"
    try:
        out = json.loads(proc.stdout or b"{}")
        path = str(out.get("result", {}).get("driver_path") or "")
    except (ValueError, AttributeError):
        path = ""
    if proc.returncode == 0 and path and _executable(path):
        log.debug("driver: Selenium Manager gave %s", path)
        return path, ""
    msg = ""
    with contextlib.suppress(ValueError, AttributeError, TypeError):
        msg = str(json.loads(proc.stdout)["result"].get("message") or "")
    msg = msg or proc.stderr.decode("utf-8", "replace").strip()
    if not msg:
        msg = "no driver in its cache" if proc.returncode == 0 and offline else "nothing found"
        msg += f" (exit {proc.returncode})"
    log.debug("driver: Selenium Manager found nothing: %s", msg)
    where = "Selenium Manager (offline, cache only)" if offline else "Selenium Manager"
    return None, f"{where}: {_first_line(msg)}"


def _from_webdriver_manager(browser: str) -> tuple[str | None, str]:
    """Ask webdriver-manager (a dependency; imported only here, when needed), bounded in time.

    It sets no timeout on its HTTP requests, so we hand it a client that does.
    """
    try:
        # Imported late (it pulls in requests, which only this last step needs); untyped.
        chrome: Any = importlib.import_module("webdriver_manager.chrome")
        downloads: Any = importlib.import_module("webdriver_manager.core.download_manager")
        http: Any = importlib.import_module("webdriver_manager.core.http")
    except ImportError:
        log.debug("driver: webdriver-manager not importable; skipped")
        return None, "webdriver-manager: not installed (pip install webdriver-manager)"

    class _BoundedHttp(http.WDMHttpClient):  # type: ignore[misc]
        def get(self, url: str, **kwargs: Any) -> Any:
            kwargs.setdefault("timeout", _WEBDRIVER_MANAGER_HTTP_TIMEOUT)
            return super().get(url, **kwargs)

    def install() -> None:
        # Its version lookups use the download manager's client too (ChromeDriverManager).
        manager = chrome.ChromeDriverManager(
            download_manager=downloads.WDMDownloadManager(_BoundedHttp())
        )
        box.append(str(manager.install()))

    box: list[str] = []
    ok = _run_bounded(
        install,
        _WEBDRIVER_MANAGER_TIMEOUT,
        "webdriver-manager",
    )
    if ok and box and _executable(box[0]):
        log.debug("driver: webdriver-manager gave %s", box[0])
        return box[0], ""
    return None, "webdriver-manager: failed or timed out (see DEBUG log)"


# -- arguments ---------------------------------------------------------------------------------


def chrome_arguments(options: BrowserOptions, profile_dir: str | os.PathLike[str]) -> list[str]:
    """Return the Chrome switches for ``options``; user ``extra_args`` come last and win."""
    args = list(_BASE_ARGS)
    if options.headless:
        args.append("--headless=new")
    if _running_as_root() and "--no-sandbox" not in options.extra_args:
        # Chrome refuses to start as root with its sandbox on.
        args.append("--no-sandbox")
    if options.lean:
        args.extend(_LEAN_ARGS)
    width, height = options.window_size
    args.append(f"--window-size={int(width)},{int(height)}")
    if options.user_agent is not None:
        args.append(f"--user-agent={options.user_agent}")
    if options.proxy is not None:
        args.append(f"--proxy-server={options.proxy}")
    args.append(f"--user-data-dir={Path(profile_dir).absolute()}")
    args.extend(options.extra_args)
    return args


def _running_as_root() -> bool:
    geteuid: Callable[[], int] | None = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0


# -- processes ---------------------------------------------------------------------------------


class _ProcessTree:
    """chromedriver (a session leader) and every Chrome process in its session.

    Chrome's crash handler double-forks into a session of its own; it inherits the
    environment, so an environment tag set on chromedriver finds it too.
    """

    def __init__(self, popen: subprocess.Popen[bytes], tag: bytes = b"") -> None:
        self.popen = popen
        self.tag = tag
        self.leader = popen.pid
        st = _procs.read_stat(popen.pid)
        self.leader_start = st.starttime if st is not None else 0
        #: Every member ever seen, {pid: starttime}; parent links break once chromedriver dies.
        self.known: dict[int, int] = {}
        if st is not None:
            self.known[st.pid] = st.starttime

    def snapshot(self) -> dict[int, int]:
        """Return the running members and remember them."""
        stats = list(_procs.iter_stats())
        members = {
            s.pid: s.starttime
            for s in stats
            if s.sid == self.leader and s.starttime >= self.leader_start and not s.zombie
        }
        if self.tag:
            members.update(
                (s.pid, s.starttime)
                for s in stats
                if s.sid != self.leader
                and s.starttime >= self.leader_start
                and not s.zombie
                and _procs.has_env(s.pid, self.tag)
            )
        by_pid = {s.pid: s for s in stats}
        for pid in _procs.descendants({self.leader, *members}, stats):
            s = by_pid.get(pid)
            if s is not None and not s.zombie:
                members[pid] = s.starttime
        self.known.update(members)
        return {pid: start for pid, start in self.known.items() if _procs.is_running(pid, start)}

    def _killpg(self, sig: signal.Signals) -> None:
        # Only while chromedriver is unreaped: its pid (and so the group id) cannot be recycled.
        if self.popen.returncode is None and self.popen.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(self.leader, sig)

    def terminate(self, grace: float = _TERM_GRACE, kill_wait: float = _KILL_WAIT) -> bool:
        """SIGTERM, then SIGKILL, what is left; reap chromedriver. True if nothing survived."""
        alive = self.snapshot()
        if alive:
            log.debug("terminating browser processes %s", sorted(alive))
            _procs.signal_all(alive, signal.SIGTERM)
            self._killpg(signal.SIGTERM)
            alive = _procs.wait_gone(alive, time.monotonic() + grace)
            alive.update(self.snapshot())
        if alive:
            log.debug("killing browser processes %s", sorted(alive))
            self._killpg(signal.SIGKILL)
            _procs.signal_all(alive, signal.SIGKILL)
            alive = _procs.wait_gone(alive, time.monotonic() + kill_wait)
        with contextlib.suppress(subprocess.TimeoutExpired, OSError):
            self.popen.wait(timeout=0.5 if alive else kill_wait)
        if alive:
            log.warning("browser processes %s survived SIGKILL", sorted(alive))
        return not alive


def _finalize_tree(tree: _ProcessTree) -> None:
    """weakref.finalize callback: the LaunchedBrowser was dropped or the interpreter exits."""
    with contextlib.suppress(Exception):
        tree.terminate(grace=0.5, kill_wait=1.0)


def _run_bounded(fn: Callable[[], object], timeout: float, what: str) -> bool:
    """Run ``fn`` in a daemon thread; True if it returned without error within ``timeout``."""
    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            fn()
        except BaseException as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    thread = threading.Thread(target=target, name=f"wawebpy-{what}", daemon=True)
    try:
        thread.start()
    except RuntimeError:  # interpreter shutting down: no new threads
        log.debug("%s skipped: cannot start a thread now", what)
        return False
    thread.join(timeout)
    if not outcome:
        log.debug("%s did not finish within %.1f s; abandoning it", what, timeout)
        return False
    if outcome[0] is not None:
        log.debug("%s failed: %s", what, _first_line(outcome[0]))
        return False
    return True


_LIVE: weakref.WeakSet[LaunchedBrowser] = weakref.WeakSet()
_LIVE_LOCK = threading.Lock()


@functools.cache
def _register_atexit() -> None:
    # Registered after the first weakref.finalize exists, so (atexit being LIFO) the polite
    # quit of _quit_all runs before finalize's forcible kill.
    atexit.register(_quit_all)


def _track(browser: LaunchedBrowser) -> None:
    with _LIVE_LOCK:
        _LIVE.add(browser)
    _register_atexit()


def _quit_all() -> None:
    """atexit hook: quit every browser the program forgot to quit."""
    with _LIVE_LOCK:
        browsers = list(_LIVE)
    for browser in browsers:
        log.debug("quitting a browser left open at exit")
        browser.quit(timeout=_ATEXIT_QUIT_TIMEOUT)


class LaunchedBrowser:
    """A WebDriver session plus, when :func:`launch` started it, the processes behind it.

    ``quit()`` is the only way to end it; it is bounded in time, idempotent and thread-safe.
    """

    __slots__ = ("__weakref__", "_closed", "_finalizer", "_lock", "_tree", "bidi_url",
                 "cdp_url", "debugger_address", "driver")  # fmt: skip

    def __init__(
        self,
        driver: WebDriver,
        *,
        debugger_address: str | None,
        cdp_url: str | None = None,
        tree: _ProcessTree | None = None,
    ) -> None:
        self.driver = driver
        #: The session's WebDriver BiDi websocket URL (capability ``webSocketUrl``), if any.
        bidi_url = (driver.capabilities or {}).get("webSocketUrl")
        self.bidi_url = bidi_url if isinstance(bidi_url, str) else None
        #: ``host:port`` of Chrome's DevTools HTTP endpoint (``/json/version``), if reachable.
        self.debugger_address = debugger_address
        #: A DevTools websocket URL offered by Selenium Grid (``se:cdp``), if any.
        self.cdp_url = cdp_url
        self._tree = tree
        self._lock = threading.Lock()
        self._closed = False
        self._finalizer = weakref.finalize(self, _finalize_tree, tree) if tree else None

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<LaunchedBrowser {state} debugger={self.debugger_address}>"

    @property
    def closed(self) -> bool:
        """True once :meth:`quit` has run."""
        return self._closed

    def pids(self) -> frozenset[int]:
        """Running pids of chromedriver and the whole Chrome tree; empty for attached drivers."""
        if self._tree is None:
            return frozenset()
        return frozenset(self._tree.snapshot())

    def quit(self, timeout: float = 5.0) -> None:
        """End the session; never hangs.

        ``driver.quit()`` gets ``timeout`` seconds (Chrome flushes the profile then); whatever
        is still running afterwards is sent SIGTERM, then SIGKILL, and waited for.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with _LIVE_LOCK:
                _LIVE.discard(self)
            if self._tree is not None:
                self._tree.snapshot()  # remember the members while parent links still hold
            _run_bounded(self.driver.quit, timeout, "driver.quit")
            if self._tree is not None:
                self._tree.terminate()
            if self._finalizer is not None:
                self._finalizer.detach()


# -- launching ---------------------------------------------------------------------------------


def launch(
    options: BrowserOptions, profile_dir: str | os.PathLike[str], *, bidi: bool = False
) -> LaunchedBrowser:
    """Start chromedriver and Chrome on ``profile_dir``; raise a BrowserError subclass if not.

    ``bidi`` asks for a WebDriver BiDi websocket (``LaunchedBrowser.bidi_url``); off by default
    because chromedriver then runs its BiDi mapper in an extra tab. A failed start leaves no
    process behind.
    """
    browser = find_browser(options.binary)
    driver_path = find_driver(options, browser)
    chrome_options = webdriver.ChromeOptions()
    chrome_options.binary_location = browser
    for arg in chrome_arguments(options, profile_dir):
        chrome_options.add_argument(arg)
    chrome_options.timeouts = {"pageLoad": int(options.page_load_timeout * 1000)}
    if bidi:
        chrome_options.set_capability("webSocketUrl", True)
    tag = f"{_TAG_ENV}={os.getpid()}-{next(_TAG_COUNTER)}-{time.monotonic_ns()}"
    service = ChromeService(
        executable_path=driver_path,
        log_output=subprocess.DEVNULL,
        env={**os.environ, _TAG_ENV: tag.split("=", 1)[1]},
        driver_path_env_key=_NO_DRIVER_ENV,
        popen_kw={"start_new_session": True},
    )
    log.debug("starting %s with %s", driver_path, browser)
    try:
        driver = webdriver.Chrome(options=chrome_options, service=service)
    except BaseException as exc:
        popen: subprocess.Popen[bytes] | None = getattr(service, "process", None)
        if popen is not None:
            _ProcessTree(popen, tag.encode()).terminate(grace=0.5)
        if isinstance(exc, (WebDriverException, OSError)):
            raise _start_error(exc, browser=browser, driver_path=driver_path,
                               profile_dir=profile_dir) from exc  # fmt: skip
        raise
    tree = _ProcessTree(service.process, tag.encode())
    launched = LaunchedBrowser(
        driver, debugger_address=_debugger_address(driver.capabilities), tree=tree
    )
    tree.snapshot()
    _track(launched)
    log.debug("browser up: pids %s, debugger %s", sorted(tree.known), launched.debugger_address)
    return launched


def attach(driver: WebDriver) -> LaunchedBrowser:
    """Wrap a driver the user built (e.g. ``webdriver.Remote`` to a Grid).

    We own no process then: ``quit()`` only calls ``driver.quit()`` within its timeout, and the
    driver is not quit at interpreter exit.
    """
    caps: dict[str, Any] = dict(driver.capabilities or {})
    cdp = caps.get("se:cdp")
    return LaunchedBrowser(
        driver,
        debugger_address=_debugger_address(caps),
        cdp_url=cdp if isinstance(cdp, str) else None,
    )


def _debugger_address(caps: dict[str, Any]) -> str | None:
    for key in ("goog:chromeOptions", "ms:edgeOptions"):
        section = caps.get(key)
        if isinstance(section, dict):
            addr = section.get("debuggerAddress")
            if isinstance(addr, str) and addr:
                # Chrome listens on IPv4 only; "localhost" may resolve to ::1 first.
                host, _, port = addr.rpartition(":")
                return f"127.0.0.1:{port}" if host == "localhost" else addr
    return None


def _first_line(exc: object) -> str:
    text = getattr(exc, "msg", None) or str(exc) or type(exc).__name__
    line = str(text).strip().splitlines()[0] if str(text).strip() else type(exc).__name__
    return line if len(line) <= 300 else line[:297] + "..."


def _start_error(
    exc: BaseException, *, browser: str, driver_path: str, profile_dir: str | os.PathLike[str]
) -> BrowserStartError:
    """The one place that turns Selenium/OS start failures into BrowserStartError."""
    detail = _first_line(exc)
    low = detail.lower()
    if isinstance(exc, OSError):
        hint = f"could not run chromedriver {driver_path}: {detail}. Check that it is executable."
    elif "only supports chrome version" in low or "this version of chromedriver" in low:
        hint = (
            f"chromedriver {driver_path} does not match the browser {browser}: {detail}. "
            "Install the driver of the same major version (Debian/Ubuntu: apt-get install "
            "chromium-driver) or pass BrowserOptions(driver_path=...)."
        )
    elif "user data directory is already in use" in low or "profile appears to be in use" in low:
        hint = (
            f"the profile {profile_dir} is in use by another Chrome: {detail}. Close that "
            "browser, or let wawebpy clear stale locks (kill_stale) before starting."
        )
    elif isinstance(exc, SessionNotCreatedException) or "chrome failed to start" in low:
        hint = (
            f"Chrome at {browser} exited during start: {detail}. Common causes: no sandbox "
            "support in a container (pass BrowserOptions(extra_args=('--no-sandbox',))), "
            "headless=False without a display, or a full disk."
        )
    else:
        hint = f"chromedriver {driver_path} could not start Chrome at {browser}: {detail}"
    return BrowserStartError(hint)


# -- stale profiles ----------------------------------------------------------------------------


def _uses_profile(argv: list[str], profile: str) -> bool:
    """True if ``argv`` passes ``--user-data-dir`` resolving to ``profile``.

    Chrome's helpers rewrite their title, so /proc may show the whole command line as one
    space-separated string; then the value runs to the next `` --``.
    """
    flag = "--user-data-dir="
    for arg in argv:
        start = arg.find(flag)
        while start >= 0:
            if start == 0 or arg[start - 1] == " ":
                value = arg[start + len(flag) :]
                if len(argv) == 1:
                    value = value.split(" --", 1)[0]
                if value and os.path.realpath(value) == profile:
                    return True
            start = arg.find(flag, start + 1)
    return False


def kill_stale(profile_dir: str | os.PathLike[str]) -> tuple[int, ...]:
    """Kill leftover Chrome processes on ``profile_dir`` and clear its stale lock files.

    Called before a launch that reuses a profile: a previous run that died without quitting
    leaves Chrome running (or its ``Singleton*`` locks behind), and Chrome then refuses the
    profile. Browsers launched and still tracked by this process are left alone.
    Returns the pids that were signalled.
    """
    profile = os.path.realpath(profile_dir)
    ours: set[int] = set()
    with _LIVE_LOCK:
        live = list(_LIVE)
    for browser in live:
        ours |= browser.pids()
    stats = {s.pid: s for s in _procs.iter_stats() if not s.zombie}
    victims: dict[int, int] = {}
    for pid, st in stats.items():
        if pid in ours or pid == os.getpid():
            continue
        if _uses_profile(_procs.cmdline(pid), profile):
            victims[pid] = st.starttime
            parent = stats.get(st.ppid)
            # An orphaned chromedriver would otherwise wait forever for its dead Chrome.
            if parent is not None and parent.pid not in ours and "chromedriver" in parent.comm:
                victims[parent.pid] = parent.starttime
    for pid in _procs.descendants(set(victims), stats.values()):
        if pid in stats and pid not in ours:
            victims[pid] = stats[pid].starttime
    if victims:
        log.info("killing %d stale Chrome process(es) on profile %s", len(victims), profile)
        _procs.signal_all(victims, signal.SIGTERM)
        left = _procs.wait_gone(victims, time.monotonic() + _TERM_GRACE)
        if left:
            _procs.signal_all(left, signal.SIGKILL)
            _procs.wait_gone(left, time.monotonic() + _KILL_WAIT)
    _clear_stale_locks(Path(profile))
    return tuple(sorted(victims))


def _clear_stale_locks(profile: Path) -> None:
    lock = profile / "SingletonLock"
    try:
        target = os.readlink(lock)
    except FileNotFoundError:
        target = None
    except OSError:
        target = ""  # a regular file where Chrome expects a symlink: not Chrome's, stale
    if target is not None:
        host, _, pid_text = target.rpartition("-")
        owner = int(pid_text) if pid_text.isdigit() else 0
        if host == socket.gethostname() and owner and _procs.is_running(owner):
            if _uses_profile(_procs.cmdline(owner), str(profile)):
                log.debug("profile lock %s is held by running pid %d; keeping it", lock, owner)
                return
        elif host and host != socket.gethostname():
            log.warning("removing profile lock of another host (%s) on %s", host, profile)
    for name in _PROFILE_LOCKS:
        path = profile / name
        if path.is_symlink() or path.exists():
            with contextlib.suppress(OSError):
                path.unlink()
                log.debug("removed stale %s", path)
