"""Filters: plain synchronous predicates over events, combinable with ``&``, ``|`` and ``~``.

Pass one as the predicate of :meth:`Client.on <wawebpy.Client.on>`::

    @client.on(events.NewMessage, filters.Text(r"^!ping") & ~filters.Outgoing())
    def pong(client, event): ...

A filter is called on the client's dispatch thread with the event and returns a bool; it must
not block (no I/O, no client calls). Any callable ``(event) -> bool`` works where a filter is
expected, and ``filters.Predicate(fn)`` lifts one into a :class:`Filter` so it composes.

The message filters (everything here except :class:`Filter`, :class:`Predicate`, :class:`All`
and :class:`Any`) apply to events that carry a ``message`` (:class:`~wawebpy.events.NewMessage`);
on any other event they are False.

``Mentioned`` and the account's own id: an event carries only the message, so
:class:`Mentioned` with no arguments checks the message's ``recipient`` — for an incoming
message that is the account itself (``client.me``) — against ``mentioned_ids``. Pass ids
explicitly (``Mentioned(client.me, my_lid)``) to match other or additional ids.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any as Any_
from typing import Generic, Protocol, TypeVar, runtime_checkable

from ._models import MEDIA_TYPES
from .errors import InvalidContentError
from .types import ChatId, ChatLike, Message, MessageType

__all__ = [
    "MEDIA_TYPES",
    "All",
    "Any",
    "Chats",
    "Command",
    "CommandMatch",
    "Filter",
    "Forwarded",
    "Groups",
    "Incoming",
    "Media",
    "Mentioned",
    "MessageEvent",
    "Outgoing",
    "Predicate",
    "Private",
    "Reply",
    "Senders",
    "Text",
    "Types",
]

E_contra = TypeVar("E_contra", contravariant=True)
F = TypeVar("F")


@runtime_checkable
class MessageEvent(Protocol):
    """Any event that carries a :class:`~wawebpy.types.Message` (e.g. ``NewMessage``)."""

    @property
    def message(self) -> Message:
        """The message the event is about."""


class Filter(Generic[E_contra]):
    """Base of every filter: a callable ``(event) -> bool`` that composes with ``& | ~``.

    Subclass it and implement :meth:`__call__` for a reusable filter of your own; the
    operators accept any plain callable on either side.
    """

    __slots__ = ()

    def __call__(self, event: E_contra) -> bool:
        """True when ``event`` passes."""
        raise NotImplementedError

    # The result is typed by the other operand: combining a message filter with a
    # ``(NewMessage) -> bool`` callable gives a ``Filter[NewMessage]``.
    def __and__(self, other: Callable[[F], bool]) -> Filter[F]:
        return All(self._lift(), other)

    def __rand__(self, other: Callable[[F], bool]) -> Filter[F]:
        return All(other, self._lift())

    def __or__(self, other: Callable[[F], bool]) -> Filter[F]:
        return Any(self._lift(), other)

    def __ror__(self, other: Callable[[F], bool]) -> Filter[F]:
        return Any(other, self._lift())

    def _lift(self) -> Callable[[Any_], bool]:
        return self

    def __invert__(self: Filter[F]) -> Filter[F]:
        return _Not(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Predicate(Filter[E_contra]):
    """Lifts a plain callable into a :class:`Filter` so that it composes with ``& | ~``."""

    __slots__ = ("_fn",)

    def __init__(self, fn: Callable[[E_contra], bool]) -> None:
        if not callable(fn):
            raise InvalidContentError("Predicate needs a callable (event) -> bool")
        self._fn = fn

    def __call__(self, event: E_contra) -> bool:
        return bool(self._fn(event))

    def __repr__(self) -> str:
        return f"Predicate({getattr(self._fn, '__qualname__', self._fn)!r})"


def _name(fn: object) -> str:
    return repr(fn) if isinstance(fn, Filter) else getattr(fn, "__qualname__", repr(fn))


class All(Filter[E_contra]):
    """True when every given filter is (``a & b`` builds one); short-circuits left to right."""

    __slots__ = ("filters",)

    def __init__(self, *filters: Callable[[E_contra], bool]) -> None:
        flat: list[Callable[[E_contra], bool]] = []
        for f in filters:
            if not callable(f):
                raise InvalidContentError(f"filters must be callables, not {type(f).__name__}")
            flat.extend(f.filters if type(f) is All else (f,))
        self.filters: tuple[Callable[[E_contra], bool], ...] = tuple(flat)

    def __call__(self, event: E_contra) -> bool:
        return all(f(event) for f in self.filters)

    def __repr__(self) -> str:
        return "(" + " & ".join(_name(f) for f in self.filters) + ")" if self.filters else "All()"


class Any(Filter[E_contra]):
    """True when at least one given filter is (``a | b`` builds one); short-circuits."""

    __slots__ = ("filters",)

    def __init__(self, *filters: Callable[[E_contra], bool]) -> None:
        flat: list[Callable[[E_contra], bool]] = []
        for f in filters:
            if not callable(f):
                raise InvalidContentError(f"filters must be callables, not {type(f).__name__}")
            flat.extend(f.filters if type(f) is Any else (f,))
        self.filters: tuple[Callable[[E_contra], bool], ...] = tuple(flat)

    def __call__(self, event: E_contra) -> bool:
        return builtins.any(f(event) for f in self.filters)

    def __repr__(self) -> str:
        return "(" + " | ".join(_name(f) for f in self.filters) + ")" if self.filters else "Any()"


class _Not(Filter[E_contra]):
    __slots__ = ("inner",)

    def __init__(self, inner: Callable[[E_contra], bool]) -> None:
        self.inner = inner

    def __call__(self, event: E_contra) -> bool:
        return not self.inner(event)

    def __invert__(self) -> Filter[E_contra]:
        inner = self.inner
        return inner if isinstance(inner, Filter) else Predicate(inner)

    def __repr__(self) -> str:
        return f"~{_name(self.inner)}"


# -- message filters ---------------------------------------------------------------------------


def _message(event: object) -> Message | None:
    message = getattr(event, "message", None)
    return message if isinstance(message, Message) else None


class _MessageFilter(Filter[MessageEvent]):
    """A filter over ``event.message``; False for events without a message."""

    __slots__ = ()

    def __call__(self, event: MessageEvent) -> bool:
        message = _message(event)
        return message is not None and self.check(message)

    def check(self, message: Message) -> bool:
        """True when ``message`` passes (the event is known to carry one)."""
        raise NotImplementedError


class Incoming(_MessageFilter):
    """Messages written by someone else (not ``from_me``)."""

    __slots__ = ()

    def check(self, message: Message) -> bool:
        return not message.from_me


class Outgoing(_MessageFilter):
    """Messages the account sent, from this client or from another device."""

    __slots__ = ()

    def check(self, message: Message) -> bool:
        return message.from_me


class Groups(_MessageFilter):
    """Messages in group chats (``…@g.us``)."""

    __slots__ = ()

    def check(self, message: Message) -> bool:
        return message.chat_id.is_group


class Private(_MessageFilter):
    """Messages in one-to-one chats (``…@c.us`` / ``…@lid``)."""

    __slots__ = ()

    def check(self, message: Message) -> bool:
        return message.chat_id.is_user


class Reply(_MessageFilter):
    """Messages that quote another message (``message.quoted_id`` is set)."""

    __slots__ = ()

    def check(self, message: Message) -> bool:
        return message.quoted_id is not None


class Forwarded(_MessageFilter):
    """Messages marked as forwarded."""

    __slots__ = ()

    def check(self, message: Message) -> bool:
        return message.is_forwarded


def _ids(ids: Iterable[ChatLike], what: str) -> frozenset[ChatId]:
    parsed = frozenset(ChatId.parse(i) for i in ids)
    if not parsed:
        raise InvalidContentError(f"{what} needs at least one id")
    return parsed


class Chats(_MessageFilter):
    """Messages in one of the given chats; ids are validated when the filter is built."""

    __slots__ = ("ids",)

    def __init__(self, *ids: ChatLike) -> None:
        self.ids = _ids(ids, "Chats")

    def check(self, message: Message) -> bool:
        return message.chat_id in self.ids

    def __repr__(self) -> str:
        return f"Chats({', '.join(sorted(map(str, self.ids)))})"


class Senders(_MessageFilter):
    """Messages written by one of the given users (the author in groups)."""

    __slots__ = ("ids",)

    def __init__(self, *ids: ChatLike) -> None:
        self.ids = _ids(ids, "Senders")

    def check(self, message: Message) -> bool:
        return message.sender in self.ids

    def __repr__(self) -> str:
        return f"Senders({', '.join(sorted(map(str, self.ids)))})"


class Mentioned(_MessageFilter):
    """Messages that mention the account (or, with ids, any of those ids).

    With no ids, the message's ``recipient`` is taken as the account: for incoming messages the
    client sets it to ``client.me``; our own messages never match. Pass ids (``client.me``,
    the account's ``@lid``) when groups address the account by another id.
    """

    __slots__ = ("ids",)

    def __init__(self, *ids: ChatLike) -> None:
        self.ids = frozenset(ChatId.parse(i) for i in ids)

    def check(self, message: Message) -> bool:
        if not message.mentioned_ids:
            return False
        if self.ids:
            return not self.ids.isdisjoint(message.mentioned_ids)
        return not message.from_me and message.recipient in message.mentioned_ids

    def __repr__(self) -> str:
        return f"Mentioned({', '.join(sorted(map(str, self.ids)))})"


def _type(value: MessageType | str) -> MessageType:
    if isinstance(value, MessageType):
        return value
    if isinstance(value, str):
        try:
            return MessageType[value.upper()]
        except KeyError:
            pass
        known = {t.value for t in MessageType}
        if value in known:
            return MessageType(value)
    raise InvalidContentError(
        f"unknown message type {value!r}; use a wawebpy.types.MessageType member"
    )


class Types(_MessageFilter):
    """Messages of one of the given :class:`~wawebpy.types.MessageType` kinds (or names)."""

    __slots__ = ("types",)

    def __init__(self, *types: MessageType | str) -> None:
        if not types:
            raise InvalidContentError("Types needs at least one message type")
        self.types = frozenset(_type(t) for t in types)

    def check(self, message: Message) -> bool:
        return message.type in self.types

    def __repr__(self) -> str:
        return f"Types({', '.join(sorted(t.name for t in self.types))})"


def _mimetype(message: Message) -> str | None:
    value = getattr(message, "mimetype", None) or message.raw.get("mimetype")
    return value if isinstance(value, str) else None


class Media(_MessageFilter):
    """Messages that carry a file: any of :data:`MEDIA_TYPES`, or only ``kinds``; ``mime``
    patterns (``"image/*"``, ``"application/pdf"``) also check the file's MIME type."""

    __slots__ = ("kinds", "mime")

    def __init__(
        self,
        kinds: Iterable[MessageType | str] | None = None,
        *,
        mime: str | Iterable[str] | None = None,
    ) -> None:
        if isinstance(kinds, (str, MessageType)):
            kinds = (kinds,)
        chosen = MEDIA_TYPES if kinds is None else frozenset(_type(k) for k in kinds)
        if not chosen <= MEDIA_TYPES:
            bad = ", ".join(sorted(t.name for t in chosen - MEDIA_TYPES))
            raise InvalidContentError(f"Media kinds must be media types; not {bad}")
        self.kinds = chosen
        patterns = (mime,) if isinstance(mime, str) else tuple(mime or ())
        self.mime = tuple(p.lower() for p in patterns)

    def check(self, message: Message) -> bool:
        if message.type not in self.kinds:
            return False
        if not self.mime:
            return True
        actual = (_mimetype(message) or "").split(";")[0].strip().lower()
        return builtins.any(_mime_matches(p, actual) for p in self.mime)

    def __repr__(self) -> str:
        kinds = "" if self.kinds == MEDIA_TYPES else ", ".join(sorted(k.name for k in self.kinds))
        mime = f"mime={list(self.mime)!r}" if self.mime else ""
        return f"Media({', '.join(x for x in (kinds, mime) if x)})"


def _mime_matches(pattern: str, actual: str) -> bool:
    if not actual:
        return False
    if pattern.endswith("/*"):
        return actual.startswith(pattern[:-1])
    return pattern == actual


class Text(_MessageFilter):
    """Messages whose text (body or caption) matches a regular expression (``re.search``).

    ``pattern`` is a regex string or a compiled pattern; :meth:`match` returns the match
    object so a handler can read groups without matching twice by hand.
    """

    __slots__ = ("pattern",)

    def __init__(self, pattern: str | re.Pattern[str], flags: int | re.RegexFlag = 0) -> None:
        if isinstance(pattern, re.Pattern):
            if flags:
                raise InvalidContentError("flags cannot be given with a compiled pattern")
            self.pattern: re.Pattern[str] = pattern
        elif isinstance(pattern, str):
            try:
                self.pattern = re.compile(pattern, flags)
            except re.error as exc:
                raise InvalidContentError(f"Text: bad regular expression: {exc}") from None
        else:
            raise InvalidContentError("Text needs a regex string or a compiled pattern")

    def check(self, message: Message) -> bool:
        return self.pattern.search(message.text) is not None

    def match(self, event: MessageEvent) -> re.Match[str] | None:
        """The pattern's match in the event's message text (None when it does not match)."""
        message = _message(event)
        return None if message is None else self.pattern.search(message.text)

    def __repr__(self) -> str:
        return f"Text({self.pattern.pattern!r})"


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandMatch:
    """A parsed command: ``"/echo  hello world"`` → ``name="echo"``, ``args=("hello",
    "world")``, ``rest="hello world"``."""

    prefix: str
    name: str
    """The command name as written (case kept), without the prefix."""
    args: tuple[str, ...]
    """The words after the name, split on whitespace."""
    rest: str
    """Everything after the name, stripped: the argument text with its spacing kept."""


class Command(_MessageFilter):
    """Messages that start with a command: ``prefix`` + one of ``names`` + space or end.

    ``Command()`` matches any command with the prefix; ``Command("start")`` or
    ``Command("help", "h", prefix="!")`` only those names. Names compare case-insensitively
    unless ``case_sensitive``. In the handler, :meth:`parse` returns the :class:`CommandMatch`
    (name and arguments)::

        hello = filters.Command("hello")

        @client.on(events.NewMessage, hello)
        def greet(client, event):
            cmd = hello.parse(event)
            client.send_text(event.message.chat_id, "hello " + cmd.rest)
    """

    __slots__ = ("case_sensitive", "names", "prefix")

    def __init__(self, *names: str, prefix: str = "/", case_sensitive: bool = False) -> None:
        if not isinstance(prefix, str) or not prefix or prefix.isspace():
            raise InvalidContentError("a command prefix must be a non-empty string, e.g. '/'")
        for n in names:
            if not isinstance(n, str) or not n or any(ch.isspace() for ch in n):
                raise InvalidContentError(f"command names must be single words, not {n!r}")
            if n.startswith(prefix):
                raise InvalidContentError(f"write command names without the prefix: {n!r}")
        self.prefix = prefix
        self.case_sensitive = case_sensitive
        self.names = frozenset(n if case_sensitive else n.casefold() for n in names)

    @staticmethod
    def split(text: str, prefix: str = "/") -> CommandMatch | None:
        """Parse ``text`` as a command with ``prefix``; None when it is not one."""
        stripped = text.lstrip()
        if not stripped.startswith(prefix):
            return None
        body = stripped[len(prefix) :]
        parts = body.split(None, 1)
        if not parts or body[:1].isspace():
            return None
        rest = parts[1].strip() if len(parts) > 1 else ""
        return CommandMatch(prefix=prefix, name=parts[0], args=tuple(rest.split()), rest=rest)

    def parse(self, event: MessageEvent) -> CommandMatch | None:
        """The command in the event's message if this filter accepts it, else None."""
        message = _message(event)
        if message is None:
            return None
        found = self.split(message.text, self.prefix)
        if found is None:
            return None
        if self.names:
            name = found.name if self.case_sensitive else found.name.casefold()
            if name not in self.names:
                return None
        return found

    def check(self, message: Message) -> bool:
        return self.parse(_Carrier(message)) is not None

    def __repr__(self) -> str:
        names = ", ".join(repr(n) for n in sorted(self.names))
        return f"Command({names}{', ' if names else ''}prefix={self.prefix!r})"


@dataclass(frozen=True, slots=True)
class _Carrier:
    message: Message
