// Groups: metadata, create, participants (add/remove/promote/demote with per-participant results),
// subject/description/settings, invites, leave, membership requests, and gp2 notifications.
// Sources: wa-web-interface.md ("Group notifications arrive as messages of type gp2");
// wa-web-modules.md 3.4 (gp2 subtypes), 3.5 "Groups"; whatsapp-web.js GroupChat.js, Client.js.

function groupMeta(chatId) {
  const wid = mod('WidFactory').createWid(chatId);
  const coll = mod('Collections');
  const chat = coll.Chat.get(wid);
  // WAWebCollections renamed GroupMetadata in 2026-01 (W1347 Utils.js:957-958 tries both).
  const store = coll.WAWebGroupMetadataCollection || coll.GroupMetadata;
  const gm = (chat && chat.groupMetadata) || store.get(wid);
  if (!gm) throw new BridgeFail('chat_not_found', 'group not found: ' + chatId, { chatId });
  return { chat, gm, wid };
}

function serializeGroup(gm, chat) {
  const parts = gm.participants && typeof gm.participants.getModelsArray === 'function'
    ? gm.participants.getModelsArray() : (gm.participants || []);
  return {
    id: widStr(gm.id), subject: gm.subject || (chat && chat.formattedTitle) || null,
    desc: gm.desc || '', owner: widStr(gm.owner), creation: gm.creation || 0,
    announce: !!gm.announce, restrict: !!gm.restrict,
    memberAddMode: gm.memberAddMode || null, ephemeralDuration: gm.ephemeralDuration || 0,
    isParentGroup: !!gm.isParentGroup, parentGroup: widStr(gm.parentGroup),
    participants: parts.map((p) => ({ id: widStr(p.id), isAdmin: !!p.isAdmin, isSuperAdmin: !!p.isSuperAdmin })),
  };
}

op('groups.get', async ({ groupId }) => {
  const { chat, gm } = groupMeta(groupId);
  return serializeGroup(gm, chat);
});

async function registered(ids) {
  const exists = mod('QueryExists');
  const wf = mod('WidFactory');
  const out = {};
  for (const id of ids) {
    const res = await exists.queryWidExists(wf.createWid(id));
    out[id] = !!(res && res.wid);
  }
  return out;
}

op('groups.create', async ({ title, participants, announce, restrict, memberAddMode, parentGroupId }) => {
  const wf = mod('WidFactory');
  const ok = await registered(participants);
  const results = participants.filter((p) => !ok[p]).map((id) => ({ id, code: 404, reason: 'not on WhatsApp' }));
  let res;
  try {
    res = await mod('GroupCreate').createGroup({
      title, announce: !!announce, restrict: !!restrict, ephemeralDuration: 0,
      memberAddMode: memberAddMode === undefined ? undefined : !!memberAddMode,
      membershipApprovalMode: false, parentGroupId: parentGroupId ? wf.createWid(parentGroupId) : undefined,
      addressingModeOverride: 'lid',
    }, participants.filter((p) => ok[p]).map((id) => ({ phoneNumber: wf.createWid(id) })));
  } catch (e) { throw serverFail(e, 'create group'); }
  for (const p of res.participants || []) {
    const code = p.error ? Number(p.error) : 200;
    results.push({ id: widStr(p.wid), code, reason: code === 200 ? null : p.error });
  }
  return { id: widStr(res.wid), subject: res.subject || title, results };
});

// A participant by either id: LID-addressed groups key participants by `@lid`, others by
// number, so both forms are tried (wwebjs v1.34.7 structures/GroupChat.js:269-283).
async function findParticipant(gm, id) {
  const { lid, pn } = await lidAndPn(id);
  return (lid && gm.participants.get(lid)) || (pn && gm.participants.get(pn))
    || gm.participants.get(id) || null;
}

op('groups.add', async ({ groupId, participants }) => {
  const { gm, wid } = groupMeta(groupId);
  const ok = await registered(participants);
  const toJid = mod('WidToJid');
  const wf = mod('WidFactory');
  const results = [];
  for (const id of participants) {
    if (!ok[id]) { results.push({ id, code: 404, reason: 'not on WhatsApp' }); continue; }
    if (await findParticipant(gm, id)) { results.push({ id, code: 409, reason: 'already a participant' }); continue; }
    // smax RPCs take jid strings (W1347 Utils.js:1425-1446).
    const res = await mod('GroupAddRpc').sendAddParticipantsRPC({
      participantArgs: [{ participantJid: toJid.widToUserJid(wf.createWid(id)) }],
      iqTo: toJid.widToGroupJid(wid) });
    if (!res || res.name !== 'AddParticipantsResponseSuccess') {
      const err = JSON.stringify((res && res.value) || {});
      const forbidden = /403|not-authorized|forbidden/.test(err);
      if (!results.length || forbidden) {
        throw new BridgeFail(forbidden ? 'not_admin' : 'page_error', 'add participants: ' + err, { chatId: groupId, reason: err });
      }
      results.push({ id, code: 500, reason: err });
      continue;
    }
    const entry = res.value.addParticipant[0];
    const mixin = entry.addParticipantsParticipantAddedOrNonRegisteredWaUserParticipantErrorLidResponseMixinGroup;
    const error = mixin && mixin.value && mixin.value.addParticipantsParticipantMixins
      && mixin.value.addParticipantsParticipantMixins.value.error;
    const code = error ? Number(error) : 200;
    results.push({ id, code, reason: code === 200 ? null : String(error) });
  }
  return results;
});

op('groups.modify', async ({ groupId, action, participants }) => {
  const { chat, gm } = groupMeta(groupId);
  const fn = { remove: 'removeParticipants', promote: 'promoteParticipants', demote: 'demoteParticipants' }[action];
  const found = [];
  const asked = []; // the ids as the caller gave them (a number for a LID-keyed participant)
  const results = [];
  for (const id of participants) {
    const p = await findParticipant(gm, id);
    if (p) { found.push(p); asked.push(id); } else results.push({ id, code: 404, reason: 'not a participant' });
  }
  if (found.length) {
    try {
      await mod('GroupParticipants')[fn](chat, found);
    } catch (e) { throw serverFail(e, action + ' participants', { chatId: groupId }); }
    found.forEach((p, i) => results.push({ id: asked[i], code: 200, reason: null }));
  }
  return results;
});

op('groups.setSubject', async ({ groupId, subject }) => {
  const { wid } = groupMeta(groupId);
  try { await mod('GroupInfo').setGroupSubject(wid, subject); } catch (e) { throw serverFail(e, 'set subject', { chatId: groupId }); }
  return true;
});

op('groups.setDescription', async ({ groupId, description }) => {
  const { gm, wid } = groupMeta(groupId);
  const newId = await mod('MsgKey').newId();
  try { await mod('GroupInfo').setGroupDescription(wid, description, newId, gm.descId); } catch (e) { throw serverFail(e, 'set description', { chatId: groupId }); }
  return true;
});

op('groups.setProperty', async ({ groupId, property, value }) => {
  const { chat } = groupMeta(groupId);
  try { await mod('GroupProperty').setGroupProperty(chat, property, value); } catch (e) { throw serverFail(e, 'set ' + property, { chatId: groupId }); }
  return true;
});

op('groups.inviteCode', async ({ groupId, revoke }) => {
  const { wid } = groupMeta(groupId);
  try {
    if (revoke) {
      const res = await mod('GroupQuery').resetGroupInviteCode(wid);
      return res && res.code ? res.code : String(res);
    }
    const res = await mod('GroupInviteCode').fetchMexGroupInviteCode(widStr(wid));
    return typeof res === 'string' ? res : res.code;
  } catch (e) { throw serverFail(e, revoke ? 'revoke invite' : 'invite code', { chatId: groupId }); }
});

op('groups.inviteInfo', async ({ code }) => {
  let info;
  try { info = await mod('GroupQuery').queryGroupInvite(code); } catch (e) { throw serverFail(e, 'invite info'); }
  return { id: widStr(info.id), subject: info.subject || null, owner: widStr(info.owner),
    creation: info.creation || 0, desc: info.desc || '', size: info.size || 0 };
});

// The join IQ's parser must be told whether the group wants admin approval (read from the
// invite's info first, as wa-js sendJoinGroupViaInvite does); a group whose mode changed in
// between answers UnexpectedJoinGroupViaInviteResponse although the request was taken, which
// wa-js src/group/functions/join.ts treats as joined (pending approval).
op('groups.join', async ({ code }) => {
  try {
    const info = await mod('GroupQuery').queryGroupInvite(code);
    const approval = !!(info && info.membershipApprovalMode);
    const res = await mod('GroupInviteJob').joinGroupViaInvite(code, approval);
    return widStr(res.gid);
  } catch (e) {
    if (e && e.name === 'UnexpectedJoinGroupViaInviteResponse' && e.gid) return widStr(e.gid);
    throw serverFail(e, 'join group');
  }
});

op('groups.leave', async ({ groupId }) => {
  const { chat } = groupMeta(groupId);
  try { await mod('GroupExit').sendExitGroup(chat); } catch (e) { throw serverFail(e, 'leave group', { chatId: groupId }); }
  return true;
});

op('groups.requests', async ({ groupId }) => {
  const { wid } = groupMeta(groupId);
  let list;
  try { list = await mod('MembershipRequests').getMembershipApprovalRequests(wid); } catch (e) { throw serverFail(e, 'membership requests', { chatId: groupId }); }
  return list.map((r) => ({ id: widStr(r.id), addedBy: widStr(r.addedBy), method: r.requestMethod || null, t: r.t || 0 }));
});

op('groups.requestsAction', async ({ groupId, approve, participants }) => {
  const { gm, wid } = groupMeta(groupId);
  const toJid = mod('WidToJid');
  // A LID-addressed group files requests under the requester's LID (W1347 Utils.js:1507-1560).
  const jids = [];
  for (const id of participants) {
    const { lid, pn, wid: w } = await lidAndPn(id);
    jids.push(toJid.widToUserJid((gm.isLidAddressingMode ? lid : pn) || w));
  }
  const args = { participantArgs: jids.map((j) => ({ participantJid: j })) };
  const iqTo = toJid.widToGroupJid(wid);
  let res;
  try {
    res = await mod('MembershipRequestsRpc').sendMembershipRequestsActionRPC(
      approve ? { iqTo, approveArgs: args } : { iqTo, rejectArgs: args });
  } catch (e) { throw serverFail(e, 'membership requests', { chatId: groupId }); }
  if (!res || res.name !== 'MembershipRequestsActionResponseSuccess') {
    throw new BridgeFail('page_error', 'membership requests: ' + JSON.stringify(res && res.value), { chatId: groupId });
  }
  const body = res.value[approve ? 'membershipRequestsActionApprove' : 'membershipRequestsActionReject'];
  const mixin = approve ? 'membershipRequestsActionAcceptParticipantMixins' : 'membershipRequestsActionRejectParticipantMixins';
  return (body.participant || []).map((p) => {
    const error = p[mixin] && p[mixin].value && p[mixin].value.error;
    const code = error ? Number(error) : 200;
    return { id: widStr(p.jid), code, reason: code === 200 ? null : String(error) };
  });
});

function emitGp2(msg) {
  const s = typeof msg.serialize === 'function' ? msg.serialize() : msg;
  emit('groups.notification', {
    id: keyStr(msg.id), chatId: widStr(msg.id && msg.id.remote), subtype: s.subtype || null,
    author: widStr(s.author) || widStr(msg.id && msg.id.participant),
    recipients: (s.recipients || []).map(widStr).filter((x) => x),
    body: s.body == null ? '' : String(s.body), t: s.t || 0, fromMe: !!(msg.id && msg.id.fromMe),
  });
}

onInstall(() => {
  const Msg = mod('Collections').Msg;
  for (const msg of Msg.getModelsArray()) if (msg && msg.isNewMsg && msg.type === 'gp2') emitGp2(msg);
  listen(Msg, 'add', guard('groups.notification', (msg) => {
    if (msg && msg.isNewMsg && msg.type === 'gp2') emitGp2(msg);
  }));
});

op('groups.joinV4', async ({ code, expiration, groupId, inviterId }) => {
  const wf = mod('WidFactory');
  try {
    const res = await mod('GroupInviteV4').joinGroupViaInviteV4(code, String(expiration),
      wf.createWid(groupId), wf.createWid(inviterId));
    return widStr(res && res.gid) || groupId;
  } catch (e) { throw serverFail(e, 'accept group invite', { chatId: groupId }); }
});
