"""The base event class."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

__all__ = ["Event"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base of all events. ``source`` names the page signal behind it (for self-check)."""

    source: ClassVar[str] = ""
