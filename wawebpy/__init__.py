"""wawebpy: automate WhatsApp Web from Python."""

from __future__ import annotations

from . import errors, events, types

__all__ = ["errors", "events", "types"]
