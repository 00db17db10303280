"""Small valid media files built in code (no binary fixtures in the repository)."""

from __future__ import annotations

import hashlib
import struct
import zlib


def png(width: int = 8, height: int = 8, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A valid RGB PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def mp4(size: int = 2048) -> bytes:
    """Bytes that sniff as MP4 (an ``ftyp`` box); the fake never decodes video."""
    head = struct.pack(">I", 24) + b"ftypmp42" + b"\x00\x00\x00\x00mp42isom"
    return head + bytes(range(256)) * (size // 256)


def ogg_opus(size: int = 1024) -> bytes:
    """Bytes that sniff as an Ogg/Opus voice note."""
    return b"OggS\x00\x02" + b"\x00" * 22 + b"OpusHead" + b"\x01" * size


def wav(seconds: float = 0.5, rate: int = 8000) -> bytes:
    """A mono 16-bit PCM WAV: a 440 Hz tone that swells, so its waveform is not flat."""
    import math

    n = int(seconds * rate)
    samples = b"".join(
        struct.pack("<h", int(30000 * (i / n) * math.sin(2 * math.pi * 440 * i / rate)))
        for i in range(n)
    )
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(samples)) + samples
    return b"RIFF" + struct.pack("<I", len(body)) + body


def pdf(size: int = 1024) -> bytes:
    return b"%PDF-1.4\n" + b"%" + b"x" * size + b"\n%%EOF\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
