"""Phone-side changes (edit, revoke, ciphertext, reactions), read receipts, network drops and
ordering of live traffic against the offline backlog."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wawebpy.testing import FakeWhatsApp

from .conftest import Browser, login, send_text

PEER = "15551234567@c.us"
MEMBER = "15557654321@c.us"
GROUP = "120363000000000002@g.us"

LISTEN = """
window.__x = [];
const {Msg} = require('WAWebCollections');
Msg.on('add', (m) => __x.push(['add', m.id._serialized, m.type, m.body === undefined ? null : m.body]));
Msg.on('change:type', (m) => __x.push(['type', m.id._serialized, m.type, m.body]));
Msg.on('change:body change:caption', (m, nv, pv) => __x.push(['body', m.id._serialized, nv, pv]));
Msg.on('change:ack', (m, ack) => __x.push(['ack', m.id._serialized, ack]));
"""


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeWhatsApp]:
    with FakeWhatsApp() as f:
        f.add_group(GROUP, "Reactions", participants=[PEER, MEMBER])
        yield f


@pytest.fixture(scope="module")
def page(browser: Browser, fake: FakeWhatsApp) -> Browser:
    login(browser, fake)
    browser.run(LISTEN)
    return browser


def seen(page: Browser, mid: str, count: int) -> list[list[object]]:
    return list(
        page.wait(
            "const e = __x.filter((x) => x[1] === args[0]); return e.length >= args[1] && e;",
            mid,
            count,
        )
    )


def test_ciphertext_then_change_type(page: Browser, fake: FakeWhatsApp) -> None:
    mid = fake.deliver_text(PEER, "secret", ciphertext=True)
    assert seen(page, mid, 2) == [["add", mid, "ciphertext", None], ["type", mid, "chat", "secret"]]


def test_sender_edits_message(page: Browser, fake: FakeWhatsApp) -> None:
    mid = fake.deliver_text(PEER, "typo")
    fake.edit_message(mid, "fixed")
    assert seen(page, mid, 2)[1] == ["body", mid, "fixed", "typo"]
    key = page.run(
        "const m = require('WAWebCollections').Msg.get(args[0]);"
        "return [m.latestEditMsgKey._serialized, typeof m.latestEditSenderTimestampMs];",
        mid,
    )
    assert key[0].startswith(f"false_{PEER}_") and key[0] != mid and key[1] == "number"
    with pytest.raises(KeyError):
        fake.edit_message("false_15551234567@c.us_UNKNOWN", "x")


def test_sender_revokes_message(page: Browser, fake: FakeWhatsApp) -> None:
    mid = fake.deliver_text(MEMBER, "oops", chat=GROUP)
    fake.revoke_message(mid)
    assert seen(page, mid, 2)[1] == ["type", mid, "revoked", ""]
    proto = page.run(
        "return require('WAWebCollections').Msg.get(args[0]).protocolMessageKey._serialized;", mid
    )
    assert proto.startswith(f"false_{GROUP}_") and proto.endswith(f"_{MEMBER}")


def test_reaction_goes_through_hookable_bulk_upsert(page: Browser, fake: FakeWhatsApp) -> None:
    page.run(
        """
        window.__reactions = [];
        const table = require('WAWebAddonReactionTableMode').reactionTableMode;
        const orig = table.bulkUpsert;
        table.bulkUpsert = function (records) {  // what clients do to observe reactions
          for (const r of records) {
            __reactions.push({id: r.id._serialized, parent: r.reactionParentKey._serialized,
              text: r.reactionText, sender: (r.author || r.from)._serialized,
              ts: r.reactionTimestamp});
          }
          return orig.apply(this, arguments);
        };
        """
    )
    mid = fake.deliver_text(MEMBER, "react to me", chat=GROUP)
    rid = fake.deliver_reaction(PEER, mid, "👍")
    got = page.wait("return __reactions.length > 0 && __reactions;")
    assert got[0]["id"] == rid and got[0]["parent"] == mid
    assert got[0]["text"] == "👍" and got[0]["sender"] == PEER and got[0]["ts"] > 1e12
    page.wait("return require('WAWebCollections').Msg.get(args[0]).hasReaction === true;", mid)
    fake.deliver_reaction(PEER, mid, "")
    page.wait("return require('WAWebCollections').Msg.get(args[0]).hasReaction === false;", mid)


def test_send_seen_is_reported(page: Browser, fake: FakeWhatsApp) -> None:
    fake.deliver_text(PEER, "read me")
    page.run(
        "const chat = require('WAWebCollections').Chat.get(args[0]);"
        # afterAvailable: false, else the receipt waits for a focused ("available") page
        "await require('WAWebUpdateUnreadChatAction').sendSeen("
        "{chat, threadId: undefined, afterAvailable: false});"
        "return chat.unreadCount;",
        PEER,
    )
    assert page.run("return require('WAWebCollections').Chat.get(args[0]).unreadCount;", PEER) == 0
    fake.wait_for_read(PEER)
    assert PEER in fake.read_chats


def test_network_drop_reconnects_and_flushes_queued_send(page: Browser, fake: FakeWhatsApp) -> None:
    page.run("window.__states = []; require('WAWebSocketModel').Socket.on('change:state', (m, s) => __states.push(s));")
    fake.drop_connections()
    page.wait_state("TIMEOUT")
    # a send while offline is held and goes out after the reconnect and sync
    result = send_text(page, PEER, "sent while offline")
    (sent,) = fake.wait_for_sent(predicate=lambda s: s.id == result["id"])
    assert sent.body == "sent while offline"
    page.wait_state("CONNECTED")
    states = page.run("return __states;")
    assert states[0] == "TIMEOUT" and states[-1] == "CONNECTED"
    assert "UNPAIRED" not in states
    fake.wait_until_connected()


def test_group_notifications(page: Browser, fake: FakeWhatsApp) -> None:
    newcomer = "15550001111@c.us"
    add_id = fake.add_participants(GROUP, [newcomer], by=PEER)
    promote_id = fake.promote_participants(GROUP, [newcomer], by=PEER)
    subject_id = fake.set_group_subject(GROUP, "Renamed", by=MEMBER)
    leave_id = fake.remove_participants(GROUP, [newcomer], by=newcomer)
    got = page.wait(
        """
        const {Msg, Chat} = require('WAWebCollections');
        const ids = args[0];
        if (!ids.every((id) => Msg.get(id))) return false;
        const chat = Chat.get(args[1]);
        return {
          msgs: ids.map((id) => { const m = Msg.get(id); return [m.type, m.subtype,
            m.author._serialized, m.recipients.map(String), m.id.remote._serialized, m.isNewMsg]; }),
          title: chat.formattedTitle,
          subject: chat.groupMetadata.subject,
          members: chat.groupMetadata.participants.getModelsArray().map((p) => String(p.id)),
        };
        """,
        [add_id, promote_id, subject_id, leave_id],
        GROUP,
    )
    assert got["msgs"] == [
        ["gp2", "add", PEER, [newcomer], GROUP, True],
        ["gp2", "promote", PEER, [newcomer], GROUP, True],
        ["gp2", "subject", MEMBER, [], GROUP, True],
        ["gp2", "leave", newcomer, [newcomer], GROUP, True],
    ]
    assert got["title"] == got["subject"] == "Renamed"
    assert newcomer not in got["members"] and PEER in got["members"]
    with pytest.raises(KeyError):
        fake.add_participants("120363999999999999@g.us", [newcomer])


def test_phone_side_chat_changes(page: Browser, fake: FakeWhatsApp) -> None:
    other = "15550002222@c.us"
    fake.deliver_text(other, "make the chat exist")
    page.wait("return !!require('WAWebCollections').Chat.get(args[0]);", other)
    page.run(
        """
        window.__chat = [];
        const {Chat} = require('WAWebCollections');
        Chat.on('change:archive', (c, cur, prev) => __chat.push(['archive', String(c.id), cur, prev]));
        Chat.on('change:pin', (c, cur) => __chat.push(['pin', String(c.id), cur > 0]));
        Chat.on('remove', (c) => __chat.push(['remove', String(c.id)]));
        """
    )
    fake.archive_chat(other)
    fake.pin_chat(other)
    fake.delete_chat(other)
    events = page.wait("return __chat.length >= 3 && __chat;")
    assert events == [
        ["archive", other, True, False],
        ["pin", other, True],
        ["remove", other],
    ]
    assert page.run("return require('WAWebCollections').Chat.get(args[0]) === undefined;", other)


def test_client_chat_actions_reach_the_server(page: Browser, fake: FakeWhatsApp) -> None:
    page.run(
        "const chat = require('WAWebCollections').Chat.get(args[0]);"
        "await require('WAWebCmd').Cmd.archiveChat(chat, true);"
        "return chat.archive;",
        PEER,
    )
    actions = fake.wait_until(lambda f: [a for a in f.chat_actions if a[0] == PEER])
    assert actions[0] == (PEER, "archive", True)
