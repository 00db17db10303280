/*
 * The stores: Msg, Chat, Contact, GroupMetadata models and the collections exported by
 * WAWebCollections (under both the old and the Jan-2026 names where WhatsApp renamed them),
 * plus the per-collection modules wa-js resolves (WAWebMsgCollection, WAWebChatCollection, ...).
 */
__d('FakeStore', ['FakeModel', 'FakeWid', 'FakeState'], function (global, require, rd, rl, module, exports) {
  'use strict';
  const { Model, Collection } = require('FakeModel');
  const { createWid, MsgKey } = require('FakeWid');
  const { me } = require('FakeState');

  const MSG_PROPS = [
    'id', 'body', 'type', 'subtype', 't', 'from', 'to', 'author', 'ack', 'isNewMsg', 'local', 'self',
    'notifyName', 'caption', 'isForwarded', 'forwardingScore', 'hasReaction', 'mentionedJidList',
    'groupMentions', 'quotedMsg', 'quotedStanzaID', 'quotedParticipant', 'quotedRemoteJid', 'star',
    'broadcast', 'isNotification', 'mimetype', 'filename', 'size', 'mediaKey', 'directPath', 'lat',
    'lng', 'loc', 'vcardList', 'pollName', 'pollOptions', 'latestEditMsgKey',
    'latestEditSenderTimestampMs', 'isEphemeral', 'isStatusV3', 'recipients', 'protocolMessageKey',
    'isUnsentMedia', 'duration', 'messageSecret',
  ];

  const NOT_REPLYABLE = new Set(['revoked', 'gp2', 'e2e_notification', 'notification_template', 'call_log', 'ciphertext', 'protocol']);

  class Msg extends Model {
    /** The quote fields a reply spreads into its message object (see WWebJS.sendMessage). */
    msgContextInfo(chat) {
      const key = this.id;
      const participant = key.participant || this.author || (key.fromMe ? me.pn : key.remote);
      const info = {
        quotedMsg: quotedMsgData(this),
        quotedStanzaID: key.id,
        quotedParticipant: participant ? createWid(participant) : undefined,
      };
      const chatId = chat && chat.id;
      if (chatId && !key.remote.equals(chatId)) info.quotedRemoteJid = key.remote;
      return info;
    }

    canReply() {
      return !NOT_REPLYABLE.has(this.type);
    }

    updateAck(ack) {
      this.ack = ack;
    }

    get isSentByMe() {
      return Boolean(this.id && this.id.fromMe);
    }

    get chat() {
      return this.id ? exports.Chat.get(this.id.remote) : undefined;
    }

    getChat() {
      return this.chat;
    }

    quotedMsgObj() {
      return require('FakeMessages').getQuotedMsgObj(this);
    }
  }
  Msg.defineProps(MSG_PROPS);

  /** The plain data a quote carries: what the quoted message showed, not the model itself. */
  function quotedMsgData(msg) {
    const out = { type: msg.type, body: msg.body };
    for (const k of ['caption', 'mimetype', 'filename', 'lat', 'lng', 'loc', 'pollName']) {
      if (msg.get(k) !== undefined) out[k] = msg.get(k);
    }
    return out;
  }

  class Participant extends Model {}
  Participant.defineProps(['id', 'isAdmin', 'isSuperAdmin', 'contact']);

  class GroupMetadata extends Model {
    initialize() {
      if (!(this.participants instanceof Collection)) {
        this.set({ participants: new Collection(this.participants || [], { modelClass: Participant }) }, { silent: true });
      }
      if (!(this.membershipApprovalRequests instanceof Collection)) {
        this.set({ membershipApprovalRequests: new Collection([], { modelClass: Model }) }, { silent: true });
      }
    }

    serialize() {
      const out = super.serialize();
      out.participants = this.participants.getModelsArray().map((p) => ({
        id: p.id,
        isAdmin: Boolean(p.isAdmin),
        isSuperAdmin: Boolean(p.isSuperAdmin),
      }));
      out.membershipApprovalRequests = this.membershipApprovalRequests.serialize();
      return out;
    }
  }
  GroupMetadata.defineProps([
    'id', 'subject', 'subjectTime', 'owner', 'creation', 'desc', 'descId', 'descOwner', 'announce',
    'restrict', 'noFrequentlyForwarded', 'ephemeralDuration', 'memberAddMode', 'isLidAddressingMode',
    'size', 'participants', 'membershipApprovalRequests', 'isParentGroup', 'parentGroup',
  ]);

  class Contact extends Model {
    get isMe() {
      return Boolean(me.pn && this.id && (me.pn.equals(this.id) || (me.lid && me.lid.equals(this.id))));
    }

    get isUser() {
      return Boolean(this.id && this.id.isUser());
    }

    get isGroup() {
      return Boolean(this.id && this.id.isGroup());
    }

    get formattedName() {
      return this.name || this.pushname || (this.id ? formatNumber(this.id) : '');
    }

    get userid() {
      return this.id ? this.id.user : undefined;
    }

    serialize() {
      const out = super.serialize();
      out.isMe = this.isMe;
      out.isUser = this.isUser;
      out.isGroup = this.isGroup;
      out.formattedName = this.formattedName;
      return out;
    }
  }
  Contact.defineProps([
    'id', 'name', 'shortName', 'pushname', 'type', 'verifiedName', 'verifiedLevel', 'isBusiness',
    'isEnterprise', 'isContactBlocked', 'isWAContact', 'isMyContact', 'phoneNumber', 'labels',
    'statusMute', 'sectionHeader', 'commonGroups', 'businessProfile',
  ]);

  function formatNumber(wid) {
    return wid.server === 'c.us' ? '+' + wid.user : wid.user;
  }

  class ChatMsgs extends Collection {}
  ChatMsgs.modelClass = Msg;

  class Chat extends Model {
    initialize() {
      const id = this.id;
      const defaults = {};
      if (!(this.msgs instanceof Collection)) defaults.msgs = new ChatMsgs();
      if (this.t === undefined) defaults.t = 0;
      if (this.unreadCount === undefined) defaults.unreadCount = 0;
      if (this.archive === undefined) defaults.archive = false;
      if (this.pin === undefined) defaults.pin = 0;
      if (this.isLocked === undefined) defaults.isLocked = false;
      if (this.markedUnread === undefined) defaults.markedUnread = false;
      if (this.muteExpiration === undefined) defaults.muteExpiration = 0;
      if (this.isGroup === undefined) defaults.isGroup = Boolean(id && id.isGroup());
      if (this.labels === undefined) defaults.labels = [];
      if (this.endOfHistoryTransferType === undefined) defaults.endOfHistoryTransferType = 0;
      if (this.mute === undefined) defaults.mute = makeMute(this);
      this.set(defaults, { silent: true });
    }

    get kind() {
      return this.isGroup ? 'group' : this.id && this.id.isNewsletter() ? 'newsletter' : 'chat';
    }

    get isUser() {
      return Boolean(this.id && this.id.isUser());
    }

    get contact() {
      return exports.Contact.get(this.id);
    }

    get isReadOnly() {
      return Boolean(this.groupMetadata && this.groupMetadata.announce && !this.iAmAdmin());
    }

    iAmAdmin() {
      const gm = this.groupMetadata;
      if (!gm || !me.pn) return false;
      const p = gm.participants.get(me.pn) || (me.lid && gm.participants.get(me.lid));
      return Boolean(p && (p.isAdmin || p.isSuperAdmin));
    }

    getLastMsgKey() {
      const last = this.msgs.last();
      return last ? last.id : undefined;
    }
  }
  Chat.defineProps([
    'id', 'name', 'formattedTitle', 't', 'unreadCount', 'archive', 'pin', 'isLocked', 'muteExpiration',
    'isGroup', 'groupMetadata', 'msgs', 'labels', 'lastReceivedKey', 'endOfHistoryTransferType',
    'markedUnread', 'mute', 'notSpam', 'ephemeralDuration', 'newsletterMetadata', 'isAnnounceGrpRestrict',
  ]);

  function makeMute(chat) {
    return {
      get expiration() {
        return chat.muteExpiration || 0;
      },
      get isMuted() {
        return chat.muteExpiration !== 0;
      },
      async mute({ expiration }) {
        await require('FakeMessages').setChatFlag(chat, 'muteExpiration', expiration);
      },
      async unmute() {
        await require('FakeMessages').setChatFlag(chat, 'muteExpiration', 0);
      },
    };
  }

  class MsgCollection extends Collection {
    /** Resolves `{messages}` for the ids it holds (the fake keeps every message in memory). */
    async getMessagesById(ids) {
      return { messages: (ids || []).map((id) => this.get(id)).filter(Boolean) };
    }

    async search(query, page, count, remote) {
      const q = String(query).toLowerCase();
      const messages = this._models.filter(
        (m) => typeof m.body === 'string' && m.body.toLowerCase().includes(q) && (!remote || m.id.remote.equals(remote)),
      );
      const start = ((page || 1) - 1) * (count || 100);
      return { messages: messages.slice(start, start + (count || 100)), eof: true };
    }
  }
  MsgCollection.modelClass = Msg;

  class ChatCollection extends Collection {
    _attrsForId(id) {
      return require('FakeMessages').chatAttrs(createWid(id));
    }

    async _findMissing(id) {
      return this.gadd(createWid(id));
    }
  }
  ChatCollection.modelClass = Chat;

  class ContactCollection extends Collection {
    _attrsForId(id) {
      return { id: createWid(id) };
    }

    async _findMissing(id) {
      return this.gadd(createWid(id));
    }

    getMeContact() {
      return me.pn ? this.gadd(me.pn) : undefined;
    }
  }
  ContactCollection.modelClass = Contact;

  class GroupMetadataCollection extends Collection {
    async update(id) {
      return this.get(id);
    }

    async _findMissing(id) {
      throw new Error('GroupMetadata: unknown group ' + String(id));
    }
  }
  GroupMetadataCollection.modelClass = GroupMetadata;

  class ReactionsCollection extends Collection {
    async find(msgId) {
      const found = this.get(msgId);
      if (found) return found;
      return this.add({ id: String(msgId), reactions: new Collection() });
    }
  }

  exports.Msg = new MsgCollection();
  exports.Chat = new ChatCollection();
  exports.Contact = new ContactCollection();
  exports.GroupMetadata = new GroupMetadataCollection();
  exports.Label = new Collection();
  exports.Blocklist = new Collection();
  exports.Presence = new Collection();
  exports.StatusV3 = new Collection();
  exports.Reactions = new ReactionsCollection();
  exports.Call = new Collection();
  exports.ProfilePicThumb = new Collection();
  exports.NewsletterMetadata = new Collection();
  exports.Newsletter = new Collection();
  exports.Mute = new Collection();
  exports.models = { Msg, Chat, Contact, GroupMetadata, Participant, ChatMsgs };
  exports.MsgKey = MsgKey;
});

__d('WAWebCollections', ['FakeStore'], function (g, require, rd, rl, module, exports) {
  const s = require('FakeStore');
  exports.Msg = s.Msg;
  exports.Chat = s.Chat;
  exports.Contact = s.Contact;
  // 2026-01 renames (wwebjs 207a5ad10; W1347 Utils.js:957-958): GroupMetadata is only under
  // its new name. Presence and StatusV3 are not members here: wwebjs reads only `.Status`
  // (W1347 Client.js:2775-2799), wa-js reads the standalone WAWebPresenceCollection and
  // WAWebStatusCollection modules (src/whatsapp/stores.ts:88-90, 124-126, 239-260).
  exports.WAWebGroupMetadataCollection = s.GroupMetadata;
  exports.Label = s.Label;
  exports.Blocklist = s.Blocklist;
  exports.Status = s.StatusV3;
  exports.Reactions = s.Reactions;
  exports.Call = s.Call;
  exports.WAWebCallCollection = s.Call;
  exports.ProfilePicThumb = s.ProfilePicThumb;
  exports.NewsletterMetadataCollection = s.NewsletterMetadata;
  exports.WAWebNewsletterMetadataCollection = s.NewsletterMetadata;
  exports.NewsletterCollection = s.Newsletter;
  exports.WAWebNewsletterCollection = s.Newsletter;
  exports.Mute = s.Mute;
});

__d('WAWebPresenceCollection', ['FakeStore'], function (g, require, rd, rl, module, exports) {
  exports.PresenceCollection = require('FakeStore').Presence;
});

__d('WAWebStatusCollection', ['FakeStore'], function (g, require, rd, rl, module, exports) {
  exports.StatusV3Collection = require('FakeStore').StatusV3;
});

__d('WAWebMsgCollection', ['FakeStore'], function (g, require, rd, rl, module, exports) {
  exports.MsgCollection = require('FakeStore').Msg;
});

__d('WAWebChatCollection', ['FakeStore'], function (g, require, rd, rl, module, exports) {
  exports.ChatCollection = require('FakeStore').Chat;
});

__d('WAWebContactCollection', ['FakeStore'], function (g, require, rd, rl, module, exports) {
  const s = require('FakeStore');
  exports.ContactCollection = s.Contact;
  exports.getMeContact = () => s.Contact.getMeContact();
});
