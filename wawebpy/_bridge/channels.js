// Channels (newsletters): list, get, create, follow/unfollow, directory search, post text,
// media and polls, edit name/description/picture/reactions, admin invites, ownership, followers.
// Sources: wa-web-modules.md 3.1 (WAWebNewsletterCollection), 3.5 "Channels / newsletters"
// (module members, the creation mixin shape, the send pipeline, the reaction codes) and "Media
// upload" (unencrypted channel uploads); whatsapp-web.js Client.js and structures/Channel.js.

// Channel.setReactionSetting's codes: ALL 0, BASIC 1, NONE 3 (wa-web-modules.md 3.5).
const REACTION_CODES = { all: 0, basic: 1, none: 3 };
const REACTION_NAMES = { 0: 'all', 1: 'basic', 3: 'none' };

function serializeChannel(chat) {
  const m = chat.newsletterMetadata || {};
  return { id: widStr(chat.id), name: m.name || chat.name || chat.formattedTitle || null,
    description: m.description || '', subscribers: m.subscribersCount || 0,
    role: m.membershipType || null, inviteCode: m.inviteCode || null, creation: m.creationTime || 0,
    verified: m.verificationState === 'verified', muted: !!(chat.mute && chat.mute.expiration),
    reactions: m.reactionCodesSetting == null ? null : (REACTION_NAMES[m.reactionCodesSetting] || null) };
}

function roleOf(chat) {
  return chat.newsletterMetadata && chat.newsletterMetadata.membershipType;
}

// A channel in WAWebNewsletterCollection (followed, owned, or previewed).
function followedChannel(channelId) {
  const chat = mod('NewsletterCollection').get(channelId);
  if (!chat) throw new BridgeFail('chat_not_found', 'channel not followed or unknown: ' + channelId, { chatId: channelId });
  return chat;
}

// A followed channel this account runs: owner (or admin, unless ownerOnly).
function ownChannel(channelId, what, ownerOnly) {
  const chat = followedChannel(channelId);
  const role = roleOf(chat);
  if (role !== 'owner' && (ownerOnly || role !== 'admin')) {
    throw new BridgeFail('not_admin', 'only the channel ' + (ownerOnly ? 'owner' : 'owner or admins') + ' can ' + what,
      { chatId: channelId, reason: 'role ' + role });
  }
  return chat;
}

function isFollowing(chat) {
  const role = roleOf(chat);
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
    const pic = picture ? await scaledDataUrl(picture, 640) : null;
    res = await mod('NewsletterCreate').createNewsletterQuery({ name, description: description || null, picture: pic });
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

// The channel send pipeline (wa-web-modules.md 3.5 "Sending to a channel"): a Msg model, its
// record, the newsletter send job, then the server's ack, time and id on the model.
async function postToChannel(chat, fields, type, mediaData) {
  const me = mod('MeUser').getMaybeMePnUser();
  const MsgKey = mod('MsgKey');
  const Msg = mod('Collections').Msg;
  const key = new MsgKey({ from: me, to: chat.id, id: await MsgKey.newId(), selfDir: 'out' });
  const msg = new Msg.modelClass({ ...fields, id: key, ack: 0, from: me, to: chat.id,
    local: true, self: 'out', t: Math.floor(Date.now() / 1000), isNewMsg: true });
  const data = mod('MsgDataFromModel').msgDataFromMsgModel(msg);
  const records = mod('NewsletterMsgRecords');
  await records.addNewsletterMsgsRecords([data]);
  chat.msgs.add(msg);
  chat.t = msg.t;
  const job = { msg, type, newsletterJid: chat.id.toJid() };
  if (mediaData) {
    job.mediaMetadata = typeof msg.avParams === 'function' ? msg.avParams() : undefined;
    job.mediaHandle = mediaData.mediaHandle;
  }
  let res;
  try {
    res = await mod('NewsletterSendJob').sendNewsletterMessageJob(job);
  } catch (e) { throw serverFail(e, 'post to channel', { chatId: widStr(chat.id) }); }
  if (res && res.success) {
    if (typeof msg.updateAck === 'function') msg.updateAck(1, true); else msg.ack = 1;
    if (res.ack && res.ack.t) msg.t = res.ack.t;
    if (res.serverId !== undefined) msg.serverId = res.serverId;
    await records.updateNewsletterMsgRecord(msg);
  }
  return serializeMsg(msg);
}

op('channels.sendText', async ({ channelId, text }) => {
  const chat = ownChannel(channelId, 'post');
  return postToChannel(chat, { body: text, type: 'chat' }, 'text');
});

// Channels take image, video, GIF, sticker and voice notes (wa-web-modules.md 3.5).
op('channels.sendMedia', async ({ channelId, handle, mimetype, filename, kind, caption }) => {
  let chat;
  try { chat = ownChannel(channelId, 'post'); } catch (e) { BUFFERS.delete(handle); throw e; }
  const file = takeUpload(handle, mimetype, filename);
  const mediaData = await prepareMedia(file, kind, { newsletter: true });
  const fields = { ...mediaData.toJSON(), type: mediaData.type, mimetype: mediaData.mimetype,
    body: mediaData.preview };
  if (caption && kind !== 'voice') fields.caption = caption;
  if (kind === 'gif') fields.isGif = true;
  return postToChannel(chat, fields, 'media', mediaData);
});

op('channels.sendPoll', async ({ channelId, question, options, allowMultiple }) => {
  const chat = ownChannel(channelId, 'post');
  return postToChannel(chat, pollFields(question, options, allowMultiple), 'pollCreation');
});

// editNewsletterMetadataAction(channel, {editName|editDescription|editPicture|
// editReactionCodesSetting: true}, {name|description|picture|reactionCodesSetting}).
op('channels.edit', async ({ channelId, name, description, picture, reactions }) => {
  const chat = ownChannel(channelId, 'edit it');
  const flags = {};
  const values = {};
  if (name != null) { flags.editName = true; values.name = name; }
  if (description != null) { flags.editDescription = true; values.description = description; }
  if (picture !== undefined) {
    flags.editPicture = true;
    values.picture = picture ? await scaledDataUrl(picture, 640) : null;
  }
  if (reactions != null) {
    flags.editReactionCodesSetting = true;
    values.reactionCodesSetting = REACTION_CODES[reactions];
  }
  try {
    await mod('NewsletterEdit').editNewsletterMetadataAction(chat, flags, values);
  } catch (e) { throw serverFail(e, 'edit channel', { chatId: channelId }); }
  return serializeChannel(chat);
});

function userWid(userId) {
  const wid = mod('WidFactory').createWid(userId);
  if (!wid.isUser()) throw new BridgeFail('invalid_input', userId + ' is not a user id');
  return wid;
}

op('channels.inviteAdmin', async ({ channelId, userId, comment }) => {
  const chat = ownChannel(channelId, 'invite admins', true);
  const invitee = userWid(userId);
  const userChat = await findChat(userId);
  let res;
  try {
    res = await mod('NewsletterAdminInvite').sendNewsletterAdminInviteMessage(userChat, {
      newsletterWid: chat.id, invitee, inviteMessage: comment || undefined, base64Thumb: undefined });
  } catch (e) { throw serverFail(e, 'invite channel admin', { chatId: channelId }); }
  if (!res || res.messageSendResult !== 'OK') {
    throw new BridgeFail('send_failed', 'the admin invite was not sent', { chatId: channelId,
      reason: String(res && res.messageSendResult) });
  }
  return true;
});

op('channels.acceptAdmin', async ({ channelId }) => {
  try { await mod('NewsletterAcceptAdmin').acceptNewsletterAdminInvite(channelId); } catch (e) {
    throw serverFail(e, 'accept channel admin invite', { chatId: channelId });
  }
  return serializeChannel(await getChannel(channelId));
});

op('channels.revokeAdminInvite', async ({ channelId, userId }) => {
  ownChannel(channelId, 'revoke admin invites', true);
  try { await mod('NewsletterRevokeAdmin').revokeNewsletterAdminInvite(channelId, userWid(userId)); } catch (e) {
    throw serverFail(e, 'revoke channel admin invite', { chatId: channelId });
  }
  return true;
});

op('channels.demoteAdmin', async ({ channelId, userId }) => {
  const me = mod('MeUser').getMaybeMePnUser();
  // Anyone may step down; demoting someone else is the owner's.
  if (widStr(me) !== userId) ownChannel(channelId, 'demote admins', true);
  try { await mod('NewsletterDemoteAdmin').demoteNewsletterAdmin(channelId, userWid(userId)); } catch (e) {
    throw serverFail(e, 'demote channel admin', { chatId: channelId });
  }
  return true;
});

op('channels.transferOwner', async ({ channelId, userId, dismissSelf }) => {
  const chat = ownChannel(channelId, 'transfer ownership', true);
  const contacts = mod('Collections').Contact;
  const wid = userWid(userId);
  const owner = contacts.get(wid) || await contacts.find(wid);
  try {
    await mod('NewsletterChangeOwner').changeNewsletterOwnerAction(chat, owner);
    if (dismissSelf) {
      const cc = mod('ContactCollectionModule');
      const me = typeof cc.getMeContact === 'function' ? cc.getMeContact() : cc.ContactCollection.getMeContact();
      if (me) await mod('NewsletterDemoteSelf').demoteNewsletterAdminAction(chat, me);
    }
  } catch (e) { throw serverFail(e, 'transfer channel ownership', { chatId: channelId }); }
  return serializeChannel(chat);
});

// Mute / unmute: updateNewsletterUserSetting with the ADMIN_NOTIFICATIONS type and the
// MUTED_STATE / UNMUTED_STATE values of WAWebNewsletterModelUtils (wa-web-modules.md 3.5).
op('channels.mute', async ({ channelId, mute }) => {
  const chat = followedChannel(channelId);
  const utils = mod('NewsletterModelUtils');
  try {
    await mod('NewsletterUserSetting').updateNewsletterUserSetting({ newsletterJid: chat.id.toJid(),
      type: utils.ADMIN_NOTIFICATIONS, muteExpirationValue: mute ? utils.MUTED_STATE : utils.UNMUTED_STATE });
  } catch (e) { throw serverFail(e, mute ? 'mute channel' : 'unmute channel', { chatId: channelId }); }
  return serializeChannel(chat);
});

// Followers visible to an admin: mexFetchNewsletterSubscribers, then the ones in the contacts.
op('channels.subscribers', async ({ channelId, limit }) => {
  ownChannel(channelId, 'list followers');
  let list;
  try {
    const res = await mod('NewsletterSubscribers').mexFetchNewsletterSubscribers(channelId, limit);
    list = await mod('NewsletterSubscriberList').getSubscribersInContacts((res && res.subscribers) || []);
  } catch (e) { throw serverFail(e, 'list channel followers', { chatId: channelId }); }
  return (list || []).map((s) => ({ id: widStr(s.contact && s.contact.id), role: s.role || null }))
    .filter((s) => s.id);
});

op('channels.delete', async ({ channelId }) => {
  const chat = ownChannel(channelId, 'delete it', true);
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
