/*
 * Media and message actions of the fake page, under the names and call shapes of
 * wa-web-modules.md 3.5 ("Sending messages", "Media upload", "Media download") and 3.2 (Cmd).
 *
 * Media bytes go to the fake server in a `media_upload` frame and come back with `media_get`
 * (answered by `media_reply`); actions on existing messages (react, edit, revoke, delete for me,
 * star, pin, vote) reach the server as one `msg_action` frame each and update the local models
 * the way the real page does (edits fire change:body, revokes change:type, deletes 'remove').
 */
__d('FakeMedia', ['FakeModel', 'FakeWid', 'FakeStore', 'FakeNet', 'FakeState'], function (g, require, rd, rl, module, exports) {
  'use strict';
  const { Model } = require('FakeModel');
  const net = require('FakeNet');
  const waiting = new Map();
  let nextReq = 1;

  function request(frame) {
    const req = 'mr' + nextReq++;
    return new Promise((resolve, reject) => {
      waiting.set(req, { resolve, reject });
      if (net.send(Object.assign({}, frame, { req })) === false) {
        waiting.delete(req);
        reject(new Error('offline'));
      }
    });
  }

  net.handle('media_reply', (f) => {
    const w = waiting.get(f.req);
    if (!w) return;
    waiting.delete(f.req);
    if (f.error) w.reject(new Error(f.error));
    else w.resolve(f);
  });

  function blobToB64(blob) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(',', 2)[1] || '');
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
  }

  async function b64ToBuffer(b64) {
    const res = await fetch('data:application/octet-stream;base64,' + b64);
    return res.arrayBuffer();
  }

  async function sha256B64(blob) {
    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    return blobToB64(new Blob([digest]));
  }

  class OpaqueData {
    constructor(blob) { this._blob = blob; this.type = blob.type; this.size = blob.size; }
    static async createFromData(data, mimetype) {
      const blob = data instanceof Blob ? data : new Blob([data], { type: mimetype });
      return new OpaqueData(blob.type === mimetype ? blob : new Blob([blob], { type: mimetype }));
    }
    url() { return URL.createObjectURL(this._blob); }
    autorelease() {}
    formData() { return this._blob; }
    blob() { return this._blob; }
  }

  /** The prepared media: a model whose toJSON() is what a message spreads (no blob). */
  class MediaData extends Model {
    toJSON() {
      const out = this.serialize();
      delete out.mediaBlob;
      delete out.renderableUrl;
      return out;
    }
  }
  MediaData.defineProps(['type', 'isGif', 'filehash', 'mediaBlob', 'mimetype', 'preview', 'size',
    'renderableUrl', 'directPath', 'mediaKey', 'mediaKeyTimestamp', 'encFilehash', 'clientUrl',
    'mediaStage', 'waveform', 'mediaHandle']);

  const blobs = new Map(); // filehash -> Blob
  const objects = new Map(); // filehash -> media object

  function typeFor(mimetype, opts) {
    if (opts.asSticker) return 'sticker';
    if (opts.asDocument) return 'document';
    if (opts.isPtt) return 'ptt';
    if (opts.asGif) return 'video';
    const major = String(mimetype).split('/')[0];
    return ['image', 'video', 'audio'].includes(major) ? major : 'document';
  }

  function prepRawMedia(opaque, opts) {
    const o = opts || {};
    return {
      async waitForPrep() {
        const blob = opaque.formData();
        if (o.asSticker && blob.type !== 'image/webp') throw new Error('media-fault: sticker must be image/webp');
        const filehash = await sha256B64(blob);
        blobs.set(filehash, blob);
        return new MediaData({ type: typeFor(blob.type, o), isGif: Boolean(o.asGif), filehash,
          mediaBlob: opaque, mimetype: blob.type, size: blob.size, mediaStage: 'RESOLVED' });
      },
    };
  }

  function getOrCreateMediaObject(filehash) {
    let obj = objects.get(filehash);
    if (!obj) {
      obj = { filehash, size: 0, type: undefined, contentInfo: {},
        consolidate(json) { this.type = json.type; this.size = json.size; this.mimetype = json.mimetype; } };
      objects.set(filehash, obj);
    }
    return obj;
  }

  async function uploadMedia({ mimetype, mediaObject, mediaType }) {
    const blob = blobs.get(mediaObject.filehash);
    if (!blob) throw new Error('upload failed: no prepared media for ' + mediaObject.filehash);
    const reply = await request({ type: 'media_upload', data: await blobToB64(blob), mimetype, mediaType });
    return { mediaEntry: reply.entry };
  }

  /** Channel media goes up unencrypted; the server's answer carries a media handle. */
  async function uploadUnencryptedMedia({ mimetype, mediaObject, mediaType, calculateToken }) {
    const blob = blobs.get(mediaObject.filehash);
    if (!blob) throw new Error('upload failed: no prepared media for ' + mediaObject.filehash);
    const token = typeof calculateToken === 'function' ? calculateToken() : undefined;
    const reply = await request({ type: 'media_upload', data: await blobToB64(blob), mimetype, mediaType,
      unencrypted: true, token });
    return { mediaEntry: reply.entry };
  }

  async function download({ directPath }) {
    const reply = await request({ type: 'media_get', directPath });
    return b64ToBuffer(reply.data);
  }

  exports.OpaqueData = OpaqueData;
  exports.prepRawMedia = prepRawMedia;
  exports.getOrCreateMediaObject = getOrCreateMediaObject;
  exports.uploadMedia = uploadMedia;
  exports.uploadUnencryptedMedia = uploadUnencryptedMedia;
  exports.download = download;
});

__d('WAWebMediaOpaqueData', ['FakeMedia'], function (g, require, rd, rl, module, exports) {
  module.exports = require('FakeMedia').OpaqueData;
});

__d('WAWebPrepRawMedia', ['FakeMedia'], function (g, require, rd, rl, module, exports) {
  exports.prepRawMedia = require('FakeMedia').prepRawMedia;
});

__d('WAWebMediaStorage', ['FakeMedia'], function (g, require, rd, rl, module, exports) {
  exports.getOrCreateMediaObject = require('FakeMedia').getOrCreateMediaObject;
});

__d('WAWebMmsMediaTypes', [], function (g, require, rd, rl, module, exports) {
  exports.msgToMediaType = ({ type, isGif }) => (isGif ? 'gif' : type);
  exports.castToV4 = (type) => type;
});

__d('WAWebMediaMmsV4Upload', ['FakeMedia'], function (g, require, rd, rl, module, exports) {
  exports.uploadMedia = require('FakeMedia').uploadMedia;
  exports.uploadUnencryptedMedia = require('FakeMedia').uploadUnencryptedMedia;
});

__d('WAWebDownloadManager', ['FakeMedia'], function (g, require, rd, rl, module, exports) {
  exports.downloadManager = { downloadAndMaybeDecrypt: require('FakeMedia').download };
});

__d('FakeMsgActions', ['FakeStore', 'FakeNet', 'FakeWid', 'FakeState', 'FakeMessages'], function (g, require, rd, rl, module, exports) {
  'use strict';
  const store = require('FakeStore');
  const net = require('FakeNet');
  const { MsgKey, createWid } = require('FakeWid');
  const { me } = require('FakeState');
  const messages = require('FakeMessages');

  const EDIT_WINDOW_S = 15 * 60;
  const MEDIA = ['image', 'video', 'document', 'gif'];
  const UNSTARRABLE = new Set(['revoked', 'gp2', 'e2e_notification', 'notification_template', 'call_log', 'ciphertext', 'protocol']);

  function action(name, msg, value) {
    net.send({ type: 'msg_action', action: name, id: msg.id._serialized, value });
  }

  function withinWindow(msg) {
    return Date.now() / 1000 - (msg.t || 0) < EDIT_WINDOW_S;
  }

  const caps = {
    canEditText: (msg) => Boolean(msg.id.fromMe && msg.type === 'chat' && withinWindow(msg)),
    canEditCaption: (msg) => Boolean(msg.id.fromMe && MEDIA.includes(msg.type) && withinWindow(msg)),
    canSenderRevokeMsg: (msg) => Boolean(msg.id.fromMe && msg.type !== 'revoked'),
    canAdminRevokeMsg: (msg) => {
      const chat = store.Chat.get(msg.id.remote);
      return Boolean(chat && chat.isGroup && typeof chat.iAmAdmin === 'function' && chat.iAmAdmin() && msg.type !== 'revoked');
    },
    canStarMsg: (msg) => !UNSTARRABLE.has(msg.type),
  };

  async function newKey(msg) {
    return new MsgKey({ fromMe: true, remote: msg.id.remote, id: await MsgKey.newId(),
      participant: msg.id.remote.isGroup() ? me.pn : undefined });
  }

  async function sendMessageEdit(msg, text, opts) {
    const key = await newKey(msg);
    msg.set({ latestEditMsgKey: key, latestEditSenderTimestampMs: Date.now() }, { silent: true });
    if (msg.type === 'chat') msg.body = text;
    else msg.caption = text;
    action('edit', msg, { body: text, mentionedJidList: ((opts && opts.mentionedJidList) || []).map((w) => w._serialized) });
    return { messageSendResult: 'OK' };
  }

  async function sendRevokeMsgs(chat, { list }, _opts) {
    for (const msg of list) {
      const key = await newKey(msg);
      msg.set({ protocolMessageKey: key, body: '', caption: undefined, subtype: 'sender_revoke' }, { silent: true });
      msg.type = 'revoked';
      action('revoke', msg, null);
    }
  }

  async function sendDeleteMsgs(chat, { list }, _clearMedia) {
    for (const msg of list) {
      action('delete_for_me', msg, null);
      chat.msgs.remove(msg);
      store.Msg.remove(msg);
    }
  }

  async function setStar(list, star) {
    for (const msg of list) {
      msg.star = star;
      action('star', msg, star);
    }
  }
  exports.sendRevokeMsgs = sendRevokeMsgs;
  exports.sendDeleteMsgs = sendDeleteMsgs;
  exports.setStar = setStar;

  async function sendReactionToMsg(msg, emoji) {
    action('react', msg, emoji);
    const key = await newKey(msg);
    await require('WAWebAddonReactionTableMode').reactionTableMode.bulkUpsert([{
      id: key, reactionParentKey: msg.id, reactionText: emoji, reactionTimestamp: Date.now(),
      from: me.pn, author: msg.id.remote.isGroup() ? me.pn : undefined,
      orphan: 0, orphanReason: null, read: true, ack: 0 }]);
    return { messageSendResult: 'OK' };
  }

  async function sendPinInChatMsg(msg, pinType, duration) {
    msg.set({ pinned: pinType === 1 });
    action('pin', msg, { pinType, duration });
    return { messageSendResult: 'OK' };
  }

  async function sendVote(msg, selected) {
    const ids = Array.from(selected);
    action('vote', msg, ids);
    const key = await newKey(msg);
    await require('WAWebAddonPollVoteTableMode').pollVoteTableMode.bulkUpsert([{
      id: key, pollUpdateParentKey: msg.id, selectedOptionLocalIds: ids, senderTimestampMs: Date.now(),
      t: Math.floor(Date.now() / 1000), from: me.pn,
      author: msg.id.remote.isGroup() ? me.pn : undefined }]);
    return { messageSendResult: 'OK' };
  }

  const CONTENT = ['type', 'body', 'caption', 'mimetype', 'filename', 'size', 'directPath', 'mediaKey',
    'mediaKeyTimestamp', 'filehash', 'encFilehash', 'isGif', 'lat', 'lng', 'loc', 'clientUrl',
    'vcardList', 'vcardFormattedName', 'pollName', 'pollOptions', 'pollSelectableOptionsCount', 'duration'];

  async function forwardMessages({ chat, msgs, includeCaption }) {
    const meWid = me.pn;
    for (const msg of msgs) {
      const fields = {};
      for (const k of CONTENT) if (msg.get(k) !== undefined) fields[k] = msg.get(k);
      if (!includeCaption) delete fields.caption;
      const key = new MsgKey({ from: meWid, to: chat.id, id: await MsgKey.newId(),
        participant: chat.id.isGroup() ? meWid : undefined, selfDir: 'out' });
      const [p] = messages.addAndSendMsgToChat(chat, Object.assign(fields, { id: key, ack: 0, from: meWid,
        to: chat.id, local: true, self: 'out', t: Math.floor(Date.now() / 1000), isNewMsg: true,
        isForwarded: true, forwardingScore: (msg.forwardingScore || 0) + 1 }));
      await p;
    }
    return true;
  }

  async function queryMsgInfo(msgKey) {
    const msg = store.Msg.get(msgKey);
    const ack = msg ? msg.ack || 0 : 0;
    const chat = msg ? store.Chat.get(msg.id.remote) : undefined;
    let peers = msg ? [msg.id.remote] : [];
    if (chat && chat.groupMetadata) {
      peers = chat.groupMetadata.participants.getModelsArray().map((p) => p.id).filter((w) => w._serialized !== me.pn._serialized);
    }
    const t = msg ? msg.t : 0;
    const list = (min) => (ack >= min ? peers.map((id) => ({ id, t })) : []);
    const remaining = (min) => (ack >= min ? 0 : peers.length);
    return { delivery: list(2), deliveryRemaining: remaining(2), read: list(3), readRemaining: remaining(3),
      played: list(4), playedRemaining: remaining(4) };
  }

  exports.caps = caps;
  exports.sendMessageEdit = sendMessageEdit;
  exports.sendReactionToMsg = sendReactionToMsg;
  exports.sendPinInChatMsg = sendPinInChatMsg;
  exports.sendVote = sendVote;
  exports.forwardMessages = forwardMessages;
  exports.queryMsgInfo = queryMsgInfo;
});

__d('WAWebMsgActionCapability', ['FakeMsgActions'], function (g, require, rd, rl, module, exports) {
  Object.assign(exports, require('FakeMsgActions').caps);
});

__d('WAWebSendMessageEditAction', ['FakeMsgActions'], function (g, require, rd, rl, module, exports) {
  exports.sendMessageEdit = require('FakeMsgActions').sendMessageEdit;
});

__d('WAWebSendReactionMsgAction', ['FakeMsgActions'], function (g, require, rd, rl, module, exports) {
  exports.sendReactionToMsg = require('FakeMsgActions').sendReactionToMsg;
});

__d('WAWebSendPinMessageAction', ['FakeMsgActions'], function (g, require, rd, rl, module, exports) {
  exports.sendPinInChatMsg = require('FakeMsgActions').sendPinInChatMsg;
});

__d('WAWebPollsSendVoteMsgAction', ['FakeMsgActions'], function (g, require, rd, rl, module, exports) {
  exports.sendVote = require('FakeMsgActions').sendVote;
});

__d('WAWebChatForwardMessage', ['FakeMsgActions'], function (g, require, rd, rl, module, exports) {
  exports.forwardMessages = require('FakeMsgActions').forwardMessages;
});

__d('WAWebApiMessageInfoStore', ['FakeMsgActions'], function (g, require, rd, rl, module, exports) {
  exports.queryMsgInfo = require('FakeMsgActions').queryMsgInfo;
});

__d('WALinkify', [], function (g, require, rd, rl, module, exports) {
  exports.findLink = (text) => {
    const m = /https?:\/\/[^\s]+/.exec(String(text || ''));
    return m ? { url: m[0], href: m[0] } : null;
  };
  exports.findLinks = (text) => {
    const out = [];
    for (const m of String(text || '').matchAll(/https?:\/\/[^\s]+/g)) out.push({ href: m[0], suspiciousCharacters: new Set() });
    return out;
  };
});

__d('WAWebLinkPreviewChatAction', [], function (g, require, rd, rl, module, exports) {
  /** The fake fetches nothing: the preview names the link's host. */
  exports.getLinkPreview = async (link) => {
    const href = link && (link.href || link.url);
    if (!href) return null;
    return { data: { title: 'Preview of ' + new URL(href).host, description: '', canonicalUrl: href,
      matchedText: href, richPreviewType: 0, doNotPlayInline: true } };
  };
});

__d('WAWebPollsVotesSchema', ['FakeMessages'], function (g, require, rd, rl, module, exports) {
  /** The votes table (an IndexedDB table on the real page): the latest vote per voter. */
  exports.getTable = () => ({
    equals: async (index, value) => require('FakeMessages').pollVotes(String(value)),
  });
});
