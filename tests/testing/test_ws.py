"""RFC 6455 framing of the fake's WebSocket server, driven by a raw socket client."""

from __future__ import annotations

import asyncio
import base64
import os
import struct
from collections.abc import Awaitable, Callable

import websocket  # websocket-client, a wawebpy dependency: an independent implementation

from wawebpy.testing._http import HttpServer
from wawebpy.testing._ws import ConnectionClosedError, WebSocket, accept_key


def test_accept_key_rfc_example() -> None:
    assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def frame(opcode: int, payload: bytes, *, fin: bool = True, mask: bool = True) -> bytes:
    first = (0x80 if fin else 0) | opcode
    n = len(payload)
    m = 0x80 if mask else 0
    if n < 126:
        head = struct.pack("!BB", first, m | n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", first, m | 126, n)
    else:
        head = struct.pack("!BBQ", first, m | 127, n)
    if not mask:
        return head + payload
    key = os.urandom(4)
    masked = bytes(b ^ key[i % 4] for i, b in enumerate(payload)) if n < 4096 else _xor(payload, key)
    return head + key + masked


def _xor(data: bytes, key: bytes) -> bytes:
    k = (key * (len(data) // 4 + 1))[: len(data)]
    return (int.from_bytes(data, "little") ^ int.from_bytes(k, "little")).to_bytes(len(data), "little")


async def read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    b0, b1 = await reader.readexactly(2)
    assert not b1 & 0x80, "server frames are never masked"
    n = b1 & 0x7F
    if n == 126:
        (n,) = struct.unpack("!H", await reader.readexactly(2))
    elif n == 127:
        (n,) = struct.unpack("!Q", await reader.readexactly(8))
    return b0 & 0x0F, await reader.readexactly(n)


Scenario = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def run_against_echo(scenario: Scenario) -> list[str]:
    """Start an echo server, connect, handshake, run ``scenario``; returns the close log."""
    log: list[str] = []

    async def echo(ws: WebSocket) -> None:
        try:
            while True:
                await ws.send(await ws.recv())
        except ConnectionClosedError as exc:
            log.append(f"closed {exc.code}")

    async def main() -> None:
        server = HttpServer(lambda: "", echo)
        port = await server.start()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101")
        assert f"Sec-WebSocket-Accept: {accept_key(key)}".encode() in head
        try:
            await asyncio.wait_for(scenario(reader, writer), 30)
        finally:
            writer.close()
            await server.stop()

    asyncio.run(main())
    return log


def test_lengths_7_16_and_64_bit_round_trip() -> None:
    async def scenario(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for size in (0, 125, 126, 65535, 65536, 3 * 1024 * 1024):
            text = ("é✓" * size)[:size]
            writer.write(frame(0x1, text.encode()))
            op, payload = await read_frame(reader)
            assert op == 0x1 and payload.decode() == text

    run_against_echo(scenario)


def test_twenty_megabyte_media_frame() -> None:
    """A 20 MB file as base64 (about 27 MB of text) in one frame, and fragmented."""

    async def scenario(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        text = base64.b64encode(os.urandom(20 * 1024 * 1024)).decode()
        data = text.encode()
        writer.write(frame(0x1, data))
        op, payload = await read_frame(reader)
        assert op == 0x1 and payload == data
        third = len(data) // 3
        writer.write(frame(0x1, data[:third], fin=False))
        writer.write(frame(0x0, data[third : 2 * third], fin=False))
        writer.write(frame(0x0, data[2 * third :], fin=True))
        op, payload = await read_frame(reader)
        assert op == 0x1 and payload == data

    run_against_echo(scenario)


def test_fragmented_message_with_interleaved_ping() -> None:
    async def scenario(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        data = "part one|part two|😀".encode()
        writer.write(frame(0x1, data[:5], fin=False))
        writer.write(frame(0x9, b"are you there", fin=True))
        writer.write(frame(0x0, data[5:14], fin=False))
        writer.write(frame(0x0, data[14:], fin=True))  # splits the emoji across frames
        op, payload = await read_frame(reader)
        assert (op, payload) == (0xA, b"are you there")
        op, payload = await read_frame(reader)
        assert (op, payload) == (0x1, data)

    run_against_echo(scenario)


def test_binary_and_close_handshake() -> None:
    async def scenario(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(frame(0x2, b"\x00\xffbin"))
        assert await read_frame(reader) == (0x2, b"\x00\xffbin")
        writer.write(frame(0x8, struct.pack("!H", 1000) + b"bye"))
        op, payload = await read_frame(reader)
        assert op == 0x8 and struct.unpack("!H", payload[:2])[0] == 1000

    assert run_against_echo(scenario) == ["closed 1000"]


def test_unmasked_client_frame_is_a_protocol_error() -> None:
    async def scenario(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(frame(0x1, b"naked", mask=False))
        op, payload = await read_frame(reader)
        assert op == 0x8 and struct.unpack("!H", payload[:2])[0] == 1002

    assert run_against_echo(scenario) == ["closed 1002"]


def test_invalid_utf8_text_is_refused() -> None:
    async def scenario(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(frame(0x1, b"\xff\xfe"))
        op, payload = await read_frame(reader)
        assert op == 0x8 and struct.unpack("!H", payload[:2])[0] == 1007

    assert run_against_echo(scenario) == ["closed 1007"]


def test_interoperates_with_websocket_client_library() -> None:
    """An independent client implementation agrees with ours (64-bit length, fragments, ping)."""
    received: list[int] = []

    async def echo(ws: WebSocket) -> None:
        try:
            while True:
                msg = await ws.recv()
                received.append(len(msg))
                await ws.send(msg)
        except ConnectionClosedError:
            pass

    async def main() -> None:
        server = HttpServer(lambda: "", echo)
        port = await server.start()

        def client() -> None:
            ws = websocket.create_connection(f"ws://127.0.0.1:{port}/ws", timeout=30)
            try:
                big = base64.b64encode(os.urandom(768 * 1024)).decode()  # 1 MB: 64-bit length
                ws.send(big)
                assert ws.recv() == big
                ws.send_frame(websocket.ABNF.create_frame("abc", websocket.ABNF.OPCODE_TEXT, fin=0))
                ws.send_frame(websocket.ABNF.create_frame("def", websocket.ABNF.OPCODE_CONT, fin=1))
                assert ws.recv() == "abcdef"
                ws.ping(b"p")
            finally:
                ws.close()

        await asyncio.get_running_loop().run_in_executor(None, client)
        await server.stop()

    asyncio.run(main())
    assert received[0] == 1024 * 1024 and received[1] == 6


def test_http_front_serves_page_config_and_404() -> None:
    async def main() -> list[bytes]:
        server = HttpServer(lambda: "window.__cfg = 1;", lambda ws: asyncio.sleep(0))
        port = await server.start()
        out = []
        for path in ("/", "/?post_logout=1", "/config.js", "/modules.js", "/nope", "/../_fake.py"):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            out.append(await reader.read())
            writer.close()
        await server.stop()
        return out

    index, post_logout, config, modules, missing, escape = asyncio.run(main())
    assert index.startswith(b"HTTP/1.1 200") and b"<script src=\"/modules.js\">" in index
    assert post_logout == index
    assert b"window.__cfg = 1;" in config and b"text/javascript" in config
    assert b"Requiring unknown module" in modules
    assert missing.startswith(b"HTTP/1.1 404")
    assert escape.startswith(b"HTTP/1.1 404")
