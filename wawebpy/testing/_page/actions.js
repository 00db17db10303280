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

__d('WAWebQueryExistsJob', ['FakeIq', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const { query } = require('FakeIq');
  const { createWid } = require('FakeWid');
  exports.queryWidExists = async (wid) => {
    const res = await query('exists', { wid: String(createWid(wid)._serialized) });
    return res ? { wid: createWid(res.wid) } : null;
  };
});

__d('WAWebApiContact', ['FakeStore', 'FakeState', 'FakeWid'], function (g, require, rd, rl, module, exports) {
  const store = require('FakeStore');
  const { me } = require('FakeState');
  const { createWid } = require('FakeWid');
  function pairs() {
    const out = [];
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
  /** Takes the chat (new builds) or a wid (older ones). */
  exports.requestProfilePicFromServer = (chatLike) => {
    const wid = chatLike && chatLike.id ? chatLike.id : chatLike;
    return query('picture.get', { wid: createWid(wid)._serialized });
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
  /** The fake keeps a chat's whole history loaded: there is never anything earlier to fetch. */
  exports.loadEarlierMsgs = async (_chat, _msgs) => [];
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
  exports.joinGroupViaInvite = async (code) => {
    const res = await query('group.join', { code });
    return { gid: createWid(res.gid) };
  };
  exports.resetGroupInviteCode = (wid) => query('group.revoke_invite', { group: createWid(wid)._serialized });
  exports.queryAndUpdateGroupMetadataById = async ({ id }) => require('FakeStore').GroupMetadata.get(id);
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
