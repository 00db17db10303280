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
        "await require('WAWebUpdateUnreadChatAction').sendSeen({chat, threadId: undefined});"
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


def test_live_message_never_overtakes_offline_backlog(browser: Browser) -> None:
    with FakeWhatsApp(sync_delay=0.3) as fake:
        login(browser, fake)
        browser.clear_log()
        browser.driver.get("about:blank")
        fake.wait_until_disconnected()
        older = fake.deliver_text(PEER, "older, offline")
        browser.driver.get(fake.url)
        # the server has accepted the login and is inside its sync delay: deliver now
        fake._wait(lambda o: (o.authed > 0 and o.synced == 0) or None, 10, "authentication")
        assert browser.state() == "OPENING"
        newer = fake.deliver_text(PEER, "newer, live")
        log = browser.wait_log("hasSynced", True)
        adds = [e[1] for e in log if e[0] == "add" and e[2] is True]
        browser.wait("return !!require('WAWebCollections').Msg.get(args[0]);", newer)
        order = browser.run(
            "return require('WAWebCollections').Chat.get(args[0]).msgs.getModelsArray()"
            ".map((m) => m.id._serialized).filter((id) => id === args[1] || id === args[2]);",
            PEER,
            older,
            newer,
        )
        assert order == [older, newer]
        assert adds.index(older) < (adds.index(newer) if newer in adds else len(adds))
