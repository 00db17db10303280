"""The public namespace: ``wawebpy.__all__`` is sorted and complete, re-exported classes read
``wawebpy`` (no private module in reprs), and every public symbol says what it is for."""

from __future__ import annotations

import ast
import enum
import inspect
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import wawebpy
from wawebpy import errors, events, filters, qr, types

INIT = Path(wawebpy.__file__)
PUBLIC_MODULES: tuple[ModuleType, ...] = (wawebpy, errors, events, filters, qr, types)


def _order(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: SCREAMING_CASE, then CamelCase, then everything else.
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


def defined_in_init() -> set[str]:
    """Names bound at the top of wawebpy/__init__.py by ``from … import`` or assignment."""
    names: set[str] = set()
    for node in ast.parse(INIT.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_") or n == "__version__"} - {"__all__"}


def test_all_is_sorted() -> None:
    assert wawebpy.__all__ == sorted(wawebpy.__all__, key=_order)


def test_all_is_complete_and_exists() -> None:
    assert set(wawebpy.__all__) == defined_in_init()
    for name in wawebpy.__all__:
        assert hasattr(wawebpy, name), name


@pytest.mark.parametrize("module", PUBLIC_MODULES[1:], ids=lambda m: m.__name__)
def test_submodule_all_lists_only_what_exists(module: ModuleType) -> None:
    for name in module.__all__:
        assert hasattr(module, name), f"{module.__name__}.{name}"


def test_reexported_classes_name_a_public_module() -> None:
    for name in wawebpy.__all__:
        obj = getattr(wawebpy, name)
        if inspect.isclass(obj):
            private = [p for p in obj.__module__.split(".") if p.startswith("_")]
            assert not private, f"{name}.__module__ is {obj.__module__!r}; set it to 'wawebpy'"
    for name in ("Client", "ClientStatus", "BrowserOptions", "StopPropagation"):
        assert getattr(wawebpy, name).__module__ == "wawebpy"


# -- docstrings -----------------------------------------------------------------------------------

# Public members that still lack a docstring, in files owned by other issues. The test fails
# when a NEW gap appears; remove entries here as their docstrings land.
KNOWN_GAPS: frozenset[str] = frozenset()


def _own_doc(obj: Any) -> str | None:
    doc = obj.__doc__ if isinstance(obj, type) else inspect.getdoc(obj)
    if not doc:
        return None
    if isinstance(obj, type) and doc.startswith(obj.__name__ + "("):
        return None  # the signature dataclasses write when a class has no docstring
    return doc


def _members(cls: type) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("wawebpy"):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or isinstance(value, enum.Enum):
                continue
            target = value.__func__ if isinstance(value, (staticmethod, classmethod)) else value
            if isinstance(target, property) or inspect.isfunction(target):
                found[name] = target
    return found


def missing_docstrings() -> set[str]:
    missing: set[str] = set()
    seen: set[int] = set()
    for module in PUBLIC_MODULES:
        if not _own_doc(module):
            missing.add(module.__name__)
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, ModuleType) or id(obj) in seen:
                continue
            seen.add(id(obj))
            where = f"{'wawebpy' if module is wawebpy else module.__name__}.{name}"
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and not _own_doc(obj):
                missing.add(where)
            if inspect.isclass(obj):
                for member, value in _members(obj).items():
                    target = value.fget if isinstance(value, property) else value
                    if not _own_doc(target):
                        missing.add(f"{where}.{member}")
    return missing


def test_public_symbols_have_docstrings() -> None:
    new = missing_docstrings() - KNOWN_GAPS
    assert not new, f"public symbols without a docstring: {sorted(new)}"
