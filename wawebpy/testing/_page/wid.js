/*
 * Identifiers: Wid (WAWebWid / WAWebWidFactory), MsgKey (WAWebMsgKey) and base64 (WABase64),
 * with the serialization rules the spec lists: own `user`/`server`/`_serialized`, `toJSON()`
 * returning the string, and `<fromMe>_<remote>_<id>[_<participant>]` for message keys.
 */
__d('FakeWid', [], function (global, require, rd, rl, module, exports) {
  'use strict';

  const USER_SERVERS = new Set(['c.us', 'lid', 'bot', 'hosted', 'hosted.lid']);

  class Wid {
    constructor(value) {
      if (typeof value !== 'string' || value.indexOf('@') < 0) {
        throw new Error('Invalid wid: ' + String(value));
      }
      const at = value.lastIndexOf('@');
      let user = value.slice(0, at);
      let server = value.slice(at + 1);
      if (server === 's.whatsapp.net') server = 'c.us';
      let device;
      const colon = user.indexOf(':');
      if (colon >= 0 && server !== 'g.us') {
        device = Number(user.slice(colon + 1));
        user = user.slice(0, colon);
      }
      if (!server) throw new Error('Invalid wid: ' + value);
      this.server = server;
      this.user = user;
      if (device !== undefined) this.device = device;
      this._serialized = (device !== undefined ? user + ':' + device : user) + '@' + server;
    }

    toString() {
      return this._serialized;
    }

    toJSON() {
      return this._serialized;
    }

    equals(other) {
      if (other == null) return false;
      return this._serialized === (typeof other === 'string' ? other : other._serialized);
    }

    isUser() {
      return USER_SERVERS.has(this.server);
    }

    isGroup() {
      return this.server === 'g.us';
    }

    isLid() {
      return this.server === 'lid';
    }

    isBroadcast() {
      return this.server === 'broadcast';
    }

    isStatus() {
      return this.user === 'status' && this.server === 'broadcast';
    }

    isStatusV3() {
      return this.isStatus();
    }

    isNewsletter() {
      return this.server === 'newsletter';
    }

    isBot() {
      return this.server === 'bot';
    }

    isServer() {
      return this.user === 'server' && this.server === 'c.us';
    }

    isCompanion() {
      return this.device !== undefined && this.device !== 0;
    }

    isGroupCall() {
      return this.server === 'call';
    }

    toJid() {
      if (this.server === 'c.us') {
        return (this.device ? this.user + ':' + this.device : this.user) + '@s.whatsapp.net';
      }
      return this._serialized;
    }

    static isWid(value) {
      return value instanceof Wid;
    }
  }

  function createWid(value) {
    if (value instanceof Wid) return value;
    if (value !== null && typeof value === 'object' && typeof value._serialized === 'string') {
      return new Wid(value._serialized);
    }
    return new Wid(value);
  }

  function createUserWid(user, server) {
    return new Wid(String(user) + '@' + (server || 'c.us'));
  }

  function toUserWid(wid) {
    const w = createWid(wid);
    return w.device === undefined ? w : new Wid(w.user + '@' + w.server);
  }

  function asUserWidOrThrow(wid) {
    const w = createWid(wid);
    if (!w.isUser()) throw new Error('asUserWidOrThrow: not a user wid: ' + w._serialized);
    return toUserWid(w);
  }

  function isWidlike(value) {
    if (value instanceof Wid) return true;
    if (typeof value !== 'string') return false;
    try {
      createWid(value);
      return true;
    } catch (_e) {
      return false;
    }
  }

  function randomHex(bytes) {
    const a = new Uint8Array(bytes);
    crypto.getRandomValues(a);
    let s = '';
    for (const b of a) s += b.toString(16).padStart(2, '0');
    return s.toUpperCase();
  }

  class MsgKey {
    constructor(opts) {
      if (opts == null || typeof opts !== 'object') throw new Error('MsgKey error: options object required');
      let fromMe;
      let remote;
      if ('remote' in opts && 'fromMe' in opts) {
        fromMe = Boolean(opts.fromMe);
        remote = createWid(opts.remote);
      } else {
        if (opts.selfDir !== 'in' && opts.selfDir !== 'out') {
          throw new Error('MsgKey error: selfDir must be "in" or "out"');
        }
        fromMe = opts.selfDir === 'out';
        const other = fromMe ? opts.to : opts.from;
        if (other == null) throw new Error('MsgKey error: ' + (fromMe ? 'to' : 'from') + ' is required');
        remote = createWid(other);
      }
      if (typeof opts.id !== 'string' || !opts.id) throw new Error('MsgKey error: id must be a non-empty string');
      this.fromMe = fromMe;
      this.remote = remote;
      this.id = opts.id;
      this.participant = opts.participant != null ? createWid(opts.participant) : undefined;
      let s = (fromMe ? 'true' : 'false') + '_' + remote._serialized + '_' + opts.id;
      if (this.participant) s += '_' + this.participant._serialized;
      this._serialized = s;
    }

    toString() {
      return this._serialized;
    }

    equals(other) {
      if (other == null) return false;
      return this._serialized === (typeof other === 'string' ? other : other._serialized);
    }

    clone() {
      return new MsgKey({ fromMe: this.fromMe, remote: this.remote, id: this.id, participant: this.participant });
    }

    /** A fresh web-style message id: 20 uppercase hex chars starting with 3EB0. */
    static async newId() {
      return '3EB0' + randomHex(8);
    }

    static fromString(value) {
      if (typeof value !== 'string') throw new Error('MsgKey.fromString: string required');
      const parts = value.split('_');
      if (parts.length < 3 || (parts[0] !== 'true' && parts[0] !== 'false')) {
        throw new Error('MsgKey.fromString: invalid key ' + value);
      }
      return new MsgKey({
        fromMe: parts[0] === 'true',
        remote: parts[1],
        id: parts[2],
        participant: parts.length > 3 ? parts.slice(3).join('_') : undefined,
      });
    }
  }

  function toBytes(data) {
    if (data instanceof Uint8Array) return data;
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (Array.isArray(data)) return Uint8Array.from(data);
    throw new TypeError('encodeB64: expected bytes');
  }

  function encodeB64(data) {
    const bytes = toBytes(data);
    let bin = '';
    const CHUNK = 0x8000;
    for (let i = 0; i < bytes.length; i += CHUNK) {
      bin += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK));
    }
    return btoa(bin);
  }

  function decodeB64(text) {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  exports.Wid = Wid;
  exports.createWid = createWid;
  exports.createUserWid = createUserWid;
  exports.toUserWid = toUserWid;
  exports.asUserWidOrThrow = asUserWidOrThrow;
  exports.isWidlike = isWidlike;
  exports.MsgKey = MsgKey;
  exports.randomHex = randomHex;
  exports.encodeB64 = encodeB64;
  exports.decodeB64 = decodeB64;
  exports.toBytes = toBytes;
});

__d('WAWebWid', ['FakeWid'], function (g, require, rd, rl, module) {
  module.exports = require('FakeWid').Wid;
});

__d('WAWebWidFactory', ['FakeWid'], function (g, require, rd, rl, module, exports) {
  const w = require('FakeWid');
  exports.createWid = w.createWid;
  exports.createUserWid = w.createUserWid;
  exports.toUserWid = w.toUserWid;
  exports.asUserWidOrThrow = w.asUserWidOrThrow;
  exports.isWidlike = w.isWidlike;
  exports.createWidFromWidLike = w.createWid;
});

// Wid -> jid strings for smax RPCs (wwebjs v1.34.7 Utils.js:1425-1436 participantJid/iqTo,
// 1519-1530 membership requests). A phone number's jid is `<user>@s.whatsapp.net`.
__d('WAWebWidToJid', ['FakeWid'], function (g, require, rd, rl, module, exports) {
  const { createWid } = require('FakeWid');
  exports.widToUserJid = (wid) => {
    const w = createWid(wid);
    if (!w.isUser()) throw new Error('widToUserJid: not a user wid: ' + w._serialized);
    return w.toJid();
  };
  exports.widToGroupJid = (wid) => {
    const w = createWid(wid);
    if (!w.isGroup()) throw new Error('widToGroupJid: not a group wid: ' + w._serialized);
    return w._serialized;
  };
});

// Fake-only: LID <-> phone number pairs the page learned from usync answers (queryWidExists),
// besides those of contacts; the real page keeps them in its LID-PN mapping store.
__d('FakeLidMap', ['FakeWid'], function (g, require, rd, rl, module, exports) {
  const { createWid } = require('FakeWid');
  const learned = [];
  exports.learn = (lid, pn) => {
    const l = createWid(lid);
    const p = createWid(pn);
    if (!learned.some(([a, b]) => a.equals(l) && b.equals(p))) learned.push([l, p]);
  };
  exports.pairs = () => learned.slice();
});

__d('WAWebMsgKey', ['FakeWid'], function (g, require, rd, rl, module) {
  module.exports = require('FakeWid').MsgKey;
});

__d('WABase64', ['FakeWid'], function (g, require, rd, rl, module, exports) {
  const w = require('FakeWid');
  exports.encodeB64 = w.encodeB64;
  exports.decodeB64 = w.decodeB64;
});
