// Messages: new-message and ack events, sending text with quotes and mentions.
// Sources: wa-web-interface.md "Collections", "A serialized message", "Sending a message".

// Media bodies (base64 thumbnails) never ride the event channel; explicit calls fetch media.
const MEDIA_TYPES = ['image', 'video', 'audio', 'ptt', 'document', 'sticker'];
const MSG_FIELDS = ['type', 'subtype', 't', 'ack', 'isNewMsg', 'isForwarded', 'forwardingScore',
  'caption', 'mimetype', 'filename', 'size', 'lat', 'lng', 'loc', 'pollName',
  'pollSelectableOptionsCount', 'isStarred', 'star', 'isEphemeral', 'isStatusV3', 'hasReaction',
  'quotedStanzaID', 'isViewOnce', 'duration', 'latestEditSenderTimestampMs', 'broadcast',
  'isGif', 'title', 'description', 'inviteCode', 'vcardList', 'pollOptions'];

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
  for (const f of MSG_FIELDS) if (s[f] !== undefined) out[f] = s[f];
  if (!MEDIA_TYPES.includes(s.type)) out.body = s.body == null ? '' : String(s.body);
  if (s.latestEditMsgKey) out.latestEditMsgKey = keyStr(s.latestEditMsgKey);
  if (s.protocolMessageKey) out.protocolMessageKey = keyStr(s.protocolMessageKey);
  return out;
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

async function findChat(chatId) {
  const wid = mod('WidFactory').createWid(chatId);
  const chats = mod('Collections').Chat;
  let chat = chats.get(wid);
  if (!chat) {
    try {
      const res = await mod('FindChat').findOrCreateLatestChat(wid);
      chat = res && res.chat;
    } catch (e) {
      if (e instanceof BridgeFail) throw e;
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
async function sendMessage(chat, fields, opts) {
  const me = mod('MeUser');
  const meUser = me.getMaybeMePnUser() || me.getMaybeMeLidUser();
  const MsgKey = mod('MsgKey');
  const key = new MsgKey({ from: meUser, to: chat.id, id: await MsgKey.newId(),
    participant: chat.id.isGroup() ? meUser : undefined, selfDir: 'out' });
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
  const [msgPromise, sendResult] = mod('SendMsg').addAndSendMsgToChat(chat, message);
  await msgPromise;
  if (opts.waitSent) await sendResult;
  const sent = mod('Collections').Msg.get(keyStr(key));
  return serializeMsg(sent || message);
}

op('messages.sendText', async ({ chatId, text, quotedId, mentions, waitSent }) => {
  const chat = await findChat(chatId);
  return sendMessage(chat, { type: 'chat', body: text }, { quotedId, mentions, waitSent });
});

op('messages.get', async ({ id }) => serializeMsg(findMsg(id)));
