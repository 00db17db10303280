"""Login state machine, QR, persistence across a Chrome restart, and logout.

One Chrome for the module; each test gets its own fake, i.e. its own origin (port), so
localStorage and IndexedDB start empty for every test without a new browser.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wawebpy.errors import WaitTimeoutError
from wawebpy.testing import FakeWhatsApp

from .conftest import Browser, login

QR_JS = """
const B = require('WABase64');
const reg = await require('WAWebSignalStoreApi').waSignalStore.getRegistrationInfo();
const noise = await require('WAWebUserPrefsInfoStore').waNoiseInfo.get();
const adv = await require('WAWebUserPrefsMultiDevice').getADVSecretKey();
const platform = require('WAWebCompanionRegClientUtils').DEVICE_PLATFORM;
const ref = require('WAWebConnModel').Conn.ref;
return [ref, B.encodeB64(noise.staticKeyPair.pubKey), B.encodeB64(reg.identityKeyPair.pubKey),
        adv, platform].join(',');
"""


@pytest.fixture
def fake() -> Iterator[FakeWhatsApp]:
    with FakeWhatsApp() as f:
        yield f


def events(log: list[list[object]], *kinds: str) -> list[list[object]]:
    return [e for e in log if e[0] in kinds]


def test_fresh_page_shows_qr_built_from_its_key_material(browser: Browser, fake: FakeWhatsApp) -> None:
    browser.open(fake.url)
    qr = fake.wait_for_qr()
    browser.wait_state("UNPAIRED")
    parts = qr.split(",")
    assert len(parts) == 5
    assert parts[0].startswith("2@")
    assert all(parts), parts
    assert len(qr) >= 152
    assert browser.run(QR_JS) == qr
    log = browser.log()
    assert log[0][:3] == ["boot", "OPENING", False]
    assert events(log, "state") == [["state", "UNPAIRED"]]


def test_qr_rotates_then_idles_and_refresh_restarts(browser: Browser) -> None:
    with FakeWhatsApp(qr_interval=0.3, qr_max=3) as fake:
        browser.open(fake.url)
        browser.wait_state("UNPAIRED_IDLE")
        log = browser.log()
        refs = [e[1] for e in events(log, "ref")]
        assert len(refs) == 3 and len(set(refs)) == 3
        assert all(isinstance(r, str) and r.startswith("2@") for r in refs)
        assert events(log, "state") == [["state", "UNPAIRED"], ["state", "UNPAIRED_IDLE"]]
        assert fake.qr is None
        with pytest.raises(WaitTimeoutError):
            fake.scan_qr(timeout=0.2)
        browser.run("require('WAWebCmd').Cmd.refreshQR();")
        browser.wait_state("UNPAIRED")
        new = fake.wait_for_qr()
        assert new.split(",")[0] not in refs
        assert browser.run(QR_JS) == new
        fake.scan_qr()
        fake.wait_until_connected()


def test_scan_goes_pairing_connected_then_synced(browser: Browser, fake: FakeWhatsApp) -> None:
    browser.open(fake.url)
    fake.wait_for_qr()
    browser.clear_log()
    fake.scan_qr()
    fake.wait_until_connected()
    log = browser.wait_log("hasSynced", True)
    flow = events(log, "state", "hasSynced", "progress", "ref")
    assert flow[0] == ["state", "PAIRING"]
    assert ["ref", None] in flow  # Conn.ref becomes undefined after the scan
    i_conn = flow.index(["state", "CONNECTED"])
    progress = [e[1] for e in flow if e[0] == "progress"]
    assert len(progress) >= 3 and progress == sorted(progress) and progress[-1] == 100
    assert all(flow.index(e) > i_conn for e in flow if e[0] == "progress")
    assert flow[-1] == ["hasSynced", True]
    assert fake.linked_devices == 1
    stored = browser.run(
        "return {wid: localStorage.getItem('last-wid-md'), noise: localStorage.getItem('WANoiseInfo')};"
    )
    assert stored["wid"].startswith('"15550000001:') and stored["wid"].endswith('@c.us"')
    assert "staticKeyPair" in stored["noise"]


def test_relaunch_on_same_profile_connects_without_qr(browser: Browser, fake: FakeWhatsApp) -> None:
    login(browser, fake)
    qrs = fake.qr_count
    mid = fake.deliver_text("15551234567@c.us", "before restart")
    fake.wait_for_receipt(mid)
    browser.relaunch()
    browser.open(fake.url)
    log = browser.wait_log("hasSynced", True)
    assert log[0][:3] == ["boot", "OPENING", False]
    assert events(log, "state") == [["state", "CONNECTED"]]
    assert fake.qr_count == qrs  # no QR was issued for the restarted page
    assert fake.linked_devices == 1
    fake.wait_until_connected()
    # history already receipted comes back as old traffic
    assert ["add", mid, False] in log


def test_storage_matters_wiped_indexeddb_means_fresh_login(browser: Browser, fake: FakeWhatsApp) -> None:
    login(browser, fake)
    browser.run(
        """
        await new Promise((resolve, reject) => {
          const r = indexedDB.deleteDatabase('wawc');
          r.onsuccess = resolve; r.onerror = reject; r.onblocked = resolve;
        });
        """
    )
    browser.open(fake.url)
    fake.wait_for_qr()
    browser.wait_state("UNPAIRED")


def test_phone_unlinks_device(browser: Browser, fake: FakeWhatsApp) -> None:
    login(browser, fake)
    old_creds = browser.run(
        """
        return await new Promise((resolve, reject) => {
          const open = indexedDB.open('wawc');
          open.onsuccess = () => {
            const tx = open.result.transaction('user', 'readonly');
            const get = tx.objectStore('user').get('device-credentials');
            get.onsuccess = () => { resolve(get.result); open.result.close(); };
            get.onerror = reject;
          };
          open.onerror = reject;
        });
        """
    )
    browser.clear_log()
    fake.logout_device()
    log = browser.wait_log("state", "UNPAIRED")
    assert ["cmd", "logout_from_bridge"] in log
    boots = events(log, "boot")
    assert boots and boots[-1][3] == "?post_logout=1"
    assert browser.run("return location.search;") == "?post_logout=1"
    assert browser.run("return localStorage.getItem('last-wid-md');") is None
    fake.wait_for_qr()
    assert fake.linked_devices == 0
    # the old device's credentials are refused forever: put them back and reload
    browser.run(
        """
        const [creds] = args;
        await new Promise((resolve, reject) => {
          const open = indexedDB.open('wawc', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('user');
          open.onsuccess = () => {
            const tx = open.result.transaction('user', 'readwrite');
            tx.objectStore('user').put(creds, 'device-credentials');
            tx.oncomplete = () => { open.result.close(); resolve(); };
            tx.onerror = reject;
          };
          open.onerror = reject;
        });
        localStorage.setItem('last-wid-md', JSON.stringify('15550000001:' + creds.device + '@c.us'));
        """,
        old_creds,
    )
    browser.clear_log()
    browser.open(fake.url)
    log = browser.wait_log("state", "UNPAIRED")
    assert ["cmd", "logout_from_bridge"] in log
    assert ["state", "CONNECTED"] not in log
    assert fake.linked_devices == 0


def test_client_initiated_logout(browser: Browser, fake: FakeWhatsApp) -> None:
    login(browser, fake)
    browser.clear_log()
    browser.driver.execute_script("require('WAWebSocketModel').Socket.logout();")
    log = browser.wait_log("state", "UNPAIRED")
    assert ["cmd", "logout"] in log
    assert browser.run("return location.search;") == "?post_logout=1"
    fake.wait_for_qr()
    assert fake.linked_devices == 0


def test_pairing_code_login(browser: Browser, fake: FakeWhatsApp) -> None:
    browser.open(fake.url)
    browser.wait_state("UNPAIRED")
    code = browser.run(
        """
        const api = require('WAWebAltDeviceLinkingApi');
        api.setPairingType('ALT_DEVICE_LINKING');
        await api.initializeAltDeviceLinking();
        return await api.startAltLinkingFlow(args[0], true);
        """,
        "15550000001",
    )
    request = fake.wait_for_pairing_code()
    assert request.code == code and len(code) == 8 and request.phone == "15550000001"
    fake.enter_pairing_code(code)
    fake.wait_until_connected()
    browser.wait_state("CONNECTED")


def test_second_tab_takes_over_first_gets_conflict(browser: Browser, fake: FakeWhatsApp) -> None:
    login(browser, fake)
    first = browser.driver.current_window_handle
    browser.driver.switch_to.new_window("tab")
    browser.driver.get(fake.url)
    browser.wait_state("CONNECTED")
    browser.driver.switch_to.window(first)
    browser.wait_state("CONFLICT")
    browser.run("require('WAWebSocketModel').Socket.takeover();")
    browser.wait_state("CONNECTED")
    browser.driver.switch_to.window(browser.driver.window_handles[-1])
    browser.wait_state("CONFLICT")
    browser.driver.close()
    browser.driver.switch_to.window(first)


def test_live_message_never_overtakes_offline_backlog(browser: Browser) -> None:
    with FakeWhatsApp(sync_delay=0.3) as fake:
        login(browser, fake)
        browser.clear_log()
        browser.driver.get("about:blank")
        fake.wait_until_disconnected()
        older = fake.deliver_text("15551234567@c.us", "older, offline")
        browser.driver.get(fake.url)
        # the server has accepted the login and is inside its sync delay: deliver now
        fake._wait(lambda o: (o.authed > 0 and o.synced == 0) or None, 10, "authentication")
        assert browser.state() == "OPENING"
        newer = fake.deliver_text("15551234567@c.us", "newer, live")
        log = browser.wait_log("hasSynced", True)
        adds = [e[1] for e in log if e[0] == "add" and e[2] is True]
        browser.wait("return !!require('WAWebCollections').Msg.get(args[0]);", newer)
        order = browser.run(
            "return require('WAWebCollections').Chat.get(args[0]).msgs.getModelsArray()"
            ".map((m) => m.id._serialized).filter((id) => id === args[1] || id === args[2]);",
            "15551234567@c.us",
            older,
            newer,
        )
        assert order == [older, newer]
        assert adds.index(older) < (adds.index(newer) if newer in adds else len(adds))


def test_linked_device_name_comes_from_patched_browser_info(browser: Browser, fake: FakeWhatsApp) -> None:
    browser.open(fake.url)
    browser.wait_state("UNPAIRED")
    # what whatsapp-web.js does for deviceName/browserName, before the scan
    browser.run(
        """
        const utils = require('WAWebMiscBrowserUtils');
        const orig = utils.info;
        utils.info = () => ({...orig(), os: 'wawebpy-tests', name: 'Firefox'});
        """
    )
    fake.scan_qr()
    fake.wait_until_connected()
    (device,) = fake.devices
    assert (device.name, device.os, device.active) == ("Firefox", "wawebpy-tests", True)
    fake.logout_device()
    fake.wait_until(lambda f: not f.devices[0].active)


def test_pinned_port_reaches_the_same_stored_login(browser: Browser) -> None:
    with FakeWhatsApp() as first:
        port = int(first.url.rsplit(":", 1)[1].strip("/"))
        login(browser, first)
        browser.clear_log()
        browser.driver.get("about:blank")
    with FakeWhatsApp(port=port) as second:
        assert second.url == first.url
        browser.open(second.url)
        # same origin, so the stored login is presented; this server never linked it
        browser.wait_state("UNPAIRED")
        log = browser.log()
        assert ["cmd", "logout_from_bridge"] in log
        second.wait_for_qr()


def test_auto_ack_device(browser: Browser) -> None:
    with FakeWhatsApp(auto_ack_device=True) as fake:
        login(browser, fake)
        result = browser.run(
            """
            const {Msg} = require('WAWebCollections');
            window.__acks = [];
            Msg.on('change:ack', (m, ack) => __acks.push(ack));
            // as on today's page, a number is looked up (usync) before its chat can be made
            await require('WAWebQueryExistsJob').queryWidExists(args[0]);
            const {chat} = await require('WAWebFindChatAction').findOrCreateLatestChat(
              require('WAWebWidFactory').createWid(args[0]));
            const MsgKey = require('WAWebMsgKey');
            const me = require('WAWebUserPrefsMeUser').getMaybeMePnUser();
            const id = new MsgKey({from: me, to: chat.id, id: await MsgKey.newId(), selfDir: 'out'});
            const [p] = require('WAWebSendMsgChatAction').addAndSendMsgToChat(chat,
              {id, ack: 0, body: 'x', from: me, to: chat.id, local: true, self: 'out',
               t: Math.floor(Date.now() / 1000), isNewMsg: true, type: 'chat'});
            return (await p).id._serialized;
            """,
            "15551234567@c.us",
        )
        assert browser.wait("return __acks.length >= 2 && __acks;") == [1, 2]
        assert fake.wait_for_sent()[0].id == result
