"""The login QR: the built-in encoder against segno, terminal art and PNG output."""

from __future__ import annotations

import base64
import builtins
import secrets
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import segno
from segno import encoder as segno_encoder

from wawebpy import qr
from wawebpy._qrcode import encode
from wawebpy.errors import InvalidContentError


def whatsapp_payload(ref_len: int = 100) -> str:
    """The shape of a real login QR: ref,staticKey,identityKey,advSecret,platform."""
    key = lambda: base64.b64encode(secrets.token_bytes(32)).decode()  # noqa: E731
    ref = "2@" + base64.b64encode(secrets.token_bytes(ref_len * 3 // 4)).decode()
    return ",".join((ref, key(), key(), key(), "android"))


@pytest.fixture
def iso_segno(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """segno 1.6 pads a byte-aligned bit stream with a whole extra zero byte (ISO 7.4.10 asks
    for none); compare against segno with that padding step made ISO-exact."""
    monkeypatch.setattr(
        segno_encoder,
        "write_padding_bits",
        lambda buff, version, length: buff.extend([0] * (-length % 8)),
    )
    yield


def segno_rows(data: str, **kw: Any) -> tuple[tuple[bool, ...], ...]:
    code = segno.make(data, mode="byte", boost_error=False, micro=False, **kw)
    return tuple(tuple(bool(m) for m in row) for row in code.matrix)


PAYLOADS = [whatsapp_payload(n) for n in (60, 100, 140, 180)]


@pytest.mark.usefixtures("iso_segno")
@pytest.mark.parametrize("error", ["L", "M"])
@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"{len(p)}ch" for p in PAYLOADS])
def test_fallback_matches_segno_with_automatic_version_and_mask(payload: str, error: str) -> None:
    mine = encode(payload, error=error)
    ref = segno.make(payload, error=error, mode="byte", boost_error=False, micro=False)
    assert 8 <= mine.version <= 14
    assert (mine.version, mine.mask) == (ref.version, ref.mask)
    assert mine.rows == segno_rows(payload, error=error)


@pytest.mark.usefixtures("iso_segno")
@pytest.mark.parametrize("mask", range(8))
def test_fallback_matches_segno_for_every_mask(mask: int) -> None:
    payload = PAYLOADS[1]
    for version in (11, 13):
        mine = encode(payload, error="M", version=version, mask=mask)
        assert mine.rows == segno_rows(payload, error="M", version=version, mask=mask)


@pytest.mark.usefixtures("iso_segno")
@pytest.mark.parametrize(
    ("version", "error", "length"),
    [(1, "H", 7), (5, "Q", 60), (7, "M", 120), (22, "L", 900), (40, "L", 2900)],
)
def test_fallback_matches_segno_across_the_version_range(
    version: int, error: str, length: int
) -> None:
    payload = (whatsapp_payload(40) * 20)[:length]
    mine = encode(payload, error=error, version=version)
    assert mine.rows == segno_rows(payload, error=error, version=version)


def test_fallback_refuses_what_does_not_fit() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        encode("x" * 3000, error="L")
    with pytest.raises(ValueError, match="do not fit"):
        encode("x" * 300, error="M", version=5)


def test_matrix_is_the_same_with_and_without_segno(iso_segno: None) -> None:
    payload = PAYLOADS[2]
    assert qr.matrix(payload) == qr.matrix(payload, use_segno=False)


def test_segno_missing_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_segno(name: str, *args: Any, **kw: Any) -> Any:
        if name == "segno":
            raise ImportError("no segno here")
        return real_import(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", no_segno)
    payload = PAYLOADS[0]
    assert qr.matrix(payload) == encode(payload, error="M").rows


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
