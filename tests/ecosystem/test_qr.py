"""The login QR: segno's symbol drawn for a terminal and as a PNG, read back by a real decoder."""

from __future__ import annotations

import base64
import importlib.util
import secrets
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
import segno
from pyzbar import pyzbar as zbar

from wawebpy import qr
from wawebpy.errors import InvalidContentError


def whatsapp_payload(ref_len: int = 100) -> str:
    """The shape of a real login QR: ref,staticKey,identityKey,advSecret,platform."""
    key = lambda: base64.b64encode(secrets.token_bytes(32)).decode()  # noqa: E731
    ref = "2@" + base64.b64encode(secrets.token_bytes(ref_len * 3 // 4)).decode()
    return ",".join((ref, key(), key(), key(), "android"))


def segno_rows(data: str, **kw: Any) -> tuple[tuple[bool, ...], ...]:
    code = segno.make(data, mode="byte", boost_error=False, micro=False, **kw)
    return tuple(tuple(bool(m) for m in row) for row in code.matrix)


PAYLOADS = [whatsapp_payload(n) for n in (60, 100, 140, 180)]

# Terminal character → (top module dark, bottom module dark), for the default light-on-dark
# rendering: ink (the character's foreground) is a LIGHT module.
_CHAR_MODULES = {"\u2588": (False, False), "\u2580": (False, True), "\u2584": (True, False),
                 " ": (True, True)}  # fmt: skip


def terminal_grid(text: str, *, invert: bool = False) -> list[list[bool]]:
    """Read the rendered terminal QR back into module rows (True = dark), quiet zone included."""
    grid: list[list[bool]] = []
    for line in text.splitlines():
        pairs = [_CHAR_MODULES[ch] for ch in line]
        grid.append([top != invert for top, _ in pairs])
        grid.append([bottom != invert for _, bottom in pairs])
    return grid


def zbar_decode(grid: list[list[bool]], scale: int = 4) -> list[bytes]:
    """Decode a module grid with zbar (a real QR reader), as a grayscale image."""
    width = len(grid[0]) * scale
    pixels = b"".join(
        b"".join((b"\x00" if dark else b"\xff") * scale for dark in row) * scale for row in grid
    )
    return [r.data for r in zbar.decode((pixels, width, len(grid) * scale))]


@pytest.mark.parametrize("invert", [False, True])
@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"{len(p)}ch" for p in PAYLOADS])
def test_terminal_qr_decodes_to_the_exact_payload(payload: str, invert: bool) -> None:
    text = qr.render_terminal(payload, border=2, invert=invert)
    grid = terminal_grid(text, invert=invert)
    # The drawing holds segno's symbol module for module (the odd last line pads one light row)...
    side = len(segno_rows(payload, error="L"))
    inner = tuple(tuple(row[2 : 2 + side]) for row in grid[2 : 2 + side])
    assert inner == segno_rows(payload, error="L")
    # ...and a real reader gets the payload back, byte for byte.
    assert zbar_decode(grid) == [payload.encode()]


def test_png_qr_decodes_to_the_exact_payload() -> None:
    payload = PAYLOADS[3]
    width, pixels = png_pixels(qr.png_bytes(payload, scale=3, border=4))
    raw = b"".join(pixels)
    assert [r.data for r in zbar.decode((raw, width, width))] == [payload.encode()]


def test_no_qr_encoder_remains_in_the_package() -> None:
    assert importlib.util.find_spec("wawebpy._qrcode") is None
    package = Path(qr.__file__).parent
    sources = "\n".join(p.read_text("utf-8") for p in package.rglob("*.py")).lower()
    # A QR encoder needs Reed-Solomon error correction over GF(256); segno's is the only one.
    assert "solomon" not in sources
    assert "gf(256)" not in sources


def test_data_too_long_is_refused() -> None:
    with pytest.raises(InvalidContentError, match="cannot encode"):
        qr.matrix("x" * 3000, error="L")


def test_render_terminal_uses_two_rows_per_line() -> None:
    payload = PAYLOADS[1]
    rows = qr.matrix(payload, error="L")
    text = qr.render_terminal(payload, border=2)
    lines = text.splitlines()
    side = len(rows) + 4
    assert len(lines) == (side + 1) // 2
    assert all(len(line) == side for line in lines)
    assert set(text) <= {"\u2588", "\u2580", "\u2584", " ", "\n"}
    # The quiet zone is light: full blocks on a light-on-dark terminal, spaces when inverted.
    assert lines[0] == "\u2588" * side
    assert qr.render_terminal(payload, border=2, invert=True).splitlines()[0] == " " * side
    # First module row (line 1, top half): finder pattern starts dark → top half not inked.
    assert lines[1][2] in (" ", "\u2584")


def png_pixels(data: bytes) -> tuple[int, list[bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert (width, depth, color) == (height, 8, 0)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width + 1
    rows = [raw[i * stride : (i + 1) * stride] for i in range(width)]
    assert all(r[0] == 0 for r in rows)
    return width, [r[1:] for r in rows]


def test_png_holds_the_matrix_scaled_with_a_quiet_zone() -> None:
    payload = PAYLOADS[0]
    rows = qr.matrix(payload)
    width, pixels = png_pixels(qr.png_bytes(payload, scale=3, border=4))
    assert width == (len(rows) + 8) * 3
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            assert pixels[(y + 4) * 3 + 1][(x + 4) * 3 + 2] == (0 if dark else 255)
    assert set(pixels[0]) == {255}


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(InvalidContentError):
        qr.matrix("")
    with pytest.raises(InvalidContentError):
        qr.png_bytes("x", scale=0)
    with pytest.raises(InvalidContentError):
        qr.render_terminal("x", border=-1)
    with pytest.raises(InvalidContentError):
        qr.matrix("x", error="Z")  # type: ignore[arg-type]
