"""A WhatsApp Web build without the poll-vote and download modules: the message events and
methods that need them fail loudly and typed, everything else keeps working."""

from __future__ import annotations

import pytest
from helpers import Recorder

from wawebpy import Client, NoAuth, events
from wawebpy.errors import ModuleMissingError
from wawebpy.testing import FakeWhatsApp

PEER = "15551234567@c.us"
MISSING = frozenset(
    {"WAWebAddonPollVoteTableMode", "WAWebPollsSendVoteMsgAction", "WAWebDownloadManager"}
)


def test_missing_message_modules_fail_loudly() -> None:
    with FakeWhatsApp(me="15550000001", missing_modules=MISSING) as fake:
        rec = Recorder()
        client = Client(web_url=fake.url, auth=NoAuth())
        client.on(events.Event, group=-1)(rec)
        with client:
            rec.wait(events.QrCode, timeout=60)
            fake.scan_qr()
            client.wait_until_ready(timeout=60)
            report = client.self_check()
            for cap in ("messages.pollVote", "messages.vote", "messages.download"):
                assert not report.capabilities[cap].ok, cap
            assert report.capabilities["messages.reaction"].ok
            assert report.capabilities["messages.sendMedia"].ok
            with pytest.raises(ModuleMissingError) as info:
                client.on(events.PollVote)
            assert "WAWebAddonPollVoteTableMode" in info.value.modules
            client.on(events.ReactionChanged)  # its source resolves

            poll = fake.deliver_poll(PEER, "Q?", ["a", "b"])
            rec.wait(events.NewMessage, lambda e: str(e.message.id) == poll)
            with pytest.raises(ModuleMissingError) as vote:
                client.vote_poll(poll, ["a"])
            assert vote.value.modules == ("WAWebPollsSendVoteMsgAction",)
            media = fake.deliver_media(PEER, b"%PDF-1.4 tiny", mimetype="application/pdf")
            rec.wait(events.NewMessage, lambda e: str(e.message.id) == media)
            with pytest.raises(ModuleMissingError):
                client.download_media(media)
            sent = client.send_text(PEER, "still fine")
            fake.wait_for_sent(predicate=lambda s: s.id == str(sent.id))


_TABLE_JS = """
const W = window.__wawebpy;
const out = {unguarded: [], wrongPick: []};
for (const [key, alts] of Object.entries(W.modules)) {
  if (alts.length < 2) continue;
  // every alternative of a fallback entry names the members its callers need
  for (const alt of alts) if (!alt[2] || !alt[2].length) out.unguarded.push(key + ':' + alt[0]);
  // and resolution never lands on an object lacking them
  const got = W.resolveKey(key);
  if (got != null) for (const m of alts[0][2] || []) {
    const wanted = alts.find((a) => (a[2] || []).every((n) => got[n] !== undefined));
    if (!wanted) out.wrongPick.push(key + '.' + m);
  }
}
return out;
"""


def test_an_alternative_lacking_the_member_is_skipped() -> None:
    """The real page has WAWebAdvSignatureApi without getADVSecretKey (wwebjs 1.34.7
    AuthStore.js 14-19): QR login and the QR after a logout must still work, and no table entry
    may pick an alternative by its module's presence alone."""
    with FakeWhatsApp(me="15550000001") as fake:
        rec = Recorder()
        client = Client(web_url=fake.url, auth=NoAuth())
        client.on(events.Event, group=-1)(rec)
        with client:
            rec.wait(events.QrCode, timeout=60)
            fake.scan_qr()
            client.wait_until_ready(timeout=60)
            assert client.self_check().capabilities["auth.qr"].ok
            driver = client.driver
            assert driver is not None
            table = client._worker.run(driver.execute_script, _TABLE_JS)
            assert table == {"unguarded": [], "wrongPick": []}
            assert client._worker.run(
                driver.execute_script,
                "return typeof window.require('WAWebAdvSignatureApi').getADVSecretKey",
            ) == "undefined"
            mark = rec.mark()
            fake.logout_device()
            rec.wait(events.LoggedOut, timeout=60, start=mark)
            # the page asks for a new login once it has come back: its QR is built the same way
            qr = rec.wait(events.QrCode, timeout=60, start=mark)
            assert qr.data.count(",") >= 3
