// Labels (WhatsApp Business), status (stories) and broadcasts, presence of contacts.
// Sources: wa-web-modules.md 3.1 (Label collection, addOrRemoveLabels), 3.2 (Label model),
// 3.5 "Labels" (the '[LT01] Only Whatsapp business' check), "Status / stories", "Chats, state
// and presence" (wa-js's WAWebContactPresenceBridge and Presence collection).

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
  const coll = mod('Collections');
  const status = coll.StatusV3 || coll.Status;
  return status.getModelsArray().map(serializeBroadcast);
});

op('status.sendText', async ({ text, color, font }) => {
  const coll = mod('Collections');
  const status = coll.StatusV3 || coll.Status;
  const before = new Set(status.getMyStatus().msgs.getModelsArray().map((m) => keyStr(m.id)));
  try {
    await mod('StatusSend').sendStatusTextMsgAction({ color, font, text });
  } catch (e) { throw serverFail(e, 'post status'); }
  const added = status.getMyStatus().msgs.getModelsArray().filter((m) => !before.has(keyStr(m.id)));
  if (!added.length) throw new BridgeFail('page_error', 'the status was sent but did not appear in the own status list');
  return serializeMsg(added[added.length - 1]);
});

op('status.revoke', async ({ id }) => {
  const coll = mod('Collections');
  const status = (coll.StatusV3 || coll.Status).getMyStatus();
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
  const Presence = mod('Collections').Presence;
  if (!Presence || typeof Presence.on !== 'function') return;
  listen(Presence, 'change:isOnline change:chatstate', guard('presence.changed', (p) => {
    const cs = p.chatstate || {};
    emit('presence.changed', { id: widStr(p.id), isOnline: !!p.isOnline, state: cs.type || null, t: cs.t || 0 });
  }));
});
