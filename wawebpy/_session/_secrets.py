"""Secret values (passphrases, raw keys) wrapped so that no repr, str or pickle shows them."""

from __future__ import annotations

import base64
import binascii
import getpass
import os
import secrets
import unicodedata
from pathlib import Path
from typing import NoReturn

from ..errors import InvalidInputError

__all__ = ["KEY_SIZE", "Passphrase", "SessionKey"]

KEY_SIZE = 32


class _Secret:
    """Holds secret bytes; redacts itself everywhere Python might print or copy it."""

    __slots__ = ("_value",)
    _kind = "secret"

    def __init__(self, value: bytes) -> None:
        self._value = value

    def reveal(self) -> bytes:
        """The secret bytes. Only the key derivation calls this."""
        return self._value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<redacted>)"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError(f"a {self._kind} cannot be pickled; pass it to each process explicitly")

    def __copy__(self) -> _Secret:
        return self

    def __deepcopy__(self, memo: object) -> _Secret:
        return self


class Passphrase(_Secret):
    """A passphrase for :class:`~wawebpy.auth.EncryptedAuth`, stretched with Argon2id.

    Build it from where your secrets live (``from_env``, ``from_file``, ``prompt``) rather than
    from a literal in source code. Text is NFC-normalised and UTF-8 encoded, so the same words
    typed on different systems give the same key.
    """

    __slots__ = ()
    _kind = "passphrase"

    def __init__(self, value: str | bytes) -> None:
        if isinstance(value, str):
            raw = unicodedata.normalize("NFC", value).encode("utf-8")
        elif isinstance(value, (bytes, bytearray, memoryview)):
            raw = bytes(value)
        else:
            raise TypeError(f"Passphrase() takes str or bytes, not {type(value).__name__}")
        if not raw:
            raise InvalidInputError("the passphrase is empty; give a non-empty passphrase")
        super().__init__(raw)

    @classmethod
    def from_env(cls, name: str) -> Passphrase:
        """Read the passphrase from environment variable ``name``."""
        value = os.environ.get(name)
        if not value:
            raise InvalidInputError(f"environment variable {name} is not set or is empty")
        return cls(value)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Passphrase:
        """Read the passphrase from a file; one trailing newline is dropped."""
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise InvalidInputError(f"cannot read passphrase file {path}: {exc.strerror}") from None
        if raw.endswith(b"\r\n"):
            raw = raw[:-2]
        elif raw.endswith(b"\n"):
            raw = raw[:-1]
        try:
            return cls(raw.decode("utf-8"))
        except UnicodeDecodeError:
            return cls(raw)

    @classmethod
    def prompt(cls, prompt: str = "Session passphrase: ", *, confirm: bool = False) -> Passphrase:
        """Ask on the terminal without echo; with ``confirm``, ask twice (for new passphrases)."""
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Repeat the passphrase: ") != first:
            raise InvalidInputError("the two passphrases differ; nothing was changed")
        return cls(first)


class SessionKey(_Secret):
    """A raw 32-byte key for :class:`~wawebpy.auth.EncryptedAuth` (e.g. from a secret manager).

    Each sealed file gets its own AES key from it (HKDF-SHA256 with a fresh salt). Make one with
    ``SessionKey.generate()`` or ``python -m wawebpy session keygen --out FILE``.
    """

    __slots__ = ()
    _kind = "session key"

    def __init__(self, value: bytes) -> None:
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise TypeError(
                f"SessionKey() takes 32 raw bytes, not {type(value).__name__}; "
                "use SessionKey.from_text() for hex or base64 text"
            )
        raw = bytes(value)
        if len(raw) != KEY_SIZE:
            raise InvalidInputError(
                f"a session key is {KEY_SIZE} bytes, this one is {len(raw)}; use "
                "SessionKey.generate() or `python -m wawebpy session keygen` to make one"
            )
        super().__init__(raw)

    @classmethod
    def generate(cls) -> SessionKey:
        """A new random key. Store ``key.to_text()`` in your secret manager."""
        return cls(secrets.token_bytes(KEY_SIZE))

    @classmethod
    def from_text(cls, text: str) -> SessionKey:
        """Parse 64 hex digits or base64 / base64url (padding optional) of 32 bytes."""
        cleaned = "".join(text.split())
        raw: bytes | None = None
        if len(cleaned) == 2 * KEY_SIZE:
            try:
                raw = bytes.fromhex(cleaned)
            except ValueError:
                raw = None
        if raw is None:
            padded = cleaned + "=" * (-len(cleaned) % 4)
            try:
                raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
            except (binascii.Error, ValueError):
                raw = None
        if raw is None or len(raw) != KEY_SIZE:
            raise InvalidInputError(
                f"not a session key: expected {KEY_SIZE} bytes as 64 hex digits or base64 text"
            )
        return cls(raw)

    @classmethod
    def from_env(cls, name: str) -> SessionKey:
        """Read the key (hex or base64 text) from environment variable ``name``."""
        value = os.environ.get(name)
        if not value:
            raise InvalidInputError(f"environment variable {name} is not set or is empty")
        try:
            return cls.from_text(value)
        except InvalidInputError:
            raise InvalidInputError(
                f"environment variable {name} does not hold a session key "
                f"({KEY_SIZE} bytes as 64 hex digits or base64)"
            ) from None

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> SessionKey:
        """Read a key file: exactly 32 raw bytes, or hex / base64 text."""
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise InvalidInputError(f"cannot read key file {path}: {exc.strerror}") from None
        if len(raw) == KEY_SIZE:
            return cls(raw)
        try:
            return cls.from_text(raw.decode("ascii"))
        except (UnicodeDecodeError, InvalidInputError):
            raise InvalidInputError(
                f"key file {path} holds neither {KEY_SIZE} raw bytes nor hex/base64 text of them"
            ) from None

    def to_text(self) -> str:
        """The key as base64url text, for a secret manager or an environment variable."""
        return base64.urlsafe_b64encode(self._value).decode("ascii").rstrip("=")
