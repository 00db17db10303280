/*
 * Action modules for chats, contacts, groups, presence and the own profile, under the names and
 * call shapes whatsapp-web.js 1.34 uses (wa-web-modules.md 3.5). Each one asks the fake server
 * through one `iq` frame (recorded there, answered with WhatsApp's status codes) and then
 * updates the local models the way the real page does after the server's answer.
 */
__d('FakeIq', ['FakeNet'], function (g, require, rd, rl, module, exports) {
  'use strict';
  const net = require('FakeNet');
  const pending = new Map();
  let next = 1;

  /** WhatsApp Web rejects refused IQs with a ServerStatusCodeError carrying `.status`. */
  class ServerStatusCodeError extends Error {
    constructor(status, text) {
      super(text || 'server status ' + status);
      this.name = 'ServerStatusCodeError';
      this.status = status;
    }
  }

  function query(name, args) {
    const id = 'iq' + next++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (!net.send({ type: 'iq', id, name, args: args || {} })) {
        pending.delete(id);
        reject(new ServerStatusCodeError(503, 'offline'));
      }
    });
  }

  net.handle('iq_result', (f) => {
    const p = pending.get(f.id);
    if (!p) return;
    pending.delete(f.id);
    if (f.error) p.reject(new ServerStatusCodeError(f.error.status, f.error.text));
    else p.resolve(f.result);
  });

  exports.query = query;
  exports.ServerStatusCodeError = ServerStatusCodeError;
});

__d('WAWebQueryExistsJob', ['FakeIq', 'FakeWid', 'FakeLidMap'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  exports.queryWidExists = async (wid) => {
    const res = await query('exists', { wid: String(createWid(wid)._serialized) });
    if (!res) return null;
    // The usync answer carries the LID (wa-js src/contact/functions/getPnLidEntry.ts:
    // queryExists(wid).lid) and the page stores the pair (wwebjs v1.34.7 Utils.js:1704-1711).
    if (!res.lid) return { wid: createWid(res.wid) };
    const out = { wid: createWid(res.wid), lid: createWid(res.lid) };
    if (out.wid.server === 'c.us' && out.lid.isLid()) require('FakeLidMap').learn(out.lid, out.wid);
    return out;
  };
});

__d('WAWebApiContact', ['FakeStore', 'FakeState', 'FakeWid', 'FakeLidMap'], function (g, require, rd, rl, module, exports) {
  const store = require('FakeStore');
  const { me } = require('FakeState');
  const { createWid } = require('FakeWid');
  function pairs() {
    const out = require('FakeLidMap').pairs();
    if (me.pn && me.lid) out.push([me.lid, me.pn]);
    for (const c of store.Contact.getModelsArray()) {
      if (c.id && c.id.isLid() && c.phoneNumber) out.push([c.id, createWid(c.phoneNumber)]);
    }
    return out;
  }
  exports.getCurrentLid = (pn) => {
    const w = createWid(pn);
    const hit = pairs().find(([, p]) => p.equals(w));
    return hit ? hit[0] : null;
  };
  exports.getPhoneNumber = (lid) => {
    const w = createWid(lid);
    const hit = pairs().find(([l]) => l.equals(w));
    return hit ? hit[1] : null;
  };
});

// toUserLidOrThrow replaced toUserLid in 2.3000.1032013519 (wa-js
// src/whatsapp/functions/toUserLid.ts); toPn maps a LID back (wwebjs v1.34.7 Utils.js:961-964).
// "No LID for user" is the text users report from findOrCreateLatestChat (audit 2.3 #6).
__d('WAWebLidMigrationUtils', ['FakeWid', 'WAWebApiContact'], function (g, require, rd, rl, module, exports) {
  const { createWid } = require('FakeWid');
  exports.toUserLidOrThrow = (wid) => {
    const w = createWid(wid);
    if (w.isLid()) return w;
    const lid = require('WAWebApiContact').getCurrentLid(w);
    if (!lid) throw new Error('No LID for user');
    return lid;
  };
  exports.toPn = (wid) => {
    const w = createWid(wid);
    if (!w.isLid()) return w;
    return require('WAWebApiContact').getPhoneNumber(w) || null;
  };
});

__d('WAWebBlockContactAction', ['FakeIq', 'FakeStore'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const store = require('FakeStore');
  function contactOf(arg) {
    const c = arg && arg.contact ? arg.contact : arg;
    const id = c && c.id;
    return store.Contact.gadd(id);
  }
  exports.blockContact = async (arg) => {
    const c = contactOf(arg);
    await query('block', { wid: c.id._serialized });
    c.isContactBlocked = true;
    store.Blocklist.add({ id: c.id }, { merge: true });
  };
  exports.unblockContact = async (arg) => {
    const c = contactOf(arg);
    await query('unblock', { wid: c.id._serialized });
    c.isContactBlocked = false;
    store.Blocklist.remove(c.id);
  };
});

__d('WAWebContactStatusBridge', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  exports.getStatus = ({ wid }) => query('status.get', { wid: createWid(wid)._serialized });
  exports.setMyStatus = (text) => query('status.set', { text: String(text) });
});

__d('WAWebContactProfilePicThumbBridge', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  /** Takes a chat model since 2026-03: wwebjs d933a0881 ("FIx getProfilePicUrl", W1347
   * Client.js:2145-2150) replaced the wid argument, which no longer finds the picture. The real
   * failure text is not in the sources; the fake answers a wid with a TypeError. */
  exports.requestProfilePicFromServer = (chat) => {
    if (!chat || !chat.id || typeof chat.id.isGroup !== 'function') {
      throw new TypeError('requestProfilePicFromServer: expected a chat model');
    }
    return query('picture.get', { wid: createWid(chat.id)._serialized });
  };
  exports.sendSetPicture = (wid, thumb, full) => query('picture.set', { wid: createWid(wid)._serialized, thumb, full });
  exports.requestDeletePicture = (wid) => query('picture.set', { wid: createWid(wid)._serialized, full: '' });
});

__d('WAWebSetPushnameConnAction', ['FakeIq', 'FakeState'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { Conn } = require('FakeState');
  exports.setPushname = async (name) => {
    await query('pushname', { name: String(name) });
    Conn.pushname = String(name);
    return true;
  };
});

__d('WAWebFindCommonGroupsContactAction', ['FakeStore', 'FakeModel'], function (g, require, rd, rl, module, exports) {
  const store = require('FakeStore');
  const { Collection } = require('FakeModel');
  /** Fills `contact.commonGroups` with the groups both are in. */
  exports.findCommonGroups = async (contact) => {
    const groups = store.GroupMetadata.getModelsArray()
      .filter((gm) => gm.participants.get(contact.id))
      .map((gm) => ({ id: gm.id }));
    contact.commonGroups = new Collection(groups);
    return true;
  };
});

__d('WAWebChatClearBridge', ['FakeIq'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.sendClear = async (chat, keepStarred) => {
    await query('chat.clear', { chat: chat.id._serialized, keepStarred: Boolean(keepStarred) });
    const store = require('FakeStore');
    const msgs = chat.msgs.getModelsArray().filter((m) => !(keepStarred && m.star));
    chat.msgs.remove(msgs);
    store.Msg.remove(msgs, { silent: true });
    return { status: 200 };
  };
});

__d('WAWebDeleteChatAction', ['FakeIq', 'FakeStore'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const store = require('FakeStore');
  exports.sendDelete = async (chat) => {
    await query('chat.delete', { chat: chat.id._serialized });
    store.Msg.remove(chat.msgs.getModelsArray(), { silent: true });
    store.Chat.remove(chat);
    return { status: 200 };
  };
});

__d('WAWebChatStateBridge', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  const send = (state) => (wid) => query('chatstate', { wid: createWid(wid)._serialized, state });
  exports.sendChatStateComposing = send('composing');
  exports.sendChatStateRecording = send('recording');
  exports.sendChatStatePaused = send('paused');
});

__d('WAWebPresenceChatAction', ['FakeIq'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.sendPresenceAvailable = () => query('presence', { state: 'available' });
  exports.sendPresenceUnavailable = () => query('presence', { state: 'unavailable' });
});

__d('WAWebChatLoadMessages', [], function (g, require, rd, rl, module, exports) {
  /** The fake keeps a chat's whole history loaded: there is never anything earlier to fetch.
   * Since WA ~2.3000.1037 the argument is one options object `{chat, msgCollection, signal,
   * threadId, trigger}`; the old positional `(chat, msgs)` form fails inside the page with the
   * error below (wwebjs b0a4b6c6c; W1347 structures/Chat.js:228, Channel.js:355). */
  exports.loadEarlierMsgs = async (opts) => {
    const chat = opts && opts.chat;
    if (!chat || opts.id !== undefined || opts.msgs !== undefined) {
      throw new TypeError("Cannot read properties of undefined (reading 'waitForChatLoading')");
    }
    return [];
  };
});

// -- groups ------------------------------------------------------------------------------------

__d('WAWebGroupCreateJob', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  /** `createGroup(options, [{phoneNumber: wid}])` -> {wid, subject, participants: [{wid, error?}]} */
  exports.createGroup = async (options, participants) => {
    const res = await query('group.create', {
      title: options.title,
      options: { announce: Boolean(options.announce), restrict: Boolean(options.restrict) },
      participants: (participants || []).map((p) => createWid(p.phoneNumber)._serialized),
    });
    return {
      wid: createWid(res.wid),
      subject: res.subject,
      participants: res.participants.map((p) => Object.assign({}, p, { wid: createWid(p.wid) })),
    };
  };
});

__d('WASmaxGroupsAddParticipantsRPC', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  /** One participant per call, as whatsapp-web.js sends it; the per-participant code is deep inside. */
  exports.sendAddParticipantsRPC = async ({ participantArgs, iqTo }) => {
    const out = [];
    for (const { participantJid } of participantArgs) {
      let res;
      try {
        res = await query('group.add', { group: createWid(iqTo)._serialized, participant: createWid(participantJid)._serialized });
      } catch (e) {
        return { name: 'AddParticipantsResponseClientError', value: { errorAddParticipantsClientErrors: { value: { error: { code: e.status, text: e.message } } } } };
      }
      out.push({
        participantJid: createWid(participantJid)._serialized,
        addParticipantsParticipantAddedOrNonRegisteredWaUserParticipantErrorLidResponseMixinGroup: {
          value: { addParticipantsParticipantMixins: { value: { error: res.error || undefined } } },
        },
      });
    }
    return { name: 'AddParticipantsResponseSuccess', value: { addParticipant: out } };
  };
});

__d('WAWebModifyParticipantsGroupAction', ['FakeIq'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const act = (action) => (chat, participants) => query('group.modify', {
    group: chat.id._serialized, action, participants: participants.map((p) => p.id._serialized),
  });
  exports.removeParticipants = act('remove');
  exports.promoteParticipants = act('promote');
  exports.demoteParticipants = act('demote');
});

__d('WAWebGroupModifyInfoJob', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  exports.setGroupSubject = (wid, subject) => query('group.subject', { group: createWid(wid)._serialized, subject });
  exports.setGroupDescription = (wid, description, newId, oldId) => query('group.description', {
    group: createWid(wid)._serialized, description, newId, oldId,
  });
});

__d('WAWebSetPropertyGroupAction', ['FakeIq'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.setGroupProperty = (chat, property, value) => query('group.property', {
    group: chat.id._serialized, property, value: Number(value),
  });
});

__d('WAWebGroupQueryJob', ['FakeIq', 'FakeWid', 'FakeStore'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  exports.queryGroupInvite = async (code) => {
    const res = await query('group.invite_info', { code });
    return Object.assign({}, res, { id: createWid(res.id), owner: res.owner ? createWid(res.owner) : undefined });
  };
  exports.resetGroupInviteCode = (wid) => query('group.revoke_invite', { group: createWid(wid)._serialized });
  exports.queryAndUpdateGroupMetadataById = async ({ id }) => require('FakeStore').GroupMetadata.get(id);
});

// joinGroupViaInvite moved here from WAWebGroupQueryJob (wwebjs 9899f4027, W1347 Client.js:1834-1841).
// `membershipApprovalMode` tells the parser which answer node to expect; a mismatch throws
// UnexpectedJoinGroupViaInviteResponse after the server already took the request (wa-js
// src/whatsapp/functions/joinGroupViaInvite.ts, src/group/functions/join.ts, fix 3383b03747).
__d('WAWebGroupInviteJob', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  exports.joinGroupViaInvite = async (code, membershipApprovalMode) => {
    const res = await query('group.join', { code });
    const gid = createWid(res.gid);
    if (Boolean(res.membershipApprovalMode) !== Boolean(membershipApprovalMode)) {
      const err = new Error('UnexpectedJoinGroupViaInviteResponse');
      err.name = 'UnexpectedJoinGroupViaInviteResponse';
      err.gid = gid;
      err.membershipApprovalMode = Boolean(res.membershipApprovalMode);
      throw err;
    }
    return res.membershipApprovalMode ? { gid, membershipApprovalMode: true } : { gid };
  };
});

__d('WAWebMexFetchGroupInviteCodeJob', ['FakeIq'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.fetchMexGroupInviteCode = async (groupId) => (await query('group.invite_code', { group: String(groupId) })).code;
});

__d('WAWebExitGroupAction', ['FakeIq'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.sendExitGroup = (chat) => query('group.leave', { group: chat.id._serialized });
});

__d('WAWebApiMembershipApprovalRequestStore', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  exports.getMembershipApprovalRequests = async (groupWid) => {
    const list = await query('group.requests', { group: createWid(groupWid)._serialized });
    return list.map((r) => Object.assign({}, r, { id: createWid(r.id), addedBy: r.addedBy ? createWid(r.addedBy) : undefined }));
  };
});

__d('WASmaxGroupsMembershipRequestsActionRPC', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  exports.sendMembershipRequestsActionRPC = async ({ iqTo, approveArgs, rejectArgs }) => {
    const approve = Boolean(approveArgs);
    const args = approveArgs || rejectArgs;
    const res = await query('group.requests_action', {
      group: createWid(iqTo)._serialized,
      action: approve ? 'approve' : 'reject',
      participants: args.participantArgs.map((p) => createWid(p.participantJid)._serialized),
    });
    const mixin = approve ? 'membershipRequestsActionAcceptParticipantMixins' : 'membershipRequestsActionRejectParticipantMixins';
    const participant = res.map((r) => ({ jid: r.jid, [mixin]: { value: { error: r.error || undefined } } }));
    const key = approve ? 'membershipRequestsActionApprove' : 'membershipRequestsActionReject';
    return { name: 'MembershipRequestsActionResponseSuccess', value: { [key]: { participant } } };
  };
});

// -- labels, status, calls, presence -------------------------------------------------------------

__d('FakeExtras', ['FakeNet', 'FakeStore', 'FakeWid', 'FakeIq', 'FakeModel', 'FakeState'], function (g, require, rd, rl, module, exports) {
  'use strict';
  const net = require('FakeNet');
  const store = require('FakeStore');
  const { createWid, MsgKey } = require('FakeWid');
  const { query } = require('FakeIq');
  const { Model, Collection } = require('FakeModel');
  const { me } = require('FakeState');

  /** Labels (WhatsApp Business): `Label.addOrRemoveLabels([{id, type}], chats)`. */
  store.Label.addOrRemoveLabels = async (actions, chats) => {
    await query('labels.change', {
      actions: actions.map((a) => ({ id: String(a.id), type: a.type })),
      chats: chats.map((c) => c.id._serialized),
    });
    for (const chat of chats) {
      let labels = (chat.labels || []).slice();
      for (const a of actions) {
        labels = labels.filter((l) => l !== String(a.id));
        if (a.type === 'add') labels.push(String(a.id));
      }
      chat.labels = labels;
    }
    return true;
  };
  net.handle('labels', (f) => {
    for (const l of f.labels) store.Label.add(l, { merge: true });
  });

  /** Status (stories): the own status container and the ones of contacts (broadcasts). */
  store.StatusV3.getMyStatus = () => {
    const id = me.pn;
    let s = store.StatusV3.get(id);
    if (!s) s = store.StatusV3.add({ id, t: 0, totalCount: 0, unreadCount: 0, msgs: new Collection() });
    return s;
  };
  net.handle('statuses', (f) => {
    for (const st of f.statuses) {
      const id = createWid(st.id);
      const s = store.StatusV3.get(id) || store.StatusV3.add({ id, msgs: new Collection() });
      s.set({ t: st.t, totalCount: st.totalCount, unreadCount: st.unreadCount });
    }
  });

  /** Incoming calls: a model added to the call collection, as WAWebCallCollection does. */
  net.handle('call', (f) => {
    store.Call.add({
      id: f.id, peerJid: createWid(f.peerJid), offerTime: f.offerTime, isVideo: Boolean(f.isVideo),
      isGroup: Boolean(f.isGroup), outgoing: false, canHandleLocally: false, webClientShouldHandle: false,
      participants: [],
    });
  });

  /** Presence of contacts we subscribed to. */
  net.handle('presence', (f) => {
    const p = store.Presence.get(f.id) || store.Presence.add({ id: createWid(f.id), isOnline: false, chatstate: { type: null } });
    p.set({ isOnline: Boolean(f.isOnline), chatstate: { type: f.state || null, t: f.t } });
  });

  exports.newStatusKey = async () => new MsgKey({ fromMe: true, remote: createWid('status@broadcast'), id: await MsgKey.newId(), participant: me.pn });
  exports.Model = Model;
});

__d('WAWebSendStatusMsgAction', ['FakeIq', 'FakeExtras', 'FakeStore', 'FakeState'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const extras = require('FakeExtras');
  const store = require('FakeStore');
  const { me } = require('FakeState');
  exports.sendStatusTextMsgAction = async ({ color, font, text }) => {
    const id = await extras.newStatusKey();
    await query('status.send', { id: id._serialized, text, color, font });
    const msg = new store.models.Msg({ id, type: 'chat', body: text, from: me.pn, to: id.remote, author: me.pn,
      t: Math.floor(Date.now() / 1000), ack: 1, isStatusV3: true, isNewMsg: true, self: 'out', local: true });
    store.Msg.add(msg);
    const mine = store.StatusV3.getMyStatus();
    mine.msgs.add(msg);
    mine.set({ t: msg.t, totalCount: mine.msgs.length });
    return { messageSendResult: 'OK' };
  };
  /** sendStatusMediaMsgAction(msg, mediaUpdate): the server gets the media fields of the post. */
  exports.sendStatusMediaMsgAction = async (msg, mediaUpdate) => {
    const data = mediaUpdate({ id: msg.id._serialized, type: msg.type, caption: msg.caption });
    await query('status.send', { id: data.id, type: data.type, caption: data.caption || null,
      mimetype: data.mimetype, directPath: data.directPath, size: data.size, filehash: data.filehash,
      waveform: data.waveform ? Array.from(data.waveform) : null });
    msg.set({ ack: 1, isStatusV3: true });
    store.Msg.add(msg);
    const mine = store.StatusV3.getMyStatus();
    mine.msgs.add(msg);
    mine.set({ t: msg.t, totalCount: mine.msgs.length });
    return { messageSendResult: 'OK' };
  };
});

/** The callback sendStatusMediaMsgAction gets: the message data plus the prepared media's fields. */
__d('WAWebMediaUpdateMsg', [], function (g, require, rd, rl, module) {
  module.exports = function updateMsg(data, mediaData) {
    return Object.assign(data, mediaData && typeof mediaData.toJSON === 'function' ? mediaData.toJSON() : mediaData);
  };
});

__d('WAWebStatusGatingUtils', [], function (g, require, rd, rl, module, exports) {
  exports.canCheckStatusRankingPosterGating = () => false;
});

__d('WAWebRevokeStatusAction', ['FakeIq', 'FakeStore'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const store = require('FakeStore');
  exports.sendStatusRevokeMsgAction = async (status, msg) => {
    await query('status.revoke', { id: msg.id._serialized });
    status.msgs.remove(msg);
    msg.type = 'revoked';
    return { messageSendResult: 'OK' };
  };
});

__d('WAWap', ['FakeWid'], function (g, require, rd, rl, module, exports) {
  const { randomHex } = require('FakeWid');
  /** wap(tag, attrs, content): a stanza node. */
  function wap(tag, attrs, content) {
    return { tag, attrs: attrs || {}, content: content === undefined ? null : content };
  }
  // generateId is a separate export of the module, not a member of `wap` (W1347 Utils.js:1273;
  // wa-js src/whatsapp/websocket/generateId.ts and wap.ts: two exports of one module).
  exports.wap = wap;
  exports.generateId = () => randomHex(8).toUpperCase();
});

__d('WADeprecatedSendIq', ['FakeIq'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.deprecatedCastStanza = (node) => query('stanza', { node: JSON.parse(JSON.stringify(node)) });
  exports.deprecatedSendIq = exports.deprecatedCastStanza;
});

__d('WAWebContactPresenceBridge', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  const sub = (wid) => query('presence.subscribe', { wid: createWid(wid)._serialized });
  exports.subscribePresence = sub;
  exports.subscribeUserPresence = sub;
});

// Register the frame handlers above before the socket opens (modules load lazily otherwise).
window.require('FakeIq');
window.require('FakeExtras');

// -- channels (newsletters) ------------------------------------------------------------------------

__d('FakeChannels', ['FakeNet', 'FakeStore', 'FakeWid', 'FakeModel'], function (g, require, rd, rl, module, exports) {
  'use strict';
  const net = require('FakeNet');
  const store = require('FakeStore');
  const { createWid } = require('FakeWid');
  const { Model } = require('FakeModel');

  class NewsletterMetadata extends Model {}
  NewsletterMetadata.defineProps(['id', 'name', 'description', 'subscribersCount', 'membershipType',
    'inviteCode', 'creationTime', 'verificationState', 'muted', 'reactionCodesSetting', 'picture']);

  /** A channel chat model in WAWebNewsletterCollection, with its metadata. */
  function upsert(c) {
    const id = createWid(c.id);
    const meta = { id, name: c.name, description: c.description || '', subscribersCount: c.subscribers || 0,
      membershipType: c.role || 'guest', inviteCode: c.inviteCode, creationTime: c.creation, verificationState: 'unverified',
      reactionCodesSetting: c.reactions === undefined ? 0 : c.reactions, picture: c.picture || null };
    // A muted channel's chat model carries the mute like any chat (`mute.expiration`, -1 = forever).
    const muteExpiration = c.muted ? -1 : 0;
    let chat = store.Newsletter.get(id);
    if (chat) {
      chat.newsletterMetadata.set(meta);
      chat.set({ name: c.name, formattedTitle: c.name, muteExpiration });
    } else {
      chat = new store.models.Chat({ id, name: c.name, formattedTitle: c.name, muteExpiration,
        newsletterMetadata: new NewsletterMetadata(meta) });
      store.Newsletter.add(chat);
    }
    store.NewsletterMetadata.add(chat.newsletterMetadata, { merge: true });
    return chat;
  }

  net.handle('newsletters', (f) => {
    for (const c of f.newsletters) {
      if (c.role) upsert(c);
      else {
        const chat = store.Newsletter.get(c.id);
        if (chat) store.Newsletter.remove(chat);
      }
    }
  });
  exports.upsert = upsert;
  /** A channel from the server in the query jobs' answer shape (wa-web-modules.md 3.5 "Channels"). */
  exports.asMixins = (c) => ({
    idJid: c.id,
    newsletterCreationTimeMetadataMixin: { creationTimeValue: c.creation },
    newsletterNameMetadataMixin: { nameElementValue: c.name, nameUpdateTime: c.creation },
    newsletterDescriptionMetadataMixin: { descriptionQueryDescriptionResponseMixin: { elementValue: c.description, updateTime: c.creation } },
    newsletterInviteLinkMetadataMixin: { inviteCode: c.inviteCode },
    newsletterStateMetadataMixin: { stateType: 'active' },
    newsletterSubscribersMetadataMixin: { subscribersCount: c.subscribers },
    newsletterVerificationMetadataMixin: { verificationState: 'unverified' },
  });
});

__d('WAWebNewsletterCreateQueryJob', ['FakeIq', 'FakeChannels'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  /** Answers in WhatsApp's mixin shape (wa-web-modules.md 3.5 "Channels"). */
  exports.createNewsletterQuery = async ({ name, description, picture }) => {
    const c = await query('channel.create', { name, description: description || '', picture: picture || null });
    require('FakeChannels').upsert(c);
    return require('FakeChannels').asMixins(c);
  };
});

__d('WAWebNewsletterGatingUtils', [], function (g, require, rd, rl, module, exports) {
  exports.isNewsletterCreationEnabled = () => true;
  exports.getMaxSubscriberNumber = () => 10000000;
  exports.getNewsletterDirectoryPageSize = () => 50;
});

__d('WAWebLoadNewsletterPreviewChatAction', ['FakeIq', 'FakeChannels'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.loadNewsletterPreviewChat = async (idStr) => {
    const c = await query('channel.get', { id: String(idStr) });
    const existing = require('FakeStore').Newsletter.get(c.id);
    return existing || require('FakeChannels').upsert(Object.assign({}, c, { role: c.role || 'guest' }));
  };
});

__d('WAWebNewsletterSubscribeAction', ['FakeIq', 'FakeChannels'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.subscribeToNewsletterAction = async (channel, _opts) => {
    const c = await query('channel.subscribe', { id: channel.id._serialized });
    require('FakeChannels').upsert(c);
  };
});

__d('WAWebNewsletterUnsubscribeAction', ['FakeIq', 'FakeStore'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.unsubscribeFromNewsletterAction = async (channel, opts) => {
    await query('channel.unsubscribe', { id: channel.id._serialized });
    channel.newsletterMetadata.membershipType = 'guest';
    if (opts && opts.deleteLocalModels) require('FakeStore').Newsletter.remove(channel);
  };
});

__d('WAWebNewsletterDirectorySearchAction', ['FakeIq'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.fetchNewsletterDirectories = (args) => query('channel.search', args);
});

__d('WAWebMsgDataFromModel', [], function (g, require, rd, rl, module, exports) {
  exports.msgDataFromMsgModel = (msg) => msg.serialize();
});

__d('WAWebNewsletterUpdateMsgsRecordsJob', [], function (g, require, rd, rl, module, exports) {
  exports.addNewsletterMsgsRecords = async (records) => records;
  exports.updateNewsletterMsgRecord = async (msg) => msg;
});

__d('WAWebNewsletterSendMessageJob', ['FakeIq', 'FakeStore'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.sendNewsletterMessageJob = async ({ msg, type, newsletterJid, mediaHandle }) => {
    const args = { id: msg.id._serialized, to: String(newsletterJid), type, body: type === 'media' ? null : msg.body };
    if (type === 'media') {
      Object.assign(args, { mediaType: msg.type, caption: msg.caption || null, mimetype: msg.mimetype,
        directPath: msg.directPath, mediaHandle: mediaHandle || null });
    }
    if (type === 'pollCreation') {
      Object.assign(args, { pollName: msg.pollName, pollOptions: msg.pollOptions.map((o) => o.name),
        pollSelectableOptionsCount: msg.pollSelectableOptionsCount });
    }
    const res = await query('channel.send', args);
    return { success: true, ack: { t: res.t }, serverId: res.serverId };
  };
});

window.require('FakeChannels');

__d('WAWebGroupInviteV4Job', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  /** joinGroupViaInviteV4(code, expirationString, groupId, inviterWid): a private invite card. */
  exports.joinGroupViaInviteV4 = async (code, expiration, groupId, inviter) => {
    const res = await query('group.join_v4', { code, expiration: String(expiration),
      group: createWid(groupId)._serialized, inviter: createWid(inviter)._serialized });
    return { gid: createWid(res.gid) };
  };
});

// -- channel lookup by invite code, Business customer notes ------------------------------------------

__d('WAWebNewsletterModelUtils', [], function (g, require, rd, rl, module, exports) {
  exports.getRoleByIdentifier = (_code) => 'GUEST';
  exports.ADMIN_NOTIFICATIONS = 'admin_notifications';
  exports.MUTED_STATE = 'on';
  exports.UNMUTED_STATE = 'off';
});

__d('WAWebNewsletterMetadataQueryJob', ['FakeIq', 'FakeChannels'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.queryNewsletterMetadataByInviteCode = async (code, _role) => {
    const c = await query('channel.by_invite', { code });
    return require('FakeChannels').asMixins(c);
  };
});

__d('WAWebBizGatingUtils', ['FakeState'], function (g, require, rd, rl, module, exports) {
  const { Conn } = require('FakeState');
  exports.smbNotesV1Enabled = () => Conn.platform === 'smba' || Conn.platform === 'smbi';
});

__d('WAWebNoteAction', ['FakeIq', 'FakeModel'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { Model } = require('FakeModel');
  exports.noteAddAction = (type, chatJid, content) => query('note.set', { type, chatJid: String(chatJid), content });
  exports.retrieveOnlyNoteForChatJid = async (chatJid) => {
    const n = await query('note.get', { chatJid: String(chatJid) });
    return n ? new Model(n) : null;
  };
});

// -- devices, history sync, address book, channel deletion ----------------------------------------

__d('WAWebApiDeviceList', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  exports.getDeviceIds = async (wids) => {
    const res = await query('devices', { wids: wids.map((w) => createWid(w)._serialized) });
    return res.map((n, i) => ({ id: createWid(wids[i]), devices: Array.from({ length: n }, (_, d) => ({ id: d })) }));
  };
});

__d('WAWebSendNonMessageDataRequest', ['FakeIq'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.sendPeerDataOperationRequest = (type, { chatId }) => query('history.sync', { type, chat: chatId._serialized || String(chatId) });
});

__d('WAWebSaveContactAction', ['FakeIq', 'FakeStore', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const store = require('FakeStore');
  const { createWid } = require('FakeWid');
  exports.saveContactAction = async ({ firstName, lastName, phoneNumber, syncToAddressbook }) => {
    const wid = createWid(String(phoneNumber).replace(/^\+/, '') + (String(phoneNumber).includes('@') ? '' : '@c.us'));
    await query('contact.save', { wid: wid._serialized, firstName, lastName: lastName || '', syncToAddressbook: Boolean(syncToAddressbook) });
    const name = [firstName, lastName].filter(Boolean).join(' ');
    store.Contact.add({ id: wid, name, shortName: firstName, isMyContact: true }, { merge: true });
  };
});

__d('WAWebDeleteContactAction', ['FakeIq', 'FakeStore', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const store = require('FakeStore');
  const { createWid } = require('FakeWid');
  exports.deleteContactAction = async ({ phoneNumber }) => {
    const wid = createWid(phoneNumber);
    await query('contact.delete', { wid: wid._serialized });
    const c = store.Contact.get(wid);
    if (c) c.set({ name: undefined, shortName: undefined, isMyContact: false });
  };
});

__d('WAWebNewsletterDeleteAction', ['FakeIq', 'FakeStore'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.deleteNewsletterAction = async (channel) => {
    await query('channel.delete', { id: channel.id._serialized });
    require('FakeStore').Newsletter.remove(channel);
  };
});

// -- channel administration, call links, device preferences ----------------------------------------

/** editNewsletterMetadataAction(channel, {editName|...: true}, {name|description|picture|reactionCodesSetting}). */
__d('WAWebEditNewsletterMetadataAction', ['FakeIq', 'FakeChannels'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.editNewsletterMetadataAction = async (channel, flags, values) => {
    const args = { id: channel.id._serialized };
    if (flags.editName) args.name = values.name;
    if (flags.editDescription) args.description = values.description;
    if (flags.editPicture) args.picture = values.picture || '';
    if (flags.editReactionCodesSetting) args.reactions = values.reactionCodesSetting;
    require('FakeChannels').upsert(await query('channel.edit', args));
  };
});

__d('WAWebNewsletterSendMsgAction', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  /** The invitation is a message in the chat with the invitee. */
  exports.sendNewsletterAdminInviteMessage = async (userChat, { newsletterWid, invitee, inviteMessage }) => {
    await query('channel.admin_invite', { id: createWid(newsletterWid)._serialized,
      user: createWid(invitee)._serialized, chat: userChat.id._serialized, comment: inviteMessage || null });
    return { messageSendResult: 'OK' };
  };
});

__d('WAWebMexAcceptNewsletterAdminInviteJob', ['FakeIq', 'FakeChannels', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.acceptNewsletterAdminInvite = async (channelId) => {
    const c = await query('channel.admin_accept', { id: require('FakeWid').createWid(channelId)._serialized });
    require('FakeChannels').upsert(c);
    return true;
  };
});

__d('WAWebMexRevokeNewsletterAdminInviteJob', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  exports.revokeNewsletterAdminInvite = (channelId, userWid) => query('channel.admin_revoke',
    { id: createWid(channelId)._serialized, user: createWid(userWid)._serialized });
});

__d('WAWebDemoteNewsletterAdminAction', ['FakeIq', 'FakeWid', 'FakeChannels'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  exports.demoteNewsletterAdmin = async (channelId, userWid) => {
    const c = await query('channel.admin_demote', { id: createWid(channelId)._serialized, user: createWid(userWid)._serialized });
    require('FakeChannels').upsert(c);
  };
});

__d('WAWebChangeNewsletterOwnerAction', ['FakeIq', 'FakeChannels'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.changeNewsletterOwnerAction = async (channel, newOwner) => {
    const c = await query('channel.owner', { id: channel.id._serialized, user: newOwner.id._serialized });
    require('FakeChannels').upsert(c);
  };
});

/** demoteNewsletterAdminAction(channel, meContact): step down after handing the channel over. */
__d('WAWebNewsletterDemoteAdminJob', ['FakeIq', 'FakeChannels'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.demoteNewsletterAdminAction = async (channel, contact) => {
    const c = await query('channel.admin_demote', { id: channel.id._serialized, user: contact.id._serialized });
    require('FakeChannels').upsert(c);
  };
});

__d('WAWebMexFetchNewsletterSubscribersJob', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  exports.mexFetchNewsletterSubscribers = async (channelId, limit) => {
    const res = await query('channel.subscribers', { id: createWid(channelId)._serialized, limit });
    return { subscribers: res.map((r) => ({ id: createWid(r.id), role: r.role })) };
  };
});

/** Only followers who are in the contacts are shown, each with the contact model. */
__d('WAWebNewsletterSubscriberListAction', ['FakeStore'], function (g, require, rd, rl, module, exports) {
  const store = require('FakeStore');
  exports.getSubscribersInContacts = async (subscribers) => subscribers
    .map((s) => ({ contact: store.Contact.get(s.id), role: s.role }))
    .filter((s) => s.contact);
});

__d('WAMediaCalculateFilehash', ['FakeWid'], function (g, require, rd, rl, module, exports) {
  const { randomHex } = require('FakeWid');
  exports.getRandomFilehash = () => btoa(randomHex(32));
});

/** Like the real module: a refusal is swallowed and the answer is undefined. */
__d('WAWebGenerateEventCallLink', ['FakeIq'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  exports.createEventCallLink = async (startTime, callType) => {
    try {
      const res = await query('call.link', { startTime, callType });
      return res.link;
    } catch (e) {
      return undefined;
    }
  };
});

/** Device preferences live in this browser's storage, as WhatsApp Web's user prefs do. */
__d('FakeUserPrefs', [], function (g, require, rd, rl, module, exports) {
  const KEY = 'fake-user-prefs';
  const DEFAULTS = { autoDownloadPhotos: true, autoDownloadAudio: false, autoDownloadVideos: false,
    autoDownloadDocuments: false, globalOfflineNotifications: true };
  function read() {
    try { return Object.assign({}, DEFAULTS, JSON.parse(localStorage.getItem(KEY) || '{}')); } catch (e) { return Object.assign({}, DEFAULTS); }
  }
  exports.get = (name) => Boolean(read()[name]);
  exports.set = async (name, value) => {
    const prefs = read();
    prefs[name] = Boolean(value);
    localStorage.setItem(KEY, JSON.stringify(prefs));
  };
});

__d('WAWebUserPrefsGeneral', ['FakeUserPrefs'], function (g, require, rd, rl, module, exports) {
  const prefs = require('FakeUserPrefs');
  for (const kind of ['Photos', 'Audio', 'Videos', 'Documents']) {
    exports['getAutoDownload' + kind] = () => prefs.get('autoDownload' + kind);
    exports['setAutoDownload' + kind] = (flag) => prefs.set('autoDownload' + kind, flag);
  }
});

__d('WAWebUserPrefsNotifications', ['FakeUserPrefs'], function (g, require, rd, rl, module, exports) {
  const prefs = require('FakeUserPrefs');
  exports.getGlobalOfflineNotifications = () => prefs.get('globalOfflineNotifications');
  exports.setGlobalOfflineNotifications = (flag) => prefs.set('globalOfflineNotifications', flag);
});

/** Mute a channel's notifications: {newsletterJid, type, muteExpirationValue: MUTED_STATE|UNMUTED_STATE}. */
__d('WAWebNewsletterUpdateUserSettingJob', ['FakeIq', 'FakeChannels', 'WAWebNewsletterModelUtils'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const utils = require('WAWebNewsletterModelUtils');
  exports.updateNewsletterUserSetting = async ({ newsletterJid, type, muteExpirationValue }) => {
    const c = await query('channel.user_setting', { id: String(newsletterJid), type, value: muteExpirationValue });
    require('FakeChannels').upsert(c);
    return { muted: muteExpirationValue === utils.MUTED_STATE };
  };
});

/** The pin-in-chat table (IndexedDB in WhatsApp Web): one row per pinned message of a chat. */
__d('WAWebPinInChatSchema', ['FakeStore'], function (g, require, rd, rl, module, exports) {
  const store = require('FakeStore');
  exports.getTable = () => ({
    async equals(keys, value) {
      if (keys.length !== 1 || keys[0] !== 'chatId') throw new Error('pin table: unsupported index ' + keys);
      return store.Msg.getModelsArray()
        .filter((m) => m.pinned && m.id.remote._serialized === String(value))
        .map((m) => ({ chatId: String(value), pinType: 1, parentMsgKey: m.id._serialized }));
    },
  });
});
