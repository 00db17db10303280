/*
 * The page's connection to the fake WhatsApp server: one WebSocket to /ws carrying JSON frames
 * `{type, ...}`, as the real page holds one socket to WhatsApp. Frames are dispatched to
 * handlers registered per type; a dropped socket is re-opened after a short pause unless the page
 * is navigating away or was told it is in CONFLICT.
 */
__d('FakeNet', ['FakeModel'], function (global, require, rd, rl, module, exports) {
  'use strict';
  const { Emitter } = require('FakeModel');

  class Net extends Emitter {
    constructor() {
      super();
      this.ws = null;
      this.handlers = new Map();
      this.stopped = false;
      this.retryMs = 250;
    }

    get isOpen() {
      return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
    }

    handle(type, fn) {
      this.handlers.set(type, fn);
    }

    connect() {
      if (this.stopped) return;
      const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
      const ws = new WebSocket(scheme + location.host + '/ws');
      this.ws = ws;
      ws.onopen = () => this.trigger('open');
      ws.onmessage = (ev) => {
        let frame;
        try {
          frame = JSON.parse(ev.data);
        } catch (err) {
          console.error('fake WhatsApp: bad frame', err);
          return;
        }
        const fn = this.handlers.get(frame.type);
        if (fn) fn(frame);
        else console.warn('fake WhatsApp: unhandled frame', frame.type);
      };
      ws.onclose = () => {
        if (this.ws !== ws) return;
        this.ws = null;
        this.trigger('close');
        if (!this.stopped) setTimeout(() => this.connect(), this.retryMs);
      };
    }

    /** Close and stay closed (navigation, conflict). */
    stop() {
      this.stopped = true;
      if (this.ws) this.ws.close();
    }

    /** Drop the socket and open a new one (Socket.reconnect / takeover). */
    restart() {
      this.stopped = false;
      const ws = this.ws;
      if (ws) ws.close(); // onclose schedules the reconnect
      else this.connect();
    }

    send(frame) {
      if (!this.isOpen) return false;
      this.ws.send(JSON.stringify(frame));
      return true;
    }
  }

  module.exports = new Net();
});
