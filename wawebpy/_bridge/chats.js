// Chats: reading, changing (archive, pin, mute, unread, seen, clear, delete, typing), history,
// search, and the chat events (archived, removed, unread count).
// Sources: wa-web-interface.md "Collections"; wa-web-modules.md 3.2, 3.4, 3.5 "Chats, state and
// presence"; whatsapp-web.js Client.js (archiveChat, pinChat, muteChat, searchMessages).

function serializeChat(chat) {
  const s = typeof chat.serialize === 'function' ? chat.serialize() : chat;
  const id = chat.id || s.id;
  const idStr = widStr(id);
  const isGroup = id && typeof id.isGroup === 'function' ? id.isGroup() : /@g\.us$/.test(idStr || '');
  const expiration = (chat.mute && chat.mute.expiration) || s.muteExpiration || 0;
  const labels = chat.labels || s.labels || [];
  return {
    id: idStr, name: chat.formattedTitle || s.formattedTitle || s.name || null,
    isGroup, unreadCount: chat.unreadCount || s.unreadCount || 0, t: chat.t || s.t || 0,
    archive: !!chat.archive, pin: !!chat.pin, isMuted: expiration !== 0,
    muteExpiration: expiration, markedUnread: !!chat.markedUnread,
    isReadOnly: !!chat.isReadOnly, ephemeralDuration: chat.ephemeralDuration || 0,
    labels: labels.map((l) => String(l && l.id !== undefined ? l.id : l)),
  };
}

// One place that turns a refused server request into a typed failure with WhatsApp's reason.
function serverFail(e, what, extra) {
  if (e instanceof BridgeFail) return e;
  const status = e && (e.status || e.statusCode);
  const reason = String(e && e.message ? e.message : e);
  const codes = { 400: 'bad_request', 401: 'not_authorized', 403: 'not_admin', 404: 'not_found',
    406: 'not_acceptable', 409: 'conflict', 501: 'not_supported' };
  const code = codes[status] || 'page_error';
  return new BridgeFail(code, what + ': ' + reason, { reason, status: status || null, ...(extra || {}) });
}

function getChat(chatId) {
  const chat = mod('Collections').Chat.get(mod('WidFactory').createWid(chatId));
  if (!chat) throw new BridgeFail('chat_not_found', 'chat not found: ' + chatId, { chatId });
  return chat;
}

op('chats.list', async () => mod('Collections').Chat.getModelsArray().map(serializeChat));
// Reading never creates a chat: only what WhatsApp Web already has.
op('chats.get', async ({ chatId }) => serializeChat(getChat(chatId)));

op('chats.archive', async ({ chatId, archive }) => {
  const chat = getChat(chatId);
  await mod('Cmd').archiveChat(chat, !!archive);
  return serializeChat(chat);
});

op('chats.pin', async ({ chatId, pin }) => {
  const chat = getChat(chatId);
  if (pin && !chat.pin) {
    // WhatsApp allows three pinned chats; whatsapp-web.js answers false for a fourth.
    const pinned = mod('Collections').Chat.getModelsArray().filter((c) => c.pin).length;
    if (pinned >= 3) throw new BridgeFail('pin_limit', 'WhatsApp allows at most 3 pinned chats', { reason: 'pin limit' });
  }
  await mod('Cmd').pinChat(chat, !!pin);
  return serializeChat(chat);
});

op('chats.mute', async ({ chatId, expiration }) => {
  const chat = getChat(chatId);
  if (expiration === 0) await chat.mute.unmute({ sendDevice: true });
  else await chat.mute.mute({ expiration, sendDevice: true });
  return serializeChat(chat);
});

op('chats.markUnread', async ({ chatId, unread }) => {
  const chat = getChat(chatId);
  if (unread) await mod('Cmd').markChatUnread(chat, true);
  else await sendSeen(chat);
  return serializeChat(chat);
});

// A chat, or a channel's chat model (channels live in WAWebNewsletterCollection; whatsapp-web.js
// reads their history and sends seen on them like any chat: Channel.fetchMessages, sendSeen).
function getChatOrChannel(chatId) {
  return /@newsletter$/.test(chatId) ? followedChannel(chatId) : getChat(chatId);
}

// A read receipt is held until the page is "available" (a focused tab); a headless page never
// is, so mark it available around the call as W1347 Utils.js:131-140 does, and ask for the
// immediate form as wa-js markIsRead does (`afterAvailable: false`, src/chat/functions/markIsRead.ts).
async function sendSeen(chat) {
  const stream = resolveKey('Stream');
  const wasAvailable = !!(stream && stream.available);
  if (stream && !wasAvailable) stream.markAvailable();
  try {
    await mod('UnreadChat').sendSeen({ chat, threadId: undefined, afterAvailable: false });
  } finally {
    if (stream && !wasAvailable) stream.markUnavailable();
  }
}

op('chats.seen', async ({ chatId }) => {
  await sendSeen(getChatOrChannel(chatId));
  return true;
});

op('chats.clear', async ({ chatId, keepStarred }) => {
  const chat = getChat(chatId);
  try { await mod('ChatClear').sendClear(chat, !!keepStarred); } catch (e) { throw serverFail(e, 'clear chat', { chatId }); }
  return true;
});

op('chats.delete', async ({ chatId }) => {
  const chat = getChat(chatId);
  try { await mod('ChatDelete').sendDelete(chat); } catch (e) { throw serverFail(e, 'delete chat', { chatId }); }
  return true;
});

op('chats.state', async ({ chatId, state }) => {
  const wid = mod('WidFactory').createWid(chatId);
  const bridge = mod('ChatState');
  const fn = { typing: 'sendChatStateComposing', recording: 'sendChatStateRecording',
    paused: 'sendChatStatePaused' }[state];
  if (!fn) throw new BridgeFail('invalid_content', 'unknown chat state ' + state);
  await bridge[fn](wid);
  return true;
});

// Messages of a chat, oldest first, loading earlier ones until `limit` (or the start) is reached.
op('chats.messages', async ({ chatId, limit, before }) => {
  const chat = getChatOrChannel(chatId);
  const loader = mod('ChatLoadMessages');
  const pick = () => {
    let msgs = chat.msgs.getModelsArray().filter((m) => !m.isNotification || m.type === 'gp2');
    if (before) {
      const idx = msgs.findIndex((m) => keyStr(m.id) === before);
      msgs = idx >= 0 ? msgs.slice(0, idx) : msgs;
    }
    return msgs;
  };
  let msgs = pick();
  while (msgs.length < limit) {
    // One options object since 2026-04 (wwebjs b0a4b6c6c; W1347 structures/Chat.js:228).
    const earlier = await loader.loadEarlierMsgs({ chat, msgCollection: chat.msgs });
    if (!earlier || !earlier.length) break;
    msgs = pick();
  }
  return msgs.slice(Math.max(0, msgs.length - limit)).map(serializeMsg);
});

// Pinned messages: the pin-in-chat table's rows for the chat (pinType 1 = pinned), each
// resolved with Msg.getMessagesById (wa-web-modules.md 3.5 WAWebPinInChatSchema).
op('chats.pinned', async ({ chatId }) => {
  const chat = getChat(chatId);
  const rows = await mod('PinInChatSchema').getTable().equals(['chatId'], widStr(chat.id));
  const Msg = mod('Collections').Msg;
  const out = [];
  for (const row of rows || []) {
    if (row.pinType !== 1) continue;
    const res = await Msg.getMessagesById([keyStr(row.parentMsgKey)]);
    const msg = res && res.messages && res.messages[0];
    if (msg) out.push(serializeMsg(msg));
  }
  return out;
});

op('chats.searchMessages', async ({ query, chatId, page, count }) => {
  const remote = chatId ? mod('WidFactory').createWid(chatId) : undefined;
  const res = await mod('Collections').Msg.search(query, page, count, remote);
  return { messages: (res.messages || []).map(serializeMsg), eof: res.eof !== false };
});

onInstall(() => {
  const Chat = mod('Collections').Chat;
  listen(Chat, 'change:archive', guard('chats.archived', (chat, curr) => {
    emit('chats.archived', { chatId: widStr(chat.id), archived: !!curr });
  }));
  listen(Chat, 'remove', guard('chats.removed', (chat) => {
    emit('chats.removed', { chatId: widStr(chat && chat.id), chat: chat ? serializeChat(chat) : null });
  }));
  listen(Chat, 'change:unreadCount', guard('chats.unread', (chat) => {
    emit('chats.unread', { chatId: widStr(chat.id), unreadCount: chat.unreadCount || 0 });
  }));
});

// Asks the phone for older history; WhatsApp only honours it once per chat
// (endOfHistoryTransferType === 0 means the phone has more to send).
op('chats.syncHistory', async ({ chatId }) => {
  const chat = getChat(chatId);
  if (chat.endOfHistoryTransferType !== 0) return false;
  await mod('HistorySync').sendPeerDataOperationRequest(3, { chatId: chat.id });
  return true;
});
