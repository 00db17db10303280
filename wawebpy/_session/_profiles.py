"""Private temporary Chrome profiles: created 0700 (on tmpfs where it has room), owned through
a lock file, wiped on close, and swept at the next start when their process died.

Layout: ``<base>/wawebpy-<uid>/run-<random>/{owner.lock, profile/, snap-*/}``. The owner
holds an exclusive ``flock`` on ``owner.lock`` for the run's lifetime; the kernel drops it
when the process dies (even by SIGKILL), so a lock that can be taken means a stale run.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Final

from ..errors import SessionError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["RunDir", "default_base", "make_private_dirs", "sweep_stale", "wipe"]

logger = logging.getLogger(__name__)

_SHM: Final = Path("/dev/shm")  # noqa: S108 - only a base; our folder in it is 0700 and checked
_SHM_MIN_FREE: Final = 1 << 30  # Docker's default /dev/shm is 64 MiB: too small for Chrome
_STALE_WITHOUT_LOCK: Final = 600.0


def make_private_dirs(path: Path) -> None:
    """``mkdir -p`` where every folder it creates is 0700 (``Path.mkdir`` leaves parents 0755)."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue


def default_base() -> Path:
    """tmpfs (``_SHM``) when it is writable with 1 GiB free; else the system temp dir."""
    try:
        if _SHM.is_dir() and os.access(_SHM, os.W_OK | os.X_OK):
            st = os.statvfs(_SHM)
            if st.f_bavail * st.f_frsize >= _SHM_MIN_FREE:
                return _SHM
    except (OSError, AttributeError):
        pass
    return Path(tempfile.gettempdir())


def _private_root(base: Path) -> tuple[Path, bool]:
    """``<base>/wawebpy-<uid>``, 0700 and ours, or a fresh mkdtemp (True) if it is not."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    root = base / f"wawebpy-{uid}"
    try:
        root.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(root)
        if hasattr(os, "getuid") and (
            st.st_uid != os.getuid()
            or (st.st_mode & 0o077)
            or not os.path.isdir(root)
            or os.path.islink(root)
        ):
            logger.warning("%s is not a private directory of this user; not using it", root)
            return Path(tempfile.mkdtemp(prefix="wawebpy-", dir=base)), True
    except OSError as exc:
        raise SessionError(
            f"cannot create a private temporary directory under {base}: {exc.strerror}; "
            "pass temp_dir= to the auth strategy"
        ) from exc
    return root, False


def wipe(path: Path) -> bool:
    """Remove ``path`` completely, retrying briefly (a quitting Chrome may still write)."""
    for attempt in range(5):
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            return True
        time.sleep(0.05 * (attempt + 1))
    logger.warning("could not remove every file under %s", path)
    return False


def _owner_alive(run: Path) -> bool:
    lock = run / "owner.lock"
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        try:
            age = time.time() - os.lstat(run).st_mtime
        except FileNotFoundError:
            return True
        return age < _STALE_WITHOUT_LOCK  # a run being created right now has no lock yet
    except OSError:
        return True
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            return False
        return True  # without flock (Windows) a dead owner cannot be told apart safely
    finally:
        os.close(fd)


def sweep_stale(base: Path | None = None) -> int:
    """Remove runs whose owning process is gone. Returns how many were removed."""
    root = (base or default_base()) / (
        f"wawebpy-{os.getuid()}" if hasattr(os, "getuid") else "wawebpy-0"
    )
    removed = 0
    try:
        runs = [p for p in root.iterdir() if p.name.startswith("run-")]
    except OSError:
        return 0
    for run in runs:
        if not _owner_alive(run):
            logger.info("removing a temporary profile left by a crashed run: %s", run)
            if wipe(run):
                removed += 1
    return removed


class RunDir:
    """One private temporary profile, locked while this process lives."""

    def __init__(self, base: Path | None = None) -> None:
        base = Path(base) if base is not None else default_base()
        root, self._own_root = _private_root(base)
        self._fd = -1
        try:
            self.path = Path(tempfile.mkdtemp(prefix="run-", dir=root))
        except OSError as exc:
            raise SessionError(
                f"cannot create a private temporary profile under {root}: {exc.strerror}; "
                "pass temp_dir= to the auth strategy"
            ) from exc
        self.profile = self.path / "profile"
        try:
            # Lock first, then give the file its name: a sweeper never sees an unlocked lock.
            pending = self.path / "owner.lock.new"
            self._fd = os.open(pending, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            if fcntl is not None:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.write(self._fd, json.dumps({"pid": os.getpid(), "created": time.time()}).encode())
            os.replace(pending, self.path / "owner.lock")
            self.profile.mkdir(mode=0o700)
        except OSError as exc:
            self.close()
            raise SessionError(
                f"cannot create a private temporary profile under {root}: {exc.strerror}; "
                "pass temp_dir= to the auth strategy"
            ) from exc

    def staging(self) -> Path:
        """A fresh path beside the profile (same file system, so hard links work)."""
        return self.path / f"snap-{secrets.token_hex(6)}"

    def close(self) -> bool:
        """Wipe everything and release the lock; True if nothing remains."""
        ok = wipe(self.path)
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        if not ok:
            ok = wipe(self.path)
        if self._own_root:
            with contextlib.suppress(OSError):
                self.path.parent.rmdir()
        return ok

    def __repr__(self) -> str:
        return f"RunDir({str(self.path)!r})"
