// Login: socket state, QR payload, pairing code, sync progress, authenticated/ready, logout.
// Sources: wa-web-interface.md "Login state" and "QR payload".

const WAITING_STATES = ['OPENING', 'UNLAUNCHED', 'PAIRING'];
const LOGIN_STATES = ['UNPAIRED', 'UNPAIRED_IDLE'];

async function qrParts() {
  const noise = await mod('UserPrefsInfoStore').waNoiseInfo.get();
  const reg = await mod('SignalStoreApi').waSignalStore.getRegistrationInfo();
  const b64 = mod('Base64');
  const adv = await mod('AdvSignatureApi').getADVSecretKey();
  return [b64.encodeB64(noise.staticKeyPair.pubKey), b64.encodeB64(reg.identityKeyPair.pubKey),
    adv, mod('RegClientUtils').DEVICE_PLATFORM];
}

let qrAttempt = 0;
let lastQrRef = null;
async function emitQr(ref) {
  // After a scan the ref turns undefined; that is not a QR to show.
  if (ref == null || ref === lastQrRef) return;
  lastQrRef = ref;
  const parts = await qrParts();
  qrAttempt += 1;
  emit('auth.qr', { data: [ref, ...parts].join(','), attempt: qrAttempt });
}

function meWid() {
  const me = mod('MeUser');
  return widStr(me.getMaybeMePnUser() || me.getMaybeMeLidUser());
}

let syncedSent = false;
function emitSynced() {
  if (syncedSent) return;
  syncedSent = true;
  let info = {};
  try { info = mod('Conn').serialize() || {}; } catch (e) { info = {}; }
  emit('auth.synced', { version: W.version, me: meWid(), pushname: info.pushname || null,
    platform: info.platform || null });
}

function onState(state) {
  emit('auth.state', { state });
  if (LOGIN_STATES.includes(state)) {
    syncedSent = false;
    const conn = resolveKey('Conn');
    if (state === 'UNPAIRED_IDLE') {
      const cmd = resolveKey('Cmd');
      if (cmd && typeof cmd.refreshQR === 'function') cmd.refreshQR();
    } else if (conn) {
      emitQr(conn.ref).catch((e) => emit('bridge.error', { kind: 'auth.qr', message: String(e) }));
    }
  }
}

onInstall(() => {
  const socket = mod('Socket');
  listen(socket, 'change:state', guard('auth.state', (_model, state) => onState(state)));
  listen(socket, 'change:hasSynced', guard('auth.synced', (model) => {
    if ((model || socket).hasSynced) emitSynced();
  }));
  const conn = resolveKey('Conn');
  if (conn) {
    listen(conn, 'change:ref', guard('auth.qr', (_model, ref) => {
      if (LOGIN_STATES.includes(socket.state)) {
        emitQr(ref).catch((e) => emit('bridge.error', { kind: 'auth.qr', message: String(e) }));
      }
    }));
  }
  const cmd = resolveKey('Cmd');
  if (cmd) {
    let lastPercent = null;
    listen(cmd, 'offline_progress_update_from_bridge', guard('auth.progress', () => {
      const handler = resolveKey('OfflineHandler');
      if (!handler) return;
      const percent = handler.getOfflineDeliveryProgress();
      if (percent !== lastPercent) { lastPercent = percent; emit('auth.progress', { percent }); }
    }));
    const loggedOut = guard('auth.logout', () => { syncedSent = false; emit('auth.logout', {}); flush(); });
    listen(cmd, 'logout', loggedOut);
    listen(cmd, 'logout_from_bridge', loggedOut);
  }
  // The page may already be past the waiting states when the bridge arrives.
  const state = socket.state;
  if (!WAITING_STATES.includes(state)) onState(state);
  else emit('auth.state', { state });
  if (socket.hasSynced) emitSynced();
});

op('auth.state', async () => {
  const socket = mod('Socket');
  return { state: socket.state || null, hasSynced: !!socket.hasSynced };
});

op('auth.logout', async () => { await mod('Socket').logout(); return true; });

op('auth.requestPairingCode', async ({ phone, showNotification }) => {
  const api = mod('PairingApi');
  api.setPairingType('ALT_DEVICE_LINKING');
  await api.initializeAltDeviceLinking();
  const code = await api.startAltLinkingFlow(phone, showNotification !== false);
  emit('auth.code', { code });
  return code;
});

op('auth.info', async () => {
  let info = {};
  try { info = mod('Conn').serialize() || {}; } catch (e) { info = {}; }
  return { me: meWid(), pushname: info.pushname || null, platform: info.platform || null,
    version: pageVersion() };
});
