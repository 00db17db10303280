// Contacts: reading, registration checks, LID <-> phone number, block list, about text,
// profile pictures, common groups, business fields.
// Sources: wa-web-modules.md 3.2 (Contact model), 3.5 "Contacts and profile"; whatsapp-web.js
// Client.js (getNumberId, isRegisteredUser, getProfilePicUrl, getCommonGroups, getContactLidAndPhone).

function serializeContact(c) {
  const s = typeof c.serialize === 'function' ? c.serialize() : c;
  const id = c.id || s.id;
  const biz = c.businessProfile || s.businessProfile;
  return {
    id: widStr(id), name: s.name || null, pushname: s.pushname || null,
    shortName: s.shortName || null, number: (id && id.user) || null,
    isBusiness: !!s.isBusiness, isEnterprise: !!s.isEnterprise,
    isMyContact: !!(s.isAddressBookContact || s.isMyContact),
    isBlocked: !!(s.isContactBlocked || c.isContactBlocked),
    isWAContact: s.isWAContact !== false, verifiedName: s.verifiedName || null,
    phoneNumber: widStr(s.phoneNumber || c.phoneNumber),
    business: biz ? {
      description: biz.description || null, email: biz.email || null,
      website: (biz.website || []).map((w) => (w && w.url) || String(w)),
      address: biz.address || null, categories: (biz.categories || []).map((x) => (x && x.localized_display_name) || String(x)),
    } : null,
  };
}

async function findContact(contactId) {
  const wid = mod('WidFactory').createWid(contactId);
  const contacts = mod('Collections').Contact;
  let c = contacts.get(wid);
  if (!c && typeof contacts.find === 'function') {
    try { c = await contacts.find(wid); } catch (e) { c = null; }
  }
  if (!c) throw new BridgeFail('chat_not_found', 'contact not found: ' + contactId, { chatId: contactId });
  return c;
}

op('contacts.list', async () => mod('Collections').Contact.getModelsArray().map(serializeContact));
op('contacts.get', async ({ contactId }) => serializeContact(await findContact(contactId)));

op('contacts.exists', async ({ contactId }) => {
  const res = await mod('QueryExists').queryWidExists(mod('WidFactory').createWid(contactId));
  return res && res.wid ? widStr(res.wid) : null;
});

op('contacts.lidAndPhone', async ({ ids }) => {
  const lids = mod('LidUtils');
  const wf = mod('WidFactory');
  return ids.map((id) => {
    const wid = wf.createWid(id);
    const isLid = wid.server === 'lid';
    const lid = isLid ? wid : lids.getCurrentLid(wid);
    const pn = isLid ? lids.getPhoneNumber(wid) : wid;
    return { lid: widStr(lid), pn: widStr(pn) };
  });
});

op('contacts.block', async ({ contactId, block }) => {
  const c = await findContact(contactId);
  const action = mod('BlockContact');
  try {
    if (block) await action.blockContact({ contact: c, blockEntryPoint: 'block_list' });
    else await action.unblockContact(c);
  } catch (e) { throw serverFail(e, block ? 'block' : 'unblock', { chatId: contactId }); }
  return serializeContact(c);
});

op('contacts.blocked', async () => {
  const coll = mod('Collections');
  return coll.Blocklist.getModelsArray().map((b) => {
    const c = coll.Contact.get(b.id);
    return c ? serializeContact(c) : { id: widStr(b.id), isBlocked: true };
  });
});

op('contacts.about', async ({ contactId }) => {
  try {
    const res = await mod('ContactStatus').getStatus({ token: '', wid: mod('WidFactory').createWid(contactId) });
    return res && typeof res.status === 'string' ? res.status : null;
  } catch (e) {
    if (e && (e.status === 404 || e.status === 401)) return null;
    throw serverFail(e, 'about', { chatId: contactId });
  }
});

op('contacts.picture', async ({ contactId, bytes }) => {
  // A chat model, found or created as W1347 Client.js:2145-2150 does (getChat falls back to
  // findOrCreateLatestChat); a bare wid is the pre-2026-03 form (wwebjs d933a0881).
  const chat = await findChat(contactId);
  let res;
  try {
    res = await mod('ProfilePic').requestProfilePicFromServer(chat);
  } catch (e) {
    // ServerStatusCodeError means "no picture" (or not visible to us).
    if (e && (e.name === 'ServerStatusCodeError' || e.status)) return null;
    throw serverFail(e, 'profile picture', { chatId: contactId });
  }
  const url = res && res.eurl ? res.eurl : null;
  if (!url || !bytes) return { url };
  const resp = await fetch(url);
  if (!resp.ok) return { url, data: null };
  const buf = new Uint8Array(await resp.arrayBuffer());
  let bin = '';
  for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode.apply(null, buf.subarray(i, i + 0x8000));
  return { url, data: btoa(bin), mimetype: resp.headers.get('content-type') };
});

op('contacts.commonGroups', async ({ contactId }) => {
  const c = await findContact(contactId);
  await mod('CommonGroups').findCommonGroups(c);
  const groups = c.commonGroups;
  if (!groups) return [];
  const arr = typeof groups.getModelsArray === 'function' ? groups.getModelsArray() : groups;
  return arr.map((g) => widStr(g.id));
});

op('contacts.deviceCount', async ({ contactId }) => {
  const res = await mod('DeviceList').getDeviceIds([mod('WidFactory').createWid(contactId)]);
  return res && res[0] && res[0].devices ? res[0].devices.length : 0;
});

op('contacts.save', async ({ number, firstName, lastName, syncToAddressbook }) => {
  try {
    await mod('SaveContact').saveContactAction({ firstName, lastName, phoneNumber: number,
      prevPhoneNumber: number, syncToAddressbook: !!syncToAddressbook, username: undefined });
  } catch (e) { throw serverFail(e, 'save contact'); }
  return serializeContact(await findContact(number + '@c.us'));
});

op('contacts.delete', async ({ contactId }) => {
  try {
    await mod('DeleteContact').deleteContactAction({ phoneNumber: mod('WidFactory').createWid(contactId) });
  } catch (e) { throw serverFail(e, 'delete contact', { chatId: contactId }); }
  return true;
});

// Business customer notes, keyed by the user's jid (user@s.whatsapp.net).
function requireNotes() {
  if (!mod('BizGating').smbNotesV1Enabled()) {
    throw new BridgeFail('not_business', 'customer notes exist only on WhatsApp Business accounts', { reason: 'smbNotesV1Enabled() is false' });
  }
}

op('contacts.setNote', async ({ contactId, text }) => {
  requireNotes();
  const jid = mod('WidFactory').createWid(contactId).toJid();
  try { await mod('NoteAction').noteAddAction('unstructured', jid, text); } catch (e) { throw serverFail(e, 'customer note', { chatId: contactId }); }
  return true;
});

op('contacts.getNote', async ({ contactId }) => {
  requireNotes();
  const jid = mod('WidFactory').createWid(contactId).toJid();
  const note = await mod('NoteAction').retrieveOnlyNoteForChatJid(jid);
  if (!note) return null;
  const s = typeof note.serialize === 'function' ? note.serialize() : note;
  return { id: s.id || null, content: s.content || '', createdAt: s.createdAt || 0, modifiedAt: s.modifiedAt || 0 };
});

// A contact's own number change: a `notification_template` message of subtype `change_number`
// (new id `to`, old id the other entry of `templateParams`), as whatsapp-web.js reads it from
// `Msg` `change` (wa-web-modules.md 3.4). It is also read on `add`; Python reports it once.
function emitNumberChange(msg) {
  if (!msg || msg.type !== 'notification_template' || msg.subtype !== 'change_number') return;
  const newId = widStr(msg.to);
  const oldId = (msg.templateParams || []).map(widStr).find((id) => id && id !== newId);
  if (!newId || !oldId) return;
  emit('contacts.changed', { id: keyStr(msg.id), oldId, newId, chatId: widStr(msg.id && msg.id.remote), t: msg.t || 0 });
}

onInstall(() => {
  const Msg = mod('Collections').Msg;
  listen(Msg, 'add', guard('contacts.changed', (msg) => { if (msg && msg.isNewMsg) emitNumberChange(msg); }));
  listen(Msg, 'change', guard('contacts.changed', emitNumberChange));
});
