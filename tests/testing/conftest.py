"""Helpers for driving the fake WhatsApp Web page with a plain Selenium Chrome.

The checks go through ``execute_async_script`` with data passed as script arguments, exactly
as a bridge would talk to the page. Waiting is done page-side on a condition, never by sleeping.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import bare_chrome
from selenium.webdriver.chrome.webdriver import WebDriver

from wawebpy.testing import FakeWhatsApp
from wawebpy.testing._plugin import fake_whatsapp  # noqa: F401  (the plugin may not be installed)

_RUN = """
const done = arguments[arguments.length - 1];
const body = arguments[0];
const args = Array.prototype.slice.call(arguments, 1, arguments.length - 1);
let fn;
try {
  fn = new Function('args', '"use strict"; return (async () => {' + body + '\\n})();');
} catch (e) {
  done({error: 'SyntaxError in test script: ' + e.message});
  return;
}
fn(args).then(
  (v) => done({ok: v === undefined ? null : v}),
  (e) => done({error: String((e && e.stack) || e)}),
);
"""

_WAIT = """
const deadline = Date.now() + args[0] * 1000;
const check = new Function('args', '"use strict"; return (async () => {' + args[1] + '\\n})();');
let lastError = null;
for (;;) {
  let value;
  try { value = await check(args.slice(2)); lastError = null; } catch (e) { value = undefined; lastError = e; }
  if (value) return value;
  if (Date.now() > deadline) {
    throw new Error('timed out waiting for: ' + args[1] + (lastError ? '\\nlast error: ' + lastError.stack : ''));
  }
  await new Promise((r) => setTimeout(r, 20));
}
"""

# Installed on every new document: when the page publishes window.Debug (modules ready,
# socket not yet open) it subscribes to the login signals and logs them into sessionStorage,
# which survives the page's own navigation to /?post_logout=1.
RECORDER = """
(() => {
  const KEY = '__fakeTestLog';
  const log = (...ev) => {
    const a = JSON.parse(sessionStorage.getItem(KEY) || '[]');
    a.push(ev);
    sessionStorage.setItem(KEY, JSON.stringify(a));
  };
  let debug;
  Object.defineProperty(window, 'Debug', {
    configurable: true,
    enumerable: true,
    get() { return debug; },
    set(v) {
      debug = v;
      try {
        const r = window.require;
        const S = r('WAWebSocketModel').Socket;
        const C = r('WAWebCmd').Cmd;
        const Conn = r('WAWebConnModel').Conn;
        const O = r('WAWebOfflineHandler').OfflineMessageHandler;
        const Msg = r('WAWebCollections').Msg;
        log('boot', S.state, S.hasSynced, location.search);
        S.on('change:state', (m, s) => log('state', s));
        S.on('change:hasSynced', (m, value) => log('hasSynced', value));
        Conn.on('change:ref', (m, ref) => log('ref', ref === undefined ? null : ref));
        C.on('offline_progress_update_from_bridge', () => log('progress', O.getOfflineDeliveryProgress()));
        C.on('logout', () => log('cmd', 'logout'));
        C.on('logout_from_bridge', () => log('cmd', 'logout_from_bridge'));
        Msg.on('add', (m) => { if (Msg.length <= 100) log('add', m.id._serialized, m.isNewMsg); });
      } catch (e) {
        log('error', String(e));
      }
    },
  });
})();
"""


def launch(profile: Path) -> WebDriver:
    """A headless Chromium on ``profile`` with the login recorder installed."""
    driver: WebDriver = bare_chrome(profile, script_timeout=60)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    return driver


class Browser:
    """One Chrome (relaunchable on the same profile) plus script helpers."""

    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self.driver = launch(profile)

    def relaunch(self) -> None:
        """Quit Chrome and start a new one on the same profile (a process restart)."""
        self.driver.quit()
        self.driver = launch(self.profile)

    def quit(self) -> None:
        self.driver.quit()

    def open(self, url: str) -> None:
        self.driver.get("about:blank")
        self.driver.get(url)

    def run(self, body: str, *args: Any) -> Any:
        """Run ``body`` as an async function in the page (``args`` = the script arguments)."""
        result = self.driver.execute_async_script(_RUN, body, *args)
        if "error" in result:
            raise AssertionError(f"page script failed: {result['error']}")
        return result["ok"]

    def wait(self, body: str, *args: Any, timeout: float = 15.0) -> Any:
        """Re-run ``body`` in the page until it returns a truthy value, and return that."""
        return self.run(_WAIT, timeout, body, *args)

    def log(self) -> list[list[Any]]:
        """What the recorder logged on this origin since the last :meth:`clear_log`."""
        raw = self.run("return sessionStorage.getItem('__fakeTestLog') || '[]';")
        return list(json.loads(raw))

    def clear_log(self) -> None:
        self.run("sessionStorage.removeItem('__fakeTestLog');")

    def wait_log(self, *entry: Any, timeout: float = 15.0) -> list[list[Any]]:
        """Wait until the recorder has logged ``entry``; returns the whole log."""
        self.wait(
            "const a = JSON.parse(sessionStorage.getItem('__fakeTestLog') || '[]');"
            "return a.some((e) => JSON.stringify(e) === args[0]);",
            json.dumps(list(entry), separators=(",", ":")),
            timeout=timeout,
        )
        return self.log()

    def state(self) -> str:
        return str(self.run("return require('WAWebSocketModel').Socket.state;"))

    def wait_state(self, state: str, timeout: float = 15.0) -> None:
        self.wait(
            "try { return require('WAWebSocketModel').Socket.state === args[0]; }"
            " catch (e) { return false; }",
            state,
            timeout=timeout,
        )


# The send path of the spec ("Sending a message"), as a bridge would run it.
SEND_JS = """
const [chatId, body, opts] = args;
const createWid = require('WAWebWidFactory').createWid;
const MsgKey = require('WAWebMsgKey');
const Collections = require('WAWebCollections');
const wid = createWid(chatId);
let chat = Collections.Chat.get(wid);
if (!chat) {
  // as on today's page, a number is looked up (usync, which learns its LID) before its chat is made
  if (!wid.isGroup()) await require('WAWebQueryExistsJob').queryWidExists(wid);
  chat = (await require('WAWebFindChatAction').findOrCreateLatestChat(wid)).chat;
}
const me = require('WAWebUserPrefsMeUser').getMaybeMePnUser();
const participant = chat.id.isGroup() ? require('WAWebWidFactory').asUserWidOrThrow(me) : undefined;
const id = new MsgKey({from: me, to: chat.id, id: await MsgKey.newId(), participant, selfDir: 'out'});
let quoted = {};
if (opts.quotedId) {
  const q = Collections.Msg.get(opts.quotedId);
  if (require('WAWebMsgReply').canReplyMsg(q.unsafe())) quoted = q.msgContextInfo(chat);
}
const message = {
  id, ack: 0, body, from: me, to: chat.id, local: true, self: 'out',
  t: Math.floor(Date.now() / 1000), isNewMsg: true, type: 'chat',
  ...require('WAWebGetEphemeralFieldsMsgActionsUtils').getEphemeralFields(chat),
  ...quoted,
  mentionedJidList: (opts.mentions || []).map(createWid),
  groupMentions: [],
  ...(opts.extra || {}),
};
const [msgPromise, sendResult] = require('WAWebSendMsgChatAction').addAndSendMsgToChat(chat, message);
const msg = await msgPromise;
const inMsg = Collections.Msg.get(id._serialized) === msg;
const inChat = chat.msgs.get(id._serialized) === msg;
const result = await sendResult;
return {id: msg.id._serialized, inMsg, inChat, ack: msg.ack, result};
"""


def send_text(browser: Browser, chat_id: str, body: str, **opts: Any) -> dict[str, Any]:
    result: dict[str, Any] = browser.run(SEND_JS, chat_id, body, opts)
    return result


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chrome per test module, on its own temporary profile."""
    profile = Path(tempfile.mkdtemp(prefix="wawebpy-fake-test-"))
    b = Browser(profile)
    try:
        yield b
    finally:
        b.quit()
        shutil.rmtree(profile, ignore_errors=True)


def login(browser: Browser, fake: FakeWhatsApp) -> None:
    """Open the fake in ``browser`` and link it (scan), waiting until synced."""
    browser.open(fake.url)
    fake.scan_qr()
    fake.wait_until_connected()
    browser.wait("return require('WAWebSocketModel').Socket.hasSynced === true;")
