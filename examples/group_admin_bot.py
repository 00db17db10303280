"""Group admin bot: welcomes everyone who joins a group it administers, and lets group admins
add people with ``/add NUMBER...`` (one result line per number, as WhatsApp answered)."""

from __future__ import annotations

import argparse

from wawebpy import DEFAULT_WEB_URL, Client, LocalAuth, events, filters, qr
from wawebpy.errors import InvalidInputError, WhatsAppError
from wawebpy.types import ChatId, ParticipantAction

add = filters.Command("add")
JOINS = {ParticipantAction.ADD, ParticipantAction.JOIN, ParticipantAction.LINKED_GROUP_JOIN}


def install(client: Client) -> None:
    """Register the bot's handlers."""

    @client.on(events.GroupParticipantsChanged, lambda e: e.action in JOINS)
    def welcome(client: Client, event: events.GroupParticipantsChanged) -> None:
        names = " ".join(f"@{p.user}" for p in event.participants)
        client.send_text(event.group_id, f"Welcome {names}!", mentions=event.participants)

    @client.on(events.NewMessage, filters.Incoming() & filters.Groups() & add)
    def add_people(client: Client, event: events.NewMessage) -> None:
        cmd = add.parse(event)
        try:
            numbers = ["".join(c for c in a if c.isdigit()) for a in cmd.args] if cmd else []
            people = [ChatId.parse(f"{n}@c.us") for n in numbers]
        except InvalidInputError:
            client.send_text(event.message.chat_id, "usage: /add 15551234567 ...")
            return
        try:
            results = client.add_participants(event.message.chat_id, people)
        except WhatsAppError as exc:
            client.send_text(event.message.chat_id, f"cannot add: {exc.reason or exc.code}")
            return
        lines = [f"{r.id.user}: {r.code}" for r in results]
        client.send_text(event.message.chat_id, "\n".join(lines), reply_to=event.message)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web-url", default=DEFAULT_WEB_URL)
    args = parser.parse_args()
    client = Client(web_url=args.web_url, auth=LocalAuth(".wawebpy-admin"))
    client.on(events.QrCode)(lambda c, e: print(qr.render_terminal(e.data)))
    install(client)
    client.start()
    client.wait_until_ready(timeout=300)
    client.run_forever()


if __name__ == "__main__":
    main()
