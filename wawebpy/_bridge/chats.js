// Chats and contacts: reading what the account knows.
// Sources: wa-web-interface.md "Collections"; wa-web-modules.md 3.2 (Chat and Contact models).

function serializeChat(chat) {
  const s = typeof chat.serialize === 'function' ? chat.serialize() : chat;
  const id = s.id || chat.id;
  const isGroup = id && typeof id.isGroup === 'function' ? id.isGroup() : /@g\.us$/.test(widStr(id) || '');
  const mute = chat.mute;
  return {
    id: widStr(id), name: s.formattedTitle || s.name || chat.formattedTitle || null,
    isGroup, unreadCount: s.unreadCount || 0, t: s.t || 0, archive: !!s.archive,
    pin: !!s.pin, isMuted: !!(mute && mute.expiration && mute.expiration !== 0),
    muteExpiration: (mute && mute.expiration) || s.muteExpiration || 0,
  };
}

function serializeContact(c) {
  const s = typeof c.serialize === 'function' ? c.serialize() : c;
  return {
    id: widStr(s.id || c.id), name: s.name || null, pushname: s.pushname || null,
    shortName: s.shortName || null, number: (s.id && s.id.user) || (c.id && c.id.user) || null,
    isBusiness: !!s.isBusiness, isMyContact: !!(s.isAddressBookContact || s.isMyContact),
    isBlocked: !!(s.isContactBlocked || c.isContactBlocked),
  };
}

op('chats.list', async () => mod('Collections').Chat.getModelsArray().map(serializeChat));
op('chats.get', async ({ chatId }) => {
  // Reading never creates a chat: only what WhatsApp Web already has.
  const chat = mod('Collections').Chat.get(mod('WidFactory').createWid(chatId));
  if (!chat) throw new BridgeFail('chat_not_found', 'chat not found: ' + chatId, { chatId });
  return serializeChat(chat);
});

op('contacts.list', async () => mod('Collections').Contact.getModelsArray().map(serializeContact));
op('contacts.get', async ({ contactId }) => {
  const wid = mod('WidFactory').createWid(contactId);
  const contacts = mod('Collections').Contact;
  const c = contacts.get(wid) || (typeof contacts.find === 'function' ? await contacts.find(wid) : null);
  if (!c) throw new BridgeFail('contact_not_found', 'contact not found: ' + contactId, { contactId });
  return serializeContact(c);
});
