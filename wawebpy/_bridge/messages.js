// Messages: new-message and ack events, sending text with quotes and mentions.
// Sources: wa-web-interface.md "Collections", "A serialized message", "Sending a message".

// Media bodies (base64 thumbnails) never ride the event channel; explicit calls fetch media.
const MEDIA_TYPES = ['image', 'video', 'audio', 'ptt', 'document', 'sticker'];
const MSG_FIELDS = ['type', 'subtype', 't', 'ack', 'isNewMsg', 'isForwarded', 'forwardingScore',
  'caption', 'mimetype', 'filename', 'size', 'lat', 'lng', 'loc', 'pollName',
  'pollSelectableOptionsCount', 'isStarred', 'star', 'isEphemeral', 'isStatusV3', 'hasReaction',
  'quotedStanzaID', 'isViewOnce', 'duration', 'latestEditSenderTimestampMs', 'broadcast',
  'isGif', 'title', 'description', 'inviteCode', 'vcardList', 'pollOptions', 'clientUrl',
  'pollInvalidated', 'isUnsentMedia'];

function serializeMsg(msg) {
  const s = typeof msg.serialize === 'function' ? msg.serialize() : msg;
  const key = s.id || msg.id;
  const out = {
    id: keyStr(key),
    fromMe: !!(key && key.fromMe),
    remote: widStr(key && key.remote),
    participant: widStr(key && key.participant),
    from: widStr(s.from),
    to: widStr(s.to),
    author: widStr(s.author),
    quotedParticipant: widStr(s.quotedParticipant),
    quotedRemoteJid: widStr(s.quotedRemoteJid),
    mentionedJidList: (s.mentionedJidList || []).map(widStr).filter((x) => x),
    groupMentions: (s.groupMentions || []).map((g) => ({ subject: g.groupSubject || null,
      id: widStr(g.groupJid) })),
  };
  if (!out.fromMe) senderForms(out, s.author || (key && key.participant) || s.from);
  for (const f of MSG_FIELDS) if (s[f] !== undefined) out[f] = s[f];
  if (!MEDIA_TYPES.includes(s.type)) out.body = s.body == null ? '' : String(s.body);
  if (s.latestEditMsgKey) out.latestEditMsgKey = keyStr(s.latestEditMsgKey);
  if (s.protocolMessageKey) out.protocolMessageKey = keyStr(s.protocolMessageKey);
  // Absent and empty fields are left out: every byte rides the event channel (and the reload
  // stash, which has a storage quota); Python reads missing keys as None / empty.
  for (const k of Object.keys(out)) {
    const v = out[k];
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) delete out[k];
  }
  return out;
}

// Since 2026 a sender is often only a LID: say the other form too where the page's LID-PN
// mapping knows it (WAWebApiContact getPhoneNumber/getCurrentLid, W1347 Utils.js:1694-1722),
// so a bot can answer a person it knows by number. A cheap local lookup, never a server query.
function senderForms(out, sender) {
  const api = sender ? resolveKey('LidUtils') : null;
  if (!api) return;
  try {
    const wid = sender.server ? sender : mod('WidFactory').createWid(String(sender));
    if (wid.server === 'lid') out.senderPn = widStr(api.getPhoneNumber(wid));
    else if (wid.server === 'c.us') out.senderLid = widStr(api.getCurrentLid(wid));
  } catch (e) { /* an id the mapping cannot take: the event still goes, without the pair */ }
}

function emitMsg(msg) { emit('messages.add', serializeMsg(msg)); }

onInstall(() => {
  const Msg = mod('Collections').Msg;
  // New messages added before the bridge arrived (offline delivery racing the install) are
  // reported too; Python drops any it has already seen.
  for (const msg of Msg.getModelsArray()) {
    if (msg && msg.isNewMsg && msg.type !== 'ciphertext') emitMsg(msg);
  }
  listen(Msg, 'add', guard('messages.add', (msg) => {
    if (!msg || !msg.isNewMsg) return;
    if (msg.type === 'ciphertext') {
      // Not decrypted yet: the real message is this same model once its type changes.
      msg.once('change:type', guard('messages.add', (m) => emitMsg(m || msg)));
      return;
    }
    emitMsg(msg);
  }));
  listen(Msg, 'change:ack', guard('messages.ack', (msg, ack) => {
    emit('messages.ack', { id: keyStr(msg.id), ack, remote: widStr(msg.id && msg.id.remote) });
  }));
});

// A user's LID and phone number wids, either given: the page's mapping first, then a usync
// lookup for the missing one (wwebjs v1.34.7 Utils.js:1694-1722 enforceLidAndPnRetrieval).
// Either may come back null (unknown to WhatsApp, or the number hides it).
async function lidAndPn(userId) {
  const wid = mod('WidFactory').createWid(userId);
  if (wid.server !== 'lid' && wid.server !== 'c.us') return { lid: null, pn: null, wid };
  const api = mod('LidUtils');
  const isLid = wid.server === 'lid';
  let lid = isLid ? wid : api.getCurrentLid(wid);
  let pn = isLid ? api.getPhoneNumber(wid) : wid;
  if (!(lid && pn)) {
    const res = await mod('QueryExists').queryWidExists(wid);
    if (res && res.wid) {
      if (!lid) lid = (res.lid && res.lid.server === 'lid' ? res.lid : null) || api.getCurrentLid(wid);
      if (!pn) pn = api.getPhoneNumber(wid);
    }
  }
  return { lid: lid || null, pn: pn || null, wid };
}

async function findChat(chatId) {
  const wid = mod('WidFactory').createWid(chatId);
  const chats = mod('Collections').Chat;
  let chat = chats.get(wid);
  if (!chat && wid.server === 'c.us' && !mod('MeUser').isMeAccount(wid)) {
    // Since early 2026 findOrCreateLatestChat maps a number to its LID first and throws
    // "No LID for user" when the page knows none (audit 2.3 #6): look it up beforehand, and
    // use the chat WhatsApp already keeps under the LID.
    const { lid } = await lidAndPn(wid);
    if (!lid) throw new BridgeFail('no_lid', 'No LID for user ' + chatId, { chatId });
    chat = chats.get(lid);
  }
  if (!chat) {
    try {
      const res = await mod('FindChat').findOrCreateLatestChat(wid);
      // wa-js re-reads the store: res.chat may be a plain object on new LID chats (audit 2.3 #6).
      chat = res && res.chat && (chats.get(res.chat.id) || res.chat);
    } catch (e) {
      if (e instanceof BridgeFail) throw e;
      if (/No LID for user/.test(String(e && e.message))) {
        throw new BridgeFail('no_lid', 'No LID for user ' + chatId, { chatId });
      }
      throw new BridgeFail('chat_not_found', 'chat not found: ' + chatId + ' (' + String(e && e.message || e) + ')', { chatId });
    }
  }
  if (!chat) throw new BridgeFail('chat_not_found', 'chat not found: ' + chatId, { chatId });
  return chat;
}

function findMsg(msgId) {
  const msg = mod('Collections').Msg.get(msgId);
  if (!msg) throw new BridgeFail('message_not_found', 'message not found: ' + msgId, { messageId: msgId });
  return msg;
}

// sendMessage(chat, fields, opts): the one place that builds and sends a message object.
// The key of a message we send. Python chooses `msgId` (the durable outbox's idempotency key);
// without one WhatsApp Web makes a fresh id.
// The sender is addressed as wwebjs v1.34.7 Utils.js:420-451 does: our LID in `@lid` chats and
// in LID-addressed groups (a PN `from` there makes the recipient see "unknown user": wa-js
// 9cd87e8532), our PN elsewhere; participant = the sender in groups and status.
async function outgoingKey(chat, msgId) {
  const me = mod('MeUser');
  const lidUser = me.getMaybeMeLidUser();
  const pnUser = me.getMaybeMePnUser();
  const id = chat.id;
  let from = id.isLid() ? lidUser : pnUser;
  let participant;
  if (id.isGroup()) {
    from = chat.groupMetadata && chat.groupMetadata.isLidAddressingMode ? lidUser : pnUser;
  }
  from = from || pnUser || lidUser;
  if (id.isGroup() || (typeof id.isStatus === 'function' && id.isStatus())) {
    participant = mod('WidFactory').asUserWidOrThrow(from);
  }
  const MsgKey = mod('MsgKey');
  const key = new MsgKey({ from, to: id, id: msgId || await MsgKey.newId(), participant, selfDir: 'out' });
  return { key, meUser: from };
}

// A message we already sent under this key (loaded, or in the local store after a restart).
async function findSent(key) {
  const Msg = mod('Collections').Msg;
  const id = keyStr(key);
  const loaded = Msg.get(id);
  if (loaded) return loaded;
  const found = await Msg.getMessagesById([id]);
  return (found && found.messages && found.messages[0]) || null;
}

// The key WhatsApp Web gives a send with our id (Python's idempotency key must be the same).
op('messages.outgoingKey', async ({ chatId, msgId }) => {
  const { key } = await outgoingKey(await findChat(chatId), msgId);
  return keyStr(key);
});

op('messages.findSent', async ({ chatId, msgId }) => {
  const { key } = await outgoingKey(await findChat(chatId), msgId);
  const sent = await findSent(key);
  return sent ? serializeMsg(sent) : null;
});

async function sendMessage(chat, fields, opts) {
  const { key, meUser } = await outgoingKey(chat, opts.msgId);
  if (opts.msgId) {
    // A retry of a send that may have gone out before a crash: never send it twice.
    const sent = await findSent(key);
    if (sent) return serializeMsg(sent);
  }
  let quoted = {};
  if (opts.quotedId) {
    const q = findMsg(opts.quotedId);
    const replyUtils = resolveKey('MsgReply');
    const canReply = replyUtils ? replyUtils.canReplyMsg(q.unsafe ? q.unsafe() : q)
      : (typeof q.canReply === 'function' ? q.canReply() : true);
    if (!canReply) throw new BridgeFail('cannot_reply', 'WhatsApp does not allow replying to ' + opts.quotedId);
    quoted = q.msgContextInfo(chat);
  }
  const widFactory = mod('WidFactory');
  const ephemeral = resolveKey('EphemeralFields');
  const message = {
    ...(ephemeral ? ephemeral.getEphemeralFields(chat) : {}),
    ...fields,
    ...quoted,
    id: key, ack: 0, from: meUser, to: chat.id, local: true, self: 'out',
    t: Math.floor(Date.now() / 1000), isNewMsg: true,
  };
  if (opts.mentions && opts.mentions.length) {
    message.mentionedJidList = opts.mentions.map((id) => widFactory.createWid(id));
  }
  if (opts.groupMentions && opts.groupMentions.length) {
    message.groupMentions = opts.groupMentions.map((g) => ({ groupSubject: g.subject,
      groupJid: widFactory.createWid(g.id) }));
  }
  const [msgPromise, sendResult] = mod('SendMsg').addAndSendMsgToChat(chat, message);
  await msgPromise;
  if (opts.waitSent) await sendResult;
  const sent = mod('Collections').Msg.get(keyStr(key));
  return serializeMsg(sent || message);
}

async function linkPreviewFields(text) {
  const link = mod('Linkify').findLink(text);
  if (!link) return {};
  const preview = await mod('LinkPreview').getLinkPreview(link);
  return preview && preview.data ? { ...preview.data, preview: true, subtype: 'url' } : {};
}

op('messages.sendText', async ({ chatId, text, quotedId, mentions, groupMentions, waitSent,
  linkPreview, msgId }) => {
  const chat = await findChat(chatId);
  const extra = linkPreview ? await linkPreviewFields(text) : {};
  return sendMessage(chat, { type: 'chat', body: text, ...extra },
    { quotedId, mentions, groupMentions, waitSent, msgId });
});

// Location: `loc` is "name\naddress" (wa-web-modules.md 3.5, per content type).
op('messages.sendLocation', async ({ chatId, lat, lng, name, address, url, quotedId, msgId }) => {
  const chat = await findChat(chatId);
  const loc = [name, address].filter((x) => x).join('\n');
  const fields = { type: 'location', lat, lng, loc: loc || undefined, clientUrl: url || undefined };
  return sendMessage(chat, fields, { quotedId, msgId });
});

op('messages.sendContacts', async ({ chatId, vcards, names, quotedId, msgId }) => {
  const chat = await findChat(chatId);
  const fields = vcards.length === 1
    ? { type: 'vcard', body: vcards[0], vcardFormattedName: names[0] }
    : { type: 'multi_vcard', body: null,
      vcardList: vcards.map((vcard, i) => ({ displayName: names[i], vcard })) };
  return sendMessage(chat, fields, { quotedId, msgId });
});

// A poll's message fields (wa-web-modules.md 3.5, "Per content type"); chats and channels.
function pollFields(question, options, allowMultiple) {
  const secret = new Uint8Array(32);
  crypto.getRandomValues(secret);
  return { kind: 'pollCreation', type: 'poll_creation', pollName: question,
    pollOptions: options.map((name, localId) => ({ name, localId })),
    pollSelectableOptionsCount: allowMultiple ? 0 : 1, messageSecret: secret };
}

op('messages.sendPoll', async ({ chatId, question, options, allowMultiple, quotedId, msgId }) => {
  const chat = await findChat(chatId);
  return sendMessage(chat, pollFields(question, options, allowMultiple), { quotedId, msgId });
});

op('messages.forward', async ({ id, chatId }) => {
  const msg = findMsg(id);
  const chat = await findChat(chatId);
  await mod('ForwardMsg').forwardMessages({ chat, msgs: [msg], multicast: true,
    includeCaption: true, appendedText: undefined });
  return true;
});

function can(check, msg) {
  const caps = mod('MsgCapability');
  return typeof caps[check] === 'function' ? Boolean(caps[check](msg)) : false;
}

op('messages.edit', async ({ id, text, mentions }) => {
  const msg = findMsg(id);
  if (!(can('canEditText', msg) || can('canEditCaption', msg))) {
    throw new BridgeFail('cannot_edit', 'WhatsApp does not allow editing ' + id +
      ' (only own text or captions, within 15 minutes)');
  }
  const widFactory = mod('WidFactory');
  await mod('EditMsg').sendMessageEdit(msg, text,
    { mentionedJidList: (mentions || []).map((m) => widFactory.createWid(m)) });
  return serializeMsg(findMsg(id));
});

op('messages.delete', async ({ id, everyone, clearMedia }) => {
  const msg = findMsg(id);
  const chat = await findChat(widStr(msg.id.remote));
  const Cmd = mod('Cmd');
  if (everyone) {
    if (!(can('canSenderRevokeMsg', msg) || can('canAdminRevokeMsg', msg))) {
      throw new BridgeFail('cannot_revoke', 'WhatsApp does not allow revoking ' + id);
    }
    await Cmd.sendRevokeMsgs(chat, { list: [msg], type: 'message' }, { clearMedia: clearMedia !== false });
  } else {
    await Cmd.sendDeleteMsgs(chat, { list: [msg], type: 'message' }, clearMedia !== false);
  }
  return true;
});

op('messages.star', async ({ id, star }) => {
  const msg = findMsg(id);
  if (star && !can('canStarMsg', msg)) throw new BridgeFail('cannot_star', 'cannot star ' + id);
  const chat = await findChat(widStr(msg.id.remote));
  const Cmd = mod('Cmd');
  await (star ? Cmd.sendStarMsgs(chat, [msg], false) : Cmd.sendUnstarMsgs(chat, [msg], false));
  return true;
});

op('messages.react', async ({ id, emoji }) => {
  await mod('SendReaction').sendReactionToMsg(findMsg(id), emoji);
  return true;
});

op('messages.pin', async ({ id, pin, duration }) => {
  const res = await mod('SendPin').sendPinInChatMsg(findMsg(id), pin ? 1 : 2, duration);
  const result = res && res.messageSendResult;
  if (result !== 'OK') throw new BridgeFail('pin_failed', 'pin refused: ' + String(result));
  return true;
});

op('messages.quoted', async ({ id }) => {
  const q = mod('QuotedMsg').getQuotedMsgObj(findMsg(id));
  return q ? serializeMsg(q) : null;
});

function reactionRecord(r) {
  const out = { id: keyStr(r.id), parentId: keyStr(r.reactionParentKey || r.parentMsgKey),
    text: r.reactionText == null ? '' : String(r.reactionText),
    sender: widStr(r.author || r.from), t: r.reactionTimestamp || null };
  senderForms(out, r.author || r.from);
  return out;
}

op('messages.reactions', async ({ id }) => {
  const entry = await mod('Collections').Reactions.find(id);
  const out = [];
  const list = entry && entry.reactions ? entry.reactions.getModelsArray() : [];
  for (const agg of list) for (const r of agg.senders || []) out.push(reactionRecord(r));
  return out;
});

function pollVoteRecord(vote, parent) {
  const ids = Array.from(vote.selectedOptionLocalIds || []);
  const options = (parent && parent.pollOptions) || [];
  const names = ids.map((i) => { const o = options.find((x) => x.localId === i); return o ? o.name : null; })
    .filter((x) => x != null);
  const out = { pollId: keyStr(vote.pollUpdateParentKey || vote.parentMsgKey),
    voter: widStr(vote.author || vote.sender || vote.from), selected: names, localIds: ids,
    t: vote.senderTimestampMs || (vote.t ? vote.t * 1000 : null) };
  senderForms(out, vote.author || vote.sender || vote.from);
  return out;
}

op('messages.pollVotes', async ({ id }) => {
  const parent = findMsg(id);
  const rows = await mod('PollVotesSchema').getTable().equals(['parentMsgKey'], parent.id.toString());
  return (rows || []).map((r) => pollVoteRecord(r, parent));
});

op('messages.vote', async ({ id, options }) => {
  const msg = findMsg(id);
  if (msg.type !== 'poll_creation') throw new BridgeFail('invalid_content', id + ' is not a poll');
  const ids = new Set();
  for (const name of options) {
    const o = (msg.pollOptions || []).find((x) => x.name === name);
    if (!o) throw new BridgeFail('invalid_content', 'the poll has no option ' + JSON.stringify(name));
    ids.add(o.localId);
  }
  if (ids.size > 1 && msg.pollSelectableOptionsCount === 1) {
    throw new BridgeFail('invalid_content', 'this poll allows one answer only');
  }
  await mod('SendVote').sendVote(msg, ids);
  return true;
});

op('messages.info', async ({ id }) => {
  const msg = findMsg(id);
  const info = await mod('MsgInfo').queryMsgInfo(msg.id);
  const ids = (list) => (list || []).map((x) => widStr(x.id));
  return { delivery: ids(info && info.delivery), read: ids(info && info.read),
    played: ids(info && info.played), deliveryRemaining: (info && info.deliveryRemaining) || 0,
    readRemaining: (info && info.readRemaining) || 0, playedRemaining: (info && info.playedRemaining) || 0 };
});

// Change events: edits, revokes (for everyone / for me), upload done, reactions, poll votes.
onInstall(() => {
  const Msg = mod('Collections').Msg;
  listen(Msg, 'change:body change:caption', guard('messages.edit', (msg, now, prev) => {
    if (!msg || msg.type === 'revoked') return;
    emit('messages.edit', { msg: serializeMsg(msg), now: now == null ? '' : String(now),
      prev: prev == null ? '' : String(prev) });
  }));
  listen(Msg, 'change:type', guard('messages.revoke', (msg) => {
    if (msg && msg.type === 'revoked') emit('messages.revoke', { msg: serializeMsg(msg), scope: 'everyone' });
  }));
  listen(Msg, 'remove', guard('messages.revoke', (msg) => {
    if (msg && msg.isNewMsg) emit('messages.revoke', { msg: serializeMsg(msg), scope: 'me' });
  }));
  listen(Msg, 'change:isUnsentMedia', guard('messages.uploaded', (msg, unsent) => {
    if (msg && msg.id && msg.id.fromMe && !unsent) emit('messages.uploaded', serializeMsg(msg));
  }));
});

// Reactions and poll votes are observed by wrapping the add-on tables' bulkUpsert (3.3).
function wrapTable(key, kind, onRecords) {
  const table = resolveKey(key);
  if (!table || typeof table.bulkUpsert !== 'function') return;
  const original = table.bulkUpsert;
  table.bulkUpsert = function wrapped(records, ...rest) {
    try { onRecords(records || []); } catch (e) {
      emit('bridge.error', { kind, message: String(e && e.message ? e.message : e) });
    }
    return original.call(this, records, ...rest);
  };
  W.hooks.push(() => { table.bulkUpsert = original; });
}

onInstall(() => {
  wrapTable('ReactionTable', 'messages.reaction', (records) => {
    for (const r of records) emit('messages.reaction', reactionRecord(r));
  });
  wrapTable('PollVoteTable', 'messages.pollVote', (records) => {
    const Msg = mod('Collections').Msg;
    for (const v of records) {
      const parentKey = v.pollUpdateParentKey || v.parentMsgKey;
      emit('messages.pollVote', pollVoteRecord(v, parentKey ? Msg.get(keyStr(parentKey)) : null));
    }
  });
});

op('messages.get', async ({ id }) => serializeMsg(findMsg(id)));
