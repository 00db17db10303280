// Incoming calls (event) and rejecting them.
// Sources: wa-web-interface.md ("incoming calls via WAWebCallCollection"); wa-web-modules.md 3.2
// (Call model), 3.4 (`add` guarded by typeof .on), 3.5 "Calls" (the reject stanza).

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
  const stanza = wap('call', { id: wap.generateId(), from: widStr(me), to: peer }, [
    wap('reject', { 'call-id': String(call.id), 'call-creator': peer, count: '0' }),
  ]);
  await mod('SendIq').deprecatedCastStanza(stanza);
  return true;
});

onInstall(() => {
  const calls = mod('CallCollection');
  if (typeof calls.on !== 'function') return;
  listen(calls, 'add', guard('calls.incoming', (call) => {
    if (call && !call.outgoing) emit('calls.incoming', serializeCall(call));
  }));
});
