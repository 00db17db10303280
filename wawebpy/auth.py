"""How a Client logs in and where the login is kept between runs.

Pass one strategy as ``Client(auth=...)``:

- :class:`EncryptedAuth` (recommended): Chrome runs on a private temporary profile; the part
  of it that holds the login is sealed (AES-256-GCM) into a :class:`SessionStore` and
  unsealed into a fresh temporary profile at the next start. No plaintext login stays on disk.
- :class:`LocalAuth`: a persistent plaintext Chrome profile folder (like whatsapp-web.js).
- :class:`NoAuth`: a throwaway profile; every run needs a QR scan.

The Client decides *when* (see ``docs/architecture.md``, "Contract: Client ↔ auth strategy");
the strategy owns the profile folder and the store. ``docs/sessions.md`` is the user guide.
"""

from __future__ import annotations

import abc
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from ._session._container import SnapshotCounter, iter_snapshot, restore
from ._session._format import check_session_id, reseal, seal, unseal
from ._session._kdf import Argon2idParams, KdfParams, ScryptParams
from ._session._profiles import RunDir, make_private_dirs, sweep_stale, wipe
from ._session._secrets import Passphrase, SessionKey
from ._session._stores import FileSessionStore, SessionStore, SQLiteSessionStore
from ._session._streams import iter_reader
from .errors import ClientStateError, InvalidInputError, NotReadyError, SessionNotFoundError

__all__ = [
    "Argon2idParams",
    "AuthStrategy",
    "EncryptedAuth",
    "FileSessionStore",
    "LocalAuth",
    "NoAuth",
    "Passphrase",
    "SQLiteSessionStore",
    "ScryptParams",
    "SessionKey",
    "SessionStore",
    "rekey",
]

logger = logging.getLogger(__name__)

_DEFAULT_SESSION: Final = "default"


class AuthStrategy(abc.ABC):
    """What the Client calls around Chrome's lifetime; subclass it for a custom strategy.

    Order per run: ``prepare()`` → Chrome starts on the returned folder → ``after_ready()``
    each time Ready is reached → ``save()`` on ``client.save_session()`` and every
    ``autosave_interval`` seconds while Ready → Chrome quits → ``after_close()`` exactly once
    per ``prepare()``, even when the start failed. ``after_logout()`` when the device is
    unlinked.
    """

    #: Seconds between periodic ``save()`` calls while Ready; ``None`` for never.
    autosave_interval: float | None = None

    @abc.abstractmethod
    def prepare(self) -> Path:
        """Before Chrome starts: return the folder to pass as ``--user-data-dir``."""

    def after_ready(self, profile: Path) -> None:  # noqa: B027 - optional hook
        """Each time Ready is reached: the profile now holds a working login."""

    def save(self, profile: Path) -> None:  # noqa: B027 - optional hook
        """On ``client.save_session()`` and on the periodic timer, while Chrome runs."""

    @abc.abstractmethod
    def after_close(self, profile: Path) -> None:
        """Chrome has quit: store what must be kept, then remove temporary folders."""

    def after_logout(self, profile: Path) -> None:  # noqa: B027 - optional hook
        """The device was unlinked: drop the stored login (a QR scan is needed next time)."""


class NoAuth(AuthStrategy):
    """A fresh private temporary profile per run, wiped on close: a QR scan every time.

    The profile lives in a 0700 folder on tmpfs (``/dev/shm``) where it has room, else in
    the system temp dir, or under ``temp_dir`` if given.
    """

    autosave_interval = None

    def __init__(self, *, temp_dir: str | os.PathLike[str] | None = None) -> None:
        self._temp_base = Path(temp_dir) if temp_dir is not None else None
        self._run: RunDir | None = None
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return "NoAuth()"

    def prepare(self) -> Path:
        """Sweep profiles of crashed runs and return a fresh, empty private profile."""
        with self._lock:
            if self._run is not None:
                logger.warning("prepare() again before after_close(); wiping the old profile")
                self._run.close()
            sweep_stale(self._temp_base)
            self._run = RunDir(self._temp_base)
            return self._run.profile

    def after_close(self, profile: Path) -> None:
        """Wipe the temporary profile."""
        with self._lock:
            if self._run is not None:
                self._run.close()
                self._run = None


class LocalAuth(AuthStrategy):
    """A persistent Chrome profile at ``<path>/session-<session_id>`` (whatsapp-web.js style).

    .. warning::
       The folder holds your WhatsApp login **in plaintext**: anyone who can read it (a backup,
       a shared volume, a stolen laptop) can use your account without a QR scan. Prefer
       :class:`EncryptedAuth`. The folder is created 0700; keep it off synced or shared storage.
    """

    autosave_interval = None

    def __init__(
        self, path: str | os.PathLike[str] = ".wawebpy_auth", session_id: str = _DEFAULT_SESSION
    ) -> None:
        self.session_id = check_session_id(session_id)
        self._profile = Path(path) / f"session-{session_id}"
        self._logged_out = False

    def __repr__(self) -> str:
        return f"LocalAuth({str(self._profile.parent)!r}, session_id={self.session_id!r})"

    @property
    def profile(self) -> Path:
        """The persistent profile folder, ``<path>/session-<session_id>``."""
        return self._profile

    def prepare(self) -> Path:
        """Create the folder (0700) if needed, tighten it if others can read it, return it."""
        self._logged_out = False
        make_private_dirs(self._profile)
        if os.name == "posix" and self._profile.stat().st_mode & 0o077:
            logger.warning("%s was readable by others; setting it to 0700", self._profile)
            self._profile.chmod(0o700)
        return self._profile

    def after_close(self, profile: Path) -> None:
        """Keep the profile, unless the device was logged out: then remove it."""
        if self._logged_out:
            wipe(self._profile)

    def after_logout(self, profile: Path) -> None:
        """Remove the profile folder (the login is gone anyway)."""
        # Chrome may still hold files open; after_close() removes what is left.
        self._logged_out = True
        wipe(self._profile)
        logger.info("logged out: removed the local profile of session %r", self.session_id)


_SQLITE_SUFFIXES: Final = (".db", ".sqlite", ".sqlite3")


def _as_store(store: SessionStore | str | os.PathLike[str]) -> SessionStore:
    """A path ending in .db/.sqlite/.sqlite3 is a SQLiteSessionStore, any other a directory."""
    if isinstance(store, (str, os.PathLike)):
        if os.fspath(store).lower().endswith(_SQLITE_SUFFIXES):
            return SQLiteSessionStore(store)
        return FileSessionStore(store)
    if not isinstance(store, SessionStore):
        raise TypeError(
            f"store must be a SessionStore or a directory path, not {type(store).__name__}"
        )
    return store


def _as_secret(value: Passphrase | SessionKey | str | bytes) -> Passphrase | SessionKey:
    """``str`` is a passphrase, ``bytes`` a raw 32-byte key."""
    if isinstance(value, (Passphrase, SessionKey)):
        return value
    if isinstance(value, str):
        return Passphrase(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return SessionKey(bytes(value))
    raise TypeError(
        "a secret is a Passphrase, a SessionKey, str (passphrase) or bytes (32-byte key), "
        f"not {type(value).__name__}"
    )


def _counted(chunks: Iterator[bytes], counter: list[int]) -> Iterator[bytes]:
    for chunk in chunks:
        counter[0] += len(chunk)
        yield chunk


class EncryptedAuth(AuthStrategy):
    """The login sealed with AES-256-GCM in a :class:`SessionStore`; the recommended strategy.

    Chrome runs on a private temporary profile (0700, on tmpfs where available). The folders
    that hold the login (``Default/IndexedDB``, ``Default/Local Storage``, cookies) are
    compressed and sealed into ``store`` after Ready, every ``autosave_interval`` seconds, on
    ``client.save_session()`` and after Chrome quits; ``prepare()`` unseals them into a fresh
    temporary profile, so a restart needs no QR scan and no plaintext login outlives the run.

    Give exactly one secret: ``passphrase=`` (stretched with Argon2id, parameters in ``kdf``)
    or ``key=`` (32 random bytes, e.g. ``SessionKey.from_env("WAWEBPY_KEY")``). ``store`` may
    be a path: ``*.db``, ``*.sqlite`` or ``*.sqlite3`` means ``SQLiteSessionStore(path)``,
    anything else ``FileSessionStore(path)`` (a directory).

    ``prepare()`` raises ``SessionDecryptError`` / ``SessionFormatError`` instead of starting
    over when a stored session cannot be opened, so a wrong passphrase never replaces a good
    session with an empty one.
    """

    #: Seconds ``after_ready()`` waits before its save, so Chrome has committed localStorage.
    ready_save_delay: float = 10.0

    def __init__(
        self,
        store: SessionStore | str | os.PathLike[str],
        *,
        key: SessionKey | bytes | None = None,
        passphrase: Passphrase | str | None = None,
        session_id: str = _DEFAULT_SESSION,
        autosave_interval: float | None = 300.0,
        kdf: KdfParams | None = None,
        temp_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        if (key is None) == (passphrase is None):
            raise InvalidInputError("EncryptedAuth needs exactly one of key= or passphrase=")
        if key is not None:
            if isinstance(key, str):
                raise TypeError("key= takes 32 bytes or a SessionKey; for text use passphrase=")
            self._secret: Passphrase | SessionKey = _as_secret(key)
            if kdf is not None:
                raise InvalidInputError("kdf= applies to passphrases only; a key uses HKDF")
        else:
            assert passphrase is not None
            if isinstance(passphrase, (bytes, bytearray)):
                passphrase = Passphrase(passphrase)
            self._secret = _as_secret(passphrase)
        if autosave_interval is not None and not autosave_interval > 0:
            raise InvalidInputError("autosave_interval must be positive seconds, or None")
        self._store = _as_store(store)
        self.session_id = check_session_id(session_id)
        self.autosave_interval = autosave_interval
        self._kdf = kdf
        self._temp_base = Path(temp_dir) if temp_dir is not None else None
        self._lock = threading.RLock()
        self._run: RunDir | None = None
        self._closing = threading.Event()
        self._ready = False
        self._logged_out = False
        self._restored = False

    def __repr__(self) -> str:
        kind = "key" if isinstance(getattr(self, "_secret", None), SessionKey) else "passphrase"
        return (
            f"EncryptedAuth({getattr(self, '_store', None)!r}, "
            f"session_id={getattr(self, 'session_id', None)!r}, {kind}=<redacted>, "
            f"autosave_interval={getattr(self, 'autosave_interval', None)!r})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("EncryptedAuth holds a secret and cannot be pickled")

    @property
    def store(self) -> SessionStore:
        """Where the sealed session lives."""
        return self._store

    @property
    def restored(self) -> bool:
        """Whether the last ``prepare()`` unsealed a stored session (else a QR is needed)."""
        return self._restored

    def prepare(self) -> Path:
        """Sweep stale profiles; make a fresh private one; unseal the stored session into it.

        Raises ``SessionDecryptError`` / ``SessionFormatError`` (leaving the store untouched
        and no temporary files behind) when the stored session cannot be opened.
        """
        with self._lock:
            if self._run is not None:
                logger.warning("prepare() again before after_close(); wiping the old profile")
                self._finish()
            sweep_stale(self._temp_base)
            run = RunDir(self._temp_base)
            try:
                self._restored = self._restore_into(run.profile)
            except BaseException:
                run.close()
                raise
            self._run = run
            self._closing = threading.Event()
            self._ready = False
            self._logged_out = False
            return run.profile

    def _restore_into(self, profile: Path) -> bool:
        sid = self.session_id
        if not self._store.exists(sid):
            logger.info("no stored session %r yet: WhatsApp will ask for a QR scan", sid)
            return False
        started = time.monotonic()
        try:
            stream = self._store.load(sid)
        except SessionNotFoundError:
            logger.info("stored session %r vanished: WhatsApp will ask for a QR scan", sid)
            return False
        with stream:
            header, payload = unseal(stream, self._secret, sid)
            stats = restore(payload, profile)
        logger.info(
            "restored session %r sealed at %s: %d files, %d bytes in %.2fs",
            sid,
            header.sealed_at_datetime.isoformat(timespec="seconds"),
            stats.files,
            stats.bytes,
            time.monotonic() - started,
        )
        return True

    def _save(self, profile: Path, *, live: bool) -> None:
        started = time.monotonic()
        counter = SnapshotCounter()
        sealed = [0]
        staging = self._run.staging() if live and self._run is not None else None
        payload = iter_snapshot(profile, staging=staging, counter=counter)
        chunks = seal(payload, secret=self._secret, session_id=self.session_id, kdf=self._kdf)
        with iter_reader(_counted(chunks, sealed)) as data:
            self._store.save(self.session_id, data)
        logger.info(
            "saved session %r: %d files, %d bytes, sealed to %d bytes in %.2fs%s",
            self.session_id,
            counter.files,
            counter.bytes,
            sealed[0],
            time.monotonic() - started,
            " (live)" if live else "",
        )
        if counter.vanished:
            logger.debug("%d profile files vanished while being saved", counter.vanished)

    def _is_current(self, profile: Path) -> bool:
        # The Client runs after_ready() on its own thread; it may arrive after after_close().
        return self._run is not None and Path(profile) == self._run.profile

    def after_ready(self, profile: Path) -> None:
        """Mark the login as worth keeping, wait ``ready_save_delay``, then save it live.

        The wait lets Chrome commit localStorage (it batches writes for about 5 s); the Client
        runs this on its own thread, and ``after_close()`` cuts the wait short (it saves then).
        """
        with self._lock:
            if not self._is_current(profile):
                logger.debug("after_ready() for a profile that is already closed; ignored")
                return
            self._ready = True
            self._logged_out = False
            closing = self._closing
        if self.ready_save_delay > 0 and closing.wait(self.ready_save_delay):
            return
        with self._lock:
            if self._is_current(profile) and self._ready and not self._logged_out:
                self._save(profile, live=True)

    def save(self, profile: Path) -> None:
        """Seal a live snapshot into the store; ``NotReadyError`` before Ready."""
        with self._lock:
            if self._logged_out:
                logger.debug("not saving session %r: it was logged out", self.session_id)
                return
            if not self._is_current(profile):
                raise ClientStateError(
                    "save() was called for a profile this strategy did not prepare, or after "
                    "after_close()"
                )
            if not self._ready:
                raise NotReadyError(
                    "the session is not logged in yet (Ready was not reached), so saving it "
                    "would store an empty login; call wait_until_ready() first"
                )
            self._save(profile, live=True)

    def after_close(self, profile: Path) -> None:
        """Final save (if Ready was reached and no logout), then wipe the temporary profile."""
        with self._lock:
            try:
                if self._is_current(profile) and self._ready and not self._logged_out:
                    self._save(profile, live=False)
            finally:
                self._finish()

    def after_logout(self, profile: Path) -> None:
        """Delete the stored session; nothing is saved again until the next Ready."""
        with self._lock:
            self._logged_out = True
            self._ready = False
            self._store.delete(self.session_id)
            logger.info("logged out: deleted stored session %r", self.session_id)

    def _finish(self) -> None:
        self._closing.set()
        if self._run is not None:
            self._run.close()
            self._run = None
        self._ready = False


def rekey(
    store: SessionStore | str | os.PathLike[str],
    session_id: str = _DEFAULT_SESSION,
    *,
    old: Passphrase | SessionKey | str | bytes,
    new: Passphrase | SessionKey | str | bytes,
    kdf: KdfParams | None = None,
) -> None:
    """Re-seal a stored session under a new passphrase or key, without a QR scan.

    ``str`` means a passphrase and ``bytes`` a 32-byte key. The old secret is checked before
    anything is written, and the store replaces the session atomically: an interruption leaves
    the session under the old secret. Do not run it while a Client is using the session (its
    next save would use the old secret again).
    """
    sid = check_session_id(session_id)
    target = _as_store(store)
    old_secret = _as_secret(old)
    new_secret = _as_secret(new)
    if kdf is not None and isinstance(new_secret, SessionKey):
        raise InvalidInputError("kdf= applies to passphrases only; a key uses HKDF")
    with target.load(sid) as stream:
        chunks = reseal(stream, session_id=sid, old=old_secret, new=new_secret, kdf=kdf)
        with iter_reader(chunks) as data:
            target.save(sid, data)
    logger.info("re-sealed session %r under a new secret", sid)


for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = __name__
del _name, _obj
