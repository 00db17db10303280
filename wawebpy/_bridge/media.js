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

// Sticker pack metadata: an EXIF chunk whose one IFD entry (tag 0x5741, type UNDEFINED) holds
// the JSON WhatsApp reads ({"sticker-pack-id", "sticker-pack-name", "sticker-pack-publisher",
// "emojis"}); the file becomes an extended (VP8X) WebP with the EXIF flag set.
function webpChunks(bytes) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks = [];
  for (let off = 12; off + 8 <= bytes.length;) {
    const fourcc = String.fromCharCode(...bytes.subarray(off, off + 4));
    const size = dv.getUint32(off + 4, true);
    chunks.push([fourcc, bytes.subarray(off + 8, off + 8 + size)]);
    off += 8 + size + (size & 1);
  }
  return chunks;
}

async function withStickerMeta(blob, meta) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const json = new TextEncoder().encode(JSON.stringify(meta));
  const exif = new Uint8Array(22 + json.length);
  exif.set([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x41, 0x57, 0x07, 0x00]);
  const ev = new DataView(exif.buffer);
  ev.setUint32(14, json.length, true);
  ev.setUint32(18, 22, true);
  exif.set(json, 22);
  const chunks = webpChunks(bytes);
  let header = chunks.find((c) => c[0] === 'VP8X');
  if (header) {
    header = Uint8Array.from(header[1]);
  } else {
    let bitmap;
    try {
      bitmap = await createImageBitmap(blob);
    } catch (e) {
      throw new BridgeFail('invalid_content', 'the WebP sticker could not be decoded (corrupt?)');
    }
    header = new Uint8Array(10);
    const hv = new DataView(header.buffer);
    hv.setUint32(4, bitmap.width - 1, true);
    hv.setUint16(7, (bitmap.height - 1) & 0xffff, true);
    header[9] = ((bitmap.height - 1) >> 16) & 0xff;
    bitmap.close();
    if (chunks.some((c) => c[0] === 'VP8L' || c[0] === 'ALPH')) header[0] |= 0x10;
  }
  header[0] |= 0x08;
  const parts = [['VP8X', header], ...chunks.filter((c) => c[0] !== 'VP8X' && c[0] !== 'EXIF'),
    ['EXIF', exif]];
  const size = parts.reduce((n, [, d]) => n + 8 + d.length + (d.length & 1), 4);
  const out = new Uint8Array(8 + size);
  const ov = new DataView(out.buffer);
  out.set([0x52, 0x49, 0x46, 0x46]);
  ov.setUint32(4, size, true);
  out.set([0x57, 0x45, 0x42, 0x50], 8);
  let off = 12;
  for (const [fourcc, data] of parts) {
    for (let i = 0; i < 4; i += 1) out[off + i] = fourcc.charCodeAt(i);
    ov.setUint32(off + 4, data.length, true);
    out.set(data, off + 8);
    off += 8 + data.length + (data.length & 1);
  }
  return new Blob([out], { type: 'image/webp' });
}

// A voice note's waveform: 64 bars (0-100) of mean amplitude, computed with the Web Audio API
// when WhatsApp's media object has none (wa-web-modules.md 3.5 "Media upload", step 6).
async function computeWaveform(file) {
  try {
    const ctx = new OfflineAudioContext(1, 1, 8000);
    const audio = await ctx.decodeAudioData(await file.arrayBuffer());
    const data = audio.getChannelData(0);
    const bars = 64;
    const block = Math.max(1, Math.floor(data.length / bars));
    const means = [];
    for (let i = 0; i < bars; i += 1) {
      let sum = 0;
      for (let j = i * block; j < Math.min(data.length, (i + 1) * block); j += 1) sum += Math.abs(data[j]);
      means.push(sum / block);
    }
    const peak = Math.max(...means) || 1;
    return Uint8Array.from(means.map((m) => Math.round((m / peak) * 100)));
  } catch (e) {
    return undefined; // undecodable in this browser: WhatsApp shows a flat waveform
  }
}

// The bytes Python appended under `handle`, as a File (the buffer is released).
function takeUpload(handle, mimetype, filename) {
  const b = buffer(handle);
  BUFFERS.delete(handle);
  return new File(b.parts, filename || 'file', { type: mimetype });
}

// prepareMedia(file, kind, {newsletter, status}): channels upload unencrypted and keep the
// upload's handle; audio posted as a status carries a waveform like a voice note
// (wa-web-modules.md 3.5 "Media upload", steps 6 and 9).
async function prepareMedia(file, kind, opts) {
  const newsletter = !!(opts && opts.newsletter);
  const status = !!(opts && opts.status);
  const OpaqueData = mod('OpaqueData');
  const opaque = await OpaqueData.createFromData(file, file.type);
  const prep = mod('PrepRawMedia').prepRawMedia(opaque, { asSticker: kind === 'sticker',
    asGif: kind === 'gif', isPtt: kind === 'voice', asDocument: kind === 'document' });
  const mediaData = await prep.waitForPrep();
  if (!mediaData || !mediaData.filehash) throw new BridgeFail('media_failed', 'media-fault: sendToChat filehash undefined');
  const mediaObject = mod('MediaStorage').getOrCreateMediaObject(mediaData.filehash);
  const mediaType = mod('MmsMediaTypes').msgToMediaType({ type: mediaData.type, isGif: mediaData.isGif,
    isNewsletter: newsletter });
  if ((kind === 'voice' && mediaData.type === 'ptt') || (status && mediaData.type === 'audio')) {
    const known = mediaObject.contentInfo && mediaObject.contentInfo.waveform;
    const waveform = known || await computeWaveform(file);
    if (waveform) mediaData.waveform = waveform;
  }
  if (!(mediaData.mediaBlob instanceof OpaqueData)) {
    mediaData.mediaBlob = await OpaqueData.createFromData(mediaData.mediaBlob, mediaData.mediaBlob.type);
  }
  mediaData.renderableUrl = mediaData.mediaBlob.url();
  mediaObject.consolidate(mediaData.toJSON());
  mediaData.mediaBlob.autorelease();
  const upload = mod('MediaUpload');
  const uploaded = newsletter
    ? await upload.uploadUnencryptedMedia({ mimetype: mediaData.mimetype, mediaObject, mediaType,
      calculateToken: mod('CalculateFilehash').getRandomFilehash })
    : await upload.uploadMedia({ mimetype: mediaData.mimetype, mediaObject, mediaType });
  const e = uploaded && uploaded.mediaEntry;
  if (!e) throw new BridgeFail('media_failed', 'upload failed: media entry was not created');
  mediaData.set({ clientUrl: e.mmsUrl, deprecatedMms3Url: e.deprecatedMms3Url, directPath: e.directPath,
    mediaKey: e.mediaKey, mediaKeyTimestamp: e.mediaKeyTimestamp, filehash: mediaObject.filehash,
    encFilehash: e.encFilehash, uploadhash: e.uploadHash, size: mediaObject.size,
    streamingSidecar: e.sidecar, firstFrameSidecar: e.firstFrameSidecar });
  if (newsletter) mediaData.set({ mediaHandle: e.handle });
  return mediaData;
}

op('messages.sendMedia', async ({ chatId, handle, mimetype, filename, kind, caption, viewOnce,
  quotedId, mentions, groupMentions, waitSent, stickerMeta, msgId }) => {
  const chat = await findChat(chatId);
  let file = takeUpload(handle, mimetype, filename);
  if (kind === 'sticker' && mimetype !== 'image/webp') {
    file = new File([await toWebpSticker(file)], 'sticker.webp', { type: 'image/webp' });
  }
  if (kind === 'sticker' && stickerMeta) {
    file = new File([await withStickerMeta(file, stickerMeta)], 'sticker.webp', { type: 'image/webp' });
  }
  const mediaData = await prepareMedia(file, kind);
  const json = mediaData.toJSON();
  const fields = { ...json, type: mediaData.type, mimetype: mediaData.mimetype,
    body: kind === 'sticker' ? undefined : mediaData.preview };
  if (kind === 'document' || filename) fields.filename = filename || undefined;
  if (caption && kind !== 'sticker' && kind !== 'voice' && kind !== 'audio') fields.caption = caption;
  if (viewOnce) fields.isViewOnce = true;
  if (kind === 'gif') fields.isGif = true;
  return sendMessage(chat, fields, { quotedId, mentions, groupMentions, waitSent, msgId });
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
