/*
 * Boot: after every module file has registered, drop the modules Python asked to be missing,
 * load (or create) the device keys, then publish `window.Debug.VERSION` — the signal that the
 * modules are reachable — and only in a later task open the socket. So a listener attached when
 * Debug appears always sees Socket.state === 'OPENING' first.
 */
(function (global) {
  'use strict';
  const config = global.__wawebpyFakeConfig || {};
  try {
    delete global.__wawebpyFakeConfig;
  } catch (_e) {
    global.__wawebpyFakeConfig = undefined;
  }
  const req = global.require;
  const auth = req('FakeAuth');
  req('FakeMessages'); // registers its frame handlers before the socket opens

  async function boot() {
    req('FakeModuleTable').remove(config.missingModules || []);
    await auth.prepare({ version: config.version || '2.3000.1017054665' });
    global.Debug = { VERSION: config.version || '2.3000.1017054665' };
    setTimeout(() => auth.start(), Math.max(0, Number(config.connectDelayMs) || 0));
  }

  boot().catch((err) => console.error('fake WhatsApp boot failed', err));
})(window);
