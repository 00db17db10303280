"""Render the login QR (``events.QrCode.data``) for a person to scan.

::

    @client.on(events.QrCode)
    def show(client, event):
        print(qr.render_terminal(event.data))

Encoding is done by `segno <https://pypi.org/project/segno/>`_ (a dependency, pure Python);
this module only draws its matrix for a terminal or as a PNG. The QR payload is a login
credential while it is shown: never log it.
"""

from __future__ import annotations

import struct
import zlib
from typing import Literal

import segno

from .errors import InvalidContentError

__all__ = ["ErrorLevel", "matrix", "png_bytes", "render_terminal"]

ErrorLevel = Literal["L", "M", "Q", "H"]
"""QR error-correction level: higher survives more damage but makes a denser symbol."""


def matrix(data: str, *, error: ErrorLevel = "M") -> tuple[tuple[bool, ...], ...]:
    """The QR symbol for ``data`` as rows of modules (True = dark), without the quiet zone."""
    if not isinstance(data, str) or not data:
        raise InvalidContentError("QR data must be a non-empty str")
    if error not in ("L", "M", "Q", "H"):
        raise InvalidContentError("error must be one of 'L', 'M', 'Q', 'H'")
    try:
        # Byte mode, the exact level asked for, never a Micro QR: what phones expect.
        code = segno.make(data, error=error, mode="byte", boost_error=False, micro=False)
    except segno.DataOverflowError as exc:
        raise InvalidContentError(f"cannot encode the QR data: {exc}") from None
    return tuple(tuple(bool(m) for m in row) for row in code.matrix)


def _with_border(rows: tuple[tuple[bool, ...], ...], border: int) -> list[list[bool]]:
    if border < 0:
        raise InvalidContentError("border must be >= 0")
    width = len(rows) + 2 * border
    blank = [False] * width
    out = [blank[:] for _ in range(border)]
    out.extend([False] * border + list(row) + [False] * border for row in rows)
    out.extend(blank[:] for _ in range(border))
    return out


# (top dark, bottom dark) → character, for a terminal that draws light text on a dark
# background: the light modules are "ink", so a phone sees dark-on-light.
_HALF_BLOCKS = {
    (False, False): "\u2588",
    (False, True): "\u2580",
    (True, False): "\u2584",
    (True, True): " ",
}


def render_terminal(
    data: str, *, border: int = 2, invert: bool = False, error: ErrorLevel = "L"
) -> str:
    """The QR as text, two module rows per line with half-block characters.

    Made for the usual light-on-dark terminal; pass ``invert=True`` for a dark-on-light one.
    ``border`` is the quiet zone in modules (phones read 2 fine on a terminal). Level ``L``
    keeps the symbol small enough for an 80-column terminal.
    """
    grid = _with_border(matrix(data, error=error), border)
    if len(grid) % 2:
        grid.append([False] * len(grid[0]))
    lines = []
    for top, bottom in zip(grid[0::2], grid[1::2], strict=True):
        chars = (_HALF_BLOCKS[(t != invert, b != invert)] for t, b in zip(top, bottom, strict=True))
        lines.append("".join(chars))
    return "\n".join(lines) + "\n"


def png_bytes(data: str, *, scale: int = 8, border: int = 4, error: ErrorLevel = "M") -> bytes:
    """The QR as a black-on-white PNG image, ``scale`` pixels per module."""
    if not isinstance(scale, int) or not 1 <= scale <= 64:
        raise InvalidContentError("scale must be an int from 1 to 64")
    grid = _with_border(matrix(data, error=error), border)
    size = len(grid) * scale
    raw = bytearray()
    for row in grid:
        line = bytearray(b"\x00")  # filter type: none
        for dark in row:
            line.extend((b"\x00" if dark else b"\xff") * scale)
        raw.extend(bytes(line) * scale)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)  # 8-bit grayscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )
