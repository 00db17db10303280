"""Traffic through the fake: sends reach the server byte-identical, incoming messages land in
Msg with the spec's fields and fire 'add', acks fire 'change:ack', offline redelivery, bursts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wawebpy.testing import FakeWhatsApp, IncomingText

from .conftest import Browser, login, send_text

PEER = "15551234567@c.us"
MEMBER = "15557654321@c.us"
GROUP = "120363000000000001@g.us"

BODIES = {
    "plain": "hello",
    "quotes": "she said \"hi\" and 'bye' \\ back\\slash \\n not a newline",
    "backticks": "`code` ${not.interpolated} ``` fenced ```",
    "script": "</script><script>alert(1)</script><!-- -->",
    "emoji": "😀👍🏽 👨‍👩‍👧‍👦 🇧🇷 ❤️",
    "rtl": "שלום עולם مرحبا \u202eevil\u202c",
    "controls": "line1\nline2\r\n\ttab \u0000 nul \u2028 \u2029 \ufeff",
    "64k": ("0123456789abcdef✓" * 4096)[:65536],
}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeWhatsApp]:
    with FakeWhatsApp() as f:
        f.add_contact(PEER, "Peer Person", push_name="Peer")
        f.add_group(GROUP, "Test group", participants=[PEER, MEMBER], admins=[PEER])
        yield f


@pytest.fixture(scope="module")
def page(browser: Browser, fake: FakeWhatsApp) -> Browser:
    login(browser, fake)
    browser.run(
        """
        window.__events = [];
        const {Msg} = require('WAWebCollections');
        Msg.on('add', (m) => { if (window.__record) __events.push(['add', m.id._serialized, m.isNewMsg]); });
        Msg.on('change:ack', (m, ack) => { __events.push(['ack', m.id._serialized, ack]); });
        """
    )
    return browser


def events_for(page: Browser, mid: str) -> list[list[object]]:
    return list(page.run("return __events.filter((e) => e[1] === args[0]);", mid))


@pytest.mark.parametrize("name", sorted(BODIES))
def test_sent_body_reaches_server_byte_identical(page: Browser, fake: FakeWhatsApp, name: str) -> None:
    body = BODIES[name]
    result = send_text(page, PEER, body)
    assert result["inMsg"] and result["inChat"]
    assert result["result"]["messageSendResult"] == "OK"
    (sent,) = fake.wait_for_sent(predicate=lambda s: s.id == result["id"])
    assert sent.body == body
    assert sent.body.encode("utf-8") == body.encode("utf-8")
    assert sent.to == PEER and sent.type == "chat"
    assert sent.id == f"true_{PEER}_{result['id'].split('_')[2]}"
    assert sent.raw["from"] == fake.me and sent.raw["local"] is True and sent.raw["self"] == "out"
    assert sent.raw["id"]["fromMe"] is True and sent.raw["id"]["remote"] == PEER
    assert sent.timestamp > 0


def test_send_adds_model_fires_add_and_ack_one(page: Browser, fake: FakeWhatsApp) -> None:
    page.run("window.__record = true;")
    result = send_text(page, PEER, "watch me")
    page.run("window.__record = false;")
    mid = result["id"]
    page.wait("return __events.some((e) => e[0] === 'ack' && e[1] === args[0]);", mid)
    assert events_for(page, mid) == [["add", mid, True], ["ack", mid, 1]]
    fake.set_ack(mid, 2)
    fake.set_ack(mid, 3)
    page.wait("return __events.filter((e) => e[1] === args[0]).length === 4;", mid)
    assert events_for(page, mid)[2:] == [["ack", mid, 2], ["ack", mid, 3]]
    assert page.run("return require('WAWebCollections').Msg.get(args[0]).ack;", mid) == 3


def test_reply_with_quote_and_mentions(page: Browser, fake: FakeWhatsApp) -> None:
    incoming = fake.deliver_text(MEMBER, "question?", chat=GROUP)
    fake.wait_for_receipt(incoming)
    result = send_text(page, GROUP, "answer @15557654321", quotedId=incoming, mentions=[MEMBER])
    (sent,) = fake.wait_for_sent(predicate=lambda s: s.id == result["id"])
    assert sent.quoted_id == incoming
    assert sent.mentioned_ids == (MEMBER,)
    assert sent.raw["quotedStanzaID"] == incoming.split("_")[2]
    assert sent.raw["quotedParticipant"] == MEMBER
    assert sent.raw["quotedMsg"]["body"] == "question?"
    assert sent.to == GROUP
    assert sent.id.startswith(f"true_{GROUP}_") and sent.id.endswith(f"_{fake.me}")


def test_reply_to_own_message_in_private_chat(page: Browser, fake: FakeWhatsApp) -> None:
    first = send_text(page, PEER, "first")
    second = send_text(page, PEER, "second", quotedId=first["id"])
    (sent,) = fake.wait_for_sent(predicate=lambda s: s.id == second["id"])
    assert sent.quoted_id == first["id"]
    assert sent.raw["quotedParticipant"] == fake.me


def test_incoming_private_message_fields(page: Browser, fake: FakeWhatsApp) -> None:
    page.run("window.__record = true;")
    mid = fake.deliver_text(PEER, "hi there 😀", timestamp=1_750_000_000)
    page.wait("return __events.some((e) => e[1] === args[0]);", mid)
    page.run("window.__record = false;")
    assert events_for(page, mid) == [["add", mid, True]]
    m = page.run(
        """
        const m = require('WAWebCollections').Msg.get(args[0]);
        const s = m.serialize();
        const chat = require('WAWebCollections').Chat.get(s.id.remote);
        return {id: {fromMe: s.id.fromMe, remote: s.id.remote._serialized, id: s.id.id,
                     participant: s.id.participant, _serialized: s.id._serialized},
                body: s.body, type: s.type, t: s.t, from: s.from._serialized, to: s.to._serialized,
                author: s.author, isNewMsg: s.isNewMsg, ack: s.ack, notifyName: s.notifyName,
                inChat: chat.msgs.get(args[0]) === m, unread: chat.unreadCount,
                title: chat.formattedTitle, chatT: chat.t};
        """,
        mid,
    )
    assert m["id"] == {
        "fromMe": False,
        "remote": PEER,
        "id": mid.split("_")[2],
        "participant": None,
        "_serialized": mid,
    }
    assert (m["body"], m["type"], m["t"]) == ("hi there 😀", "chat", 1_750_000_000)
    assert (m["from"], m["to"], m["author"]) == (PEER, fake.me, None)
    assert m["isNewMsg"] is True and m["notifyName"] == "Peer"
    assert m["inChat"] is True and m["unread"] >= 1
    assert m["title"] == "Peer Person"
    fake.wait_for_receipt(mid)


def test_incoming_group_message_fields(page: Browser, fake: FakeWhatsApp) -> None:
    quoted = fake.deliver_text(PEER, "original", chat=GROUP)
    mid = fake.deliver_text(MEMBER, "in the group", chat=GROUP, quoted_id=quoted, mentions=[PEER])
    assert mid == f"false_{GROUP}_{mid.split('_')[2]}_{MEMBER}"
    page.wait("return !!require('WAWebCollections').Msg.get(args[0]);", mid)
    m = page.run(
        """
        const {Msg, Chat} = require('WAWebCollections');
        const m = Msg.get(args[0]);
        const chat = Chat.get(m.id.remote);
        const q = require('WAWebQuotedMsgModelUtils').getQuotedMsgObj(m);
        return {remote: m.id.remote._serialized, participant: m.id.participant._serialized,
                author: m.author._serialized, from: m.from._serialized, to: m.to._serialized,
                mentioned: m.mentionedJidList.map(String), quotedStanzaID: m.quotedStanzaID,
                quotedParticipant: String(m.quotedParticipant), quotedBody: m.quotedMsg.body,
                quotedObj: q && q.id._serialized, isGroup: chat.isGroup, title: chat.formattedTitle,
                participants: chat.groupMetadata.participants.getModelsArray().length,
                gmSer: chat.groupMetadata.serialize().participants.map((p) => [String(p.id), p.isAdmin]),
                iAmAdmin: chat.iAmAdmin()};
        """,
        mid,
    )
    assert (m["remote"], m["participant"], m["author"]) == (GROUP, MEMBER, MEMBER)
    assert (m["from"], m["to"]) == (GROUP, fake.me)
    assert m["mentioned"] == [PEER]
    assert m["quotedStanzaID"] == quoted.split("_")[2]
    assert m["quotedParticipant"] == PEER and m["quotedBody"] == "original"
    assert m["quotedObj"] == quoted
    assert m["isGroup"] is True and m["title"] == "Test group"
    assert m["participants"] == 3
    assert [PEER, True] in m["gmSer"] and [fake.me, False] in m["gmSer"]
    assert m["iAmAdmin"] is False


def test_ack_on_incoming_message(page: Browser, fake: FakeWhatsApp) -> None:
    mid = fake.deliver_text(PEER, "ack me")
    fake.wait_for_receipt(mid)
    fake.set_ack(mid, 3)
    page.wait("return __events.some((e) => e[0] === 'ack' && e[1] === args[0] && e[2] === 3);", mid)
    with pytest.raises(KeyError):
        fake.set_ack("false_15551234567@c.us_NOPE", 2)


def test_offline_messages_are_redelivered_as_new_after_reload(
    page: Browser, fake: FakeWhatsApp
) -> None:
    old = fake.deliver_text(PEER, "seen before")
    fake.wait_for_receipt(old)
    page.clear_log()  # sessionStorage is per origin: clear it while still on the page
    page.driver.get("about:blank")
    fake.wait_until_disconnected()
    offline = fake.deliver_text(PEER, "while you were away")
    page.open(fake.url)
    log = page.wait_log("hasSynced", True)
    assert ["add", offline, True] in log
    assert ["add", old, False] in log
    adds = [e for e in log if e[0] in ("add", "hasSynced")]
    assert adds.index(["add", offline, True]) < adds.index(["hasSynced", True])
    fake.wait_for_receipt(offline)
    # re-install the module's listeners on the new document
    page.run(
        """
        window.__events = [];
        const {Msg} = require('WAWebCollections');
        Msg.on('add', (m) => { if (window.__record) __events.push(['add', m.id._serialized, m.isNewMsg]); });
        Msg.on('change:ack', (m, ack) => { __events.push(['ack', m.id._serialized, ack]); });
        """
    )


def test_burst_of_10000_arrives_in_one_task(page: Browser, fake: FakeWhatsApp) -> None:
    page.run(
        """
        window.__burst = {adds: 0, tasksBetween: 0, first: null, last: null};
        const {Msg} = require('WAWebCollections');
        Msg.on('add', (m) => {
          if (!m.id.id.startsWith('BURST')) return;
          const b = window.__burst;
          if (b.adds === 0) setTimeout(() => { b.tasksBetween = b.adds < 10000 ? 1 : 0; b.done = true; }, 0);
          b.adds += 1;
          if (b.first === null) b.first = m.id.id;
          b.last = m.id.id;
        });
        """
    )
    items = [
        IncomingText(sender=PEER if i % 2 else MEMBER, text=f"burst {i}", id=f"BURST{i:06d}")
        for i in range(10_000)
    ]
    ids = fake.deliver_many(items)
    assert len(ids) == 10_000 and len(set(ids)) == 10_000
    burst = page.wait("return window.__burst.done && window.__burst;", timeout=60)
    assert burst["adds"] == 10_000
    assert burst["tasksBetween"] == 0
    assert (burst["first"], burst["last"]) == ("BURST000000", "BURST009999")
    fake.wait_for_receipt(ids[-1], timeout=30)
