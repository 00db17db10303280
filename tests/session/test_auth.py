"""The auth strategies: what each keeps, where, with which modes, and what they never leak."""

from __future__ import annotations

import base64
import logging
import os
import pickle
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from wawebpy._session._profiles import RunDir, sweep_stale
from wawebpy.auth import (
    AuthStrategy,
    EncryptedAuth,
    FileSessionStore,
    LocalAuth,
    NoAuth,
    Passphrase,
    SessionKey,
    SessionStore,
    SQLiteSessionStore,
    rekey,
)
from wawebpy.errors import (
    ClientStateError,
    InvalidInputError,
    NotReadyError,
    SessionDecryptError,
    SessionError,
    SessionFormatError,
)

from .conftest import FAST, MARKER, PASSPHRASE, read_tree, write_profile


def encrypted(store: SessionStore | Path, temp_base: Path, **kw: object) -> EncryptedAuth:
    if "key" not in kw:
        kw.setdefault("passphrase", PASSPHRASE)
        kw.setdefault("kdf", FAST)
    auth = EncryptedAuth(store, temp_dir=temp_base, **kw)  # type: ignore[arg-type]
    auth.ready_save_delay = 0
    return auth


def login(auth: AuthStrategy, **kw: object) -> tuple[Path, dict[str, bytes]]:
    """prepare(), fill the profile like a logged-in Chrome, Ready."""
    profile = auth.prepare()
    kept = write_profile(profile, **kw)  # type: ignore[arg-type]
    auth.after_ready(profile)
    return profile, kept


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_contract_methods() -> None:
    for cls in (NoAuth, LocalAuth, EncryptedAuth):
        assert issubclass(cls, AuthStrategy)
        for name in ("prepare", "after_ready", "save", "after_close", "after_logout"):
            assert callable(getattr(cls, name))
    assert NoAuth().autosave_interval is None


# -- EncryptedAuth ------------------------------------------------------------------------------


def test_restart_restores_only_the_login(store: SessionStore, temp_base: Path) -> None:
    auth = encrypted(store, temp_base)
    profile, kept = login(auth)
    assert not auth.restored
    auth.after_close(profile)
    assert not profile.exists()
    again = encrypted(store, temp_base)
    restored = again.prepare()
    assert again.restored and restored != profile
    assert read_tree(restored) == kept  # no LOG/LOCK, caches, history, singleton locks
    again.after_close(restored)
    assert not restored.exists()


def test_profile_is_private_and_on_tmpfs_by_default(tmp_path: Path) -> None:
    auth = EncryptedAuth(tmp_path / "s", key=SessionKey.generate())
    profile = auth.prepare()
    try:
        if (
            Path("/dev/shm").is_dir()
            and os.statvfs("/dev/shm").f_bavail * os.statvfs("/dev/shm").f_frsize >= 1 << 30
        ):
            assert str(profile).startswith("/dev/shm/")
        assert mode(profile) == 0o700 and mode(profile.parent) == 0o700
        assert mode(profile.parent.parent) == 0o700
    finally:
        auth.after_close(profile)
    assert not profile.parent.exists()


def test_modes_of_everything_written(temp_base: Path, tmp_path: Path) -> None:
    store = FileSessionStore(tmp_path / "store")
    auth = encrypted(store, temp_base)
    profile, _ = login(auth)
    auth.after_close(profile)
    assert mode(tmp_path / "store") == 0o700
    assert mode(store.path_for("default")) == 0o600
    again = encrypted(store, temp_base)
    restored = again.prepare()
    for path in [restored, *restored.rglob("*")]:
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path
    again.after_close(restored)


def test_no_profile_files_remain_after_close(temp_base: Path, tmp_path: Path) -> None:
    for auth in (NoAuth(temp_dir=temp_base), encrypted(tmp_path / "s", temp_base)):
        profile, _ = login(auth) if isinstance(auth, EncryptedAuth) else (auth.prepare(), {})
        write_profile(profile)
        auth.after_close(profile)
        leftovers = [p for p in temp_base.rglob("*") if p.is_file()]
        assert leftovers == [], leftovers


def test_after_close_without_ready_does_not_overwrite(temp_base: Path, tmp_path: Path) -> None:
    store = FileSessionStore(tmp_path / "s")
    auth = encrypted(store, temp_base)
    profile, _ = login(auth)
    auth.after_close(profile)
    before = store.path_for("default").read_bytes()
    again = encrypted(store, temp_base)
    restored = again.prepare()
    (restored / "Default" / "IndexedDB").rename(restored / "gone")  # e.g. WhatsApp wiped it
    again.after_close(restored)  # Ready never came: nothing is saved
    assert store.path_for("default").read_bytes() == before


def test_an_empty_profile_never_replaces_a_session(temp_base: Path, tmp_path: Path) -> None:
    store = FileSessionStore(tmp_path / "s")
    auth = encrypted(store, temp_base)
    profile, _ = login(auth)
    before = store.path_for("default").read_bytes()
    for child in (profile / "Default").iterdir():
        if child.name in ("IndexedDB", "Local Storage"):
            import shutil

            shutil.rmtree(child)
    with pytest.raises(SessionError, match="no login data"):
        auth.save(profile)
    assert store.path_for("default").read_bytes() == before
    with pytest.raises(SessionError):
        auth.after_close(profile)
    assert store.path_for("default").read_bytes() == before
    assert not profile.exists()


def test_save_before_ready_is_refused(temp_base: Path, tmp_path: Path) -> None:
    auth = encrypted(tmp_path / "s", temp_base)
    profile = auth.prepare()
    with pytest.raises(NotReadyError):
        auth.save(profile)
    auth.after_close(profile)


def test_after_ready_after_close_is_ignored(temp_base: Path, tmp_path: Path) -> None:
    """The Client runs after_ready on its own thread; it may lose the race against close."""
    store = FileSessionStore(tmp_path / "s")
    auth = encrypted(store, temp_base)
    profile = auth.prepare()
    auth.after_close(profile)
    auth.after_ready(profile)
    assert not store.exists("default")


def test_logout_drops_the_session(store: SessionStore, temp_base: Path) -> None:
    auth = encrypted(store, temp_base)
    profile, _ = login(auth)
    assert store.exists("default")
    auth.after_logout(profile)
    assert not store.exists("default")
    auth.save(profile)  # the periodic timer may still fire: nothing is saved
    auth.after_close(profile)
    assert not store.exists("default")


def test_wrong_passphrase_leaves_store_and_disk_untouched(temp_base: Path, tmp_path: Path) -> None:
    store = FileSessionStore(tmp_path / "s")
    auth = encrypted(store, temp_base)
    profile, _ = login(auth)
    auth.after_close(profile)
    before = store.path_for("default").read_bytes()
    with pytest.raises(SessionDecryptError, match="wrong passphrase"):
        encrypted(store, temp_base, passphrase="wrong").prepare()
    assert store.path_for("default").read_bytes() == before
    assert [p for p in temp_base.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("damage", ["truncate", "flip", "version", "other-id"])
def test_damaged_store_fails_typed_and_is_left_as_is(
    damage: str, temp_base: Path, tmp_path: Path
) -> None:
    store = FileSessionStore(tmp_path / "s")
    auth = encrypted(store, temp_base)
    profile, _ = login(auth)
    auth.after_close(profile)
    path = store.path_for("default")
    blob = bytearray(path.read_bytes())
    sid = "default"
    if damage == "truncate":
        blob = blob[: len(blob) // 2]
        expected: type[SessionError] = SessionFormatError
    elif damage == "flip":
        blob[-30] ^= 0x10
        expected = SessionDecryptError
    elif damage == "version":
        blob[8] = 9
        expected = SessionFormatError
    else:
        store.path_for("other").write_bytes(bytes(blob))
        sid = "other"
        expected = SessionDecryptError
    path.write_bytes(bytes(blob))
    target = store.path_for(sid)
    before = target.read_bytes()
    with pytest.raises(expected) as info:
        encrypted(store, temp_base, session_id=sid).prepare()
    assert "QR" in str(info.value) or "wawebpy" in str(info.value)
    assert target.read_bytes() == before
    assert [p for p in temp_base.rglob("*") if p.is_file()] == []


def test_raw_key_from_env_and_rekey_round_trip(
    store: SessionStore, temp_base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = SessionKey.generate()
    monkeypatch.setenv("WAWEBPY_TEST_KEY", key.to_text())
    auth = encrypted(store, temp_base, key=SessionKey.from_env("WAWEBPY_TEST_KEY"))
    profile, kept = login(auth)
    auth.after_close(profile)
    rekey(store, old=key, new=Passphrase("new pass"), kdf=FAST)
    with pytest.raises(SessionDecryptError):
        encrypted(store, temp_base, key=key).prepare()
    new = encrypted(store, temp_base, passphrase="new pass")
    restored = new.prepare()
    assert read_tree(restored) == kept
    new.after_close(restored)
    with pytest.raises(SessionDecryptError):
        rekey(store, old="wrong", new=key)
    rekey(store, old="new pass", new=key.reveal())
    back = encrypted(store, temp_base, key=key)
    assert read_tree(back.prepare()) == kept


def test_key_text_forms() -> None:
    key = SessionKey.generate()
    raw = key.reveal()
    for text in (key.to_text(), raw.hex(), base64.b64encode(raw).decode(), raw.hex().upper()):
        assert SessionKey.from_text(text).reveal() == raw
    with pytest.raises(InvalidInputError):
        SessionKey.from_text("too short")
    with pytest.raises(InvalidInputError):
        SessionKey(b"\0" * 31)


def test_store_paths(tmp_path: Path) -> None:
    assert isinstance(EncryptedAuth(tmp_path / "s", passphrase="p").store, FileSessionStore)
    for name in ("s.db", "s.sqlite", "s.SQLITE3"):
        store = EncryptedAuth(str(tmp_path / name), passphrase="p").store
        assert isinstance(store, SQLiteSessionStore)


def test_constructor_checks() -> None:
    with pytest.raises(InvalidInputError):
        EncryptedAuth("/tmp/x")
    with pytest.raises(InvalidInputError):
        EncryptedAuth("/tmp/x", key=b"\0" * 32, passphrase="p")
    with pytest.raises(InvalidInputError):
        EncryptedAuth("/tmp/x", passphrase="p", session_id="../etc")
    with pytest.raises(InvalidInputError):
        EncryptedAuth("/tmp/x", passphrase="p", autosave_interval=0)
    with pytest.raises(TypeError):
        EncryptedAuth(42, passphrase="p")  # type: ignore[arg-type]


# -- secrets never leak ---------------------------------------------------------------------------


def test_no_secret_or_session_byte_in_logs_reprs_or_errors(
    caplog: pytest.LogCaptureFixture, temp_base: Path, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    key = SessionKey.generate()
    store = FileSessionStore(tmp_path / "s")
    texts: list[str] = []
    for auth in (
        encrypted(store, temp_base, passphrase=PASSPHRASE),
        encrypted(store, temp_base, key=key, session_id="k"),
    ):
        texts.append(repr(auth))
        texts.append(str(auth))
        profile, _ = login(auth)
        auth.save(profile)
        auth.after_close(profile)
        restored = auth.prepare()
        auth.after_close(restored)
    for wrong in (
        lambda: encrypted(store, temp_base, passphrase="bad " + PASSPHRASE).prepare(),
        lambda: encrypted(store, temp_base, key=SessionKey.generate(), session_id="k").prepare(),
        lambda: rekey(store, old=Passphrase("x" + PASSPHRASE), new=key),
    ):
        with pytest.raises(SessionError) as info:
            wrong()
        texts.append(str(info.value))
        texts.append(repr(info.value))
    texts += [repr(Passphrase(PASSPHRASE)), str(key), repr(key), repr(store), caplog.text]
    sealed = store.path_for("default").read_bytes()
    haystack = "\n".join(texts)
    raw = key.reveal()
    needles = [
        PASSPHRASE,
        key.to_text(),
        raw.hex(),
        base64.b64encode(raw).decode(),
        repr(raw),
        MARKER.decode(),
        sealed[-40:].hex(),
    ]
    for needle in needles:
        assert needle not in haystack
    assert "saved session 'default'" in caplog.text  # the logs do say what happened


def test_secrets_refuse_pickling(temp_base: Path, tmp_path: Path) -> None:
    for obj in (Passphrase("x"), SessionKey.generate(), encrypted(tmp_path, temp_base)):
        with pytest.raises(TypeError):
            pickle.dumps(obj)


# -- live snapshots ------------------------------------------------------------------------------


def test_live_snapshot_tolerates_a_busy_profile(temp_base: Path, tmp_path: Path) -> None:
    """Files appear, grow, get replaced and vanish while saving; every save stays loadable."""
    store = FileSessionStore(tmp_path / "s")
    auth = encrypted(store, temp_base)
    profile, _ = login(auth, big=300_000)
    db = profile / "Default/IndexedDB/https_web.whatsapp.com_0.indexeddb.leveldb"
    stop = threading.Event()

    def churn() -> None:
        n = 10
        while not stop.is_set():
            n += 1
            table = db / f"{n:06d}.ldb"
            table.write_bytes(os.urandom(20_000))
            with open(db / "000003.log", "ab") as f:
                f.write(b"more" * 500)
            tmp = db / "CURRENT.tmp"
            tmp.write_bytes(f"MANIFEST-{n:06d}\n".encode())
            os.replace(tmp, db / "CURRENT")
            old = db / f"{n - 3:06d}.ldb"
            if old.exists():
                old.unlink()

    worker = threading.Thread(target=churn)
    worker.start()
    try:
        for _ in range(15):
            auth.save(profile)
    finally:
        stop.set()
        worker.join()
    auth.after_close(profile)
    again = encrypted(store, temp_base)
    restored = again.prepare()
    tree = read_tree(restored)
    assert any(rel.endswith("000003.log") for rel in tree)
    assert tree["Default/Local Storage/leveldb/CURRENT"] == b"MANIFEST-000001\n"
    again.after_close(restored)


def test_live_snapshot_is_taken_from_hard_links(temp_base: Path, tmp_path: Path) -> None:
    from wawebpy._session._container import SnapshotCounter, iter_snapshot

    run = RunDir(temp_base)
    try:
        write_profile(run.profile)
        counter = SnapshotCounter()
        staging = run.staging()
        chunks = iter_snapshot(run.profile, staging=staging, counter=counter)
        first = next(chunks)
        assert first.startswith(b"WWPROF") and staging.exists()
        # Deleting the original now does not matter: the link keeps the data.
        log = run.profile / "Default/Local Storage/leveldb/000003.log"
        log.unlink()
        body = b"".join(chunks)
        assert b"last-wid-md" in body and counter.staged
        assert not staging.exists()
    finally:
        run.close()


# -- temporary profiles of crashed runs -------------------------------------------------------------


def test_stale_profiles_of_killed_processes_are_swept(temp_base: Path, tmp_path: Path) -> None:
    code = (
        "import sys, os; from pathlib import Path\n"
        "from wawebpy._session._profiles import RunDir\n"
        "run = RunDir(Path(sys.argv[1])); (run.profile / 'x').write_bytes(b'secret')\n"
        "print(run.path, flush=True); os.kill(os.getpid(), 9)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(temp_base)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    stale = Path(proc.stdout.strip())
    assert stale.is_dir()
    alive = RunDir(temp_base)  # our own live run must survive the sweep
    try:
        auth = encrypted(tmp_path / "s", temp_base)
        profile = auth.prepare()  # sweeps
        assert not stale.exists()
        assert alive.path.exists()
        auth.after_close(profile)
        assert sweep_stale(temp_base) == 0
    finally:
        alive.close()


def test_prepare_twice_wipes_the_first_profile(temp_base: Path, tmp_path: Path) -> None:
    auth = encrypted(tmp_path / "s", temp_base)
    first = auth.prepare()
    second = auth.prepare()
    assert not first.exists() and second.exists()
    auth.after_close(second)


# -- NoAuth and LocalAuth --------------------------------------------------------------------------


def test_noauth_is_fresh_every_time(temp_base: Path) -> None:
    auth = NoAuth(temp_dir=temp_base)
    profile = auth.prepare()
    write_profile(profile)
    auth.after_close(profile)
    assert not profile.exists()
    again = auth.prepare()
    assert list(again.iterdir()) == []
    auth.after_close(again)


def test_localauth_layout_and_logout(tmp_path: Path) -> None:
    auth = LocalAuth(tmp_path / "auth", session_id="bot1")
    profile = auth.prepare()
    assert profile == tmp_path / "auth" / "session-bot1"
    assert mode(profile) == 0o700 and mode(tmp_path / "auth") == 0o700
    write_profile(profile)
    auth.after_close(profile)
    assert (profile / "Default" / "Cookies").exists()  # persistent
    assert auth.prepare() == profile
    auth.after_logout(profile)
    auth.after_close(profile)
    assert not profile.exists()
    assert "plaintext" in (LocalAuth.__doc__ or "")


def test_localauth_tightens_a_loose_folder(tmp_path: Path) -> None:
    folder = tmp_path / "session-default"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    LocalAuth(tmp_path).prepare()
    assert mode(folder) == 0o700


def test_concurrent_saves_and_close_are_serialized(temp_base: Path, tmp_path: Path) -> None:
    store = FileSessionStore(tmp_path / "s")
    auth = encrypted(store, temp_base)
    profile, kept = login(auth)
    errors: list[BaseException] = []

    def saver() -> None:
        for _ in range(5):
            try:
                auth.save(profile)
            except Exception as exc:  # after_close may win: then saves are refused cleanly
                errors.append(exc)
            time.sleep(0.001)

    threads = [threading.Thread(target=saver) for _ in range(3)]
    for t in threads:
        t.start()
    auth.after_close(profile)
    for t in threads:
        t.join()
    assert all(isinstance(e, ClientStateError) for e in errors), errors
    again = encrypted(store, temp_base)
    assert read_tree(again.prepare()) == kept
