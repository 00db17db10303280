"""Login and connection events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..types import ChatId, State
from ._base import Event

__all__ = [
    "AuthFailure",
    "Authenticated",
    "Disconnected",
    "LoadingProgress",
    "LoggedOut",
    "QrCode",
    "Ready",
    "Reconnecting",
    "StateChanged",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class QrCode(Event):
    """A login QR code is shown (and again each time it rotates).

    ``data`` is the string to encode: ``ref,staticKey,identityKey,advSecret,platform``.
    It is a login credential while it is valid: it never appears in ``repr``.
    """

    source: ClassVar[str] = "auth.qr"
    data: str = field(repr=False)
    attempt: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Authenticated(Event):
    """The account's data finished syncing (``Socket`` ``change:hasSynced``): login succeeded."""

    source: ClassVar[str] = "auth.synced"


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthFailure(Event):
    """Login could not complete; ``reason`` says why."""

    source: ClassVar[str] = "auth.state"
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Ready(Event):
    """The bridge is installed on a synced account: API calls work from now on."""

    source: ClassVar[str] = "auth.synced"
    version: str
    """WhatsApp Web's build (``window.Debug.VERSION``)."""
    me: ChatId | None
    push_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StateChanged(Event):
    """The connection state (``Socket.state``) changed."""

    source: ClassVar[str] = "auth.state"
    state: State


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadingProgress(Event):
    """Initial sync progress in percent (the loading screen)."""

    source: ClassVar[str] = "auth.progress"
    percent: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Disconnected(Event):
    """The client lost WhatsApp Web; ``reason`` is a state name or a short cause."""

    source: ClassVar[str] = "auth.state"
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LoggedOut(Event):
    """The device was unlinked (from the phone or by ``logout()``); a new login is needed."""

    source: ClassVar[str] = "auth.logout"


@dataclass(frozen=True, slots=True, kw_only=True)
class Reconnecting(Event):
    """The supervisor is restarting Chrome after ``reason`` (attempt ``attempt``, after
    ``delay`` seconds); a Ready event follows once the session is back."""

    source: ClassVar[str] = ""
    attempt: int
    delay: float
    reason: str
