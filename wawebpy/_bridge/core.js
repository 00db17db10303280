// wawebpy bridge core: namespace, the ONE table of WhatsApp Web module names, the event queue,
// and the operation registry. Concern files (auth.js, messages.js, ...) register on top of it.
// Everything here follows ../shared/wa-web-interface.md; nothing relies on a particular build.
'use strict';

// Loaded once per document: a second injection (CDP plus a direct one) is a no-op.
if (window.__wawebpy) return;

const W = { installed: false, version: null, ops: Object.create(null), hooks: [] };
window.__wawebpy = W;

// ---- module table --------------------------------------------------------------------------
// key -> [module name, member path ('' = the module export itself)]. Alternatives are tried in
// order, so a rename on a newer build is one more entry here, not a code change elsewhere.
const MODULES = {
  Socket: [['WAWebSocketModel', 'Socket']],
  Conn: [['WAWebConnModel', 'Conn']],
  Cmd: [['WAWebCmd', 'Cmd']],
  OfflineHandler: [['WAWebOfflineHandler', 'OfflineMessageHandler']],
  Base64: [['WABase64', '']],
  RegClientUtils: [['WAWebCompanionRegClientUtils', '']],
  AdvSignatureApi: [['WAWebAdvSignatureApi', '', ['getADVSecretKey']],
    ['WAWebUserPrefsMultiDevice', '', ['getADVSecretKey']]],
  UserPrefsInfoStore: [['WAWebUserPrefsInfoStore', '']],
  SignalStoreApi: [['WAWebSignalStoreApi', '']],
  PairingApi: [['WAWebAltDeviceLinkingApi', '']],
  MeUser: [['WAWebUserPrefsMeUser', '']],
  WidFactory: [['WAWebWidFactory', '']],
  MsgKey: [['WAWebMsgKey', '']],
  Collections: [['WAWebCollections', '']],
  FindChat: [['WAWebFindChatAction', '']],
  SendMsg: [['WAWebSendMsgChatAction', '']],
  EphemeralFields: [['WAWebGetEphemeralFieldsMsgActionsUtils', '']],
  MsgReply: [['WAWebMsgReply', '']],
  QuotedMsg: [['WAWebQuotedMsgModelUtils', '']],
  LinkPreview: [['WAWebLinkPreviewChatAction', '']],
  Linkify: [['WALinkify', '']],
  OpaqueData: [['WAWebMediaOpaqueData', '']],
  PrepRawMedia: [['WAWebPrepRawMedia', '']],
  MediaStorage: [['WAWebMediaStorage', '']],
  MmsMediaTypes: [['WAWebMmsMediaTypes', '']],
  MediaUpload: [['WAWebMediaMmsV4Upload', '']],
  DownloadManager: [['WAWebDownloadManager', 'downloadManager']],
  ForwardMsg: [['WAWebChatForwardMessage', '']],
  EditMsg: [['WAWebSendMessageEditAction', '']],
  MsgCapability: [['WAWebMsgActionCapability', '']],
  SendReaction: [['WAWebSendReactionMsgAction', '']],
  SendPin: [['WAWebSendPinMessageAction', '']],
  SendVote: [['WAWebPollsSendVoteMsgAction', '']],
  PollVotesSchema: [['WAWebPollsVotesSchema', '']],
  ReactionTable: [['WAWebAddonReactionTableMode', 'reactionTableMode']],
  PollVoteTable: [['WAWebAddonPollVoteTableMode', 'pollVoteTableMode']],
  MsgInfo: [['WAWebApiMessageInfoStore', '']],
  UnreadChat: [['WAWebUpdateUnreadChatAction', '']],
  Stream: [['WAWebStreamModel', 'Stream']],
  ChatClear: [['WAWebChatClearBridge', '']],
  ChatDelete: [['WAWebDeleteChatAction', '']],
  ChatState: [['WAWebChatStateBridge', '']],
  PresenceAction: [['WAWebPresenceChatAction', '']],
  ChatLoadMessages: [['WAWebChatLoadMessages', '']],
  QueryExists: [['WAWebQueryExistsJob', '']],
  LidUtils: [['WAWebApiContact', '']],
  WidToJid: [['WAWebWidToJid', '']],
  BlockContact: [['WAWebBlockContactAction', '']],
  ContactStatus: [['WAWebContactStatusBridge', '']],
  ProfilePic: [['WAWebContactProfilePicThumbBridge', '']],
  SetPushname: [['WAWebSetPushnameConnAction', '']],
  CommonGroups: [['WAWebFindCommonGroupsContactAction', '']],
  GroupCreate: [['WAWebGroupCreateJob', '']],
  GroupAddRpc: [['WASmaxGroupsAddParticipantsRPC', '']],
  GroupParticipants: [['WAWebModifyParticipantsGroupAction', '']],
  GroupInfo: [['WAWebGroupModifyInfoJob', '']],
  GroupProperty: [['WAWebSetPropertyGroupAction', '']],
  GroupQuery: [['WAWebGroupQueryJob', '']],
  // joinGroupViaInvite moved to WAWebGroupInviteJob in 2026-03 (wwebjs 9899f4027, W1347
  // Client.js:1834-1841); the old module is kept for builds that still carry it there.
  GroupInviteJob: [['WAWebGroupInviteJob', '', ['joinGroupViaInvite']],
    ['WAWebGroupQueryJob', '', ['joinGroupViaInvite']]],
  GroupInviteCode: [['WAWebMexFetchGroupInviteCodeJob', '']],
  GroupExit: [['WAWebExitGroupAction', '']],
  MembershipRequests: [['WAWebApiMembershipApprovalRequestStore', '']],
  StatusSend: [['WAWebSendStatusMsgAction', '']],
  StatusRevoke: [['WAWebRevokeStatusAction', '']],
  Wap: [['WAWap', 'wap']],
  WapGenerateId: [['WAWap', 'generateId']],
  SendIq: [['WADeprecatedSendIq', '']],
  PresenceBridge: [['WAWebContactPresenceBridge', '']],
  // Standalone collection modules (wa-js src/whatsapp/stores.ts:88-90, 124-126, 239-260);
  // WAWebCollections.Status is what W1347 reads (Client.js:2775-2799).
  PresenceCollection: [['WAWebPresenceCollection', 'PresenceCollection', ['on']],
    ['WAWebPresenceCollection', 'PresenceCollectionImpl', ['on']], ['WAWebCollections', 'Presence', ['on']]],
  StatusCollection: [['WAWebStatusCollection', 'StatusV3Collection', ['getMyStatus']],
    ['WAWebStatusCollection', 'StatusCollection', ['getMyStatus']],
    ['WAWebCollections', 'Status', ['getMyStatus']], ['WAWebCollections', 'StatusV3', ['getMyStatus']]],
  CallCollection: [['WAWebCollections', 'WAWebCallCollection', ['on', 'get']],
    ['WAWebCollections', 'Call', ['on', 'get']]],
  NewsletterCollection: [['WAWebCollections', 'WAWebNewsletterCollection', ['get', 'getModelsArray']],
    ['WAWebCollections', 'NewsletterCollection', ['get', 'getModelsArray']]],
  NewsletterCreate: [['WAWebNewsletterCreateQueryJob', '']],
  NewsletterGating: [['WAWebNewsletterGatingUtils', '']],
  NewsletterPreview: [['WAWebLoadNewsletterPreviewChatAction', '']],
  NewsletterSubscribe: [['WAWebNewsletterSubscribeAction', '']],
  NewsletterUnsubscribe: [['WAWebNewsletterUnsubscribeAction', '']],
  NewsletterSearch: [['WAWebNewsletterDirectorySearchAction', '']],
  MsgDataFromModel: [['WAWebMsgDataFromModel', '']],
  NewsletterMsgRecords: [['WAWebNewsletterUpdateMsgsRecordsJob', '']],
  NewsletterSendJob: [['WAWebNewsletterSendMessageJob', '']],
  DeviceList: [['WAWebApiDeviceList', '']],
  HistorySync: [['WAWebSendNonMessageDataRequest', '']],
  SaveContact: [['WAWebSaveContactAction', '']],
  DeleteContact: [['WAWebDeleteContactAction', '']],
  NewsletterDelete: [['WAWebNewsletterDeleteAction', '']],
  NewsletterModelUtils: [['WAWebNewsletterModelUtils', '']],
  NewsletterMetadataQuery: [['WAWebNewsletterMetadataQueryJob', '']],
  BizGating: [['WAWebBizGatingUtils', '']],
  NoteAction: [['WAWebNoteAction', '']],
  GroupInviteV4: [['WAWebGroupInviteV4Job', '']],
  MembershipRequestsRpc: [['WASmaxGroupsMembershipRequestsActionRPC', '']],
  CalculateFilehash: [['WAMediaCalculateFilehash', '']],
  MediaUpdateMsg: [['WAWebMediaUpdateMsg', '']],
  StatusGating: [['WAWebStatusGatingUtils', '']],
  NewsletterEdit: [['WAWebEditNewsletterMetadataAction', '']],
  NewsletterAdminInvite: [['WAWebNewsletterSendMsgAction', '']],
  NewsletterAcceptAdmin: [['WAWebMexAcceptNewsletterAdminInviteJob', '']],
  NewsletterRevokeAdmin: [['WAWebMexRevokeNewsletterAdminInviteJob', '']],
  NewsletterDemoteAdmin: [['WAWebDemoteNewsletterAdminAction', '']],
  NewsletterChangeOwner: [['WAWebChangeNewsletterOwnerAction', '']],
  NewsletterDemoteSelf: [['WAWebNewsletterDemoteAdminJob', '']],
  NewsletterSubscribers: [['WAWebMexFetchNewsletterSubscribersJob', '']],
  NewsletterSubscriberList: [['WAWebNewsletterSubscriberListAction', '']],
  ContactCollectionModule: [['WAWebContactCollection', '']],
  EventCallLink: [['WAWebGenerateEventCallLink', '']],
  UserPrefsGeneral: [['WAWebUserPrefsGeneral', '']],
  UserPrefsNotifications: [['WAWebUserPrefsNotifications', '']],
  NewsletterUserSetting: [['WAWebNewsletterUpdateUserSettingJob', '']],
  PinInChatSchema: [['WAWebPinInChatSchema', '']],
};

// capability -> module keys it needs; self-check and event registration use this.
const CAPABILITIES = {
  'auth.state': ['Socket'],
  'auth.qr': ['Conn', 'Base64', 'RegClientUtils', 'AdvSignatureApi', 'UserPrefsInfoStore',
    'SignalStoreApi'],
  'auth.synced': ['Socket', 'Conn', 'MeUser'],
  'auth.progress': ['Cmd', 'OfflineHandler'],
  'auth.logout': ['Cmd', 'Socket'],
  'auth.pairing': ['PairingApi'],
  'messages.add': ['Collections'],
  'messages.ack': ['Collections'],
  'messages.send': ['Collections', 'WidFactory', 'MsgKey', 'FindChat', 'SendMsg', 'MeUser',
    'LidUtils', 'QueryExists'],
  'chats.read': ['Collections', 'WidFactory'],
  'messages.edit': ['Collections'],
  'messages.revoke': ['Collections'],
  'messages.uploaded': ['Collections'],
  'messages.reaction': ['ReactionTable'],
  'messages.pollVote': ['PollVoteTable', 'Collections'],
  'messages.sendMedia': ['OpaqueData', 'PrepRawMedia', 'MediaStorage', 'MmsMediaTypes',
    'MediaUpload', 'SendMsg'],
  'messages.download': ['Collections', 'DownloadManager'],
  'messages.linkPreview': ['Linkify', 'LinkPreview'],
  'messages.forward': ['ForwardMsg'],
  'messages.edit.send': ['EditMsg', 'MsgCapability'],
  'messages.revoke.send': ['Cmd', 'MsgCapability'],
  'messages.star': ['Cmd', 'MsgCapability'],
  'messages.react': ['SendReaction'],
  'messages.pin': ['SendPin'],
  'messages.vote': ['SendVote'],
  'messages.pollVotes': ['PollVotesSchema'],
  'messages.quoted': ['QuotedMsg'],
  'messages.info': ['MsgInfo'],
  'chats.events': ['Collections'],
  'chats.modify': ['Collections', 'WidFactory', 'Cmd'],
  'chats.seen': ['Collections', 'WidFactory', 'UnreadChat'],
  'chats.clear': ['Collections', 'WidFactory', 'ChatClear', 'ChatDelete'],
  'chats.state': ['WidFactory', 'ChatState'],
  'chats.history': ['Collections', 'WidFactory', 'ChatLoadMessages'],
  'contacts.exists': ['WidFactory', 'QueryExists'],
  'contacts.lid': ['WidFactory', 'LidUtils'],
  'contacts.block': ['Collections', 'WidFactory', 'BlockContact'],
  'contacts.profile': ['Collections', 'WidFactory', 'FindChat', 'ContactStatus', 'ProfilePic',
    'CommonGroups'],
  'account.profile': ['Conn', 'MeUser', 'SetPushname', 'ContactStatus', 'ProfilePic'],
  'account.presence': ['PresenceAction'],
  'groups.events': ['Collections'],
  'groups.create': ['WidFactory', 'QueryExists', 'GroupCreate'],
  'groups.participants': ['Collections', 'WidFactory', 'QueryExists', 'GroupAddRpc',
    'GroupParticipants', 'LidUtils', 'WidToJid'],
  'groups.info': ['Collections', 'WidFactory', 'GroupInfo', 'GroupProperty'],
  'groups.invite': ['WidFactory', 'GroupQuery', 'GroupInviteCode'],
  'groups.join': ['GroupQuery', 'GroupInviteJob'],
  'groups.leave': ['Collections', 'WidFactory', 'GroupExit'],
  'labels.read': ['Collections', 'Conn'],
  'labels.change': ['Collections', 'WidFactory', 'Conn'],
  'status.read': ['StatusCollection'],
  'status.send': ['Collections', 'StatusCollection', 'MeUser', 'StatusSend', 'StatusRevoke'],
  'presence.events': ['PresenceCollection', 'WidFactory', 'PresenceBridge'],
  'calls.events': ['CallCollection'],
  'calls.reject': ['CallCollection', 'Wap', 'WapGenerateId', 'SendIq', 'MeUser'],
  'channels.read': ['NewsletterCollection', 'NewsletterPreview'],
  'channels.create': ['NewsletterCollection', 'NewsletterCreate', 'NewsletterGating'],
  'channels.subscribe': ['NewsletterCollection', 'NewsletterPreview', 'NewsletterSubscribe',
    'NewsletterUnsubscribe'],
  'channels.search': ['NewsletterSearch'],
  'channels.send': ['Collections', 'MsgKey', 'MeUser', 'NewsletterCollection', 'MsgDataFromModel',
    'NewsletterMsgRecords', 'NewsletterSendJob'],
  'contacts.devices': ['WidFactory', 'DeviceList'],
  'contacts.addressBook': ['Collections', 'WidFactory', 'SaveContact', 'DeleteContact'],
  'chats.syncHistory': ['Collections', 'WidFactory', 'HistorySync'],
  'channels.delete': ['NewsletterCollection', 'NewsletterDelete'],
  'channels.invite': ['NewsletterModelUtils', 'NewsletterMetadataQuery'],
  'contacts.notes': ['WidFactory', 'BizGating', 'NoteAction'],
  'groups.inviteV4': ['WidFactory', 'GroupInviteV4'],
  'groups.requests': ['WidFactory', 'MembershipRequests', 'MembershipRequestsRpc', 'LidUtils',
    'WidToJid'],
  'status.sendMedia': ['Collections', 'MeUser', 'MsgKey', 'WidFactory', 'StatusSend',
    'MediaUpdateMsg', 'StatusGating', 'OpaqueData', 'PrepRawMedia', 'MediaStorage',
    'MmsMediaTypes', 'MediaUpload'],
  'channels.sendMedia': ['Collections', 'MsgKey', 'MeUser', 'NewsletterCollection',
    'MsgDataFromModel', 'NewsletterMsgRecords', 'NewsletterSendJob', 'OpaqueData',
    'PrepRawMedia', 'MediaStorage', 'MmsMediaTypes', 'MediaUpload', 'CalculateFilehash'],
  'channels.edit': ['NewsletterCollection', 'NewsletterEdit'],
  'channels.admins': ['NewsletterCollection', 'WidFactory', 'Collections', 'MeUser',
    'NewsletterAdminInvite', 'NewsletterAcceptAdmin', 'NewsletterRevokeAdmin',
    'NewsletterDemoteAdmin', 'NewsletterChangeOwner', 'NewsletterDemoteSelf',
    'ContactCollectionModule'],
  'channels.subscribers': ['NewsletterCollection', 'NewsletterSubscribers',
    'NewsletterSubscriberList'],
  'channels.mute': ['NewsletterCollection', 'NewsletterModelUtils', 'NewsletterUserSetting'],
  'chats.pinned': ['Collections', 'WidFactory', 'PinInChatSchema'],
  'calls.link': ['EventCallLink'],
  'account.settings': ['UserPrefsGeneral', 'UserPrefsNotifications'],
};

function hasRequire() { return typeof window.require === 'function'; }

function tryRequire(name) {
  if (!hasRequire()) return undefined;
  try { return window.require(name); } catch (e) { return undefined; }
}

function resolveKey(key) {
  const alts = MODULES[key];
  if (!alts) throw new Error('bridge bug: no module key ' + key);
  for (const [name, path, members] of alts) {
    let obj = tryRequire(name);
    if (obj == null) continue;
    if (path) for (const part of path.split('.')) obj = obj == null ? undefined : obj[part];
    if (obj == null) continue;
    // An alternative is chosen by the members its callers need, not by the module's presence:
    // the real page has WAWebAdvSignatureApi without getADVSecretKey (wwebjs 1.34.7 AuthStore.js).
    if (members && members.some((m) => obj[m] === undefined)) continue;
    return obj;
  }
  return undefined;
}

class BridgeFail extends Error {
  constructor(code, message, extra) { super(message); this.code = code; this.extra = extra || {}; }
}

// mod(key): the module or member, or a typed failure naming the WhatsApp module.
function mod(key) {
  const value = resolveKey(key);
  if (value === undefined) {
    const names = MODULES[key].map(([n, p]) => (p ? n + '.' + p : n));
    throw new BridgeFail('module_missing', 'WhatsApp Web module not found: ' + names.join(' or '),
      { modules: [MODULES[key][0][0]] });
  }
  return value;
}

function selfCheck() {
  const modules = {};
  for (const key of Object.keys(MODULES)) {
    modules[key] = { names: MODULES[key].map(([n, p]) => (p ? n + '.' + p : n)),
      ok: resolveKey(key) !== undefined };
  }
  const capabilities = {};
  for (const [cap, keys] of Object.entries(CAPABILITIES)) {
    const missing = keys.filter((k) => !modules[k].ok).map((k) => MODULES[k][0][0]);
    capabilities[cap] = { ok: missing.length === 0, missing };
  }
  return { version: pageVersion(), modules, capabilities };
}

function pageVersion() {
  const d = window.Debug;
  return d && d.VERSION != null ? String(d.VERSION) : null;
}

// ---- serialization helpers -----------------------------------------------------------------
function widStr(w) {
  if (w == null) return null;
  if (typeof w === 'string') return w;
  if (w._serialized) return String(w._serialized);
  if (typeof w.toString === 'function') return w.toString();
  return null;
}

function keyStr(k) {
  if (k == null) return null;
  if (typeof k === 'string') return k;
  // Newer builds keep _serialized in a minified field; toString() gives the same value.
  return k._serialized ? String(k._serialized) : k.toString();
}

// ---- event queue ---------------------------------------------------------------------------
// Events of one JS task coalesce into batches of at most MAX_BATCH events; each batch is one
// JSON string {epoch, seq (its first event's), n (event count), left (events still queued behind
// it), events}, keys in that order so Python reads them without decoding the events: it skips
// a batch it already has, and acks a burst once it has seen the end (left 0). Batches are retained so a gap
// seen by Python can be re-read.
const Q = {
  epoch: Date.now().toString(36) + Math.random().toString(36).slice(2, 10),
  seq: 0, pending: [], scheduled: false, retained: [], retainedEvents: 0,
  maxRetainedEvents: 200000, push: null,
};
// A burst goes out one batch per task: Chrome sends a binding call's notification between
// tasks, so Python decodes one batch while the page encodes the next, instead of waiting for
// one multi-megabyte string (measured: 10,000 events as one batch reach Python ~90 ms late).
const MAX_BATCH = 500;
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  Q.scheduled = false;
  flushBatch();
  if (Q.pending.length) schedule();
};

function schedule() {
  if (!Q.scheduled) { Q.scheduled = true; channel.port2.postMessage(0); }
}

function emit(kind, payload) {
  Q.pending.push([kind, payload === undefined ? null : payload]);
  schedule();
}

// flush(): everything pending, now (before a drain, a reload, the end of a bridge call).
function flush() {
  while (Q.pending.length) flushBatch();
}

function flushBatch() {
  if (Q.pending.length === 0) return;
  let events = Q.pending;
  if (events.length > MAX_BATCH) events = Q.pending.splice(0, MAX_BATCH);
  else Q.pending = [];
  const first = Q.seq;
  Q.seq += events.length;
  let json;
  try {
    json = JSON.stringify({ epoch: Q.epoch, seq: first, n: events.length,
      left: Q.pending.length, events });
  } catch (e) {
    // One unserializable payload must not cost its neighbours: encode one by one.
    json = JSON.stringify({ epoch: Q.epoch, seq: first, n: events.length,
      left: Q.pending.length, events: events.map(([k, p]) => {
      try { JSON.stringify(p); return [k, p]; } catch (e2) { return ['bridge.error', { kind: k, message: String(e2) }]; }
    }) });
  }
  Q.retained.push([first, events.length, json]);
  Q.retainedEvents += events.length;
  while (Q.retainedEvents > Q.maxRetainedEvents && Q.retained.length > 1) {
    Q.retainedEvents -= Q.retained.shift()[1];
  }
  const push = window.__wawebpyPush;
  if (typeof push === 'function') {
    try { push(json); } catch (e) { /* the poller will pick it up */ }
  }
}

// drain(epoch, afterSeq): batches Python has not seen. Also frees what it has seen.
function drain(epoch, afterSeq) {
  flush();
  if (epoch === Q.epoch && typeof afterSeq === 'number') {
    while (Q.retained.length && Q.retained[0][0] + Q.retained[0][1] <= afterSeq) {
      Q.retainedEvents -= Q.retained.shift()[1];
    }
  }
  const start = epoch === Q.epoch ? afterSeq : -1;
  // Once Python asks about this document's epoch it has read the previous document's stash.
  if (epoch === Q.epoch) PREV = [];
  const current = Q.retained.filter(([s, n]) => s + n > start).map(([, , j]) => j);
  return { epoch: Q.epoch, seq: Q.seq, first: Q.retained.length ? Q.retained[0][0] : Q.seq,
    batches: PREV.length ? PREV.concat(current) : current };
}

// A reload must not lose what Python has not read yet: the batches still retained (pushed or
// not) are stashed in sessionStorage, which survives the reload of this tab, and offered again
// by the next document before its own events. Python drops what it had already seen.
const STASH_KEY = '__wawebpy_stash';
let PREV = [];
let STASH_FAILED = null;
try {
  STASH_FAILED = window.sessionStorage.getItem(STASH_KEY + '_failed');
  if (STASH_FAILED) window.sessionStorage.removeItem(STASH_KEY + '_failed');
  const stash = window.sessionStorage.getItem(STASH_KEY);
  if (stash) { window.sessionStorage.removeItem(STASH_KEY); PREV = stash.split('\n'); }
} catch (e) { PREV = []; }

function stashUnread() {
  flush();
  if (!Q.retained.length) return;
  // Batches are JSON without raw newlines, so one newline-joined string holds them unescaped.
  let batches = PREV.concat(Q.retained.map(([, , j]) => j));
  let dropped = 0;
  while (batches.length) {
    try {
      window.sessionStorage.setItem(STASH_KEY, batches.join('\n'));
      break;
    } catch (e) {
      // Over the storage quota: the oldest batches are the ones most surely read already.
      dropped += 1;
      batches = batches.slice(1);
    }
  }
  if (dropped) {
    try {
      window.sessionStorage.setItem(STASH_KEY + '_failed',
        'storage quota: the ' + dropped + ' oldest of ' + (dropped + batches.length) + ' unread batches were not kept');
    } catch (e2) { /* nothing more to do */ }
  }
}
window.addEventListener('pagehide', stashUnread);
if (PREV.length && typeof window.__wawebpyPush === 'function') {
  for (const json of PREV) { try { window.__wawebpyPush(json); } catch (e) { break; } }
}
window.addEventListener('pageshow', (e) => { if (e.persisted) emit('bridge.restored', { epoch: Q.epoch }); });

// ---- operations ----------------------------------------------------------------------------
function op(name, fn) { W.ops[name] = fn; }

async function call(name, args) {
  const fn = W.ops[name];
  if (!fn) return { error: { code: 'unknown_op', message: 'bridge has no operation ' + name } };
  try {
    return { ok: await fn(args || {}) };
  } catch (e) {
    if (e instanceof BridgeFail) return { error: { code: e.code, message: e.message, ...e.extra } };
    return { error: { code: 'page_error', message: String(e && e.message ? e.message : e) } };
  } finally {
    flush();
  }
}

// on(target, events, fn): subscribe and remember it, so uninstall can undo everything.
function listen(target, events, fn) {
  target.on(events, fn);
  W.hooks.push(() => target.off(events, fn));
}

// guard(kind, fn): a listener whose exception becomes an event instead of breaking the page.
function guard(kind, fn) {
  return function guarded(...args) {
    try { return fn.apply(this, args); } catch (e) {
      emit('bridge.error', { kind, message: String(e && e.message ? e.message : e) });
      return undefined;
    }
  };
}

const installers = [];
function onInstall(fn) { installers.push(fn); }

function install() {
  if (W.installed) return true;
  const version = pageVersion();
  if (version == null || !hasRequire()) return false;
  W.installed = true;
  W.version = version;
  emit('bridge.ready', { version, epoch: Q.epoch, url: location.href });
  if (STASH_FAILED) emit('bridge.error', { kind: 'stash', message: STASH_FAILED });
  for (const fn of installers) {
    try { fn(); } catch (e) {
      emit('bridge.error', { kind: 'install', message: String(e && e.message ? e.message : e),
        code: e instanceof BridgeFail ? e.code : 'page_error',
        modules: e instanceof BridgeFail ? e.extra.modules : undefined });
    }
  }
  return true;
}

op('bridge.selfCheck', async () => selfCheck());
op('bridge.drain', async ({ epoch, seq }) => drain(epoch, seq));
op('bridge.status', async () => ({ installed: W.installed, version: W.version, epoch: Q.epoch, seq: Q.seq }));

W.call = call;
W.drain = drain;
W.selfCheck = selfCheck;
W.modules = MODULES; // read by the table test: every fallback names the members it must provide
W.resolveKey = resolveKey;
W.install = install;
W.emit = emit;
W.flush = flush;
W.epoch = () => Q.epoch;
