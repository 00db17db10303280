// Media: bytes cross between Python and the page by explicit calls in chunks (never through the
// event channel): uploads append base64 chunks to a page-side buffer, downloads are parked in a
// buffer that Python reads slice by slice. Sending follows WWebJS.processMediaData
// (wa-web-modules.md 3.5 "Media upload"); downloading follows Message.downloadMedia.

const BUFFERS = new Map(); // handle -> {parts: Uint8Array[]} (upload) | {bytes: Uint8Array} (download)
let nextBuffer = 1;

function b64ToBytes(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesToB64(bytes) {
  let bin = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + step));
  }
  return btoa(bin);
}

function buffer(handle) {
  const b = BUFFERS.get(handle);
  if (!b) throw new BridgeFail('invalid_content', 'no media buffer ' + handle + ' (released?)');
  return b;
}

op('media.begin', async () => {
  const handle = 'm' + (nextBuffer++);
  BUFFERS.set(handle, { parts: [], size: 0 });
  return handle;
});

op('media.append', async ({ handle, data }) => {
  const b = buffer(handle);
  const bytes = b64ToBytes(data);
  b.parts.push(bytes);
  b.size += bytes.length;
  return b.size;
});

op('media.release', async ({ handle }) => BUFFERS.delete(handle));

// An image to a 512x512 WebP on a canvas (transparent letterbox), as stickers require.
async function toWebpSticker(blob) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch (e) {
    throw new BridgeFail('invalid_content', 'the sticker image could not be decoded (corrupt or unsupported)');
  }
  const size = 512;
  const scale = Math.min(size / bitmap.width, size / bitmap.height);
  const w = Math.round(bitmap.width * scale);
  const h = Math.round(bitmap.height * scale);
  const canvas = new OffscreenCanvas(size, size);
  canvas.getContext('2d').drawImage(bitmap, (size - w) / 2, (size - h) / 2, w, h);
  bitmap.close();
  const webp = await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 });
  if (webp.type !== 'image/webp') throw new BridgeFail('invalid_content', 'this browser cannot encode WebP');
  return webp;
}

async function prepareMedia(file, kind) {
  const OpaqueData = mod('OpaqueData');
  const opaque = await OpaqueData.createFromData(file, file.type);
  const prep = mod('PrepRawMedia').prepRawMedia(opaque, { asSticker: kind === 'sticker',
    asGif: kind === 'gif', isPtt: kind === 'voice', asDocument: kind === 'document' });
  const mediaData = await prep.waitForPrep();
  if (!mediaData || !mediaData.filehash) throw new BridgeFail('media_failed', 'media-fault: sendToChat filehash undefined');
  const mediaObject = mod('MediaStorage').getOrCreateMediaObject(mediaData.filehash);
  const mediaType = mod('MmsMediaTypes').msgToMediaType({ type: mediaData.type, isGif: mediaData.isGif });
  if (!(mediaData.mediaBlob instanceof OpaqueData)) {
    mediaData.mediaBlob = await OpaqueData.createFromData(mediaData.mediaBlob, mediaData.mediaBlob.type);
  }
  mediaData.renderableUrl = mediaData.mediaBlob.url();
  mediaObject.consolidate(mediaData.toJSON());
  mediaData.mediaBlob.autorelease();
  const uploaded = await mod('MediaUpload').uploadMedia({ mimetype: mediaData.mimetype, mediaObject, mediaType });
  const e = uploaded && uploaded.mediaEntry;
  if (!e) throw new BridgeFail('media_failed', 'upload failed: media entry was not created');
  mediaData.set({ clientUrl: e.mmsUrl, deprecatedMms3Url: e.deprecatedMms3Url, directPath: e.directPath,
    mediaKey: e.mediaKey, mediaKeyTimestamp: e.mediaKeyTimestamp, filehash: mediaObject.filehash,
    encFilehash: e.encFilehash, uploadhash: e.uploadHash, size: mediaObject.size,
    streamingSidecar: e.sidecar, firstFrameSidecar: e.firstFrameSidecar });
  return mediaData;
}

op('messages.sendMedia', async ({ chatId, handle, mimetype, filename, kind, caption, viewOnce,
  quotedId, mentions, groupMentions, waitSent }) => {
  const chat = await findChat(chatId);
  const b = buffer(handle);
  let file = new File(b.parts, filename || 'file', { type: mimetype });
  BUFFERS.delete(handle);
  if (kind === 'sticker' && mimetype !== 'image/webp') {
    file = new File([await toWebpSticker(file)], 'sticker.webp', { type: 'image/webp' });
  }
  const mediaData = await prepareMedia(file, kind);
  const json = mediaData.toJSON();
  const fields = { ...json, type: mediaData.type, mimetype: mediaData.mimetype,
    body: kind === 'sticker' ? undefined : mediaData.preview };
  if (kind === 'document' || filename) fields.filename = filename || undefined;
  if (caption && kind !== 'sticker' && kind !== 'voice' && kind !== 'audio') fields.caption = caption;
  if (viewOnce) fields.isViewOnce = true;
  if (kind === 'gif') fields.isGif = true;
  return sendMessage(chat, fields, { quotedId, mentions, groupMentions, waitSent });
});

// Download: resolve the media (Msg.downloadMedia when not yet RESOLVED), fetch and decrypt it with
// the download manager, and park the bytes for chunked reads.
op('media.download', async ({ id }) => {
  const msg = findMsg(id);
  if (!msg.mediaData || msg.mediaData.mediaStage === 'REUPLOADING') {
    throw new BridgeFail('media_unavailable', 'message ' + id + ' has no downloadable media');
  }
  if (msg.mediaData.mediaStage !== 'RESOLVED') {
    await msg.downloadMedia({ downloadEvenIfExpensive: true, rmrReason: 1 });
  }
  const stage = String(msg.mediaData.mediaStage || '');
  if (stage.includes('ERROR') || stage === 'FETCHING') {
    throw new BridgeFail('media_unavailable', 'the media of ' + id + ' could not be fetched (' + stage + ')');
  }
  let data;
  try {
    data = await mod('DownloadManager').downloadAndMaybeDecrypt({ directPath: msg.directPath,
      encFilehash: msg.encFilehash, filehash: msg.filehash, mediaKey: msg.mediaKey,
      mediaKeyTimestamp: msg.mediaKeyTimestamp, type: msg.type, signal: new AbortController().signal,
      downloadQpl: { addAnnotations() { return this; }, addPoint() { return this; } } });
  } catch (e) {
    if (e instanceof BridgeFail) throw e;
    throw new BridgeFail('media_unavailable', 'download failed: ' + String(e && e.message || e));
  }
  const bytes = new Uint8Array(data);
  const handle = 'd' + (nextBuffer++);
  BUFFERS.set(handle, { bytes });
  return { handle, size: bytes.length, mimetype: msg.mimetype || 'application/octet-stream',
    filename: msg.filename || null };
});

op('media.read', async ({ handle, offset, length }) => {
  const b = buffer(handle);
  return bytesToB64(b.bytes.subarray(offset, offset + length));
});
