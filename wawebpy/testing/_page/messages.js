/*
 * Message traffic: incoming messages from the server into Msg / chat.msgs (with receipts),
 * the initial sync after login, acks, and sending through
 * WAWebSendMsgChatAction.addAndSendMsgToChat(chat, msgObject) -> [msgPromise, sendResultPromise].
 *
 * Wire form (page <-> fake server) is JSON.stringify's view of the message object: Wids become
 * their `_serialized` string, a MsgKey becomes {fromMe, remote, id, participant, _serialized},
 * bytes become {"$bytes": base64}; functions and undefined values are dropped.
 */
__d('FakeMessages', ['FakeModel', 'FakeWid', 'FakeStore', 'FakeState', 'FakeNet'], function (global, require, rd, rl, module, exports) {
  'use strict';
  const { Model, Collection } = require('FakeModel');
  const { Wid, MsgKey, createWid, encodeB64, decodeB64 } = require('FakeWid');
  const store = require('FakeStore');
  const { Socket, Cmd, OfflineMessageHandler, me } = require('FakeState');
  const net = require('FakeNet');
  const MsgModel = store.models.Msg;
  // Message-kind attributes (media, polls, pins) the bridge reads as properties.
  MsgModel.defineProps(['mediaData', 'isViewOnce', 'isGif', 'pollSelectableOptionsCount', 'filehash',
    'encFilehash', 'mediaKeyTimestamp', 'clientUrl', 'vcardFormattedName', 'pinned', 'kind']);
  /** Resolves the media of an incoming message (mediaStage INIT -> RESOLVED). */
  MsgModel.prototype.downloadMedia = async function downloadMedia(_opts) {
    if (this.mediaData) this.mediaData.mediaStage = 'RESOLVED';
  };
  const { Cmd: CmdBus } = require('FakeState');
  CmdBus.sendRevokeMsgs = (...a) => require('FakeMsgActions').sendRevokeMsgs(...a);
  CmdBus.sendDeleteMsgs = (...a) => require('FakeMsgActions').sendDeleteMsgs(...a);
  CmdBus.sendStarMsgs = (...a) => require('FakeMsgActions').setStar(a[1], true);
  CmdBus.sendUnstarMsgs = (...a) => require('FakeMsgActions').setStar(a[1], false);

  // -- wire encoding ---------------------------------------------------------------------------

  function toWire(value, depth) {
    depth = depth || 0;
    if (value === null || value === undefined) return value;
    const t = typeof value;
    if (t === 'function' || t === 'symbol') return undefined;
    if (t === 'bigint') return String(value);
    if (t !== 'object') return value;
    if (depth > 8) return undefined;
    if (value instanceof Wid) return value._serialized;
    if (value instanceof MsgKey) {
      return {
        fromMe: value.fromMe,
        remote: value.remote._serialized,
        id: value.id,
        participant: value.participant ? value.participant._serialized : undefined,
        _serialized: value._serialized,
      };
    }
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return { $bytes: encodeB64(value) };
    if (value instanceof Collection) return undefined;
    if (value instanceof Model) return toWire(value.serialize(), depth + 1);
    if (Array.isArray(value)) return value.map((v) => toWire(v, depth + 1));
    if (typeof value.toJSON === 'function') return toWire(value.toJSON(), depth + 1);
    const out = {};
    for (const k of Object.keys(value)) {
      const v = toWire(value[k], depth + 1);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  const WID_FIELDS = ['from', 'to', 'author', 'quotedParticipant', 'quotedRemoteJid'];
  const KEY_FIELDS = ['latestEditMsgKey', 'protocolMessageKey'];

  function keyFromWire(k) {
    return new MsgKey({ fromMe: k.fromMe, remote: k.remote, id: k.id, participant: k.participant || undefined });
  }

  /** Server payload -> Msg attributes (Wids, MsgKeys and bytes restored). */
  function fromWire(p, isNewMsg) {
    const attrs = {};
    for (const k of Object.keys(p)) {
      const v = p[k];
      attrs[k] = v !== null && typeof v === 'object' && typeof v.$bytes === 'string' ? new Uint8Array(decodeB64(v.$bytes)) : v;
    }
    attrs.id = keyFromWire(p.id);
    for (const f of WID_FIELDS) if (typeof p[f] === 'string') attrs[f] = createWid(p[f]);
    for (const f of KEY_FIELDS) if (p[f] && typeof p[f] === 'object') attrs[f] = keyFromWire(p[f]);
    if (Array.isArray(p.mentionedJidList)) attrs.mentionedJidList = p.mentionedJidList.map(createWid);
    if (Array.isArray(p.recipients)) attrs.recipients = p.recipients.map(createWid);
    if (Array.isArray(p.groupMentions)) {
      attrs.groupMentions = p.groupMentions.map((g) => Object.assign({}, g, { groupJid: createWid(g.groupJid) }));
    }
    if (typeof p.directPath === 'string' && !attrs.mediaData) attrs.mediaData = { mediaStage: 'INIT' };
    attrs.isNewMsg = isNewMsg;
    return attrs;
  }

  function serializedKey(k) {
    if (k._serialized) return k._serialized;
    return (k.fromMe ? 'true' : 'false') + '_' + k.remote + '_' + k.id + (k.participant ? '_' + k.participant : '');
  }

  // -- chats and contacts ----------------------------------------------------------------------

  function titleFor(wid) {
    const gm = store.GroupMetadata.get(wid);
    if (gm) return gm.subject;
    const c = store.Contact.get(wid);
    if (c) return c.formattedName;
    return wid.server === 'c.us' ? '+' + wid.user : wid.user;
  }

  function chatAttrs(wid) {
    return { id: wid, formattedTitle: titleFor(wid), isGroup: wid.isGroup(), groupMetadata: store.GroupMetadata.get(wid) };
  }

  function ensureChat(wid) {
    return store.Chat.get(wid) || store.Chat.add(chatAttrs(wid));
  }

  function applyContacts(list) {
    for (const c of list || []) {
      const attrs = Object.assign({}, c, { id: createWid(c.id) });
      if (c.phoneNumber) attrs.phoneNumber = createWid(c.phoneNumber);
      store.Contact.add(attrs, { merge: true });
      const chat = store.Chat.get(attrs.id);
      if (chat) chat.formattedTitle = titleFor(attrs.id);
    }
  }

  function applyGroups(list) {
    for (const g of list || []) {
      const id = createWid(g.id);
      const participants = g.participants.map((p) => {
        const pid = createWid(p.id);
        return { id: pid, isAdmin: Boolean(p.isAdmin), isSuperAdmin: Boolean(p.isSuperAdmin), contact: store.Contact.gadd(pid) };
      });
      const attrs = {
        id,
        subject: g.subject,
        owner: g.owner ? createWid(g.owner) : undefined,
        creation: g.creation,
        desc: g.desc,
        descId: g.descId,
        announce: Boolean(g.announce),
        restrict: Boolean(g.restrict),
        memberAddMode: g.memberAddMode || 'all_member_add',
        isLidAddressingMode: Boolean(g.isLidAddressingMode),
        size: participants.length,
      };
      let gm = store.GroupMetadata.get(id);
      if (gm) {
        gm.set(attrs);
        gm.participants.reset(participants);
      } else {
        gm = store.GroupMetadata.add(Object.assign(attrs, { participants }));
      }
      const chat = ensureChat(id);
      chat.set({ groupMetadata: gm, formattedTitle: g.subject, name: g.subject });
    }
  }

  // -- incoming --------------------------------------------------------------------------------

  /** Add messages from the server; all in the current JS task. Returns the new models. */
  function ingest(payloads, isNew) {
    const fresh = [];
    const perChat = new Map();
    const receipts = [];
    for (const p of payloads || []) {
      const key = serializedKey(p.id);
      const existing = store.Msg.get(key);
      if (existing) {
        if (typeof p.ack === 'number' && p.ack > (existing.ack == null ? -2 : existing.ack)) existing.ack = p.ack;
        continue;
      }
      const model = new MsgModel(fromWire(p, isNew));
      fresh.push(model);
      if (!model.id.fromMe) {
        const sender = model.author || model.from;
        if (sender && sender.isUser && sender.isUser()) {
          const contact = store.Contact.gadd(sender);
          if (model.notifyName && !contact.pushname) contact.pushname = model.notifyName;
        }
        if (isNew) receipts.push(key);
      }
      let list = perChat.get(model.id.remote._serialized);
      if (!list) perChat.set(model.id.remote._serialized, (list = []));
      list.push(model);
    }
    for (const list of perChat.values()) {
      const chat = ensureChat(list[0].id.remote);
      chat.msgs.add(list);
      let t = chat.t || 0;
      let unread = 0;
      let lastIn;
      for (const m of list) {
        if (m.t > t) t = m.t;
        if (!m.id.fromMe) {
          lastIn = m.id;
          if (isNew) unread += 1;
        }
      }
      const changes = { t };
      if (unread) changes.unreadCount = (chat.unreadCount || 0) + unread;
      if (lastIn) changes.lastReceivedKey = lastIn;
      chat.set(changes);
    }
    store.Msg.add(fresh);
    if (receipts.length) net.send({ type: 'receipt', ids: receipts });
    return fresh;
  }

  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

  /**
   * After login: contacts, groups, history and the offline backlog, then progress steps (one per
   * task), then hasSynced. The backlog is added in the same task as the `connected` frame, so no
   * later frame (a live message, an ack) can overtake it: the server's order is kept.
   */
  async function sync(f) {
    const firstSync = !Socket.hasSynced;
    OfflineMessageHandler._progress = 0;
    if (firstSync) Cmd.trigger('offline_progress_update_from_bridge');
    applyContacts(f.contacts);
    applyGroups(f.groups);
    ingest(f.history, false);
    ingest(f.offline || [], true);
    for (const step of [25, 50, 75, 100]) {
      await nextTask();
      OfflineMessageHandler._progress = step;
      if (firstSync) Cmd.trigger('offline_progress_update_from_bridge');
    }
    await nextTask();
    OfflineMessageHandler._resolved = true;
    if (firstSync) Socket.hasSynced = true;
    net.send({ type: 'synced' });
    flushOutbox();
  }

  // -- outgoing --------------------------------------------------------------------------------

  const pendingSends = new Map(); // serialized id -> {resolve, frame}

  function flushOutbox() {
    if (Socket.state !== 'CONNECTED') return;
    for (const p of pendingSends.values()) net.send(p.frame);
  }

  function addAndSendMsgToChat(chat, msgData) {
    if (!chat || !(chat.id instanceof Wid) || !(chat.msgs instanceof Collection)) {
      throw new TypeError('addAndSendMsgToChat: expected a Chat model as first argument');
    }
    const model = msgData instanceof MsgModel ? msgData : new MsgModel(msgData);
    if (!(model.id instanceof MsgKey)) {
      throw new TypeError('addAndSendMsgToChat: message id must be a MsgKey');
    }
    if (model.ack === undefined) model.set({ ack: 0 }, { silent: true });
    const key = model.id._serialized;
    const existing = store.Msg.get(key);
    if (existing) {
      // Pessimistic on purpose: a key sent again goes on the wire again (the server lists it in
      // fake.resent), so a client that re-sends is seen, not hidden by a forgiving page.
      const again = { type: 'send', msg: toWire(existing.serialize()) };
      const result = new Promise((resolve) => pendingSends.set(key, { resolve, frame: again, model: existing }));
      if (Socket.state === 'CONNECTED') net.send(again);
      return [Promise.resolve(existing), result];
    }
    chat.msgs.add(model);
    store.Msg.add(model);
    if (typeof model.t === 'number' && model.t > (chat.t || 0)) chat.t = model.t;
    const frame = { type: 'send', msg: toWire(model.serialize()) };
    if (model.directPath && !model.mediaData) {
      model.set({ mediaData: { mediaStage: 'RESOLVED' }, isUnsentMedia: true }, { silent: true });
    }
    const sendResult = new Promise((resolve) => pendingSends.set(key, { resolve, frame, model }));
    if (Socket.state === 'CONNECTED') net.send(frame);
    return [Promise.resolve(model), sendResult];
  }

  function onSendAck(f) {
    const pending = pendingSends.get(f.id);
    if (!pending) return;
    pendingSends.delete(f.id);
    if ((pending.model.ack || 0) < 1) pending.model.ack = 1;
    if (pending.model.isUnsentMedia) pending.model.isUnsentMedia = false;
    pending.resolve({ messageSendResult: 'OK', t: f.t });
  }

  function onAck(f) {
    for (const [id, ack] of f.acks) {
      const m = store.Msg.get(id);
      if (m && (ack > (m.ack == null ? -2 : m.ack) || ack === -1)) m.ack = ack;
    }
  }

  function setChatFlag(chat, attr, value) {
    chat[attr] = value;
    net.send({ type: 'chat_flag', chat: chat.id._serialized, attr, value });
    return Promise.resolve(value);
  }

  function getQuotedMsgObj(msg) {
    if (!msg || !msg.quotedStanzaID) return undefined;
    const remote = msg.quotedRemoteJid || msg.id.remote;
    const chat = store.Chat.get(remote);
    const pool = chat ? chat.msgs.getModelsArray() : store.Msg.getModelsArray();
    return pool.find((m) => m.id.id === msg.quotedStanzaID);
  }

  /** The read receipt waits for the page to be "available" unless `afterAvailable` is false
   * (wa-js src/whatsapp/functions/markSeen.ts `afterAvailable`/`whenAvailable`; W1347
   * Utils.js:131-140 marks the Stream available around the call for this reason). */
  function sendSeen(chat, afterAvailable) {
    if (!chat) return Promise.resolve(false);
    const unread = chat.msgs.getModelsArray().filter((m) => !m.id.fromMe).map((m) => m.id._serialized);
    chat.set({ unreadCount: 0, markedUnread: false });
    const receipt = () => net.send({ type: 'seen', chat: chat.id._serialized, ids: unread.slice(-50) });
    const stream = require('WAWebStreamModel').Stream;
    if (afterAvailable === false || stream.available) receipt();
    else stream.once('change:available', receipt);
    return Promise.resolve(true);
  }

  // -- changes pushed by the server (the sender edits / revokes / the message decrypts) --------

  /** Set `attrs` silently, then `field` loudly: one meaningful event, as the real page fires. */
  function update(id, attrs, field, value) {
    const m = store.Msg.get(id);
    if (!m) return;
    const restored = fromWire(Object.assign({}, attrs, { id: toWire(m.id) }), m.isNewMsg);
    delete restored.id;
    delete restored.isNewMsg;
    m.set(restored, { silent: true });
    m.set(field, value);
  }

  function onEdit(f) {
    update(f.id, { latestEditMsgKey: f.editKey, latestEditSenderTimestampMs: f.editTimestampMs }, 'body', f.body);
  }

  function onRevoke(f) {
    update(f.id, { protocolMessageKey: f.revokeKey, body: '', subtype: 'sender_revoke' }, 'type', 'revoked');
  }

  function onDecrypt(f) {
    const attrs = Object.assign({}, f.attrs);
    const type = attrs.type;
    delete attrs.type;
    update(f.id, attrs, 'type', type);
  }

  /** Reactions go through the hookable table mode, where clients wrap bulkUpsert. */
  function onReactions(f) {
    const records = f.reactions.map((r) => ({
      id: keyFromWire(r.id),
      reactionParentKey: keyFromWire(r.parentKey),
      reactionText: r.text,
      reactionTimestamp: r.timestampMs,
      from: createWid(r.from),
      author: r.author ? createWid(r.author) : undefined,
      orphan: 0,
      orphanReason: null,
      read: false,
      ack: 1,
    }));
    require('WAWebAddonReactionTableMode').reactionTableMode.bulkUpsert(records);
  }

  /** A change made on the phone: `change:<attr>` (chat, value, prev) per attribute. */
  function onChatUpdate(f) {
    const chat = store.Chat.get(f.chat);
    if (chat) chat.set(f.attrs);
  }

  /** The chat was deleted on the phone: its messages leave Msg silently, the chat fires 'remove'. */
  function onChatRemove(f) {
    const chat = store.Chat.get(f.chat);
    if (!chat) return;
    store.Msg.remove(chat.msgs.getModelsArray(), { silent: true });
    store.Chat.remove(chat);
  }

  net.handle('msgs', (f) => ingest(f.msgs, f.isNew !== false));
  net.handle('chat_update', onChatUpdate);
  net.handle('chat_remove', onChatRemove);
  net.handle('edit', onEdit);
  net.handle('revoke', onRevoke);
  net.handle('decrypt', onDecrypt);
  net.handle('reactions', (f) => {
    try {
      onReactions(f);
    } catch (err) {
      // WAWebAddonReactionTableMode may be listed in missing_modules: then reactions are lost,
      // exactly what a client would see on a build without it.
      console.warn('fake WhatsApp: reaction dropped', err);
    }
  });
  // -- poll votes: the latest vote per (poll, voter) ----------------------------------------------
  const votes = new Map(); // parent key -> Map(voter -> record)

  function storeVotes(records) {
    for (const r of records) {
      const parent = r.pollUpdateParentKey._serialized;
      if (!votes.has(parent)) votes.set(parent, new Map());
      const row = Object.assign({}, r, { parentMsgKey: r.pollUpdateParentKey,
        selectedOptionLocalIds: Uint8Array.from(r.selectedOptionLocalIds || []) });
      votes.get(parent).set((r.author || r.from)._serialized, row);
    }
  }

  function pollVotes(parentKey) {
    return Array.from((votes.get(parentKey) || new Map()).values());
  }

  net.handle('poll_votes', (f) => {
    const records = f.votes.map((v) => ({
      id: keyFromWire(v.id),
      pollUpdateParentKey: keyFromWire(v.parentKey),
      selectedOptionLocalIds: v.localIds,
      senderTimestampMs: v.timestampMs,
      t: Math.floor(v.timestampMs / 1000),
      from: createWid(v.from),
      author: v.author ? createWid(v.author) : undefined,
    }));
    require('WAWebAddonPollVoteTableMode').pollVoteTableMode.bulkUpsert(records);
  });
  exports.storeVotes = storeVotes;
  exports.pollVotes = pollVotes;

  net.handle('ack', onAck);
  net.handle('send_ack', onSendAck);
  net.handle('contacts', (f) => applyContacts(f.contacts));
  net.handle('groups', (f) => applyGroups(f.groups));

  exports.toWire = toWire;
  exports.fromWire = fromWire;
  exports.ingest = ingest;
  exports.sync = sync;
  exports.chatAttrs = chatAttrs;
  exports.ensureChat = ensureChat;
  exports.addAndSendMsgToChat = addAndSendMsgToChat;
  exports.setChatFlag = setChatFlag;
  exports.getQuotedMsgObj = getQuotedMsgObj;
  exports.sendSeen = sendSeen;
});

__d('WAWebFindChatAction', ['FakeMessages', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const m = require('FakeMessages');
  const { createWid } = require('FakeWid');
  /** Resolves `{chat, created}` for a wid, creating the chat model when there is none. */
  /** Since early 2026 a phone number is first mapped to its LID (toUserLidOrThrow): a number
   * the page has no LID for throws "No LID for user" (audit 2.3 #6; wwebjs issues #69244,
   * #145434). A number whose LID chat exists gets that chat. Simplification: a number with a
   * LID but no chat still gets a new `@c.us` chat (the real page makes a LID chat). */
  exports.findOrCreateLatestChat = async (wid) => {
    const w = createWid(wid);
    const chats = require('FakeStore').Chat;
    const existing = chats.get(w);
    if (existing) return { chat: existing, created: false };
    if (w.server === 'c.us' && !require('WAWebUserPrefsMeUser').isMeAccount(w)) {
      const lid = require('WAWebLidMigrationUtils').toUserLidOrThrow(w);
      const lidChat = chats.get(lid);
      if (lidChat) return { chat: lidChat, created: false };
    }
    return { chat: m.ensureChat(w), created: true };
  };
});

__d('WAWebSendMsgChatAction', ['FakeMessages'], function (g, require, rd, rl, module, exports) {
  exports.addAndSendMsgToChat = require('FakeMessages').addAndSendMsgToChat;
});

__d('WAWebGetEphemeralFieldsMsgActionsUtils', [], function (g, require, rd, rl, module, exports) {
  /** Ephemeral (disappearing messages) fields to spread into a new message; none in the fake. */
  exports.getEphemeralFields = (_chat) => ({});
});

__d('WAWebMsgReply', [], function (g, require, rd, rl, module, exports) {
  exports.canReplyMsg = (msg) => Boolean(msg && typeof msg.canReply === 'function' && msg.canReply());
});

__d('WAWebQuotedMsgModelUtils', ['FakeMessages'], function (g, require, rd, rl, module, exports) {
  exports.getQuotedMsgObj = (msg) => require('FakeMessages').getQuotedMsgObj(msg);
});

__d('WAWebUpdateUnreadChatAction', ['FakeMessages'], function (g, require, rd, rl, module, exports) {
  const m = require('FakeMessages');
  /** New signature `sendSeen({chat, threadId})`; the old `sendSeen(chat, bool)` is accepted too. */
  exports.sendSeen = (arg, whenAvailable) => (arg && arg.chat
    ? m.sendSeen(arg.chat, arg.afterAvailable) : m.sendSeen(arg, whenAvailable));
  exports.markUnread = (chat, unread) => m.setChatFlag(chat, 'markedUnread', Boolean(unread));
});

__d('WAWebAddonReactionTableMode', ['FakeStore', 'FakeModel'], function (g, require, rd, rl, module, exports) {
  const store = require('FakeStore');
  const { Model } = require('FakeModel');
  /**
   * The reaction table. Clients observe reactions by wrapping `reactionTableMode.bulkUpsert`
   * (the fake calls it through this object, so a replaced function is what runs).
   */
  exports.reactionTableMode = {
    async bulkUpsert(records) {
      for (const r of records) {
        const parent = r.reactionParentKey._serialized;
        const entry = await store.Reactions.find(parent);
        const sender = (r.author || r.from)._serialized;
        entry.reactions.remove(sender);
        if (r.reactionText) {
          entry.reactions.add(new Model({ id: sender, aggregateEmoji: r.reactionText, senders: [r], hasReactionByMe: false }));
        }
        const msg = store.Msg.get(parent);
        if (msg) msg.hasReaction = entry.reactions.length > 0;
      }
      return records;
    },
  };
});

__d('WAWebAddonPollVoteTableMode', ['FakeMessages'], function (g, require, rd, rl, module, exports) {
  /**
   * Poll votes: hookable like reactions (clients wrap `pollVoteTableMode.bulkUpsert`); records
   * `{id, pollUpdateParentKey, selectedOptionLocalIds, senderTimestampMs, t, from, author}` land
   * in the votes table read by WAWebPollsVotesSchema.
   */
  exports.pollVoteTableMode = {
    async bulkUpsert(records) {
      require('FakeMessages').storeVotes(records);
      return records;
    },
  };
});
