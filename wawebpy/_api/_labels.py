"""Labels (WhatsApp Business) and status/stories (bridge: ``_bridge/labels.js``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .._models import build_chat, build_message
from .._models._chats import build_broadcast, build_label
from ..errors import InvalidContentError, InvalidInputError
from ..types import Broadcast, Chat, ChatId, ChatLike, Label, Message, MessageId
from ._base import mutating
from ._messages import MediaKind, MediaSource
from ._outgoing_media import StagesMedia

__all__ = ["LabelsApi"]

_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_STATUS_MAX = 700
_STATUS_KINDS = ("image", "video", "gif", "audio", "voice")
"""What a status takes: whatsapp-web.js refuses documents and stickers there (and polls,
locations, contacts), wa-web-modules.md 5.2."""


def _label_ids(labels: Iterable[Label | str | int]) -> list[str]:
    if isinstance(labels, (str, int, Label)):
        labels = [labels]
    return [str(x.id if isinstance(x, Label) else x) for x in labels]


def _color(value: str | int) -> int:
    """WhatsApp's 0xAARRGGBB from "#RRGGBB", "#AARRGGBB" or an int."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value <= 0xFFFFFFFF:
            raise InvalidInputError("color must fit 0xAARRGGBB")
        return value if value > 0xFFFFFF else 0xFF000000 | value
    if isinstance(value, str) and (m := _HEX.match(value.strip())):
        digits = m.group(1)
        return int(digits, 16) | (0xFF000000 if len(digits) == 6 else 0)
    raise InvalidInputError(f"color must be '#RRGGBB' or an int, not {value!r}")


class LabelsApi(StagesMedia):
    # -- labels --------------------------------------------------------------------------------
    def get_labels(self) -> list[Label]:
        """The account's labels; WhatsApp Business only (``WhatsAppError`` code
        ``not_business`` otherwise)."""
        return [build_label(p) for p in self._call("labels.list")]

    def get_chat_labels(self, chat: ChatLike) -> list[Label]:
        """The labels on one chat."""
        ids = set(self.get_chat(chat).raw.get("labels") or ())  # type: ignore[attr-defined]
        return [lb for lb in self.get_labels() if lb.id in ids]

    def get_chats_by_label(self, label: Label | str) -> list[Chat]:
        """Chats carrying a label."""
        (label_id,) = _label_ids([label])
        return self.get_chats(label=label_id)  # type: ignore[attr-defined, no-any-return]

    @mutating
    def change_labels(
        self,
        chats: ChatLike | Iterable[ChatLike],
        *,
        add: Iterable[Label | str] = (),
        remove: Iterable[Label | str] = (),
    ) -> list[Chat]:
        """Add and/or remove labels on one or more chats; returns the chats as they are now."""
        targets = [chats] if isinstance(chats, (str, ChatId)) else list(chats)
        args = {
            "chatIds": [str(ChatId.parse(c)) for c in targets],
            "add": _label_ids(add),
            "remove": _label_ids(remove),
        }
        if not args["add"] and not args["remove"]:
            raise InvalidInputError("no label to add or remove")
        return [build_chat(p) for p in self._call("labels.change", args)]

    # -- status / stories ----------------------------------------------------------------------
    def get_broadcasts(self) -> list[Broadcast]:
        """Status (story) lists of the account and its contacts, as WhatsApp Web has loaded."""
        return [build_broadcast(p, self._me) for p in self._call("status.broadcasts")]

    @mutating
    def post_status(
        self, text: str, *, background: str | int = "#7acca5", font: int = 0
    ) -> Message:
        """Post a text status (story) seen by contacts; ``font`` is WhatsApp's style 0-7."""
        if not isinstance(text, str) or not text.strip():
            raise InvalidContentError("status text is empty")
        if len(text) > _STATUS_MAX:
            raise InvalidContentError(f"status text is longer than {_STATUS_MAX} characters")
        if not isinstance(font, int) or not 0 <= font <= 7:
            raise InvalidInputError("font must be an int from 0 to 7")
        args = {"text": text, "color": _color(background), "font": font}
        return build_message(self._call("status.sendText", args), self._me)

    @mutating
    def post_status_media(
        self,
        media: MediaSource,
        *,
        caption: str | None = None,
        kind: MediaKind | None = None,
        filename: str | None = None,
        mimetype: str | None = None,
    ) -> Message:
        """Post a photo, video, GIF or audio status (story), with an optional caption.

        ``media`` is what :meth:`send_media` takes (path, bytes, http(s) URL, :class:`Media`);
        documents and stickers raise :class:`InvalidContentError`, as WhatsApp refuses them.
        """
        args = self._stage_media(
            media,
            kind=kind,
            kinds=_STATUS_KINDS,
            where="a status",
            caption=caption,
            filename=filename,
            mimetype=mimetype,
        )
        return build_message(self._call("status.sendMedia", args), self._me)

    @mutating
    def revoke_status(self, message: Message | MessageId | str) -> None:
        """Delete one of the account's own status posts for everyone."""
        mid = message.id if isinstance(message, Message) else MessageId.parse(message)
        self._call("status.revoke", {"id": str(mid)})
