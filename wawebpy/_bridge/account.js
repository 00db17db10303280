// The own account: info, display name, about, profile picture, presence.
// Sources: wa-interface "Login state" (Conn.serialize, MeUser); wa-web-modules.md 3.5
// "Contacts and profile" and "Chats, state and presence"; whatsapp-web.js Client.js (info,
// setDisplayName, setStatus, setProfilePicture, sendPresenceAvailable, setAutoDownload*,
// setBackgroundSync: WAWebUserPrefsGeneral / WAWebUserPrefsNotifications get/set pairs).

op('account.info', async () => {
  const conn = mod('Conn');
  const s = typeof conn.serialize === 'function' ? conn.serialize() : conn;
  const me = mod('MeUser');
  return { pn: widStr(me.getMaybeMePnUser()), lid: widStr(me.getMaybeMeLidUser()),
    pushname: s.pushname || conn.pushname || null, platform: s.platform || conn.platform || null };
});

op('account.setName', async ({ name }) => {
  const conn = mod('Conn');
  if (typeof conn.canSetMyPushname === 'function' && !conn.canSetMyPushname()) {
    throw new BridgeFail('not_allowed', 'WhatsApp does not allow changing the display name now', { reason: 'canSetMyPushname() is false' });
  }
  try { await mod('SetPushname').setPushname(name); } catch (e) { throw serverFail(e, 'set display name'); }
  return true;
});

op('account.setAbout', async ({ text }) => {
  try { await mod('ContactStatus').setMyStatus(text); } catch (e) { throw serverFail(e, 'set about'); }
  return true;
});

// The picture arrives as a data URL; WhatsApp wants a 96 px thumb and a 640 px image.
async function scaledDataUrl(dataUrl, size) {
  const img = new Image();
  img.src = dataUrl;
  await img.decode();
  const canvas = document.createElement('canvas');
  const side = Math.min(img.width, img.height);
  canvas.width = size; canvas.height = size;
  canvas.getContext('2d').drawImage(img, (img.width - side) / 2, (img.height - side) / 2, side, side, 0, 0, size, size);
  return canvas.toDataURL('image/jpeg');
}

op('account.setPicture', async ({ chatId, dataUrl }) => {
  const wid = chatId ? mod('WidFactory').createWid(chatId) : mod('MeUser').getMaybeMePnUser();
  try {
    const bridge = mod('ProfilePic');
    const res = dataUrl
      ? await bridge.sendSetPicture(wid, await scaledDataUrl(dataUrl, 96), await scaledDataUrl(dataUrl, 640))
      : await bridge.requestDeletePicture(wid);
    return !res || res.status === undefined || res.status === 200;
  } catch (e) { throw serverFail(e, 'set profile picture', chatId ? { chatId } : {}); }
});

op('account.presence', async ({ available }) => {
  const action = mod('PresenceAction');
  if (available) await action.sendPresenceAvailable(); else await action.sendPresenceUnavailable();
  return true;
});

// Device preferences: name -> [module key, getter, setter].
const DEVICE_SETTINGS = {
  autoDownloadPhotos: ['UserPrefsGeneral', 'getAutoDownloadPhotos', 'setAutoDownloadPhotos'],
  autoDownloadAudio: ['UserPrefsGeneral', 'getAutoDownloadAudio', 'setAutoDownloadAudio'],
  autoDownloadVideos: ['UserPrefsGeneral', 'getAutoDownloadVideos', 'setAutoDownloadVideos'],
  autoDownloadDocuments: ['UserPrefsGeneral', 'getAutoDownloadDocuments', 'setAutoDownloadDocuments'],
  backgroundSync: ['UserPrefsNotifications', 'getGlobalOfflineNotifications', 'setGlobalOfflineNotifications'],
};

function readSettings() {
  const out = {};
  for (const [name, [key, get]] of Object.entries(DEVICE_SETTINGS)) out[name] = !!mod(key)[get]();
  return out;
}

op('account.settings', async () => readSettings());

// As whatsapp-web.js does: a setter runs only when the value changes.
op('account.setSettings', async ({ values }) => {
  for (const [name, value] of Object.entries(values)) {
    const spec = DEVICE_SETTINGS[name];
    if (!spec) throw new BridgeFail('invalid_input', 'unknown device setting ' + name);
    const m = mod(spec[0]);
    if (!!m[spec[1]]() !== !!value) await m[spec[2]](!!value);
  }
  return readSettings();
});
