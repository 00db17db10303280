"""The package as users install it: the built wheel (not the work tree) in a fresh venv.

A file missing from the wheel (bridge JS, the fake page) fails ``python -m wawebpy demo`` here.
scripts/check.sh builds the wheel once and passes it in $WAWEBPY_TEST_WHEEL; run alone, the
test builds its own. Dependencies come from pip's usual indexes and cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheel = os.environ.get("WAWEBPY_TEST_WHEEL")
    if not wheel:
        out = tmp_path_factory.mktemp("dist")
        subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
            check=True, capture_output=True,
        )  # fmt: skip
        wheel = str(next(out.glob("*.whl")))
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel],
        check=True,
    )
    return python


def test_demo_runs_from_the_installed_wheel(wheel_venv: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [str(wheel_venv), "-m", "wawebpy", "demo"],
        cwd=tmp_path,  # not the work tree: nothing may come from it
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "demo finished" in proc.stdout
    where = subprocess.run(
        [str(wheel_venv), "-c", "import wawebpy; print(wawebpy.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert where.startswith(str(wheel_venv.parent.parent)), where


OFFLINE_START = """
import sys
from wawebpy import Client
from wawebpy._transport import _driver
from wawebpy.errors import DriverNotFoundError
_driver._DRIVER_PATHS = ()  # this machine has /usr/bin/chromedriver; the user's has none
try:
    Client().start()
except DriverNotFoundError as exc:
    print("\\n".join(exc.tried))
    print("MESSAGE", exc)
    sys.exit(3)
"""


def test_offline_start_without_driver_raises_the_typed_error(
    wheel_venv: Path, tmp_path: Path
) -> None:
    """Fresh venv, wheel only, no chromedriver on PATH, no network: a typed error naming every
    step. Only the browser is on PATH; all HTTP(S) goes to a closed port."""
    browser = shutil.which("chromium") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no Chromium on this machine")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "chromium").symlink_to(browser)
    env = {
        "PATH": str(bin_dir),
        "HOME": str(tmp_path),  # empty Selenium Manager / webdriver-manager caches
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "LANG": "C.UTF-8",
    }
    proc = subprocess.run(
        [str(wheel_venv), "-c", OFFLINE_START], cwd=tmp_path, env=env,
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 3, proc.stdout + proc.stderr
    tried = proc.stdout.split("MESSAGE", 1)[0].splitlines()
    assert tried[0] == "chromedriver on PATH"
    assert tried[1].startswith("Selenium Manager (offline, cache only): no driver in its cache")
    assert tried[2].startswith("webdriver-manager: skipped, no network")
    assert "apt-get install chromium-driver" in proc.stdout
