"""The profile container: what a snapshot keeps, per-piece compression, safe restore."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from wawebpy._session._container import iter_snapshot, pack_piece, restore, scan
from wawebpy.errors import SessionError, SessionFormatError

from .conftest import read_tree, write_profile


def container(*records: bytes) -> list[bytes]:
    return [b"WWPROF\x00\x01", *records]


def file_record(path: bytes, *pieces: bytes) -> bytes:
    body = b"".join(struct.pack(">I", len(p)) + p for p in pieces)
    return b"F" + struct.pack(">H", len(path)) + path + body + struct.pack(">I", 0)


def end(files: int, size: int) -> bytes:
    return b"E" + struct.pack(">IQ", files, size)


@pytest.mark.parametrize("workers", [1, 2])
def test_snapshot_keeps_the_login_folders_only(tmp_path: Path, workers: int) -> None:
    profile = tmp_path / "p"
    kept = write_profile(profile, big=600_000)
    target = tmp_path / "r"
    target.mkdir()
    stats = restore(iter_snapshot(profile, workers=workers), target)
    assert read_tree(target) == kept
    assert stats.files == len(kept)


def test_text_is_deflated_and_random_bytes_are_stored() -> None:
    text = b"message body about the meeting tomorrow " * 5000
    noise = os.urandom(200_000)
    assert len(pack_piece(text)) < len(text) / 10
    assert pack_piece(noise) == struct.pack(">I", len(noise)) + noise
    assert pack_piece(b"tiny") == struct.pack(">I", 4) + b"tiny"


def test_symlinks_are_not_followed(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    write_profile(profile)
    secret = tmp_path / "elsewhere"
    secret.write_bytes(b"not part of the profile")
    os.symlink(secret, profile / "Default/IndexedDB/link")
    assert b"not part of the profile" not in b"".join(iter_snapshot(profile, workers=1))


def test_an_empty_profile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match="no login data"):
        b"".join(iter_snapshot(tmp_path))


@pytest.mark.parametrize(
    "path", [b"../escape", b"/abs", b"Default/../../x", b"a//b", b"C:/x", b"a\\b", b"a/\x00"]
)
def test_unsafe_paths_are_refused(tmp_path: Path, path: bytes) -> None:
    with pytest.raises(SessionFormatError, match="unsafe path"):
        restore(container(file_record(path, b"x"), end(1, 1)), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_structure_errors(tmp_path: Path) -> None:
    ok = file_record(b"Default/IndexedDB/a", b"x")
    cases = {
        "not a wawebpy profile": [b"PK\x03\x04xxxx"],
        "ends early": container(ok),
        "inconsistent": container(ok, end(2, 1)),
        "repeats a file": container(ok, ok, end(2, 2)),
        "data follows": [*container(ok, end(1, 1)), b"extra"],
        "corrupt": container(b"Z"),
    }
    for i, (message, chunks) in enumerate(cases.items()):
        dest = tmp_path / str(i)
        dest.mkdir()
        with pytest.raises(SessionFormatError, match=message):
            restore(chunks, dest)


def test_corrupt_deflated_piece(tmp_path: Path) -> None:
    bad = struct.pack(">I", 0x8000_0000 | 5) + b"\xff\xff\xff\xff\xff"
    record = b"F" + struct.pack(">H", 3) + b"a/b" + bad + struct.pack(">I", 0)
    with pytest.raises(SessionFormatError, match="corrupt"):
        restore(container(record, end(1, 5)), tmp_path)


def test_scan_counts_per_folder(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    kept = write_profile(profile)
    stats = scan(iter_snapshot(profile))
    assert stats.files == len(kept)
    assert stats.bytes == sum(len(v) for v in kept.values())
    assert set(stats.by_folder) == {
        "Default/IndexedDB",
        "Default/Local Storage",
        "Default/Cookies",
        "Local State",
    }
