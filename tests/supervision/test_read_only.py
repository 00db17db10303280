"""Read-only mode: every state-changing public method refuses; reading and events still work.

The list of methods is taken from the public API itself, so a new method cannot be forgotten:
each public method is either marked ``@mutating`` or reads by its name.
"""

from __future__ import annotations

import inspect

import pytest
from helpers import Recorder

from wawebpy import Client, events
from wawebpy._async_client import AsyncClient
from wawebpy.errors import ReadOnlyError
from wawebpy.testing import FakeWhatsApp

READING_PREFIXES = (
    "get_", "iter_", "search_", "is_", "wait_", "list_", "download_", "fetch_", "resolve_",
)
# Reads that WhatsApp serves on request: nothing the other side can see changes.
READING = {"subscribe_presence", "sync_history"}
LIFECYCLE = {
    "on", "add_handler", "remove_handler", "start", "close", "run_forever", "wait_for",
    "wait_until_ready", "self_check", "expect", "diagnostics", "save_session", "request_pairing_code",
    # the local outbox file, not WhatsApp
    "outbox_entries", "flush_outbox", "discard_outbox_entry",
}


def public_methods(cls: type) -> dict[str, object]:
    return {
        name: member
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member) and not isinstance(member, type)
    }


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_every_public_method_is_classified(cls: type) -> None:
    unclassified = [
        name
        for name, member in public_methods(cls).items()
        if not getattr(member, "__wawebpy_mutating__", False)
        and not name.startswith(READING_PREFIXES)
        and name not in LIFECYCLE
        and name not in READING
    ]
    assert unclassified == [], "mark these @mutating or give them a reading name"


def test_every_mutating_method_refuses_on_a_read_only_client() -> None:
    client = Client(read_only=True)
    mutating = [n for n, m in public_methods(Client).items() if getattr(m, "__wawebpy_mutating__", False)]
    assert "send_text" in mutating and "logout" in mutating
    for name in mutating:
        with pytest.raises(ReadOnlyError) as info:
            getattr(client, name)()  # refused before the arguments are even looked at
        assert info.value.operation == name


def test_read_only_client_receives_and_reads() -> None:
    with FakeWhatsApp() as fake, Client(web_url=fake.url, read_only=True) as client:
        rec = Recorder()
        client.on(events.Event, group=-1)(rec)
        fake.wait_for_qr()
        fake.scan_qr()
        client.wait_until_ready(timeout=60)
        msg_id = fake.deliver_text(sender="15551234567@c.us", text="monitor me")
        rec.wait(events.NewMessage, lambda e: str(e.message.id) == msg_id)
        assert any(c.id.user == "15551234567" for c in client.get_chats())
        count = len(fake.sent)
        with pytest.raises(ReadOnlyError):
            client.send_text("15551234567@c.us", "nope")
        assert len(fake.sent) == count
