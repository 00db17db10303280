"""Media for places other than chats (status, channels), through the messaging pipeline.

Loading, kind resolution, the content check and the chunked upload are the ones
``send_media`` uses (``_messages.py``); only the set of kinds each place accepts differs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._media import load_media
from ..errors import InvalidContentError
from ._base import ApiBase
from ._messages import MediaKind, MediaSource, _check_kind, _kind_for, check_text

__all__ = ["StagesMedia"]


class StagesMedia(ApiBase):
    _upload: Callable[[bytes], str]  # MessagesApi's chunked upload, reached through the Client

    def _stage_media(
        self,
        media: MediaSource,
        *,
        kind: MediaKind | None,
        kinds: tuple[str, ...],
        where: str,
        caption: str | None,
        filename: str | None = None,
        mimetype: str | None = None,
    ) -> dict[str, Any]:
        """Check ``media`` for a place that takes ``kinds`` and upload it to the page; the
        bridge arguments (``handle``, ``mimetype``, ``filename``, ``kind``, ``caption``)."""
        if kind is not None and kind not in kinds:
            raise InvalidContentError(f"{where} takes {', '.join(kinds)}, not {kind!r}")
        loaded = load_media(media, kind=kind or "document", filename=filename, mimetype=mimetype)
        resolved = kind or _kind_for(loaded.mimetype)
        if resolved not in kinds:
            raise InvalidContentError(f"{where} takes {', '.join(kinds)}, not {loaded.mimetype}")
        loaded = load_media(loaded, kind=resolved)
        _check_kind(resolved, loaded)
        args: dict[str, Any] = {
            "mimetype": loaded.mimetype,
            "filename": loaded.filename,
            "kind": resolved,
        }
        if caption:
            args["caption"] = check_text(caption)
        args["handle"] = self._upload(loaded.data)
        return args
