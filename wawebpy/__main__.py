"""``python -m wawebpy`` and the ``wawebpy`` console script."""

from __future__ import annotations

from wawebpy._cli import main

__all__ = ["main"]

if __name__ == "__main__":
    raise SystemExit(main())
