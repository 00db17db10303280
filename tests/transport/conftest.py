"""Fixtures for the transport tests: a static site on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator

import pytest

# The bridge runs on these with a stub ``require`` (no WhatsApp modules: only its event queue).
# Unlike the fake (and WhatsApp Web), which hold a WebSocket and send no-store, Chrome keeps
# them in the back/forward cache.
_BRIDGE_PAGE = """<!doctype html><title>{name}</title><script>
window.require = function (name) {{ throw new Error('no module ' + name); }};
window.Debug = {{VERSION: '2.3000.0'}};
</script><p>{name}</p>"""

PAGES = {
    "index.html": "<!doctype html><title>t</title><p id=x>hello</p>",
    "a.html": _BRIDGE_PAGE.format(name="a"),
    "b.html": _BRIDGE_PAGE.format(name="b"),
}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def static_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (ending in ``/``) serving :data:`PAGES`."""
    root = tmp_path_factory.mktemp("site")
    for name, html in PAGES.items():
        (root / name).write_text(html, encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
