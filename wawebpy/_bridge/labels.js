// Labels (WhatsApp Business), status (stories) and broadcasts, presence of contacts.
// Sources: wa-web-modules.md 3.1 (Label collection, addOrRemoveLabels), 3.2 (Label model),
// 3.5 "Labels" (the '[LT01] Only Whatsapp business' check), "Status / stories" (text, and media
// through sendStatusMediaMsgAction with a WAWebMediaUpdateMsg callback), "Chats, state and
// presence" (wa-js's WAWebContactPresenceBridge and Presence collection).

function requireBusiness() {
  const platform = mod('Conn').platform;
  if (platform !== 'smba' && platform !== 'smbi') {
    throw new BridgeFail('not_business', 'labels exist only on WhatsApp Business accounts',
      { reason: '[LT01] Only Whatsapp business' });
  }
}

function serializeLabel(l) {
  const s = typeof l.serialize === 'function' ? l.serialize() : l;
  return { id: String(l.id !== undefined ? l.id : s.id), name: l.name || s.name || '',
    hexColor: l.hexColor || s.hexColor || null };
}

op('labels.list', async () => {
  requireBusiness();
  return mod('Collections').Label.getModelsArray().map(serializeLabel);
});

op('labels.change', async ({ add, remove, chatIds }) => {
  requireBusiness();
  const coll = mod('Collections');
  for (const id of add.concat(remove)) {
    if (!coll.Label.get(id)) throw new BridgeFail('label_not_found', 'no label with id ' + id, { reason: 'unknown label' });
  }
  const chats = chatIds.map((id) => getChat(id));
  const actions = add.map((id) => ({ id, type: 'add' })).concat(remove.map((id) => ({ id, type: 'remove' })));
  await coll.Label.addOrRemoveLabels(actions, chats);
  return chats.map(serializeChat);
});

function serializeBroadcast(s) {
  const msgs = s.msgs && typeof s.msgs.getModelsArray === 'function' ? s.msgs.getModelsArray() : [];
  return { id: widStr(s.id), t: s.t || 0, totalCount: s.totalCount || msgs.length,
    unreadCount: s.unreadCount || 0, msgs: msgs.map(serializeMsg) };
}

op('status.broadcasts', async () => {
  return mod('StatusCollection').getModelsArray().map(serializeBroadcast);
});

op('status.sendText', async ({ text, color, font }) => {
  const before = statusIds();
  try {
    await mod('StatusSend').sendStatusTextMsgAction({ color, font, text });
  } catch (e) { throw serverFail(e, 'post status'); }
  return newStatus(before);
});

function ownStatus() {
  return mod('StatusCollection').getMyStatus();
}

function statusIds() {
  return new Set(ownStatus().msgs.getModelsArray().map((m) => keyStr(m.id)));
}

// The post sendStatus*MsgAction added to the own status list (they return no message).
function newStatus(before) {
  const added = ownStatus().msgs.getModelsArray().filter((m) => !before.has(keyStr(m.id)));
  if (!added.length) throw new BridgeFail('page_error', 'the status was sent but did not appear in the own status list');
  return serializeMsg(added[added.length - 1]);
}

// Media status as WWebJS.sendMessage builds it for status@broadcast: the prepared media on a Msg
// model (author = me, a fresh messageSecret, cannotBeRanked from the gating util).
op('status.sendMedia', async ({ handle, mimetype, filename, kind, caption }) => {
  const file = takeUpload(handle, mimetype, filename);
  const mediaData = await prepareMedia(file, kind, { status: true });
  const me = mod('MeUser').getMaybeMePnUser();
  const MsgKey = mod('MsgKey');
  const to = mod('WidFactory').createWid('status@broadcast');
  const key = new MsgKey({ from: me, to, id: await MsgKey.newId(), participant: me, selfDir: 'out' });
  const fields = { ...mediaData.toJSON(), id: key, ack: 0, type: mediaData.type,
    mimetype: mediaData.mimetype, body: mediaData.preview, from: me, to, author: me, local: true,
    self: 'out', t: Math.floor(Date.now() / 1000), isNewMsg: true,
    messageSecret: crypto.getRandomValues(new Uint8Array(32)),
    cannotBeRanked: mod('StatusGating').canCheckStatusRankingPosterGating() };
  if (caption && kind !== 'voice' && kind !== 'audio') fields.caption = caption;
  if (kind === 'gif') fields.isGif = true;
  const msg = new (mod('Collections').Msg.modelClass)(fields);
  const before = statusIds();
  const update = mod('MediaUpdateMsg');
  try {
    await mod('StatusSend').sendStatusMediaMsgAction(msg, (data) => update(data, mediaData));
  } catch (e) { throw serverFail(e, 'post status'); }
  return newStatus(before);
});

op('status.revoke', async ({ id }) => {
  const coll = mod('Collections');
  const status = mod('StatusCollection').getMyStatus();
  const msg = coll.Msg.get(id) || status.msgs.get(id);
  if (!msg) throw new BridgeFail('message_not_found', 'status not found: ' + id, { messageId: id });
  if (!msg.id.fromMe) throw new BridgeFail('not_allowed', 'only your own status can be revoked', { reason: 'not own status' });
  try { await mod('StatusRevoke').sendStatusRevokeMsgAction(status, msg); } catch (e) { throw serverFail(e, 'revoke status'); }
  return true;
});

op('presence.subscribe', async ({ contactId }) => {
  const bridge = mod('PresenceBridge');
  const fn = bridge.subscribeUserPresence || bridge.subscribePresence;
  await fn.call(bridge, mod('WidFactory').createWid(contactId));
  return true;
});

onInstall(() => {
  const Presence = resolveKey('PresenceCollection');
  if (!Presence || typeof Presence.on !== 'function') return;
  listen(Presence, 'change:isOnline change:chatstate', guard('presence.changed', (p) => {
    const cs = p.chatstate || {};
    emit('presence.changed', { id: widStr(p.id), isOnline: !!p.isOnline, state: cs.type || null, t: cs.t || 0 });
  }));
});
