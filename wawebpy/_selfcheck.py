"""The self-check report: which WhatsApp Web modules resolve and what a missing one disables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CapabilityStatus", "SelfCheckReport"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CapabilityStatus:
    """One capability (e.g. ``"messages.send"``) and the modules it lacks on this build."""

    name: str
    ok: bool
    missing_modules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SelfCheckReport:
    """What ``client.self_check()`` and ``python -m wawebpy doctor`` report."""

    version: str | None
    """WhatsApp Web's build (``window.Debug.VERSION``)."""
    capabilities: Mapping[str, CapabilityStatus]
    modules: Mapping[str, bool]
    """Each module-table key: whether any of its WhatsApp Web names resolved."""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> SelfCheckReport:
        """Build the report from the bridge's ``bridge.selfCheck`` answer."""
        caps = {
            name: CapabilityStatus(
                name=name, ok=bool(c.get("ok")), missing_modules=tuple(c.get("missing") or ())
            )
            for name, c in (payload.get("capabilities") or {}).items()
        }
        modules = {k: bool(v.get("ok")) for k, v in (payload.get("modules") or {}).items()}
        return cls(version=payload.get("version"), capabilities=caps, modules=modules, raw=payload)

    @property
    def ok(self) -> bool:
        """True when every capability resolves."""
        return all(c.ok for c in self.capabilities.values())

    @property
    def missing_modules(self) -> tuple[str, ...]:
        """Every WhatsApp Web module some capability needs and the page lacks."""
        seen: dict[str, None] = {}
        for cap in self.capabilities.values():
            seen.update(dict.fromkeys(cap.missing_modules))
        return tuple(seen)

    def disabled_by(self, module: str) -> tuple[str, ...]:
        """The capabilities a missing ``module`` turns off."""
        return tuple(n for n, c in self.capabilities.items() if module in c.missing_modules)

    def __getitem__(self, key: str) -> Any:
        # Kept so callers written against the raw mapping (``report["capabilities"]``) still work.
        return self.raw[key]
