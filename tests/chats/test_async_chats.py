"""The chats/groups API through AsyncClient (the generated twin) against the fake."""

from __future__ import annotations

import asyncio

from conftest import GROUP, MEMBER, PEER

from wawebpy import AsyncClient
from wawebpy.testing import FakeWhatsApp
from wawebpy.types import ChatId, ParticipantAction


def test_async_client_reads_and_changes_groups() -> None:
    async def scenario(fake: FakeWhatsApp) -> None:
        client = AsyncClient(web_url=fake.url)
        await client.start()
        try:
            await asyncio.to_thread(fake.scan_qr)
            await client.wait_until_ready(timeout=60)
            group = await client.get_group(GROUP)
            assert group.subject == "Async group"
            results = await client.add_participants(GROUP, [MEMBER])
            assert [r.code for r in results] == [200]
            await asyncio.to_thread(fake.wait_for_iq, "group.add")
            history = await client.iter_messages(GROUP, limit=5)
            gp2 = [m for m in history if m.raw.get("subtype") == ParticipantAction.ADD.value]
            assert gp2 and gp2[0].chat_id == ChatId.parse(GROUP)
            assert ChatId.parse(GROUP) in await client.get_common_groups(MEMBER)
        finally:
            await client.close()

    with FakeWhatsApp() as fake:
        fake.add_group(GROUP, "Async group", participants=[PEER], admins=[fake.me])
        asyncio.run(scenario(fake))
