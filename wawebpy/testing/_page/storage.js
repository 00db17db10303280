/*
 * Login persistence in the browser profile, split across the two storages WhatsApp Web uses so
 * that a session snapshot must keep both: localStorage holds `WANoiseInfo` (noise key pair) and
 * `last-wid-md` (the logged-in marker, "<number>:<device>@c.us"); IndexedDB holds the signal
 * registration info with the ADV secret (`signal-storage`) and the device credentials (`wawc`).
 * A login is complete only when all four are present.
 */
__d('FakeStorage', ['FakeWid'], function (global, require, rd, rl, module, exports) {
  'use strict';
  const { encodeB64 } = require('FakeWid');

  const LS_NOISE = 'WANoiseInfo';
  const LS_LAST_WID = 'last-wid-md';
  const DBS = {
    signal: { name: 'signal-storage', store: 'signal-meta', key: 'registration-info' },
    wawc: { name: 'wawc', store: 'user', key: 'device-credentials' },
  };

  function openDb(spec) {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(spec.name, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(spec.store)) req.result.createObjectStore(spec.store);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  async function withStore(spec, mode, fn) {
    const db = await openDb(spec);
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(spec.store, mode);
        const req = fn(tx.objectStore(spec.store));
        let value;
        if (req) req.onsuccess = () => (value = req.result);
        tx.oncomplete = () => resolve(value);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  const idbGet = (spec) => withStore(spec, 'readonly', (s) => s.get(spec.key));
  const idbPut = (spec, value) => withStore(spec, 'readwrite', (s) => s.put(value, spec.key));
  const idbClear = (spec) => withStore(spec, 'readwrite', (s) => s.clear());

  function random32() {
    const a = new Uint8Array(32);
    crypto.getRandomValues(a);
    return encodeB64(a);
  }

  function readJson(key) {
    const raw = localStorage.getItem(key);
    if (raw == null) return undefined;
    try {
      return JSON.parse(raw);
    } catch (_e) {
      return undefined;
    }
  }

  /** Everything stored; `login` is set only when the stored login is complete. */
  async function load() {
    const noise = readJson(LS_NOISE);
    const lastWid = readJson(LS_LAST_WID);
    const registration = await idbGet(DBS.signal);
    const creds = await idbGet(DBS.wawc);
    const keysOk = Boolean(noise && noise.staticKeyPair && registration && registration.identityKeyPair);
    return {
      keys: keysOk ? { noise, registration } : null,
      login: keysOk && creds && typeof lastWid === 'string' ? { creds, lastWid } : null,
    };
  }

  /** Fresh key material for a device that has never been linked. */
  async function generateKeys() {
    const noise = { staticKeyPair: { pubKey: random32(), privKey: random32() }, recoveryToken: random32() };
    const registration = {
      registrationId: 1 + Math.floor(Math.random() * 16380),
      identityKeyPair: { pubKey: random32(), privKey: random32() },
      advSecretKey: random32(),
    };
    localStorage.setItem(LS_NOISE, JSON.stringify(noise));
    await idbPut(DBS.signal, registration);
    return { noise, registration };
  }

  async function saveLogin(creds, lastWid) {
    await idbPut(DBS.wawc, creds);
    localStorage.setItem(LS_LAST_WID, JSON.stringify(lastWid));
  }

  /** Forget the login and the keys: the next boot is a fresh, never-linked device. */
  async function wipe() {
    localStorage.removeItem(LS_LAST_WID);
    localStorage.removeItem(LS_NOISE);
    await idbClear(DBS.wawc);
    await idbClear(DBS.signal);
  }

  exports.load = load;
  exports.generateKeys = generateKeys;
  exports.saveLogin = saveLogin;
  exports.wipe = wipe;
});
