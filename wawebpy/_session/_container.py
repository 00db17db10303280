"""Which profile files a snapshot keeps, and the simple container that carries them.

Chrome keeps WhatsApp Web's login in the origin's IndexedDB and localStorage; everything else
in a profile is cache, history or settings that Chrome rebuilds (docs/sessions.md has the
measurements). A snapshot of a running Chrome first hard-links the kept files into a private
staging folder and records their sizes: LevelDB's tables are immutable and its logs and
manifests only grow, so reading each link up to its recorded size gives a near point-in-time
copy even while Chrome writes, and files that vanish meanwhile are simply skipped.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import struct
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from ..errors import SessionError, SessionFormatError
from ._profiles import make_private_dirs

__all__ = [
    "COMPRESSION_LEVEL",
    "KEEP_DIRS",
    "KEEP_FILES",
    "SKIP_NAMES",
    "ContainerStats",
    "SnapshotCounter",
    "iter_snapshot",
    "restore",
    "scan",
]

logger = logging.getLogger(__name__)

#: Folders kept whole (minus SKIP_NAMES): where WhatsApp Web keeps its keys and login.
KEEP_DIRS: Final = ("Default/IndexedDB", "Default/Local Storage")
#: Single files kept when present: cookies (both layouts) and the key that decrypts them on
#: Windows and macOS. Not needed for the login, but small.
KEEP_FILES: Final = (
    "Local State",
    "Default/Cookies",
    "Default/Cookies-journal",
    "Default/Network/Cookies",
    "Default/Network/Cookies-journal",
)
#: LevelDB's human-readable log and its lock file: recreated on open, never needed.
SKIP_NAMES: Final = frozenset({"LOG", "LOG.old", "LOCK"})

_MAGIC: Final = b"WWPROF\x00\x01"
_U16 = struct.Struct(">H")
_U32 = struct.Struct(">I")
_END = struct.Struct(">IQ")
_READ_PIECE: Final = 256 * 1024
_MAX_PIECE: Final = 1 << 20
_MAX_PATH: Final = 4096
_O_NOFOLLOW: Final = getattr(os, "O_NOFOLLOW", 0)
_O_BINARY: Final = getattr(os, "O_BINARY", 0)
_DEFLATED: Final = 0x8000_0000
_PROBE: Final = 4 * 1024
#: zlib level for pieces worth compressing (text-like IndexedDB values, JSON, logs).
COMPRESSION_LEVEL: Final = 6
_NO_LINKS: Final = (errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EMLINK, errno.EACCES)


@dataclass(slots=True)
class SnapshotCounter:
    """Filled in while a snapshot streams (for logs and the benchmark)."""

    files: int = 0
    bytes: int = 0
    vanished: int = 0
    staged: bool = False


@dataclass(frozen=True, slots=True)
class ContainerStats:
    files: int
    bytes: int
    by_folder: dict[str, int] = field(default_factory=dict)


def _is_manifest(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return name == "CURRENT" or name.startswith("MANIFEST-")


def _collect(profile: Path) -> tuple[list[str], dict[str, int]]:
    """Kept directories and files (relative '/' paths -> size now); symlinks are ignored."""
    dirs: list[str] = []
    files: dict[str, int] = {}

    def walk(rel: str) -> None:
        try:
            entries = list(os.scandir(profile / rel))
        except (FileNotFoundError, NotADirectoryError):
            return
        dirs.append(rel)
        for entry in entries:
            child = f"{rel}/{entry.name}"
            try:
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    walk(child)
                elif entry.is_file(follow_symlinks=False) and entry.name not in SKIP_NAMES:
                    files[child] = entry.stat(follow_symlinks=False).st_size
            except FileNotFoundError:
                continue

    for rel in KEEP_DIRS:
        walk(rel)
    for rel in KEEP_FILES:
        try:
            st = os.lstat(profile / rel)
        except (FileNotFoundError, NotADirectoryError):
            continue
        if not os.path.islink(profile / rel) and os.path.isfile(profile / rel):
            files[rel] = st.st_size
    return sorted(dirs), files


def _stage(profile: Path, staging: Path) -> tuple[list[str], dict[str, int]] | None:
    """Hard-link the kept files into ``staging``; None if this file system cannot link."""
    linked: dict[str, int] = {}
    dirs: list[str] = []
    for _round in range(8):
        dirs, listing = _collect(profile)
        new = [rel for rel in listing if rel not in linked]
        if not new:
            break
        # Manifests last: every table they name was linked before them, or shows up as new in
        # the next round.
        new.sort(key=lambda rel: (_is_manifest(rel), rel))
        for rel in new:
            dst = staging / rel
            make_private_dirs(dst.parent)
            try:
                os.link(profile / rel, dst, follow_symlinks=False)
            except FileNotFoundError:
                continue
            except OSError as exc:
                if exc.errno in _NO_LINKS:
                    logger.debug("cannot hard-link profile files (%s); reading them live", exc)
                    return None
                raise
            linked[rel] = os.lstat(dst).st_size
    return dirs, linked


def _path_bytes(rel: str) -> bytes:
    raw = rel.encode("utf-8", "surrogateescape")
    return _U16.pack(len(raw)) + raw


class _Piece:
    """A file piece still to be packed (deflated or stored) by a worker thread."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


def pack_piece(data: bytes, level: int = COMPRESSION_LEVEL) -> bytes:
    """A piece record: deflated when that pays, else stored (keys and media do not shrink).

    A cheap probe (three 4 KiB slices at level 1) decides, so random data costs almost nothing;
    on a real profile it loses under 1% against deflating everything.
    """
    n = len(data)
    if level > 0 and n >= 512:
        probe = b"".join(data[at : at + _PROBE] for at in (0, n // 3, 2 * n // 3))
        if len(zlib.compress(probe, 1)) < 0.97 * len(probe):
            c = zlib.compressobj(level, zlib.DEFLATED, -15)
            packed = c.compress(data) + c.flush()
            if len(packed) < n:
                return _U32.pack(len(packed) | _DEFLATED) + packed
    return _U32.pack(n) + data


def iter_snapshot(
    profile: Path,
    *,
    staging: Path | None = None,
    counter: SnapshotCounter | None = None,
    level: int = COMPRESSION_LEVEL,
    workers: int = 2,
) -> Iterator[bytes]:
    """Stream the kept files of ``profile`` as a container.

    With ``staging`` (a fresh path on the profile's file system) the files are hard-linked
    first, for a running Chrome; without it they are read in place (Chrome has quit). Pieces
    are deflated on ``workers`` threads (zlib releases the GIL), in order, a few ahead.
    """
    raw = _iter_raw(profile, staging, counter if counter is not None else SnapshotCounter())
    workers = min(workers, os.cpu_count() or 1)
    if workers <= 1:
        for item in raw:
            yield pack_piece(item.data, level) if isinstance(item, _Piece) else item
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wawebpy-seal") as pool:
        pending: deque[Future[bytes] | bytes] = deque()
        for item in raw:
            if isinstance(item, _Piece):
                pending.append(pool.submit(pack_piece, item.data, level))
            else:
                pending.append(item)
            while len(pending) > 2 * workers:
                head = pending.popleft()
                yield head if isinstance(head, bytes) else head.result()
        while pending:
            head = pending.popleft()
            yield head if isinstance(head, bytes) else head.result()


def _iter_raw(
    profile: Path, staging: Path | None, counter: SnapshotCounter
) -> Iterator[bytes | _Piece]:
    staged = None
    try:
        if staging is not None:
            staging.mkdir(mode=0o700)
            staged = _stage(profile, staging)
        if staged is not None and staging is not None:
            root, (dirs, files) = staging, staged
            counter.staged = True
        else:
            root, (dirs, files) = profile, _collect(profile)
        if not any(rel.startswith(KEEP_DIRS) for rel in files):
            # Raising here aborts the store's save, so the stored session stays as it was.
            raise SessionError(
                f"the Chrome profile at {profile} holds no login data (no IndexedDB or Local "
                "Storage); not saving it over the stored session"
            )
        yield _MAGIC
        for rel in dirs:
            yield b"D" + _path_bytes(rel)
        for rel in sorted(files):
            yield from _iter_file(root, rel, files[rel], counter)
        yield b"E" + _END.pack(counter.files, counter.bytes)
    except OSError as exc:
        raise SessionError(
            f"could not read the Chrome profile at {profile}: {exc.strerror or exc}"
        ) from exc
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _iter_file(
    root: Path, rel: str, size: int, counter: SnapshotCounter
) -> Iterator[bytes | _Piece]:
    try:
        fd = os.open(root / rel, os.O_RDONLY | _O_NOFOLLOW | _O_BINARY)
    except FileNotFoundError:
        counter.vanished += 1
        return
    with os.fdopen(fd, "rb", buffering=0) as f:
        yield b"F" + _path_bytes(rel)
        left = size
        while left > 0:
            piece = f.read(min(_READ_PIECE, left))
            if not piece:
                break
            left -= len(piece)
            counter.bytes += len(piece)
            yield _Piece(piece)
        yield _U32.pack(0)
    counter.files += 1


class _Pull:
    """Exact reads over an iterator of chunks."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._it = iter(chunks)
        self._buf = bytearray()

    def take(self, size: int) -> bytes:
        while len(self._buf) < size:
            try:
                self._buf += next(self._it)
            except StopIteration:
                raise SessionFormatError("the session's profile container ends early") from None
        out = bytes(self._buf[:size])
        del self._buf[:size]
        return out

    def drain(self) -> None:
        """Consume the rest, so the sealed stream's last record is authenticated."""
        if self._buf or any(self._it):
            raise SessionFormatError("data follows the end of the session's profile container")


def _inflate(data: bytes) -> bytes:
    d = zlib.decompressobj(-15)
    try:
        out = d.decompress(data, _MAX_PIECE)
    except zlib.error:
        raise SessionFormatError("a piece of the session's profile container is corrupt") from None
    if not d.eof or d.unconsumed_tail or d.unused_data:
        raise SessionFormatError("a piece of the session's profile container is corrupt")
    return out


def _safe_rel(raw: bytes) -> str:
    rel = raw.decode("utf-8", "surrogateescape")
    parts = rel.split("/")
    if (
        not rel
        or any(p in ("", ".", "..") for p in parts)
        or "\\" in rel
        or "\x00" in rel
        or (len(parts[0]) == 2 and parts[0][1] == ":")
    ):
        raise SessionFormatError("the session's profile container holds an unsafe path")
    return rel


def _events(chunks: Iterable[bytes]) -> Iterator[tuple[str, str, bytes]]:
    pull = _Pull(chunks)
    if pull.take(len(_MAGIC)) != _MAGIC:
        raise SessionFormatError("the session's payload is not a wawebpy profile container")
    files = 0
    total = 0
    while True:
        kind = pull.take(1)
        if kind == b"E":
            want_files, want_bytes = _END.unpack(pull.take(_END.size))
            if (want_files, want_bytes) != (files, total):
                raise SessionFormatError("the session's profile container is inconsistent")
            pull.drain()
            return
        if kind not in (b"D", b"F"):
            raise SessionFormatError("the session's profile container is corrupt")
        (length,) = _U16.unpack(pull.take(_U16.size))
        if not 0 < length <= _MAX_PATH:
            raise SessionFormatError("the session's profile container is corrupt")
        rel = _safe_rel(pull.take(length))
        if kind == b"D":
            yield "dir", rel, b""
            continue
        yield "file", rel, b""
        while True:
            (size_field,) = _U32.unpack(pull.take(_U32.size))
            if size_field == 0:
                break
            size = size_field & ~_DEFLATED
            if not 0 < size <= _MAX_PIECE:
                raise SessionFormatError("the session's profile container is corrupt")
            data = pull.take(size)
            if size_field & _DEFLATED:
                data = _inflate(data)
            total += len(data)
            yield "data", rel, data
        files += 1


def restore(chunks: Iterable[bytes], dest: Path) -> ContainerStats:
    """Write the container's files under ``dest`` (dirs 0700, files 0600, never outside)."""
    files = 0
    total = 0
    fd = -1
    try:
        for kind, rel, data in _events(chunks):
            target = dest / rel
            if kind == "dir":
                make_private_dirs(target)
            elif kind == "file":
                if fd >= 0:
                    os.close(fd)
                    fd = -1
                make_private_dirs(target.parent)
                fd = os.open(
                    target,
                    os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_BINARY,
                    0o600,
                )
                files += 1
            else:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                total += len(data)
    except FileExistsError:
        raise SessionFormatError("the session's profile container repeats a file") from None
    except OSError as exc:
        raise SessionError(
            f"could not write the restored profile under {dest}: {exc.strerror or exc}; "
            "free some space or pass temp_dir= to the auth strategy"
        ) from exc
    finally:
        if fd >= 0:
            os.close(fd)
    return ContainerStats(files=files, bytes=total)


def scan(chunks: Iterable[bytes]) -> ContainerStats:
    """Count files and bytes per top folder without writing anything (``inspect --verify``)."""
    files = 0
    total = 0
    by_folder: dict[str, int] = {}
    for kind, rel, data in _events(chunks):
        if kind == "file":
            files += 1
        elif kind == "data":
            total += len(data)
            top = "/".join(rel.split("/")[:2]) if rel.startswith("Default/") else rel
            by_folder[top] = by_folder.get(top, 0) + len(data)
    return ContainerStats(files=files, bytes=total, by_folder=by_folder)
