"""Chat, contact, group, presence and call events (translated in ``_api/_chats.py`` and
siblings)."""

from __future__ import annotations

__all__: list[str] = []
