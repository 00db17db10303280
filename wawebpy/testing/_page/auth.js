/*
 * Login state machine and the auth-phase modules (QR material, pairing code).
 *
 *   boot ─ OPENING ─ hello(no login) ─> UNPAIRED (Conn.ref rotates) ─> UNPAIRED_IDLE
 *                                        └ scan ─> PAIRING ─ save login ─ hello(login) ─┐
 *        OPENING ─ hello(login) ───────────────────────────────────────────> CONNECTED ─ sync ─ hasSynced
 *   unlinked / unknown login / Socket.logout() ─> Cmd event, wipe, navigate to /?post_logout=1
 */
__d('FakeAuth', ['FakeStorage', 'FakeNet', 'FakeState', 'FakeWid'], function (global, require, rd, rl, module, exports) {
  'use strict';
  const storage = require('FakeStorage');
  const net = require('FakeNet');
  const { Socket, Conn, Cmd, me, OfflineMessageHandler } = require('FakeState');
  const { createWid, decodeB64 } = require('FakeWid');

  const DEVICE_PLATFORM = 1;
  let keys = null; // {noise, registration}
  let login = null; // {creds, lastWid}
  let leaving = false;
  let takeover = false;
  let version = '';
  const pendingCodes = [];

  async function prepare(config) {
    version = config.version;
    const stored = await storage.load();
    keys = stored.keys || (await storage.generateKeys());
    login = stored.login;
  }

  /** What "Linked devices" shows; read through the module so a patched info() is honoured. */
  function browserInfo() {
    try {
      const info = require('WAWebMiscBrowserUtils').info();
      return { name: String(info.name || ''), os: String(info.os || '') };
    } catch (_e) {
      return null;
    }
  }

  function hello() {
    net.send({
      type: 'hello',
      version,
      takeover,
      browser: browserInfo(),
      login: login ? { creds: login.creds, lastWid: login.lastWid } : null,
      keys: {
        staticKey: keys.noise.staticKeyPair.pubKey,
        identityKey: keys.registration.identityKeyPair.pubKey,
        advSecretKey: keys.registration.advSecretKey,
        platform: String(DEVICE_PLATFORM),
      },
    });
    takeover = false;
  }

  function start() {
    net.on('open', () => {
      if (Socket.state === 'TIMEOUT') Socket.state = 'OPENING';
      Socket.stream = 'CONNECTED';
      hello();
    });
    net.on('close', () => {
      Conn.connected = false;
      Socket.stream = 'DISCONNECTED';
      if (leaving || Socket.state === 'CONFLICT') return;
      if (Socket.state !== 'OPENING') Socket.state = 'TIMEOUT';
    });
    net.handle('unpaired', (f) => {
      login = null;
      Conn.ref = f.ref;
      Socket.state = 'UNPAIRED';
    });
    net.handle('ref', (f) => {
      Conn.ref = f.ref;
      if (Socket.state !== 'UNPAIRED') Socket.state = 'UNPAIRED';
    });
    net.handle('idle', () => {
      Socket.state = 'UNPAIRED_IDLE';
    });
    net.handle('paired', async (f) => {
      Socket.state = 'PAIRING';
      await storage.saveLogin(f.creds, f.lastWid);
      login = { creds: f.creds, lastWid: f.lastWid };
      Conn.ref = undefined;
      hello();
    });
    net.handle('connected', (f) => {
      me.pn = createWid(f.me);
      me.lid = f.lid ? createWid(f.lid) : null;
      me.device = f.device;
      Conn.set({ wid: me.pn, pushname: f.pushname, platform: f.platform, connected: true, ref: undefined });
      Socket.canSend = true;
      Socket.state = 'CONNECTED';
      require('FakeMessages').sync(f);
    });
    net.handle('logged_out', () => leave('logout_from_bridge'));
    net.handle('conflict', () => {
      net.stop();
      Socket.state = 'CONFLICT';
    });
    net.handle('pairing_code', (f) => {
      const waiter = pendingCodes.shift();
      if (waiter) waiter(f.code);
    });
    net.connect();
  }

  async function leave(eventName) {
    if (leaving) return;
    leaving = true;
    Cmd.trigger(eventName);
    net.stop();
    try {
      await storage.wipe();
    } finally {
      me.pn = null;
      me.lid = null;
      OfflineMessageHandler._progress = 0;
      location.replace('/?post_logout=1');
    }
  }

  function logout() {
    if (leaving) return Promise.resolve();
    net.send({ type: 'logout' });
    return leave('logout');
  }

  function reconnect(asTakeover) {
    if (leaving) return;
    takeover = Boolean(asTakeover);
    Socket.state = 'OPENING';
    net.restart();
  }

  function refreshQR() {
    if (Socket.state === 'UNPAIRED' || Socket.state === 'UNPAIRED_IDLE') net.send({ type: 'refresh_qr' });
  }

  function requestPairingCode(phone, showNotification) {
    return new Promise((resolve, reject) => {
      if (!net.send({ type: 'pairing_code', phone: String(phone), showNotification: Boolean(showNotification) })) {
        reject(new Error('startAltLinkingFlow: not connected'));
        return;
      }
      pendingCodes.push(resolve);
    });
  }

  exports.DEVICE_PLATFORM = DEVICE_PLATFORM;
  exports.prepare = prepare;
  exports.start = start;
  exports.logout = logout;
  exports.reconnect = reconnect;
  exports.refreshQR = refreshQR;
  exports.requestPairingCode = requestPairingCode;
  exports.keys = () => keys;
  exports.decode = decodeB64;
});

__d('WAWebCompanionRegClientUtils', ['FakeAuth'], function (g, require, rd, rl, module, exports) {
  exports.DEVICE_PLATFORM = require('FakeAuth').DEVICE_PLATFORM;
});

// The real page has this module (wwebjs 1.34.7 util/Injected/AuthStore/AuthStore.js 14-19 spreads
// it into RegistrationUtils) but not getADVSecretKey: that member is on WAWebUserPrefsMultiDevice
// (Client.js 268-270). No public source names its members, so the fake exports none: a lookup that
// picks it by presence fails here as on the real page.
__d('WAWebAdvSignatureApi', [], function (g, require, rd, rl, module, exports) {});

__d('WAWebUserPrefsMultiDevice', ['FakeAuth'], function (g, require, rd, rl, module, exports) {
  exports.getADVSecretKey = () => require('FakeAuth').keys().registration.advSecretKey;
});

__d('WAWebUserPrefsInfoStore', ['FakeAuth'], function (g, require, rd, rl, module, exports) {
  const auth = require('FakeAuth');
  exports.waNoiseInfo = {
    async get() {
      const n = auth.keys().noise;
      return {
        staticKeyPair: { pubKey: auth.decode(n.staticKeyPair.pubKey), privKey: auth.decode(n.staticKeyPair.privKey) },
        recoveryToken: auth.decode(n.recoveryToken),
      };
    },
  };
});

__d('WAWebSignalStoreApi', ['FakeAuth'], function (g, require, rd, rl, module, exports) {
  const auth = require('FakeAuth');
  exports.waSignalStore = {
    async getRegistrationInfo() {
      const r = auth.keys().registration;
      return {
        registrationId: r.registrationId,
        identityKeyPair: { pubKey: auth.decode(r.identityKeyPair.pubKey), privKey: auth.decode(r.identityKeyPair.privKey) },
      };
    },
  };
});

__d('WAWebAltDeviceLinkingApi', ['FakeAuth'], function (g, require, rd, rl, module, exports) {
  const auth = require('FakeAuth');
  let pairingType = null;
  let initialized = false;
  exports.setPairingType = (type) => {
    pairingType = type;
  };
  exports.getPairingType = () => pairingType;
  exports.initializeAltDeviceLinking = async () => {
    initialized = true;
  };
  /** Resolves the 8-character code the user types on the phone. */
  exports.startAltLinkingFlow = async (phoneNumber, showNotification) => {
    if (pairingType !== 'ALT_DEVICE_LINKING' || !initialized) {
      throw new Error('startAltLinkingFlow: call setPairingType("ALT_DEVICE_LINKING") and initializeAltDeviceLinking() first');
    }
    if (!/^\d{5,20}$/.test(String(phoneNumber))) throw new Error('startAltLinkingFlow: invalid phone number');
    return auth.requestPairingCode(phoneNumber, showNotification);
  };
});
