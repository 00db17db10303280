"""A minimal RFC 6455 WebSocket server endpoint on asyncio streams (stdlib only).

Only what the fake needs, but done properly: the opening handshake, masked client frames,
7/16/64-bit payload lengths, fragmented messages with interleaved control frames, ping/pong and
the closing handshake. Payloads are unmasked with one big-integer XOR, which keeps a 20 MB
base64 media frame in the tens of milliseconds instead of a per-byte Python loop.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import struct
from collections.abc import Mapping

__all__ = ["ConnectionClosedError", "WebSocket", "accept_key", "handshake_response"]

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_OP_CONT, _OP_TEXT, _OP_BINARY, _OP_CLOSE, _OP_PING, _OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
MAX_MESSAGE = 64 * 1024 * 1024
"""Largest message accepted (a 20 MB file as base64 plus JSON fits comfortably)."""


class ConnectionClosedError(Exception):
    """The peer closed the connection (or broke the protocol); ``code`` is the close code."""

    def __init__(self, code: int = 1006, reason: str = "") -> None:
        super().__init__(f"websocket closed ({code}) {reason}".strip())
        self.code = code
        self.reason = reason


def accept_key(client_key: str) -> str:
    """``Sec-WebSocket-Accept`` for a client's ``Sec-WebSocket-Key``."""
    digest = hashlib.sha1(client_key.encode("ascii") + _GUID).digest()  # noqa: S324 (RFC 6455)
    return base64.b64encode(digest).decode("ascii")


def handshake_response(headers: Mapping[str, str]) -> bytes | None:
    """The 101 response for a valid upgrade request, or None when it is not one."""
    if headers.get("upgrade", "").lower() != "websocket":
        return None
    if "upgrade" not in headers.get("connection", "").lower():
        return None
    key = headers.get("sec-websocket-key", "")
    if headers.get("sec-websocket-version") != "13" or len(base64.b64decode(key + "==")) < 16:
        return None
    return (
        "HTTP/1.1 101 Switching Protocols\r\n"
        "Upgrade: websocket\r\n"
        "Connection: Upgrade\r\n"
        f"Sec-WebSocket-Accept: {accept_key(key)}\r\n\r\n"
    ).encode("ascii")


def _unmask(data: bytes, mask: bytes) -> bytes:
    n = len(data)
    if n == 0:
        return data
    key = (mask * (n // 4 + 1))[:n]
    value = int.from_bytes(data, "little") ^ int.from_bytes(key, "little")
    return value.to_bytes(n, "little")


def _header(opcode: int, length: int) -> bytes:
    first = 0x80 | opcode
    if length < 126:
        return struct.pack("!BB", first, length)
    if length < 1 << 16:
        return struct.pack("!BBH", first, 126, length)
    return struct.pack("!BBQ", first, 127, length)


class WebSocket:
    """Server side of one accepted WebSocket connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._send_lock = asyncio.Lock()
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    async def _frame(self) -> tuple[bool, int, bytes]:
        b0, b1 = await self._reader.readexactly(2)
        if b0 & 0x70:
            raise ConnectionClosedError(1002, "reserved bits set")
        if not b1 & 0x80:
            raise ConnectionClosedError(1002, "client frames must be masked")
        length = b1 & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", await self._reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await self._reader.readexactly(8))
        if length > MAX_MESSAGE:
            raise ConnectionClosedError(1009, "message too big")
        mask = await self._reader.readexactly(4)
        payload = _unmask(await self._reader.readexactly(length), mask)
        return bool(b0 & 0x80), b0 & 0x0F, payload

    async def recv(self) -> str | bytes:
        """Next complete message (str for text, bytes for binary); raises ConnectionClosedError."""
        parts: list[bytes] = []
        size = 0
        opcode: int | None = None
        try:
            while True:
                fin, op, payload = await self._frame()
                if op >= 0x8:
                    await self._control(op, payload, fin)
                    continue
                if op == _OP_CONT:
                    if opcode is None:
                        raise ConnectionClosedError(1002, "continuation without a message")
                elif op in (_OP_TEXT, _OP_BINARY):
                    if opcode is not None:
                        raise ConnectionClosedError(1002, "new message inside a fragmented one")
                    opcode = op
                else:
                    raise ConnectionClosedError(1002, f"unknown opcode {op}")
                size += len(payload)
                if size > MAX_MESSAGE:
                    raise ConnectionClosedError(1009, "message too big")
                parts.append(payload)
                if fin:
                    break
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            self._closed = True
            raise ConnectionClosedError(1006, "connection lost") from exc
        except ConnectionClosedError as exc:
            await self.close(exc.code, exc.reason)
            raise
        data = parts[0] if len(parts) == 1 else b"".join(parts)
        if opcode == _OP_BINARY:
            return data
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            await self.close(1007, "invalid utf-8")
            raise ConnectionClosedError(1007, "invalid utf-8") from None

    async def _control(self, op: int, payload: bytes, fin: bool) -> None:
        if not fin or len(payload) > 125:
            raise ConnectionClosedError(1002, "bad control frame")
        if op == _OP_PING:
            await self._send_frame(_OP_PONG, payload)
        elif op == _OP_CLOSE:
            code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            reason = payload[2:].decode("utf-8", "replace")
            await self.close(1000 if code == 1005 else code)
            raise ConnectionClosedError(code, reason)

    async def _send_frame(self, opcode: int, payload: bytes) -> None:
        if self._closed:
            raise ConnectionClosedError(1006, "already closed")
        async with self._send_lock:
            try:
                self._writer.write(_header(opcode, len(payload)))
                self._writer.write(payload)
                await self._writer.drain()
            except ConnectionError as exc:
                self._closed = True
                raise ConnectionClosedError(1006, "connection lost") from exc

    async def send(self, message: str | bytes) -> None:
        """Send one unfragmented text (str) or binary (bytes) message."""
        if isinstance(message, str):
            await self._send_frame(_OP_TEXT, message.encode("utf-8"))
        else:
            await self._send_frame(_OP_BINARY, message)

    async def ping(self, payload: bytes = b"") -> None:
        await self._send_frame(_OP_PING, payload)

    def abort(self) -> None:
        """Drop the TCP connection without a closing handshake (simulates a network failure)."""
        self._closed = True
        self._writer.transport.abort()

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Send a close frame (once) and close the transport."""
        if self._closed:
            return
        payload = struct.pack("!H", code) + reason.encode("utf-8")[:120]
        with contextlib.suppress(ConnectionClosedError):
            await self._send_frame(_OP_CLOSE, payload)
        self._closed = True
        self._writer.close()
