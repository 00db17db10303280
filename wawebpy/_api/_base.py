"""What every API mixin may use from the client core."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from ..errors import ReadOnlyError
from ..types import ChatId

__all__ = ["ApiBase", "mutating"]

P = ParamSpec("P")
R = TypeVar("R")


def mutating(fn: Callable[P, R]) -> Callable[P, R]:
    """Marks a method that changes state on WhatsApp: refused on a read-only client.

    The mark (``__wawebpy_mutating__``) also lets tests enumerate every state-changing method.
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if getattr(args[0], "_read_only", False):
            raise ReadOnlyError(fn.__name__)
        return fn(*args, **kwargs)

    wrapper.__wawebpy_mutating__ = True  # type: ignore[attr-defined]
    return wrapper


class ApiBase:
    """The client core's contract with the API mixins (one mixin per concern)."""

    _me: ChatId | None
    _read_only: bool

    def _call(self, op: str, args: dict[str, Any] | None = None, *, need_ready: bool = True) -> Any:
        """Run one bridge operation on the driver thread; errors come back typed."""
        raise NotImplementedError
