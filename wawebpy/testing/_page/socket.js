/*
 * Connection-level singletons: WAWebSocketModel.Socket (login state), WAWebConnModel.Conn
 * (QR ref and account info), WAWebCmd.Cmd (command bus / events), the offline-delivery
 * progress, and who "me" is (WAWebUserPrefsMeUser). Behaviour that needs the server
 * (logout, reconnect, refreshQR) is delegated to FakeAuth.
 */
__d('FakeState', ['FakeModel', 'FakeWid'], function (global, require, rd, rl, module, exports) {
  'use strict';
  const { Model, Emitter } = require('FakeModel');

  const auth = () => require('FakeAuth');

  class SocketModel extends Model {
    /** Unlink this device (client-initiated): Cmd 'logout', wipe, reload to /?post_logout=1. */
    logout() {
      return auth().logout();
    }

    reconnect() {
      auth().reconnect(false);
    }

    /** After CONFLICT: take the session back from the other tab. */
    takeover() {
      auth().reconnect(true);
    }

    poke() {
      auth().reconnect(false);
    }
  }
  SocketModel.defineProps(['state', 'hasSynced', 'stream', 'canSend']);

  class ConnModel extends Model {
    canSetMyPushname() {
      return true;
    }

    isSMB() {
      return this.platform === 'smba' || this.platform === 'smbi';
    }
  }
  ConnModel.defineProps(['ref', 'refTTL', 'wid', 'pushname', 'platform', 'battery', 'plugged', 'lc', 'lg', 'locales', 'is24h', 'connected', 'isResponse']);

  class CmdBus extends Emitter {
    refreshQR() {
      auth().refreshQR();
    }

    archiveChat(chat, archive) {
      return require('FakeMessages').setChatFlag(chat, 'archive', Boolean(archive));
    }

    pinChat(chat, pin) {
      return require('FakeMessages').setChatFlag(chat, 'pin', pin ? Math.floor(Date.now() / 1000) : 0);
    }

    markChatUnread(chat, unread) {
      return require('FakeMessages').setChatFlag(chat, 'markedUnread', Boolean(unread));
    }
  }

  const Socket = new SocketModel({ state: 'OPENING', hasSynced: false, stream: 'DISCONNECTED', canSend: false });
  const Conn = new ConnModel({
    ref: undefined,
    refTTL: undefined,
    wid: undefined,
    pushname: undefined,
    platform: undefined,
    battery: 100,
    plugged: true,
    connected: false,
  });
  const Cmd = new CmdBus();

  const OfflineMessageHandler = {
    _progress: 0,
    _resolved: false,
    getOfflineDeliveryProgress() {
      return this._progress;
    },
    isResumeFromRestartComplete() {
      return this._resolved;
    },
  };

  /** Own identity, set at login; `null` when logged out. */
  const me = { pn: null, lid: null, device: null };

  exports.Socket = Socket;
  exports.Conn = Conn;
  exports.Cmd = Cmd;
  exports.OfflineMessageHandler = OfflineMessageHandler;
  exports.me = me;
});

__d('WAWebSocketModel', ['FakeState'], function (g, require, rd, rl, module, exports) {
  exports.Socket = require('FakeState').Socket;
});

// The page's availability stream (wa-js src/whatsapp/models/StreamModel.ts: session prop
// `available`, markAvailable()/markUnavailable()). A headless page never gets focus, so it stays
// unavailable unless a caller marks it available (W1347 Utils.js:131-140 does around sendSeen).
__d('WAWebStreamModel', ['FakeModel'], function (g, require, rd, rl, module, exports) {
  const { Model } = require('FakeModel');
  class StreamModel extends Model {
    markAvailable() { this.set({ available: true }); }
    markUnavailable() { this.set({ available: false }); }
  }
  StreamModel.defineProps(['available']);
  exports.Stream = new StreamModel({ available: false });
});

__d('WAWebConnModel', ['FakeState'], function (g, require, rd, rl, module, exports) {
  exports.Conn = require('FakeState').Conn;
});

__d('WAWebCmd', ['FakeState'], function (g, require, rd, rl, module, exports) {
  exports.Cmd = require('FakeState').Cmd;
});

__d('WAWebOfflineHandler', ['FakeState'], function (g, require, rd, rl, module, exports) {
  exports.OfflineMessageHandler = require('FakeState').OfflineMessageHandler;
});

__d('WAWebUserPrefsMeUser', ['FakeState'], function (g, require, rd, rl, module, exports) {
  const { me } = require('FakeState');
  exports.getMaybeMePnUser = () => me.pn || undefined;
  exports.getMaybeMeLidUser = () => me.lid || undefined;
  exports.getMeUser = () => {
    if (!me.pn) throw new Error('getMeUser: not logged in');
    return me.pn;
  };
  exports.getMePnUserOrThrow = exports.getMeUser;
  exports.getMeLidUserOrThrow = () => {
    if (!me.lid) throw new Error('getMeLidUserOrThrow: not logged in');
    return me.lid;
  };
  exports.isMeAccount = (wid) => Boolean(wid && ((me.pn && me.pn.equals(wid)) || (me.lid && me.lid.equals(wid))));
});

__d('WAWebBuildConstants', [], function (g, require, rd, rl, module, exports) {
  Object.defineProperty(exports, 'VERSION_STR', { enumerable: true, get: () => (g.Debug ? g.Debug.VERSION : undefined) });
});

__d('WAWebMiscBrowserUtils', [], function (g, require, rd, rl, module, exports) {
  exports.info = () => ({ name: 'Chrome', version: (navigator.userAgent.match(/Chrome\/([\d.]+)/) || [])[1] || '', os: 'Linux' });
});
