"""The ``python -m wawebpy`` command line: a dispatcher and one module per command group.

To add a group, write ``wawebpy/_cli/_<name>.py`` with a ``HELP`` string and a
``register(parser)`` that adds its subcommands (each sets ``handler=`` to a function taking the
parsed arguments and returning an exit code), then add ``"<name>"`` to ``GROUPS``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Protocol, cast

from ..errors import WawebpyError

__all__ = ["GROUPS", "build_parser", "main"]

#: Command groups, in help order; each is the module ``wawebpy._cli._<name>``.
GROUPS: tuple[str, ...] = ("session", "demo", "login", "send", "listen", "doctor")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class _Group(Protocol):
    HELP: str

    def register(self, parser: argparse.ArgumentParser) -> None: ...


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m wawebpy",
        description="wawebpy: automate WhatsApp Web from Python.",
        allow_abbrev=False,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level to stderr")
    groups = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in GROUPS:
        module = cast(_Group, importlib.import_module(f"{__name__}._{name}"))
        sub = groups.add_parser(name, help=module.HELP, description=module.HELP, allow_abbrev=False)
        sub.set_defaults(handler=_help_of(sub))
        module.register(sub)
    parser.set_defaults(handler=_help_of(parser))
    return parser


def _help_of(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def show(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    return show


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (0 ok, 1 failed, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    handler = cast(Callable[[argparse.Namespace], int], args.handler)
    try:
        return handler(args)
    except WawebpyError as exc:
        print(f"wawebpy: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("wawebpy: interrupted", file=sys.stderr)
        return 130
