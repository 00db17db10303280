"""wawebpy: automate WhatsApp Web from Python.

``Client`` is the entry point; events live in :mod:`wawebpy.events`, value types in
:mod:`wawebpy.types`, the exception tree in :mod:`wawebpy.errors`, and the offline fake
WhatsApp Web in :mod:`wawebpy.testing`.
"""

from __future__ import annotations

import logging

from . import errors, events, filters, qr, types
from ._async_client import AsyncClient
from ._client import DEFAULT_WEB_URL, Client, ClientStatus
from ._dispatch import CONTINUE, Expectation, StopPropagation
from ._outbox import OutboxEntry
from ._pacing import Pacing
from ._selfcheck import CapabilityStatus, SelfCheckReport
from ._transport._driver import BrowserOptions
from .auth import (
    AuthStrategy,
    EncryptedAuth,
    FileSessionStore,
    LocalAuth,
    NoAuth,
    Passphrase,
    SessionKey,
    SessionStore,
    SQLiteSessionStore,
)
from .types import Ack, Location, Media, Poll, VCard

__version__ = "0.1.0"

__all__ = [
    "CONTINUE",
    "DEFAULT_WEB_URL",
    "Ack",
    "AsyncClient",
    "AuthStrategy",
    "BrowserOptions",
    "CapabilityStatus",
    "Client",
    "ClientStatus",
    "EncryptedAuth",
    "Expectation",
    "FileSessionStore",
    "LocalAuth",
    "Location",
    "Media",
    "NoAuth",
    "OutboxEntry",
    "Pacing",
    "Passphrase",
    "Poll",
    "SQLiteSessionStore",
    "SelfCheckReport",
    "SessionKey",
    "SessionStore",
    "StopPropagation",
    "VCard",
    "__version__",
    "errors",
    "events",
    "filters",
    "qr",
    "types",
]

logging.getLogger("wawebpy").addHandler(logging.NullHandler())

for _name in (
    "AsyncClient",
    "BrowserOptions",
    "CapabilityStatus",
    "Client",
    "ClientStatus",
    "Expectation",
    "OutboxEntry",
    "Pacing",
    "SelfCheckReport",
    "StopPropagation",
):
    globals()[_name].__module__ = "wawebpy"
