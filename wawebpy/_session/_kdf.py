"""Key derivation: Argon2id (or scrypt) for passphrases, HKDF-SHA256 for raw keys.

Every sealed file has its own salt, so every file has its own AES-256 key, whichever secret
the user gave. The parameters travel in the file header; a reader bounds them before running
the KDF so that a modified header cannot make it allocate gigabytes.
"""

from __future__ import annotations

import functools
import logging
import struct
from dataclasses import dataclass
from typing import Final

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

try:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id as _Argon2id
except ImportError:  # pragma: no cover - cryptography < 44
    _Argon2id = None  # type: ignore[assignment,misc]

from ..errors import InvalidInputError, SessionDecryptError, SessionFormatError
from ._secrets import KEY_SIZE, Passphrase, SessionKey

__all__ = [
    "KDF_ARGON2ID",
    "KDF_HKDF",
    "KDF_SCRYPT",
    "Argon2idParams",
    "KdfParams",
    "ScryptParams",
    "argon2_available",
    "decode_params",
    "default_passphrase_params",
    "derive_file_key",
    "encode_params",
    "kdf_name",
]

logger = logging.getLogger(__name__)

KDF_HKDF: Final = 1
KDF_ARGON2ID: Final = 2
KDF_SCRYPT: Final = 3

_PARAMS = struct.Struct(">III")  # three u32, meaning depends on the KDF id
_HKDF_INFO = b"wawebpy sealed session v1 file key"

# Upper bounds a reader accepts from a header (RFC 9106's heaviest recommendation is 2 GiB).
_ARGON2_MAX_MEMORY_KIB: Final = 4 * 1024 * 1024
_ARGON2_MAX_ITERATIONS: Final = 64
_ARGON2_MAX_LANES: Final = 64
_SCRYPT_MAX_BYTES: Final = 2 * 1024**3


@dataclass(frozen=True, slots=True)
class Argon2idParams:
    """Argon2id cost for passphrases; the default is RFC 9106's second recommendation.

    Raise ``memory_kib`` on machines that can spare it; lower it only for tests. The values
    are stored in each file's header, so changing them never breaks reading old files.
    """

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    def __post_init__(self) -> None:
        if not 1 <= self.lanes <= _ARGON2_MAX_LANES:
            raise InvalidInputError(f"Argon2id lanes must be 1..{_ARGON2_MAX_LANES}")
        if not 1 <= self.iterations <= _ARGON2_MAX_ITERATIONS:
            raise InvalidInputError(f"Argon2id iterations must be 1..{_ARGON2_MAX_ITERATIONS}")
        if not 8 * self.lanes <= self.memory_kib <= _ARGON2_MAX_MEMORY_KIB:
            raise InvalidInputError(
                f"Argon2id memory_kib must be 8*lanes..{_ARGON2_MAX_MEMORY_KIB} KiB"
            )


@dataclass(frozen=True, slots=True)
class ScryptParams:
    """scrypt cost, used for passphrases only where Argon2id is unavailable (cryptography < 44)."""

    log2_n: int = 17
    r: int = 8
    p: int = 1

    def __post_init__(self) -> None:
        if not 10 <= self.log2_n <= 24 or not 1 <= self.r <= 64 or not 1 <= self.p <= 16:
            raise InvalidInputError("scrypt needs log2_n 10..24, r 1..64, p 1..16")
        if 128 * self.r * (1 << self.log2_n) > _SCRYPT_MAX_BYTES:
            raise InvalidInputError("scrypt parameters need more than 2 GiB of memory")


KdfParams = Argon2idParams | ScryptParams


@functools.cache
def argon2_available() -> bool:
    """Whether this cryptography build derives Argon2id (cryptography >= 44 on OpenSSL 3.2+)."""
    if _Argon2id is None:
        logger.info("Argon2id is unavailable in this cryptography build; using scrypt")
        return False
    try:
        _Argon2id(salt=b"\0" * 16, length=32, iterations=1, lanes=1, memory_cost=8).derive(b"x")
    except UnsupportedAlgorithm:
        logger.info("Argon2id is unavailable in this cryptography build; using scrypt")
        return False
    return True


def default_passphrase_params() -> KdfParams:
    return Argon2idParams() if argon2_available() else ScryptParams()


def kdf_name(kdf_id: int) -> str:
    return {KDF_HKDF: "HKDF-SHA256", KDF_ARGON2ID: "Argon2id", KDF_SCRYPT: "scrypt"}.get(
        kdf_id, f"unknown ({kdf_id})"
    )


def encode_params(params: KdfParams | None) -> tuple[int, bytes]:
    """The header's KDF id and 12 parameter bytes (``None`` means a raw key, HKDF)."""
    if params is None:
        return KDF_HKDF, _PARAMS.pack(0, 0, 0)
    if isinstance(params, Argon2idParams):
        return KDF_ARGON2ID, _PARAMS.pack(params.memory_kib, params.iterations, params.lanes)
    return KDF_SCRYPT, _PARAMS.pack(params.log2_n, params.r, params.p)


def decode_params(kdf_id: int, raw: bytes) -> KdfParams | None:
    """Parse and bound the header's KDF fields; raise SessionFormatError for anything else."""
    a, b, c = _PARAMS.unpack(raw)
    try:
        if kdf_id == KDF_HKDF:
            if a or b or c:
                raise SessionFormatError("the header's HKDF parameters must be zero")
            return None
        if kdf_id == KDF_ARGON2ID:
            return Argon2idParams(memory_kib=a, iterations=b, lanes=c)
        if kdf_id == KDF_SCRYPT:
            return ScryptParams(log2_n=a, r=b, p=c)
    except InvalidInputError as exc:
        raise SessionFormatError(
            f"the header's {kdf_name(kdf_id)} parameters are out of range ({exc}); "
            "the file is corrupt"
        ) from None
    raise SessionFormatError(
        f"the header names key derivation id {kdf_id}, which this wawebpy does not know; "
        "upgrade wawebpy or check that this is a session file"
    )


def derive_file_key(
    secret: Passphrase | SessionKey, kdf_id: int, params: KdfParams | None, salt: bytes
) -> bytes:
    """The per-file AES-256 key. A wrong secret is only noticed when the header tag fails."""
    if isinstance(secret, SessionKey):
        if kdf_id != KDF_HKDF:
            raise SessionDecryptError(
                f"this session was sealed with a passphrase ({kdf_name(kdf_id)}), "
                "but a key was given; give the passphrase instead (passphrase= in EncryptedAuth, "
                "--passphrase-env/--passphrase-file on the command line)"
            )
        return HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=salt, info=_HKDF_INFO).derive(
            secret.reveal()
        )
    if kdf_id == KDF_HKDF:
        raise SessionDecryptError(
            "this session was sealed with a raw key, but a passphrase was given; "
            "give the key instead (key= in EncryptedAuth, --key-env/--key-file on the command "
            "line)"
        )
    if isinstance(params, Argon2idParams):
        if not argon2_available():
            raise SessionFormatError(
                "this session was sealed with Argon2id, which this cryptography build lacks; "
                "install cryptography >= 44"
            )
        assert _Argon2id is not None
        return _Argon2id(
            salt=salt,
            length=KEY_SIZE,
            iterations=params.iterations,
            lanes=params.lanes,
            memory_cost=params.memory_kib,
        ).derive(secret.reveal())
    if isinstance(params, ScryptParams):
        scrypt = Scrypt(salt=salt, length=KEY_SIZE, n=1 << params.log2_n, r=params.r, p=params.p)
        return scrypt.derive(secret.reveal())
    raise AssertionError(f"no parameters for KDF {kdf_id}")
