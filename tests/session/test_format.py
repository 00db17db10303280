"""The sealed format: round trips, and a typed, actionable error for every kind of damage."""

from __future__ import annotations

import io
import os
import struct

import pytest

from wawebpy._session._format import (
    DEFAULT_CHUNK_SIZE,
    MAGIC,
    inspect_sealed,
    parse_header,
    reseal,
    seal,
    unseal,
)
from wawebpy.auth import Passphrase, ScryptParams, SessionKey
from wawebpy.errors import (
    InvalidInputError,
    SessionDecryptError,
    SessionError,
    SessionFormatError,
)

from .conftest import FAST, PASSPHRASE

SID = "default"


def sealed(payload: bytes, secret: Passphrase | SessionKey, *, chunk_size: int = 4096) -> bytes:
    return b"".join(
        seal(
            [payload],
            secret=secret,
            session_id=SID,
            kdf=None if isinstance(secret, SessionKey) else FAST,
            chunk_size=chunk_size,
        )
    )


def opened(blob: bytes, secret: Passphrase | SessionKey, session_id: str = SID) -> bytes:
    _header, pieces = unseal(io.BytesIO(blob), secret, session_id)
    return b"".join(pieces)


@pytest.fixture(params=["key", "passphrase"])
def secret(request: pytest.FixtureRequest) -> Passphrase | SessionKey:
    return SessionKey.generate() if request.param == "key" else Passphrase(PASSPHRASE)


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 3 * 4096, 50_000])
def test_round_trip_any_size(size: int, secret: Passphrase | SessionKey) -> None:
    payload = os.urandom(size)
    assert opened(sealed(payload, secret), secret) == payload


def test_fresh_salt_and_nonce_every_save(key: SessionKey) -> None:
    a = parse_header(io.BytesIO(sealed(b"same", key)))
    b = parse_header(io.BytesIO(sealed(b"same", key)))
    assert a.salt != b.salt and a.nonce_prefix != b.nonce_prefix


def test_streaming_memory_is_bounded(key: SessionKey) -> None:
    """The writer never holds more than a chunk: every record is at most chunk size + 20."""
    pieces = list(seal((os.urandom(65536) for _ in range(64)), secret=key, session_id=SID))
    assert max(len(p) for p in pieces[1:]) <= DEFAULT_CHUNK_SIZE + 16


def test_wrong_passphrase() -> None:
    blob = sealed(b"x" * 100, Passphrase(PASSPHRASE))
    with pytest.raises(SessionDecryptError, match="wrong passphrase") as info:
        opened(blob, Passphrase("not it"))
    assert PASSPHRASE not in str(info.value) and "not it" not in str(info.value)


def test_wrong_key(key: SessionKey) -> None:
    with pytest.raises(SessionDecryptError, match="wrong key"):
        opened(sealed(b"x", key), SessionKey.generate())


def test_key_for_passphrase_file_and_back(key: SessionKey) -> None:
    with pytest.raises(SessionDecryptError, match="give the passphrase instead"):
        opened(sealed(b"x", Passphrase(PASSPHRASE)), key)
    with pytest.raises(SessionDecryptError, match="give the key instead"):
        opened(sealed(b"x", key), Passphrase(PASSPHRASE))


def test_other_session_id(key: SessionKey) -> None:
    with pytest.raises(SessionDecryptError, match="sealed for session id 'default', not 'work'"):
        opened(sealed(b"x", key), key, "work")


def test_session_id_is_authenticated_not_only_compared(key: SessionKey) -> None:
    """Rewriting the id inside the header (same length) still fails: it is associated data."""
    blob = bytearray(sealed(b"x", key, chunk_size=4096))
    at = blob.index(b"default")
    blob[at : at + 7] = b"other_1"
    with pytest.raises(SessionDecryptError):
        opened(bytes(blob), key, "other_1")


def test_unknown_version(key: SessionKey) -> None:
    blob = bytearray(sealed(b"x", key))
    blob[len(MAGIC)] = 2
    with pytest.raises(SessionFormatError, match="version 2.*newer.*Upgrade wawebpy"):
        opened(bytes(blob), key)


def test_not_a_session_file(key: SessionKey) -> None:
    with pytest.raises(SessionFormatError, match="not a wawebpy session file"):
        opened(b"PK\x03\x04 a zip file, say", key)
    with pytest.raises(SessionFormatError, match="empty"):
        opened(b"", key)


def test_every_truncation_is_a_format_error(secret: Passphrase | SessionKey) -> None:
    blob = sealed(os.urandom(9000), secret)  # three records of a 4 KiB chunk size
    for cut in range(len(blob)):
        with pytest.raises(SessionFormatError) as info:
            opened(blob[:cut], secret)
        message = str(info.value)
        assert "truncated" in message or "not a wawebpy session" in message or "empty" in message
        if cut > len(MAGIC):
            assert "truncated" in message and "QR code" in message


def test_extra_bytes_after_the_end(key: SessionKey) -> None:
    with pytest.raises(SessionFormatError, match="after its final chunk"):
        opened(sealed(b"x", key) + b"\0", key)


def test_every_header_byte_is_authenticated(secret: Passphrase | SessionKey) -> None:
    blob = sealed(os.urandom(5000), secret)
    header_len = len(parse_header(io.BytesIO(blob)).raw)
    for i in range(header_len):
        for flip in (0x01, 0x80):
            damaged = bytearray(blob)
            damaged[i] ^= flip
            with pytest.raises((SessionDecryptError, SessionFormatError)):
                opened(bytes(damaged), secret)


def test_body_bytes_are_authenticated(secret: Passphrase | SessionKey) -> None:
    blob = sealed(os.urandom(9000), secret)
    header_len = len(parse_header(io.BytesIO(blob)).raw)
    positions = sorted({header_len, *range(header_len, len(blob), 97), len(blob) - 1})
    for i in positions:
        damaged = bytearray(blob)
        damaged[i] ^= 0x04
        with pytest.raises((SessionDecryptError, SessionFormatError)):
            opened(bytes(damaged), secret)


def test_ciphertext_damage_names_the_chunk(key: SessionKey) -> None:
    blob = bytearray(sealed(os.urandom(9000), key))
    header_len = len(parse_header(io.BytesIO(bytes(blob))).raw)
    blob[header_len + 4 + 4096 + 16 + 4 + 10] ^= 1  # inside the second record's ciphertext
    with pytest.raises(SessionDecryptError, match="chunk 2 does not authenticate"):
        opened(bytes(blob), key)


def test_records_cannot_be_reordered_or_dropped(key: SessionKey) -> None:
    blob = sealed(os.urandom(3 * 4096 + 10), key)
    header_len = len(parse_header(io.BytesIO(blob)).raw)
    rec = 4 + 4096 + 16
    body = blob[header_len:]
    r1, r2, rest = body[:rec], body[rec : 2 * rec], body[2 * rec :]
    with pytest.raises(SessionDecryptError):
        opened(blob[:header_len] + r2 + r1 + rest, key)
    with pytest.raises(SessionDecryptError):
        opened(blob[:header_len] + r1 + rest, key)


def test_kdf_parameters_out_of_range_are_refused_before_deriving() -> None:
    blob = bytearray(sealed(b"x", Passphrase(PASSPHRASE)))
    struct.pack_into(">I", blob, 12, 0xFFFF_FFFF)  # Argon2id memory: 4 TiB
    with pytest.raises(SessionFormatError, match="out of range"):
        opened(bytes(blob), Passphrase(PASSPHRASE))


def test_scrypt_files_open_too() -> None:
    pw = Passphrase(PASSPHRASE)
    blob = b"".join(
        seal([b"hello"], secret=pw, session_id=SID, kdf=ScryptParams(log2_n=10, r=8, p=1))
    )
    assert opened(blob, pw) == b"hello"
    assert parse_header(io.BytesIO(blob)).kdf_name == "scrypt"


def test_reseal_changes_the_secret_and_keeps_the_payload(key: SessionKey) -> None:
    payload = os.urandom(10_000)
    blob = sealed(payload, Passphrase(PASSPHRASE))
    new = b"".join(reseal(io.BytesIO(blob), session_id=SID, old=Passphrase(PASSPHRASE), new=key))
    assert opened(new, key) == payload
    with pytest.raises(SessionDecryptError):
        reseal(io.BytesIO(blob), session_id=SID, old=Passphrase("wrong"), new=key)


def test_inspect_needs_no_key_and_reports_damage(key: SessionKey) -> None:
    blob = sealed(os.urandom(9000), key)
    info = inspect_sealed(io.BytesIO(blob))
    assert info.complete and info.chunks == 3 and info.total_bytes == len(blob)
    assert info.header.kdf_name == "HKDF-SHA256" and info.header.session_id == SID
    cut = inspect_sealed(io.BytesIO(blob[:-5]))
    assert not cut.complete and "truncated" in (cut.problem or "")


def test_invalid_session_ids_are_refused(key: SessionKey) -> None:
    for bad in ["", "a/b", "../x", "x" * 65, "spaces no", "é"]:
        with pytest.raises(InvalidInputError):
            sealed_id(bad, key)


def sealed_id(session_id: str, key: SessionKey) -> bytes:
    return b"".join(seal([b"x"], secret=key, session_id=session_id))


def test_errors_are_session_errors() -> None:
    assert issubclass(SessionDecryptError, SessionError)
    assert issubclass(SessionFormatError, SessionError)
