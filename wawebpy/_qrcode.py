"""A small pure-Python QR Code encoder (ISO/IEC 18004, model 2), used when segno is missing.

Byte mode only, any version 1-40 and EC level; masks are chosen by the standard's penalty
score, evaluated before format and version information are drawn (as segno does, so both pick
the same mask). Enough for a login QR: a WhatsApp payload (~240 bytes) needs version 10-13.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["EC_LEVELS", "QrMatrix", "encode"]

EC_LEVELS = ("L", "M", "Q", "H")
_FORMAT_EC_BITS = {"L": 1, "M": 0, "Q": 3, "H": 2}

# Error correction codewords per block, and number of blocks, by EC level then version (1-40).
_ECC_PER_BLOCK = {
    "L": (7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
          28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    "M": (10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
          26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28),
    "Q": (13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
          28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    "H": (17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
          30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
}  # fmt: skip
_BLOCKS = {
    "L": (1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
          8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25),
    "M": (1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
          17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49),
    "Q": (1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
          23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68),
    "H": (1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
          25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81),
}  # fmt: skip

_MASKS: tuple[Callable[[int, int], bool], ...] = (
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: (r * c) % 2 + (r * c) % 3 == 0,
    lambda r, c: ((r * c) % 2 + (r * c) % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + (r * c) % 3) % 2 == 0,
)


@dataclass(frozen=True, slots=True)
class QrMatrix:
    """An encoded symbol: ``rows[y][x]`` is True for a dark module (no quiet zone)."""

    version: int
    error: str
    mask: int
    rows: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        return len(self.rows)


# -- Reed-Solomon over GF(256), polynomial 0x11D ------------------------------------------------

_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


def _rs_generator(degree: int) -> list[int]:
    """Coefficients (highest first, leading 1 dropped) of prod (x - a^i), i < degree."""
    poly = [1]
    for i in range(degree):
        nxt = [0] * (len(poly) + 1)
        for j, coef in enumerate(poly):
            nxt[j] ^= coef
            nxt[j + 1] ^= _gf_mul(coef, _EXP[i])
        poly = nxt
    return poly[1:]


def _rs_remainder(data: list[int], generator: list[int]) -> list[int]:
    result = [0] * len(generator)
    for byte in data:
        factor = byte ^ result[0]
        result = [*result[1:], 0]
        if factor:
            for i, coef in enumerate(generator):
                result[i] ^= _gf_mul(coef, factor)
    return result


# -- capacities ---------------------------------------------------------------------------------


def _alignment_positions(version: int) -> list[int]:
    if version == 1:
        return []
    count = version // 7 + 2
    size = version * 4 + 17
    step = 26 if version == 32 else (version * 4 + count * 2 + 1) // (count * 2 - 2) * 2
    return [6, *[size - 7 - i * step for i in range(count - 1)][::-1]]


def _raw_modules(version: int) -> int:
    """Modules left for data and EC once the function patterns are drawn."""
    result = (16 * version + 128) * version + 64
    if version >= 2:
        count = version // 7 + 2
        result -= (25 * count - 10) * count - 55
        if version >= 7:
            result -= 36
    return result


def _data_codewords(version: int, error: str) -> int:
    index = version - 1
    return _raw_modules(version) // 8 - _ECC_PER_BLOCK[error][index] * _BLOCKS[error][index]


def _byte_mode_bits(length: int, version: int) -> int:
    return 4 + (8 if version <= 9 else 16) + 8 * length


def choose_version(length: int, error: str) -> int:
    """The smallest version that holds ``length`` bytes at ``error``; ValueError if none."""
    for version in range(1, 41):
        if _byte_mode_bits(length, version) <= _data_codewords(version, error) * 8:
            return version
    raise ValueError(f"{length} bytes do not fit in a QR code at error level {error}")


# -- codewords ----------------------------------------------------------------------------------


def _codewords(data: bytes, version: int, error: str) -> list[int]:
    capacity = _data_codewords(version, error) * 8
    bits: list[int] = []

    def put(value: int, width: int) -> None:
        bits.extend((value >> i) & 1 for i in range(width - 1, -1, -1))

    put(0b0100, 4)
    put(len(data), 8 if version <= 9 else 16)
    for byte in data:
        put(byte, 8)
    if len(bits) > capacity:
        raise ValueError(f"{len(data)} bytes do not fit in version {version}-{error}")
    put(0, min(4, capacity - len(bits)))
    put(0, -len(bits) % 8)
    words = [int("".join(map(str, bits[i : i + 8])), 2) for i in range(0, len(bits), 8)]
    pad = 0xEC
    while len(words) < capacity // 8:
        words.append(pad)
        pad ^= 0xEC ^ 0x11

    index = version - 1
    num_blocks = _BLOCKS[error][index]
    ecc_len = _ECC_PER_BLOCK[error][index]
    raw_words = _raw_modules(version) // 8
    short_blocks = num_blocks - raw_words % num_blocks
    short_len = raw_words // num_blocks
    generator = _rs_generator(ecc_len)
    data_blocks: list[list[int]] = []
    ecc_blocks: list[list[int]] = []
    pos = 0
    for i in range(num_blocks):
        size = short_len - ecc_len + (0 if i < short_blocks else 1)
        block = words[pos : pos + size]
        pos += size
        data_blocks.append(block)
        ecc_blocks.append(_rs_remainder(block, generator))
    out: list[int] = []
    for i in range(short_len - ecc_len + 1):
        out.extend(block[i] for block in data_blocks if i < len(block))
    for i in range(ecc_len):
        out.extend(block[i] for block in ecc_blocks)
    return out


# -- matrix -------------------------------------------------------------------------------------


def _bch(value: int, poly: int, degree: int) -> int:
    rem = value << degree
    top = poly.bit_length() - 1
    while rem.bit_length() - 1 >= top:
        rem ^= poly << (rem.bit_length() - 1 - top)
    return (value << degree) | rem


class _Builder:
    def __init__(self, version: int) -> None:
        self.version = version
        self.size = size = version * 4 + 17
        self.dark = [[False] * size for _ in range(size)]
        self.function = [[False] * size for _ in range(size)]
        self._draw_function_patterns()

    def set(self, r: int, c: int, dark: bool) -> None:
        self.dark[r][c] = dark
        self.function[r][c] = True

    def _draw_function_patterns(self) -> None:
        size = self.size
        for i in range(size):
            self.set(6, i, i % 2 == 0)
            self.set(i, 6, i % 2 == 0)
        for r0, c0 in ((3, 3), (3, size - 4), (size - 4, 3)):
            for dr in range(-4, 5):
                for dc in range(-4, 5):
                    r, c = r0 + dr, c0 + dc
                    if 0 <= r < size and 0 <= c < size:
                        dist = max(abs(dr), abs(dc))
                        self.set(r, c, dist not in (2, 4))
        positions = _alignment_positions(self.version)
        last = len(positions) - 1
        for i, r0 in enumerate(positions):
            for j, c0 in enumerate(positions):
                if (i, j) in ((0, 0), (0, last), (last, 0)):
                    continue
                for dr in range(-2, 3):
                    for dc in range(-2, 3):
                        self.set(r0 + dr, c0 + dc, max(abs(dr), abs(dc)) != 1)
        # Reserve format and version areas (light until the mask is chosen).
        self._draw_format(None, 0)
        self._draw_version(reserve=True)

    def _draw_format(self, error: str | None, mask: int) -> None:
        size = self.size
        bits = 0 if error is None else _bch(_FORMAT_EC_BITS[error] << 3 | mask, 0x537, 10) ^ 0x5412

        def bit(i: int) -> bool:
            return (bits >> i) & 1 == 1

        for i in range(6):
            self.set(i, 8, bit(i))
        self.set(7, 8, bit(6))
        self.set(8, 8, bit(7))
        self.set(8, 7, bit(8))
        for i in range(9, 15):
            self.set(8, 14 - i, bit(i))
        for i in range(8):
            self.set(8, size - 1 - i, bit(i))
        for i in range(8, 15):
            self.set(size - 15 + i, 8, bit(i))
        self.set(size - 8, 8, error is not None)  # the dark module

    def _draw_version(self, *, reserve: bool) -> None:
        if self.version < 7:
            return
        bits = 0 if reserve else _bch(self.version, 0x1F25, 12)
        for i in range(18):
            dark = (bits >> i) & 1 == 1
            a, b = self.size - 11 + i % 3, i // 3
            self.set(a, b, dark)
            self.set(b, a, dark)

    def place(self, codewords: list[int]) -> None:
        size = self.size
        total = len(codewords) * 8
        i = 0
        right = size - 1
        while right >= 1:
            if right == 6:
                right = 5
            for vert in range(size):
                for j in range(2):
                    c = right - j
                    upward = ((right + 1) & 2) == 0
                    r = size - 1 - vert if upward else vert
                    if not self.function[r][c] and i < total:
                        self.dark[r][c] = (codewords[i >> 3] >> (7 - (i & 7))) & 1 == 1
                        i += 1
            right -= 2

    def masked(self, mask: int) -> list[list[bool]]:
        test = _MASKS[mask]
        out = [row[:] for row in self.dark]
        for r in range(self.size):
            row, function = out[r], self.function[r]
            for c in range(self.size):
                if not function[c] and test(r, c):
                    row[c] = not row[c]
        return out


def _penalty(m: list[list[bool]]) -> int:
    size = len(m)
    score = 0
    dark_count = 0
    pattern = (True, False, True, True, True, False, True)
    columns = [[m[r][c] for r in range(size)] for c in range(size)]
    for line_set in (m, columns):
        for line in line_set:
            run = 1
            for k in range(1, size):
                if line[k] == line[k - 1]:
                    run += 1
                else:
                    if run >= 5:
                        score += run - 2
                    run = 1
            if run >= 5:
                score += run - 2
            score += _finder_like(line, pattern)
    for r in range(size):
        row = m[r]
        dark_count += sum(row)
        if r:
            above = m[r - 1]
            for c in range(1, size):
                if row[c] == row[c - 1] == above[c] == above[c - 1]:
                    score += 3
    percent = dark_count * 100 / (size * size)
    score += 10 * int(abs(percent - 50) / 5)
    return score


def _finder_like(line: list[bool], pattern: tuple[bool, ...]) -> int:
    """Occurrences of 1:1:3:1:1 with four light modules (or the edge) on one side, x40."""
    size = len(line)
    score = 0
    idx = 0
    while idx <= size - 7:
        if tuple(line[idx : idx + 7]) != pattern:
            idx += 1
            continue
        end = idx + 7
        if (
            idx in (0, size - 7)
            or not any(line[max(idx - 4, 0) : idx])
            or not any(line[end : end + 4])
        ):
            score += 40
            idx = end
        else:
            idx += 4
    return score


def encode(
    data: bytes | str, *, error: str = "M", version: int | None = None, mask: int | None = None
) -> QrMatrix:
    """Encode ``data`` (UTF-8 for a str) in byte mode; the smallest fitting version and the
    best mask unless given. Raises ValueError when the data does not fit."""
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    error = error.upper()
    if error not in EC_LEVELS:
        raise ValueError(f"error level must be one of {', '.join(EC_LEVELS)}")
    if version is None:
        version = choose_version(len(payload), error)
    elif not 1 <= version <= 40:
        raise ValueError("version must be 1-40")
    if mask is not None and not 0 <= mask <= 7:
        raise ValueError("mask must be 0-7")
    builder = _Builder(version)
    builder.place(_codewords(payload, version, error))
    if mask is None:
        scores = [_penalty(builder.masked(k)) for k in range(8)]
        mask = scores.index(min(scores))
    builder.dark = builder.masked(mask)
    builder._draw_format(error, mask)
    builder._draw_version(reserve=False)
    return QrMatrix(version, error, mask, tuple(tuple(row) for row in builder.dark))
