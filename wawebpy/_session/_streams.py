"""Adapters between generators of byte chunks and readable binary files."""

from __future__ import annotations

import io
from collections.abc import Generator, Iterable, Iterator
from typing import BinaryIO, Protocol

__all__ = ["IterReader", "Readable", "iter_reader", "read_exact", "read_pieces"]


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class IterReader(io.RawIOBase):
    """A readable file over an iterator of byte chunks; exceptions of the iterator surface
    from ``read()``, so a store reading it aborts its save and keeps the previous snapshot."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        super().__init__()
        self._it: Iterator[bytes] = iter(chunks)
        self._buf = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._buf:
            try:
                self._buf = memoryview(next(self._it))
            except StopIteration:
                return 0
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

    def close(self) -> None:
        if isinstance(self._it, Generator):
            self._it.close()
        self._buf = memoryview(b"")
        super().close()


def iter_reader(chunks: Iterable[bytes], buffer_size: int = 1 << 20) -> BinaryIO:
    """Wrap ``chunks`` as a buffered binary file (what ``SessionStore.save`` receives)."""
    return io.BufferedReader(IterReader(chunks), buffer_size=buffer_size)


def read_exact(stream: Readable, size: int) -> bytes:
    """Read ``size`` bytes, fewer only at end of stream (some streams return short reads)."""
    first = stream.read(size)
    if len(first) == size or not first:
        return first
    parts = [first]
    got = len(first)
    while got < size:
        more = stream.read(size - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def read_pieces(stream: Readable, size: int = 1 << 20) -> Iterator[bytes]:
    """Yield the stream's bytes in pieces of at most ``size`` until end of stream."""
    while True:
        piece = stream.read(size)
        if not piece:
            return
        yield piece
