"""The injected JavaScript and the small scripts that call into it.

The bridge is one script assembled from one file per concern; ``core.js`` holds the only table
of WhatsApp Web module names. It is injected at document start over CDP when available (so it
re-arms itself after every reload) and directly with ``execute_script`` otherwise; it installs
itself once ``window.Debug.VERSION`` and ``window.require`` exist.
"""

from __future__ import annotations

import functools
from importlib import resources

__all__ = ["CALL_SCRIPT", "PUSH_BINDING", "STATUS_SCRIPT", "bridge_source"]

_FILES = (
    "core.js",
    "auth.js",
    "messages.js",
    "media.js",
    "chats.js",
    "contacts.js",
    "groups.js",
    "account.js",
    "labels.js",
    "calls.js",
    "channels.js",
)

PUSH_BINDING = "__wawebpyPush"
"""Name of the CDP binding the page calls with each JSON batch."""

CALL_SCRIPT = """
const done = arguments[arguments.length - 1];
const b = window.__wawebpy;
if (!b) { done({error: {code: 'bridge_missing', message: 'bridge not injected'}}); return; }
b.call(arguments[0], arguments[1]).then(done,
  (e) => done({error: {code: 'page_error', message: String(e)}}));
"""
"""``execute_async_script`` body: (operation name, args object) -> {ok: value} | {error: {...}}."""

STATUS_SCRIPT = """
const b = window.__wawebpy;
const d = window.Debug;
return {bridge: !!b, installed: !!(b && b.installed),
        version: d && d.VERSION != null ? String(d.VERSION) : null, url: location.href};
"""


@functools.cache
def bridge_source() -> str:
    """The whole bridge as one self-installing script."""
    root = resources.files(__package__)
    parts = [f"// ---- {name}\n{(root / name).read_text(encoding='utf-8')}" for name in _FILES]
    boot = (root / "boot.js").read_text(encoding="utf-8")
    return "(function () {\n" + "\n".join(parts) + "\n" + boot + "\n})();\n"
