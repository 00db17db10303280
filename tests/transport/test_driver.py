"""Launching and killing real Chromium: the process tree must never outlive quit().

Launches are few (each costs about a second); everything else is checked without a browser.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wawebpy._transport import _driver, _procs
from wawebpy._transport._driver import BrowserOptions, LaunchedBrowser, attach, kill_stale, launch
from wawebpy.errors import (
    BrowserNotFoundError,
    BrowserStartError,
    DriverNotFoundError,
    InvalidInputError,
)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
REPO = Path(__file__).resolve().parents[2]

needs_chromium = pytest.mark.skipif(
    not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)),
    reason="needs /usr/bin/chromium and /usr/bin/chromedriver",
)


def running(pids: set[int] | frozenset[int]) -> list[int]:
    return sorted(pid for pid in pids if _procs.is_running(pid))


def wait_until(cond: Any, timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def comm(pid: int) -> str:
    st = _procs.read_stat(pid)
    return st.comm if st is not None else ""


def main_chrome(pids: frozenset[int]) -> int:
    """The browser process: the child of chromedriver."""
    (driver,) = [pid for pid in pids if comm(pid) == "chromedriver"]
    (chrome,) = [pid for pid in pids if (st := _procs.read_stat(pid)) and st.ppid == driver]
    return chrome


def our_children() -> set[int]:
    """Running processes below this test process (a start failure must leave none)."""
    return {pid for pid in _procs.descendants({os.getpid()}) if _procs.is_running(pid)}


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[LaunchedBrowser]:
    launched = launch(BrowserOptions(binary=CHROMIUM, driver_path=CHROMEDRIVER), tmp_path / "p")
    try:
        yield launched
    finally:
        launched.quit()


# -- with a browser ----------------------------------------------------------------------------


@needs_chromium
def test_launch_load_debugger_and_quit_leaves_nothing(
    browser: LaunchedBrowser, static_site: str
) -> None:
    browser.driver.get(static_site)
    assert browser.driver.find_element("id", "x").text == "hello"
    ua = browser.driver.execute_script("return navigator.userAgent")
    assert "HeadlessChrome" not in ua
    assert ua == _driver.DEFAULT_USER_AGENT
    assert browser.driver.execute_script("return navigator.webdriver") is False

    assert browser.debugger_address
    with urllib.request.urlopen(f"http://{browser.debugger_address}/json/version", timeout=5) as r:
        version = json.load(r)
    assert version["webSocketDebuggerUrl"].startswith("ws://")

    pids = browser.pids()
    assert "chromedriver" in {comm(pid) for pid in pids}
    assert len(pids) >= 3  # chromedriver, the browser and at least one helper

    browser.quit()
    assert browser.closed
    assert running(pids) == []
    browser.quit()  # idempotent
    assert browser.pids() == frozenset()


@needs_chromium
def test_quit_after_browser_was_sigkilled(browser: LaunchedBrowser) -> None:
    pids = browser.pids()
    chrome = main_chrome(pids)
    os.kill(chrome, signal.SIGKILL)
    wait_until(lambda: not _procs.is_running(chrome), what="Chrome to die")

    browser.quit(timeout=5.0)
    assert running(pids) == []
    browser.quit()


@needs_chromium
def test_quit_with_a_frozen_chromedriver_kills_the_tree(browser: LaunchedBrowser) -> None:
    pids = browser.pids()
    driver_pid = next(p for p in pids if comm(p) == "chromedriver")
    os.kill(driver_pid, signal.SIGSTOP)  # driver.quit() now blocks on an unanswered request
    browser.quit(timeout=0.5)
    assert running(pids) == []


@needs_chromium
def test_program_that_forgets_quit_leaves_no_chrome(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import json
        from pathlib import Path
        from wawebpy._transport._driver import BrowserOptions, launch
        b = launch(BrowserOptions(binary={CHROMIUM!r}), Path({str(tmp_path / "p")!r}))
        b.driver.get("data:text/html,<p>hi</p>")
        print(json.dumps(sorted(b.pids())), flush=True)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    pids = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert len(pids) >= 3
    assert running(pids) == []


@needs_chromium
def test_failed_start_maps_to_browser_start_error_and_leaves_nothing(tmp_path: Path) -> None:
    fake_chrome = tmp_path / "chrome"
    fake_chrome.write_text("#!/bin/sh\necho 'no display' >&2\nexit 1\n")
    fake_chrome.chmod(0o755)
    before = our_children()
    with pytest.raises(BrowserStartError) as info:
        launch(BrowserOptions(binary=fake_chrome, driver_path=CHROMEDRIVER), tmp_path / "p")
    assert str(fake_chrome) in str(info.value)
    assert isinstance(info.value.__cause__, Exception)
    wait_until(lambda: our_children() <= before, what="no leftover children")


@needs_chromium
def test_kill_stale_kills_an_orphan_chrome_and_clears_its_locks(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    orphan = subprocess.Popen(
        [
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        lock = profile / "SingletonLock"
        wait_until(lock.is_symlink, what="Chrome to lock its profile")
        users = {
            pid for pid in [orphan.pid, *_procs.descendants({orphan.pid})] if _procs.is_running(pid)
        }
        killed = kill_stale(profile)
        assert users <= set(killed)
        assert running(users) == []
        assert not lock.is_symlink()
    finally:
        orphan.kill()
        orphan.wait()


# -- without a browser -------------------------------------------------------------------------


@pytest.fixture
def no_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to start a process fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"a process was started: {args[:1]}")

    monkeypatch.setattr(subprocess, "Popen", refuse)


def test_missing_browser_raises_before_any_process(tmp_path: Path, no_processes: None) -> None:
    with pytest.raises(BrowserNotFoundError) as info:
        launch(BrowserOptions(binary="/nonexistent/chrome"), tmp_path / "p")
    assert "/nonexistent/chrome" in str(info.value)
    assert info.value.tried


def test_browser_search_names_what_it_tried(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(_driver, "_BROWSER_PATHS", ("/nonexistent/chrome",))
    with pytest.raises(BrowserNotFoundError) as info:
        _driver.find_browser()
    assert "google-chrome on PATH" in info.value.tried
    assert "/nonexistent/chrome" in info.value.tried
    assert "BrowserOptions(binary=" in str(info.value)


def test_explicit_driver_path_is_the_only_candidate(tmp_path: Path, no_processes: None) -> None:
    options = BrowserOptions(binary=sys.executable, driver_path="/nonexistent")
    with pytest.raises(DriverNotFoundError) as info:
        launch(options, tmp_path / "p")
    assert "/nonexistent" in str(info.value)


def test_missing_driver_names_every_provider(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, no_processes: None
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("SE_CHROMEDRIVER", raising=False)
    monkeypatch.setenv("SE_MANAGER_PATH", "/nonexistent/selenium-manager")
    monkeypatch.setattr(_driver, "_DRIVER_PATHS", ("/nonexistent/chromedriver",))
    monkeypatch.setitem(sys.modules, "webdriver_manager", None)  # import fails
    monkeypatch.setitem(sys.modules, "webdriver_manager.chrome", None)
    with pytest.raises(DriverNotFoundError) as info:
        launch(BrowserOptions(binary=sys.executable), tmp_path / "p")
    message = str(info.value)
    for part in (
        "chromedriver on PATH",
        "/nonexistent/chromedriver",
        "Selenium Manager",
        "webdriver-manager",
        "apt-get install chromium-driver",
        "driver_path=",
    ):
        assert part in message
    assert len(info.value.tried) == 4


def test_selenium_manager_failure_counts_as_tried(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    manager = tmp_path / "selenium-manager"
    manager.write_text('#!/bin/sh\necho \'{"logs":[],"result":{"message":"offline"}}\'\nexit 65\n')
    manager.chmod(0o755)
    monkeypatch.setenv("SE_MANAGER_PATH", str(manager))
    path, note = _driver._from_selenium_manager(CHROMIUM)
    assert path is None
    assert note == "Selenium Manager: offline"


def test_chrome_arguments() -> None:
    options = BrowserOptions(proxy="socks5://127.0.0.1:9", extra_args=("--lang=de",))
    args = _driver.chrome_arguments(options, Path("/tmp/prof"))
    assert "--headless=new" in args
    assert "--disable-blink-features=AutomationControlled" in args
    assert f"--user-agent={_driver.DEFAULT_USER_AGENT}" in args
    assert "--proxy-server=socks5://127.0.0.1:9" in args
    assert "--user-data-dir=/tmp/prof" in args
    assert "--window-size=1280,900" in args
    assert args[-1] == "--lang=de"
    assert ("--no-sandbox" in args) == (os.geteuid() == 0)
    assert "HeadlessChrome" not in _driver.DEFAULT_USER_AGENT

    plain = _driver.chrome_arguments(
        BrowserOptions(headless=False, user_agent=None, lean=False), Path("/tmp/prof")
    )
    assert "--headless=new" not in plain
    assert not any(a.startswith(("--user-agent=", "--disable-features=")) for a in plain)


def test_options_are_validated_early() -> None:
    with pytest.raises(InvalidInputError, match="extra_args"):
        BrowserOptions(extra_args="--no-sandbox")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="window_size"):
        BrowserOptions(window_size=(0, 900))
    with pytest.raises(InvalidInputError, match="page_load_timeout"):
        BrowserOptions(page_load_timeout=0)
    listed = BrowserOptions(extra_args=["--lang=de"])  # type: ignore[arg-type]
    assert listed.extra_args == ("--lang=de",)
    assert hash(listed) == hash(BrowserOptions(extra_args=("--lang=de",)))


class FakeDriver:
    def __init__(self, caps: dict[str, Any], hang: threading.Event | None = None) -> None:
        self.capabilities = caps
        self.hang = hang
        self.quits = 0

    def quit(self) -> None:
        self.quits += 1
        if self.hang is not None:
            self.hang.wait()


def test_attach_exposes_debugger_grid_cdp_and_bidi_and_quits_once() -> None:
    driver = FakeDriver(
        {
            "goog:chromeOptions": {"debuggerAddress": "localhost:9222"},
            "se:cdp": "ws://grid:4444/session/abc/se/cdp",
            "webSocketUrl": "ws://grid:4444/session/abc/se/bidi",
        }
    )
    wrapped = attach(driver)  # type: ignore[arg-type]
    assert wrapped.debugger_address == "127.0.0.1:9222"
    assert wrapped.cdp_url == "ws://grid:4444/session/abc/se/cdp"
    assert wrapped.bidi_url == "ws://grid:4444/session/abc/se/bidi"
    assert wrapped.pids() == frozenset()
    wrapped.quit()
    wrapped.quit()
    assert driver.quits == 1


def test_attach_quit_does_not_hang_on_a_stuck_driver() -> None:
    release = threading.Event()
    driver = FakeDriver({}, hang=release)
    wrapped = attach(driver)  # type: ignore[arg-type]
    assert wrapped.debugger_address is None
    try:
        wrapped.quit(timeout=0.1)
        assert wrapped.closed
    finally:
        release.set()


def test_kill_stale_removes_a_stale_singleton_lock(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    profile = tmp_path / "p"
    profile.mkdir()
    (profile / "SingletonLock").symlink_to(f"{socket.gethostname()}-{dead.pid}")
    (profile / "SingletonCookie").symlink_to("123456789")
    (profile / "SingletonSocket").symlink_to("/tmp/.org.chromium.Chromium.gone/SingletonSocket")
    (profile / "Default").mkdir()

    assert kill_stale(profile) == ()
    assert sorted(p.name for p in profile.iterdir()) == ["Default"]


def test_profile_match_reads_rewritten_command_lines(tmp_path: Path) -> None:
    profile = str(tmp_path / "my profile")
    real = os.path.realpath(profile)
    argv = ["/usr/lib/chromium/chromium", f"--user-data-dir={profile}", "--headless=new"]
    assert _driver._uses_profile(argv, real)
    # Helpers set their title: one string, spaces instead of NULs.
    assert _driver._uses_profile([" ".join(argv)], real)
    assert not _driver._uses_profile([f"/chrome --user-data-dir={profile}x --headless=new"], real)
    assert not _driver._uses_profile([f"--user-data-dir={profile}2"], real)
    assert not _driver._uses_profile(["--no-user-data-dir=" + profile], real)


def test_kill_stale_treats_a_recycled_owner_pid_as_stale(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    profile.mkdir()
    # The lock names a running process that is not a Chrome on this profile: this test.
    (profile / "SingletonLock").symlink_to(f"{socket.gethostname()}-{os.getpid()}")
    assert kill_stale(profile) == ()
    assert not (profile / "SingletonLock").is_symlink()


def test_resolve_driver_says_which_step_found_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = tmp_path / "chromedriver"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.delenv("SE_CHROMEDRIVER", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert _driver.resolve_driver(BrowserOptions(), CHROMIUM) == _driver.DriverLocation(
        str(fake), "PATH"
    )
    assert _driver.resolve_driver(BrowserOptions(driver_path=fake), CHROMIUM).step == "driver_path"


def test_offline_skips_downloads_and_names_each_step(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No driver anywhere and no network (every HTTPS request goes to a closed port): Selenium
    Manager only looks in its (empty) cache, webdriver-manager is not even asked."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))  # Selenium Manager's cache: ~/.cache/selenium
    monkeypatch.delenv("SE_CHROMEDRIVER", raising=False)
    monkeypatch.delenv("SE_CACHE_PATH", raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setattr(_driver, "_DRIVER_PATHS", ("/nonexistent/chromedriver",))
    seen: list[list[str]] = []
    real_run = subprocess.run

    def spy_run(args: list[str], **kw: Any) -> Any:
        seen.append(list(args))
        return real_run(args, **kw)

    monkeypatch.setattr(_driver.subprocess, "run", spy_run)
    monkeypatch.setattr(
        _driver, "_from_webdriver_manager", lambda browser: pytest.fail("tried to download")
    )
    with pytest.raises(DriverNotFoundError) as info:
        _driver.resolve_driver(BrowserOptions(), CHROMIUM)
    assert [a for a in seen if "--offline" in a], "Selenium Manager ran without --offline"
    tried = info.value.tried
    assert tried[0] == "chromedriver on PATH"
    assert tried[2].startswith("Selenium Manager (offline, cache only): ")
    assert tried[3].startswith("webdriver-manager: skipped, no network (the HTTPS proxy")
    assert "apt-get install chromium-driver" in str(info.value)


def test_selenium_offline_flag_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SE_OFFLINE", "true")
    assert _driver._offline_reason() == "offline ($SE_OFFLINE=true)"
