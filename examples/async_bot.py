"""An asyncio bot: coroutine handlers, and a conversation that waits for the next message.

    /ask   the bot asks your name and waits (without blocking anything) for the answer
    /slow  the bot does slow async work (a stand-in for an HTTP call) before it answers

Every AsyncClient method is a coroutine; handlers run on the event loop, one event at a time.
"""

from __future__ import annotations

import argparse
import asyncio

from wawebpy import DEFAULT_WEB_URL, LocalAuth, events, filters, qr

try:
    from wawebpy import AsyncClient  # type: ignore[attr-defined]
except ImportError:  # before the re-export lands
    from wawebpy._async_client import AsyncClient


async def slow_lookup(text: str) -> str:
    """Stands in for real async I/O (an HTTP API, a database)."""
    await asyncio.sleep(0.01)
    return text.upper()


def install(client: AsyncClient) -> None:
    """Register the bot's handlers."""
    incoming = filters.Incoming()

    @client.on(events.NewMessage, incoming & filters.Command("ask"))
    async def ask(client: AsyncClient, event: events.NewMessage) -> None:
        chat = event.message.chat_id
        # Listen before asking: an answer that arrives while the question is still being
        # sent would otherwise be missed.
        answer = asyncio.ensure_future(
            client.wait_for(events.NewMessage, filters.Chats(chat) & incoming, timeout=60)
        )
        await client.send_text(chat, "What is your name?")
        try:
            name = (await answer).message.text.strip()
        except TimeoutError:
            await client.send_text(chat, "Never mind.")
            return
        await client.send_text(chat, f"Nice to meet you, {name}!")

    @client.on(events.NewMessage, incoming & filters.Command("slow"))
    async def slow(client: AsyncClient, event: events.NewMessage) -> None:
        cmd = filters.Command.split(event.message.text)
        result = await slow_lookup(cmd.rest if cmd else "")
        await client.send_text(event.message.chat_id, f"looked up: {result}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web-url", default=DEFAULT_WEB_URL)
    args = parser.parse_args()
    async with AsyncClient(web_url=args.web_url, auth=LocalAuth(".wawebpy-async")) as client:
        client.on(events.QrCode)(lambda c, e: print(qr.render_terminal(e.data)))
        install(client)
        await client.wait_until_ready(timeout=300)
        await client.run_forever()


if __name__ == "__main__":
    asyncio.run(main())
