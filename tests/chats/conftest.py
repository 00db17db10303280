"""One logged-in client against the fake per test module (see ``session`` in each module)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers import Recorder

from wawebpy import Client, NoAuth, events
from wawebpy.testing import FakeWhatsApp

ME = "15550000001"
PEER = "15551234567@c.us"
MEMBER = "15557654321@c.us"
OTHER = "15559876543@c.us"
GROUP = "120363012345678901@g.us"
GROUP2 = "120363012345678902@g.us"


class Session:
    def __init__(self, fake: FakeWhatsApp, client: Client, rec: Recorder) -> None:
        self.fake, self.client, self.rec = fake, client, rec


@contextmanager
def logged_in(
    tmp: Path,
    *,
    platform: str = "android",
    before_login: Callable[[FakeWhatsApp], None] | None = None,
) -> Iterator[Session]:
    """A fake with the contacts and groups below; ``before_login`` adds server state that the
    device must receive at login."""
    del tmp
    with FakeWhatsApp(me=ME, push_name="Test Phone", platform=platform) as fake:
        fake.add_contact(PEER, "Alice Example", push_name="alice")
        fake.add_contact(MEMBER, "Bob Member")
        fake.add_contact(OTHER, "Carol Other", is_business=True)
        fake.add_group(GROUP, "Test group", participants=[PEER, MEMBER], admins=[f"{ME}@c.us"])
        fake.add_group(GROUP2, "Not my group", participants=[PEER, MEMBER], admins=[PEER])
        if before_login is not None:
            before_login(fake)
        rec = Recorder()
        client = Client(web_url=fake.url, auth=NoAuth())
        client.on(events.Event, group=-1)(rec)
        client.start()
        try:
            rec.wait(events.QrCode)
            fake.scan_qr()
            client.wait_until_ready(timeout=60)
            yield Session(fake, client, rec)
        finally:
            client.close()
