"""``python -m wawebpy session ...``: output without secrets, secrets never from plain argv."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from wawebpy._cli import GROUPS, build_parser, main
from wawebpy.auth import EncryptedAuth, FileSessionStore, SessionKey, SQLiteSessionStore

from .conftest import FAST, MARKER, PASSPHRASE, read_tree, write_profile


@pytest.fixture
def sessions(tmp_path: Path) -> Path:
    """A FileSessionStore directory holding session 'default' under PASSPHRASE."""
    directory = tmp_path / "sessions"
    auth = EncryptedAuth(directory, passphrase=PASSPHRASE, kdf=FAST, temp_dir=tmp_path)
    auth.ready_save_delay = 0
    profile = auth.prepare()
    write_profile(profile)
    auth.after_ready(profile)
    auth.after_close(profile)
    return directory


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv("SESSION_PW", PASSPHRASE)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_inspect_without_a_secret(sessions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "session", "inspect", "--dir", str(sessions))
    assert code == 0
    assert "version 1" in out and "Argon2id (memory 64 KiB" in out and "complete" in out
    assert "sealed at" in out and "stored size" in out


def test_inspect_verify_json(sessions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "session", "inspect", "--dir", str(sessions), "--verify",
        "--passphrase-env", "SESSION_PW", "--json",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert report["verified"] is True and report["profile_files"] == 9
    assert set(report["profile_folders"]) >= {"Default/IndexedDB", "Default/Local Storage"}
    assert PASSPHRASE not in out + err and MARKER.decode() not in out + err


def test_inspect_reports_damage(sessions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = FileSessionStore(sessions).path_for("default")
    path.write_bytes(path.read_bytes()[:-10])
    code, out, _ = run(capsys, "session", "inspect", "--file", str(path))
    assert code == 1 and "DAMAGED: truncated" in out


def test_wrong_passphrase_exit_code(sessions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "session", "inspect", "--dir", str(sessions), "--verify",
        "--insecure-passphrase", "nope",
    )  # fmt: skip
    assert code == 1 and "wrong passphrase" in out


def test_rekey_to_a_key_file_and_back(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "key.txt"
    assert run(capsys, "session", "keygen", "--out", str(key_file))[0] == 0
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    code, _, err = run(
        capsys, "session", "rekey", "--dir", str(sessions),
        "--old-passphrase-env", "SESSION_PW", "--new-key-file", str(key_file),
    )  # fmt: skip
    assert code == 0, err
    key = SessionKey.from_file(key_file)
    auth = EncryptedAuth(sessions, key=key, temp_dir=tmp_path)
    assert "Default/Local Storage/leveldb/CURRENT" in read_tree(auth.prepare())
    auth.after_close(auth.prepare())
    code, _, err = run(
        capsys, "session", "rekey", "--dir", str(sessions), "--old-key-file", str(key_file),
        "--new-passphrase-env", "SESSION_PW", "--argon2-memory-kib", "64",
        "--argon2-iterations", "1", "--argon2-lanes", "1",
    )  # fmt: skip
    assert code == 0, err
    _, out, _ = run(capsys, "session", "inspect", "--dir", str(sessions))
    assert "Argon2id (memory 64 KiB, iterations 1, lanes 1)" in out


def test_secrets_are_never_taken_from_plain_argv(
    sessions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for flag in ("--passphrase", "--insecure", "--key"):  # no abbreviations either
        with pytest.raises(SystemExit) as info:
            main(["session", "inspect", "--dir", str(sessions), "--verify", flag, "x"])
        assert info.value.code == 2
    capsys.readouterr()
    code, _, err = run(capsys, "session", "inspect", "--dir", str(sessions), "--verify")
    assert code == 1 and "no terminal to ask on" in err


def test_delete_needs_confirmation(sessions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "session", "delete", "--dir", str(sessions), "-s", "default")
    assert code == 1 and "--yes" in err
    assert FileSessionStore(sessions).exists("default")
    code, _, _ = run(capsys, "session", "delete", "--dir", str(sessions), "-s", "default", "-y")
    assert code == 0 and not FileSessionStore(sessions).exists("default")


def test_sqlite_store_and_listing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    store = SQLiteSessionStore(db)
    for sid in ("a", "b"):
        auth = EncryptedAuth(store, key=SessionKey.generate(), session_id=sid, temp_dir=tmp_path)
        auth.ready_save_delay = 0
        profile = auth.prepare()
        write_profile(profile)
        auth.after_ready(profile)
        auth.after_close(profile)
    code, out, _ = run(capsys, "session", "inspect", "--sqlite", str(db), "--json")
    assert code == 0 and [r["session_id"] for r in json.loads(out)] == ["a", "b"]


def test_keygen_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "k"
    target.write_text("keep me")
    code, _, err = run(capsys, "session", "keygen", "--out", str(target))
    assert code == 1 and "--force" in err and target.read_text() == "keep me"


def test_session_group_is_registered() -> None:
    assert "session" in GROUPS
    assert build_parser().parse_args(["session"]).handler is not None


def test_module_entry_point(sessions: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "wawebpy", "session", "inspect", "--dir", str(sessions)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ},
        timeout=60,
    )
    assert proc.returncode == 0 and "complete" in proc.stdout
