"""Loading media for sending: from a path, bytes or a URL, with MIME sniffed from content.

Everything here runs in Python before the browser is involved, so bad input (a missing or empty
file, an unknown format, a file over WhatsApp's limit) fails early with a typed error.

Size limits (bytes): photos, videos, audio and voice notes 16 MB, WhatsApp's consumer-app limit
for all media; documents 100 MB; stickers 100 KB static / 500 KB animated WebP. Source: the
WhatsApp Business Platform "Supported media types" table, as republished by AWS End User
Messaging Social ("Supported media file types and sizes in WhatsApp",
https://docs.aws.amazon.com/social-messaging/latest/userguide/supported-media-types.html):
audio 16 MB, video 16 MB, documents 100 MB, stickers 100/500 KB (it lists 5 MB for images,
a Cloud API limit; the apps and WhatsApp Web accept 16 MB photos, which is what we enforce).
A sticker made from a PNG/JPEG is re-encoded to 512x512 WebP in the page, so the source may
be any size up to the photo limit; a ready WebP sticker is refused above 500 KB.
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from pathlib import Path

from .errors import InvalidContentError
from .types import Media

__all__ = ["MEDIA_LIMITS", "load_media", "sniff_mimetype"]

MB = 1024 * 1024

MEDIA_LIMITS: dict[str, int] = {
    "image": 16 * MB,
    "video": 16 * MB,
    "gif": 16 * MB,
    "audio": 16 * MB,
    "voice": 16 * MB,
    "document": 100 * MB,
    "sticker": 16 * MB,
}
"""Upper size per kind of media message (see the module docstring for the sources)."""

URL_TIMEOUT = 30.0

_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"OggS", "audio/ogg"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"\xff\xfb", "audio/mpeg"),
    (0, b"\xff\xf3", "audio/mpeg"),
    (0, b"\xff\xf2", "audio/mpeg"),
    (0, b"fLaC", "audio/flac"),
    (0, b"#!AMR", "audio/amr"),
    (0, b"\x1a\x45\xdf\xa3", "video/webm"),
    (0, b"BM", "image/bmp"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),
    (0, b"{\\rtf", "application/rtf"),
)

_ZIP_OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".apk": "application/vnd.android.package-archive",
}

_TEXT_EXT = {".txt": "text/plain", ".csv": "text/csv", ".json": "application/json"}


def sniff_mimetype(data: bytes, filename: str | None = None) -> str | None:
    """The MIME type of ``data`` from its magic bytes (the extension only refines containers)."""
    head = data[:64]
    ext = Path(filename).suffix.lower() if filename else ""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return "audio/mp4"
        if brand == b"qt  ":
            return "video/quicktime"
        if brand[:3] == b"3gp":
            return "video/3gpp"
        return "video/mp4"
    for offset, magic, mime in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            if mime == "application/zip":
                return _ZIP_OFFICE.get(ext, mime)
            if mime == "audio/ogg" and b"OpusHead" in data[:128]:
                return "audio/ogg; codecs=opus"
            return mime
    if ext in _TEXT_EXT:
        try:
            data[:4096].decode("utf-8")
        except UnicodeDecodeError:
            return None
        return _TEXT_EXT[ext]
    return None


def _fetch(url: str, limit: int) -> tuple[bytes, str | None, str | None]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InvalidContentError(f"only http and https URLs are fetched, not {parts.scheme!r}")
    # S310: the scheme is checked above (http/https only)
    request = urllib.request.Request(url, headers={"User-Agent": "wawebpy"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=URL_TIMEOUT) as resp:  # noqa: S310
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise InvalidContentError(f"{url} is {int(length)} bytes; the limit is {limit}")
            data = resp.read(limit + 1)
            header_type = resp.headers.get_content_type() if resp.headers else None
            name = resp.headers.get_filename() if resp.headers else None
    except InvalidContentError:
        raise
    except OSError as exc:
        raise InvalidContentError(f"could not download {parts.netloc}{parts.path}: {exc}") from exc
    if len(data) > limit:
        raise InvalidContentError(f"{url} is more than {limit} bytes, WhatsApp's limit")
    filename = name or (Path(urllib.parse.unquote(parts.path)).name or None)
    return data, header_type, filename


def load_media(
    source: Media | str | os.PathLike[str] | bytes,
    *,
    kind: str,
    filename: str | None = None,
    mimetype: str | None = None,
) -> Media:
    """Read and check media for a message of ``kind`` (a key of :data:`MEDIA_LIMITS`).

    A ``str`` with a URL scheme is downloaded (``http``/``https`` only; others are refused); any
    other ``str`` or path-like is a file. Raises :class:`InvalidContentError` for a missing,
    empty, oversized or unrecognized file.
    """
    limit = MEDIA_LIMITS[kind]
    header_type: str | None = None
    if isinstance(source, Media):
        data, filename = source.data, filename or source.filename
        mimetype = mimetype or source.mimetype
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, str) and "://" in source[:16]:
        data, header_type, url_name = _fetch(source, limit)
        filename = filename or url_name
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise InvalidContentError(f"no such file: {path}")
        size = path.stat().st_size
        if size > limit:
            raise InvalidContentError(
                f"{path.name} is {size} bytes; WhatsApp's limit for {kind} is {limit}"
            )
        data = path.read_bytes()
        filename = filename or path.name
    else:
        raise InvalidContentError(
            f"media must be a path, bytes, a URL or Media, not {type(source).__name__}"
        )
    if not data:
        raise InvalidContentError("the media is empty (0 bytes); WhatsApp refuses empty files")
    if len(data) > limit:
        raise InvalidContentError(
            f"the media is {len(data)} bytes; WhatsApp's limit for {kind} is {limit}"
        )
    sniffed = sniff_mimetype(data, filename)
    mime = mimetype or sniffed
    if mime is None and kind == "document" and header_type and header_type != "text/plain":
        mime = header_type
    if mime is None:
        if kind != "document":
            raise InvalidContentError(
                "unknown media format: the content matches no known image, video or audio "
                "type; send it as a document or pass mimetype="
            )
        mime = "application/octet-stream"
    return Media(data=data, mimetype=mime, filename=filename)
