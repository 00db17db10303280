"""What every API mixin may use from the client core."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from ..errors import ReadOnlyError
from ..events import Event
from ..types import Ack, ChatId, Message

if TYPE_CHECKING:
    from .._sender import SendJob

__all__ = ["ApiBase", "mutating", "translates"]

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


_Translator = Callable[..., Iterable[Event]]


def translates(*kinds: str) -> Callable[[_Translator], _Translator]:
    """Marks a mixin method as the translator of page events ``kinds`` (e.g. "messages.add").

    It is called on the reader thread as ``method(payload)`` and returns the events to publish
    (usually one, possibly none). Keep it cheap: it runs once per page event.
    """

    def mark(fn: _Translator) -> _Translator:
        fn.__wawebpy_translates__ = kinds  # type: ignore[attr-defined]
        return fn

    return mark


class ApiBase:
    """The client core's contract with the API mixins (one mixin per concern)."""

    _me: ChatId | None
    _read_only: bool

    @classmethod
    def _translator_table(cls) -> dict[str, str]:
        """page event kind -> name of the method translating it, gathered over the MRO."""
        table: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                for kind in getattr(value, "__wawebpy_translates__", ()):
                    table[kind] = name
        return table

    def _call(self, op: str, args: dict[str, Any] | None = None, *, need_ready: bool = True) -> Any:
        """Run one bridge operation on the driver thread; errors come back typed."""
        raise NotImplementedError

    def _submit_send(self, job: SendJob, *, timeout: float | None) -> Any:
        """Queue a send; wait (unless ``job.waited_on`` is false) for the page's answer."""
        raise NotImplementedError

    def _await_ack(self, message: Message, ack: Ack, timeout: float | None) -> Ack:
        raise NotImplementedError
