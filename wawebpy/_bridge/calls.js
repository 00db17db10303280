// Incoming calls (event), rejecting them, call links.
// Sources: wa-web-interface.md ("incoming calls via WAWebCallCollection"); wa-web-modules.md 3.2
// (Call model), 3.4 (`add` guarded by typeof .on), 3.5 "Calls" (the reject stanza) and "Sending
// messages" (WAWebGenerateEventCallLink.createEventCallLink(startTs, 'video'|'voice') → url).

function serializeCall(c) {
  return { id: String(c.id), from: widStr(c.peerJid), t: c.offerTime || 0, isVideo: !!c.isVideo,
    isGroup: !!c.isGroup, outgoing: !!c.outgoing,
    participants: (c.participants || []).map(widStr).filter((x) => x) };
}

op('calls.reject', async ({ callId }) => {
  const calls = mod('CallCollection');
  const call = calls.get(callId);
  if (!call) throw new BridgeFail('not_found', 'no such call: ' + callId, { reason: 'unknown call' });
  const wap = mod('Wap');
  const me = mod('MeUser').getMaybeMePnUser();
  const peer = widStr(call.peerJid);
  // generateId is the module's export, not a member of `wap` (W1347 Utils.js:1273).
  const id = mod('WapGenerateId')();
  const stanza = wap('call', { id, from: widStr(me), to: peer }, [
    wap('reject', { 'call-id': String(call.id), 'call-creator': peer, count: '0' }),
  ]);
  await mod('SendIq').deprecatedCastStanza(stanza);
  return true;
});

// createEventCallLink answers undefined when WhatsApp refuses (it swallows the error itself).
op('calls.link', async ({ startTime, callType }) => {
  const url = await mod('EventCallLink').createEventCallLink(startTime, callType);
  if (!url) throw new BridgeFail('call_link_failed', 'WhatsApp did not create a call link', { reason: 'createEventCallLink returned nothing' });
  return String(url);
});

onInstall(() => {
  const calls = mod('CallCollection');
  if (typeof calls.on !== 'function') return;
  listen(calls, 'add', guard('calls.incoming', (call) => {
    if (call && !call.outgoing) emit('calls.incoming', serializeCall(call));
  }));
});
