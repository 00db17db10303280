"""The sealed session format: a header, then AES-256-GCM records (docs/session-format.md).

Writers and readers stream: a writer holds one chunk (1 MiB by default) of plaintext, a reader
one record, so a 200 MB profile is sealed and unsealed in a few MiB of memory. Every header
byte is associated data of every record and of the header tag; each record also binds its own
length and final flag, so reordering, truncation, extension, a changed parameter or a file
copied to another session id all fail before any plaintext is used.
"""

from __future__ import annotations

import os
import re
import struct
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..errors import InvalidInputError, SessionDecryptError, SessionFormatError
from ._kdf import (
    KdfParams,
    decode_params,
    default_passphrase_params,
    derive_file_key,
    encode_params,
    kdf_name,
)
from ._secrets import Passphrase, SessionKey
from ._streams import Readable, read_exact

__all__ = [
    "COMPRESSION_NONE",
    "CONTAINER_PROFILE",
    "DEFAULT_CHUNK_SIZE",
    "MAGIC",
    "VERSION",
    "Header",
    "SealedInfo",
    "check_session_id",
    "inspect_sealed",
    "open_sealed",
    "parse_header",
    "reseal",
    "seal",
]

MAGIC: Final = b"WAWEBPYS"
VERSION: Final = 1
COMPRESSION_NONE: Final = 0
CONTAINER_PROFILE: Final = 1
DEFAULT_CHUNK_SIZE: Final = 1 << 20
MIN_CHUNK_SIZE: Final = 1 << 12
MAX_CHUNK_SIZE: Final = 1 << 24

_TAG: Final = 16
_SALT: Final = 16
_NONCE_PREFIX: Final = 8
# magic, version, header length, kdf id, kdf params, salt, nonce prefix, chunk size,
# compression, container, sealed at, session id length; then the id and the header tag.
_FIXED = struct.Struct(">8sBHB12s16s8sIBBQB")
_LENGTH = struct.Struct(">I")
_COUNTER = struct.Struct(">I")
_FINAL_BIT: Final = 0x8000_0000
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# The container deflates piece by piece (so incompressible data costs nothing); the field is
# kept for a future whole-stream codec.
_COMPRESSIONS: Final = {COMPRESSION_NONE: "none"}
_CONTAINERS: Final = {CONTAINER_PROFILE: "wawebpy profile container v1 (deflated pieces)"}


def check_session_id(session_id: str) -> str:
    """Session ids name files and rows: 1-64 of ``A-Z a-z 0-9 _ -`` (as whatsapp-web.js)."""
    if not isinstance(session_id, str) or not _SESSION_ID.fullmatch(session_id):
        raise InvalidInputError(
            f"session_id {session_id!r} is not valid: use 1-64 characters of A-Z, a-z, 0-9, _ or -"
        )
    return session_id


@dataclass(frozen=True, slots=True)
class Header:
    """A parsed header. ``raw`` is every header byte including the tag (the AEAD's AD)."""

    version: int
    kdf_id: int
    kdf_params: KdfParams | None
    chunk_size: int
    compression: int
    container: int
    sealed_at: int
    session_id: str
    salt: bytes = field(repr=False)
    nonce_prefix: bytes = field(repr=False)
    raw: bytes = field(repr=False)

    @property
    def kdf_name(self) -> str:
        return kdf_name(self.kdf_id)

    @property
    def compression_name(self) -> str:
        return _COMPRESSIONS.get(self.compression, f"unknown ({self.compression})")

    @property
    def container_name(self) -> str:
        return _CONTAINERS.get(self.container, f"unknown ({self.container})")

    @property
    def sealed_at_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.sealed_at, tz=timezone.utc)


@dataclass(frozen=True, slots=True)
class SealedInfo:
    """What ``inspect_sealed`` learns without a key: the header and the record structure."""

    header: Header
    total_bytes: int
    chunks: int
    payload_bytes: int
    complete: bool
    problem: str | None


def _nonce(prefix: bytes, counter: int) -> bytes:
    return prefix + _COUNTER.pack(counter)


def _truncated(session_id: str | None, where: str) -> SessionFormatError:
    name = f"session {session_id!r}" if session_id else "the session file"
    return SessionFormatError(
        f"{name} is truncated: it ends inside {where} (an interrupted copy or a full disk?). "
        "The stored copy was left as it is; restore it from a backup, or delete it "
        "(python -m wawebpy session delete) and scan the QR code again."
    )


def parse_header(stream: Readable, *, expected_session_id: str | None = None) -> Header:
    """Read and check the header's structure (not its tag: that needs the key)."""
    sid = expected_session_id
    start = read_exact(stream, len(MAGIC) + 1)
    if not start:
        raise SessionFormatError(
            f"the stored data for session {sid!r} is empty; it is not a wawebpy session file"
        )
    if start[: len(MAGIC)] != MAGIC[: len(start)]:
        raise SessionFormatError(
            f"the stored data for session {sid!r} is not a wawebpy session file "
            "(its first bytes are not the format's magic number)"
        )
    if len(start) < len(MAGIC) + 1:
        raise _truncated(sid, "the header")
    version = start[len(MAGIC)]
    if version != VERSION:
        newer = "a newer" if version > VERSION else "an unknown"
        raise SessionFormatError(
            f"session {sid!r} uses sealed format version {version}, written by {newer} wawebpy; "
            f"this wawebpy reads version {VERSION}. Upgrade wawebpy to load it."
        )
    rest = read_exact(stream, _FIXED.size - len(start))
    if len(rest) < _FIXED.size - len(start):
        raise _truncated(sid, "the header")
    (
        _magic,
        _version,
        header_len,
        kdf_id,
        kdf_raw,
        salt,
        nonce_prefix,
        chunk_size,
        compression,
        container,
        sealed_at,
        sid_len,
    ) = _FIXED.unpack(start + rest)
    if header_len != _FIXED.size + sid_len + _TAG or not 1 <= sid_len <= 64:
        raise SessionFormatError(
            f"the header of session {sid!r} is corrupt (its length fields disagree); "
            "restore a backup or delete it and scan the QR code again"
        )
    params = decode_params(kdf_id, kdf_raw)
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise SessionFormatError(
            f"the header of session {sid!r} is corrupt (chunk size {chunk_size} out of range)"
        )
    if compression not in _COMPRESSIONS or container not in _CONTAINERS:
        raise SessionFormatError(
            f"session {sid!r} uses compression {compression} / payload {container}, which this "
            "wawebpy does not know; upgrade wawebpy"
        )
    tail = read_exact(stream, sid_len + _TAG)
    if len(tail) < sid_len + _TAG:
        raise _truncated(sid, "the header")
    try:
        stored_id = check_session_id(tail[:sid_len].decode("ascii"))
    except (UnicodeDecodeError, InvalidInputError):
        raise SessionFormatError(
            f"the header of session {sid!r} is corrupt (its session id is not valid)"
        ) from None
    return Header(
        version=version,
        kdf_id=kdf_id,
        kdf_params=params,
        chunk_size=chunk_size,
        compression=compression,
        container=container,
        sealed_at=sealed_at,
        session_id=stored_id,
        salt=salt,
        nonce_prefix=nonce_prefix,
        raw=start + rest + tail,
    )


def open_sealed(
    stream: Readable, secret: Passphrase | SessionKey, session_id: str
) -> tuple[Header, Iterator[bytes]]:
    """Check header, key and session id now; return the header and the payload's chunks.

    The iterator authenticates each record before yielding its plaintext and raises at the
    end if the file was cut short, so a consumer must exhaust it before trusting the result.
    """
    header = parse_header(stream, expected_session_id=session_id)
    if header.session_id != session_id:
        raise SessionDecryptError(
            f"the stored file was sealed for session id {header.session_id!r}, not "
            f"{session_id!r}: it was copied or renamed from another session. Load it under "
            "its own session id, or delete it and scan the QR code again."
        )
    key = derive_file_key(secret, header.kdf_id, header.kdf_params, header.salt)
    aead = AESGCM(key)
    try:
        aead.decrypt(_nonce(header.nonce_prefix, 0), header.raw[-_TAG:], header.raw[:-_TAG])
    except InvalidTag:
        what = "key" if isinstance(secret, SessionKey) else "passphrase"
        raise SessionDecryptError(
            f"cannot open session {session_id!r}: wrong {what} (or the file's header was "
            f"modified). Check the {what} given to EncryptedAuth; the stored file was not "
            "changed."
        ) from None
    return header, _iter_records(stream, aead, header)


def _iter_records(stream: Readable, aead: AESGCM, header: Header) -> Iterator[bytes]:
    sid = header.session_id
    counter = 1
    while True:
        raw_len = read_exact(stream, _LENGTH.size)
        if len(raw_len) < _LENGTH.size:
            raise _truncated(sid, f"chunk {counter} (no final chunk was found)")
        (length_field,) = _LENGTH.unpack(raw_len)
        final = bool(length_field & _FINAL_BIT)
        size = length_field & ~_FINAL_BIT
        if size > header.chunk_size or (not final and size != header.chunk_size):
            raise SessionFormatError(
                f"session {sid!r} is damaged: chunk {counter} has an impossible length. The "
                "stored file was left as it is; restore a backup or delete it and scan the QR "
                "code again."
            )
        body = read_exact(stream, size + _TAG)
        if len(body) < size + _TAG:
            raise _truncated(sid, f"chunk {counter}")
        try:
            plain = aead.decrypt(_nonce(header.nonce_prefix, counter), body, header.raw + raw_len)
        except InvalidTag:
            raise SessionDecryptError(
                f"session {sid!r} is damaged: chunk {counter} does not authenticate (it was "
                "modified or corrupted after it was saved). The stored file was left as it is; "
                "restore a backup or delete it and scan the QR code again."
            ) from None
        yield plain
        if final:
            if stream.read(1):
                raise SessionFormatError(
                    f"session {sid!r} is damaged: there are bytes after its final chunk"
                )
            return
        counter += 1
        if counter > 0xFFFF_FFFF:
            raise SessionFormatError(f"session {sid!r} has too many chunks")


def _secret_kdf(
    secret: Passphrase | SessionKey, kdf: KdfParams | None
) -> tuple[int, bytes, KdfParams | None]:
    if isinstance(secret, SessionKey):
        kdf_id, raw = encode_params(None)
        return kdf_id, raw, None
    params = kdf if kdf is not None else default_passphrase_params()
    kdf_id, raw = encode_params(params)
    return kdf_id, raw, params


def _seal_records(
    plaintext: Iterable[bytes],
    *,
    secret: Passphrase | SessionKey,
    session_id: str,
    kdf: KdfParams | None,
    chunk_size: int,
    compression: int,
    container: int,
) -> Iterator[bytes]:
    check_session_id(session_id)
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise InvalidInputError(f"chunk_size must be {MIN_CHUNK_SIZE}..{MAX_CHUNK_SIZE}")
    kdf_id, kdf_raw, params = _secret_kdf(secret, kdf)
    salt = os.urandom(_SALT)
    prefix = os.urandom(_NONCE_PREFIX)
    sid = session_id.encode("ascii")
    fixed = _FIXED.pack(
        MAGIC,
        VERSION,
        _FIXED.size + len(sid) + _TAG,
        kdf_id,
        kdf_raw,
        salt,
        prefix,
        chunk_size,
        compression,
        container,
        int(time.time()),
        len(sid),
    )
    aead = AESGCM(derive_file_key(secret, kdf_id, params, salt))
    header = fixed + sid
    header += aead.encrypt(_nonce(prefix, 0), b"", header)
    yield header

    counter = 1

    def record(plain: bytes, final: bool) -> tuple[bytes, bytes]:
        raw_len = _LENGTH.pack(len(plain) | (_FINAL_BIT if final else 0))
        return raw_len, aead.encrypt(_nonce(prefix, counter), plain, header + raw_len)

    buf = bytearray()
    for piece in plaintext:
        buf += piece
        # A chunk leaves only when more bytes follow it, so the last one is always "final".
        while len(buf) > chunk_size:
            yield from record(bytes(buf[:chunk_size]), False)
            del buf[:chunk_size]
            counter += 1
    yield from record(bytes(buf), True)


def seal(
    payload: Iterable[bytes],
    *,
    secret: Passphrase | SessionKey,
    session_id: str,
    kdf: KdfParams | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[bytes]:
    """Seal ``payload``; yields the header, then records. Fresh salt and nonce every call."""
    return _seal_records(
        payload,
        secret=secret,
        session_id=session_id,
        kdf=kdf,
        chunk_size=chunk_size,
        compression=COMPRESSION_NONE,
        container=CONTAINER_PROFILE,
    )


def unseal(
    stream: Readable, secret: Passphrase | SessionKey, session_id: str
) -> tuple[Header, Iterator[bytes]]:
    """Header, key and id are checked now, each record as it is iterated."""
    return open_sealed(stream, secret, session_id)


def reseal(
    stream: Readable,
    *,
    session_id: str,
    old: Passphrase | SessionKey,
    new: Passphrase | SessionKey,
    kdf: KdfParams | None = None,
) -> Iterator[bytes]:
    """Re-encrypt under ``new`` without inflating; ``old`` is checked before this returns."""
    header, chunks = open_sealed(stream, old, session_id)
    return _seal_records(
        chunks,
        secret=new,
        session_id=session_id,
        kdf=kdf,
        chunk_size=header.chunk_size,
        compression=header.compression,
        container=header.container,
    )


def inspect_sealed(stream: Readable) -> SealedInfo:
    """Read the header and walk the records' length fields; needs no key, reveals no secret."""
    header = parse_header(stream)
    total = len(header.raw)
    chunks = 0
    payload = 0
    while True:
        raw_len = read_exact(stream, _LENGTH.size)
        total += len(raw_len)
        if len(raw_len) < _LENGTH.size:
            return SealedInfo(header, total, chunks, payload, False, "truncated: no final chunk")
        (length_field,) = _LENGTH.unpack(raw_len)
        size = length_field & ~_FINAL_BIT
        final = bool(length_field & _FINAL_BIT)
        if size > header.chunk_size or (not final and size != header.chunk_size):
            return SealedInfo(
                header, total, chunks, payload, False, f"chunk {chunks + 1} has a bad length"
            )
        body = read_exact(stream, size + _TAG)
        total += len(body)
        if len(body) < size + _TAG:
            return SealedInfo(
                header, total, chunks, payload, False, f"truncated inside chunk {chunks + 1}"
            )
        chunks += 1
        payload += size
        if final:
            extra = stream.read(1)
            if extra:
                return SealedInfo(
                    header, total + 1, chunks, payload, False, "bytes after the final chunk"
                )
            return SealedInfo(header, total, chunks, payload, True, None)
