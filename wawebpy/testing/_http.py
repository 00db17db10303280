"""The fake's HTTP front: serves the page and upgrades ``/ws`` to a WebSocket (stdlib asyncio).

One request per connection (``Connection: close``) keeps the parser trivial; Chrome opens as
many connections as it needs for the handful of static files.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

from ._ws import WebSocket, handshake_response

__all__ = ["HttpServer"]

_log = logging.getLogger("wawebpy.testing")

PAGE_DIR = Path(__file__).with_name("_page")
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}

WsHandler = Callable[[WebSocket], Awaitable[None]]


class HttpServer:
    """Serves ``_page/`` plus a generated ``/config.js``, and hands ``/ws`` sockets to a handler."""

    def __init__(self, config_js: Callable[[], str], on_websocket: WsHandler) -> None:
        self._config_js = config_js
        self._on_websocket = on_websocket
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen (port 0 = a free port) and return the bound port."""
        self._server = await asyncio.start_server(self._serve, host, port, limit=1 << 20)
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._handle(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            # Only stop() cancels these. Ending normally keeps asyncio's stream callback (which
            # calls task.exception()) from logging a spurious CancelledError on Python 3.11.
            pass
        except Exception:
            _log.exception("fake WhatsApp: request failed")
        finally:
            self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3:
            await self._respond(writer, 400, b"bad request line")
            return
        method, target, _version = parts
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        path = urlsplit(target).path
        if method != "GET":
            await self._respond(writer, 405, b"GET only")
            return
        if path == "/ws":
            response = handshake_response(headers)
            if response is None:
                await self._respond(writer, 400, b"expected a websocket upgrade")
                return
            writer.write(response)
            await writer.drain()
            await self._on_websocket(WebSocket(reader, writer))
            return
        if path == "/config.js":
            await self._respond(writer, 200, self._config_js().encode("utf-8"), ".js")
            return
        if path == "/favicon.ico":
            await self._respond(writer, 200, b"", ".ico")
            return
        name = "index.html" if path in ("/", "/index.html") else path.lstrip("/")
        file = PAGE_DIR / name
        if "/" in name or "\\" in name or not file.is_file():
            await self._respond(writer, 404, b"not found")
            return
        await self._respond(writer, 200, file.read_bytes(), file.suffix)

    @staticmethod
    async def _respond(
        writer: asyncio.StreamWriter, status: int, body: bytes, suffix: str = ""
    ) -> None:
        head = (
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
            f"Content-Type: {_TYPES.get(suffix, 'text/plain; charset=utf-8')}\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Cache-Control: no-store\r\n"
            "Connection: close\r\n\r\n"
        )
        writer.write(head.encode("latin-1") + body)
        await writer.drain()
