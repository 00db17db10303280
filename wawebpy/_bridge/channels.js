// Channels (newsletters): list, get, create, follow/unfollow, directory search, post text.
// Sources: wa-web-modules.md 3.1 (WAWebNewsletterCollection), 3.5 "Channels / newsletters"
// (module members, the creation mixin shape, the send pipeline); whatsapp-web.js Client.js.

function serializeChannel(chat) {
  const m = chat.newsletterMetadata || {};
  return { id: widStr(chat.id), name: m.name || chat.name || chat.formattedTitle || null,
    description: m.description || '', subscribers: m.subscribersCount || 0,
    role: m.membershipType || null, inviteCode: m.inviteCode || null, creation: m.creationTime || 0,
    verified: m.verificationState === 'verified' };
}

function isFollowing(chat) {
  const role = chat.newsletterMetadata && chat.newsletterMetadata.membershipType;
  return !!role && role !== 'guest';
}

async function getChannel(channelId) {
  const coll = mod('NewsletterCollection');
  const chat = coll.get(channelId);
  if (chat) return chat;
  try {
    const loaded = await mod('NewsletterPreview').loadNewsletterPreviewChat(channelId);
    if (loaded) return loaded;
  } catch (e) {
    if (!(e && e.status === 404)) throw serverFail(e, 'load channel', { chatId: channelId });
  }
  throw new BridgeFail('chat_not_found', 'channel not found: ' + channelId, { chatId: channelId });
}

op('channels.list', async () => mod('NewsletterCollection').getModelsArray().filter(isFollowing).map(serializeChannel));
op('channels.get', async ({ channelId }) => serializeChannel(await getChannel(channelId)));

op('channels.create', async ({ name, description, picture }) => {
  if (!mod('NewsletterGating').isNewsletterCreationEnabled()) {
    throw new BridgeFail('not_allowed', 'this account cannot create channels', { reason: 'isNewsletterCreationEnabled() is false' });
  }
  let res;
  try {
    res = await mod('NewsletterCreate').createNewsletterQuery({ name, description: description || null, picture: picture || null });
  } catch (e) { throw serverFail(e, 'create channel'); }
  const id = widStr(res.idJid);
  const chat = mod('NewsletterCollection').get(id);
  if (chat) return serializeChannel(chat);
  return { id, name: res.newsletterNameMetadataMixin.nameElementValue, description: description || '',
    subscribers: 1, role: 'owner', inviteCode: res.newsletterInviteLinkMetadataMixin.inviteCode,
    creation: res.newsletterCreationTimeMetadataMixin.creationTimeValue };
});

op('channels.subscribe', async ({ channelId, subscribe, deleteLocalModels }) => {
  const chat = await getChannel(channelId);
  try {
    if (subscribe) await mod('NewsletterSubscribe').subscribeToNewsletterAction(chat, { eventSurface: 3 });
    else await mod('NewsletterUnsubscribe').unsubscribeFromNewsletterAction(chat, { eventSurface: 3, deleteLocalModels: !!deleteLocalModels });
  } catch (e) { throw serverFail(e, subscribe ? 'follow channel' : 'unfollow channel', { chatId: channelId }); }
  return true;
});

op('channels.search', async ({ text, limit, skipSubscribed }) => {
  let res;
  try {
    res = await mod('NewsletterSearch').fetchNewsletterDirectories({ searchText: text,
      countryCodes: [], skipSubscribedNewsletters: !!skipSubscribed, view: 'RECOMMENDED',
      categories: [], cursorToken: '' });
  } catch (e) { throw serverFail(e, 'search channels'); }
  return (res.newsletters || []).slice(0, limit).map((n) => ({ id: widStr(n.id || n.idJid), name: n.name || null,
    description: n.description || '', subscribers: n.subscribers || n.subscribersCount || 0,
    role: n.role || null, inviteCode: n.inviteCode || null, creation: n.creation || 0 }));
});

op('channels.sendText', async ({ channelId, text }) => {
  const chat = mod('NewsletterCollection').get(channelId);
  if (!chat) throw new BridgeFail('chat_not_found', 'channel not followed or unknown: ' + channelId, { chatId: channelId });
  const role = chat.newsletterMetadata && chat.newsletterMetadata.membershipType;
  if (role !== 'owner' && role !== 'admin') {
    throw new BridgeFail('not_admin', 'only channel admins can post', { chatId: channelId, reason: 'role ' + role });
  }
  const me = mod('MeUser').getMaybeMePnUser();
  const MsgKey = mod('MsgKey');
  const Msg = mod('Collections').Msg;
  const key = new MsgKey({ from: me, to: chat.id, id: await MsgKey.newId(), selfDir: 'out' });
  const msg = new Msg.modelClass({ id: key, ack: 0, body: text, type: 'chat', from: me, to: chat.id,
    local: true, self: 'out', t: Math.floor(Date.now() / 1000), isNewMsg: true });
  const data = mod('MsgDataFromModel').msgDataFromMsgModel(msg);
  const records = mod('NewsletterMsgRecords');
  await records.addNewsletterMsgsRecords([data]);
  chat.msgs.add(msg);
  chat.t = msg.t;
  let res;
  try {
    res = await mod('NewsletterSendJob').sendNewsletterMessageJob({ msg, type: 'text', newsletterJid: chat.id.toJid() });
  } catch (e) { throw serverFail(e, 'post to channel', { chatId: channelId }); }
  if (res && res.success) {
    if (typeof msg.updateAck === 'function') msg.updateAck(1, true); else msg.ack = 1;
    if (res.ack && res.ack.t) msg.t = res.ack.t;
    if (res.serverId !== undefined) msg.serverId = res.serverId;
    await records.updateNewsletterMsgRecord(msg);
  }
  return serializeMsg(msg);
});

op('channels.delete', async ({ channelId }) => {
  const chat = mod('NewsletterCollection').get(channelId);
  if (!chat) throw new BridgeFail('chat_not_found', 'channel not found: ' + channelId, { chatId: channelId });
  try { await mod('NewsletterDelete').deleteNewsletterAction(chat); } catch (e) { throw serverFail(e, 'delete channel', { chatId: channelId }); }
  return true;
});

op('channels.byInvite', async ({ code }) => {
  let res;
  try {
    const role = mod('NewsletterModelUtils').getRoleByIdentifier(code);
    res = await mod('NewsletterMetadataQuery').queryNewsletterMetadataByInviteCode(code, role);
  } catch (e) { throw serverFail(e, 'channel by invite code'); }
  const desc = res.newsletterDescriptionMetadataMixin;
  const followed = mod('NewsletterCollection').get(widStr(res.idJid));
  return { id: widStr(res.idJid), name: res.newsletterNameMetadataMixin.nameElementValue,
    description: (desc && desc.descriptionQueryDescriptionResponseMixin.elementValue) || '',
    subscribers: res.newsletterSubscribersMetadataMixin.subscribersCount || 0,
    role: followed ? serializeChannel(followed).role : null,
    inviteCode: res.newsletterInviteLinkMetadataMixin.inviteCode,
    creation: res.newsletterCreationTimeMetadataMixin.creationTimeValue };
});
