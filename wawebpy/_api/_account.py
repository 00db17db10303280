"""The own account: info, display name, about, picture, presence, device preferences
(``_bridge/account.js``)."""

from __future__ import annotations

import base64
from typing import Any

from .._models._chats import build_account
from ..errors import InvalidContentError, InvalidInputError
from ..types import AccountInfo, ChatId, ChatLike, DeviceSettings
from ._base import ApiBase, mutating

__all__ = ["AccountApi"]

_NAME_MAX = 25
_ABOUT_MAX = 139
_IMAGE_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png", b"RIFF": "image/webp"}
_SETTINGS = {
    "auto_download_photos": "autoDownloadPhotos",
    "auto_download_audio": "autoDownloadAudio",
    "auto_download_videos": "autoDownloadVideos",
    "auto_download_documents": "autoDownloadDocuments",
    "background_sync": "backgroundSync",
}


def _settings(p: dict[str, Any]) -> DeviceSettings:
    return DeviceSettings(**{name: bool(p.get(key)) for name, key in _SETTINGS.items()})


def _image_data_url(image: bytes) -> str:
    if not isinstance(image, (bytes, bytearray)) or not image:
        raise InvalidContentError("the picture must be non-empty bytes (JPEG, PNG or WebP)")
    mime = next((m for magic, m in _IMAGE_TYPES.items() if bytes(image).startswith(magic)), None)
    if mime is None:
        raise InvalidContentError("the picture is not a JPEG, PNG or WebP image")
    return f"data:{mime};base64," + base64.b64encode(bytes(image)).decode("ascii")


class AccountApi(ApiBase):
    def get_account_info(self) -> AccountInfo:
        """Who is logged in: phone-number id, privacy id, display name, platform."""
        return build_account(self._call("account.info"))

    @mutating
    def set_display_name(self, name: str) -> None:
        """Change the display (push) name others see, 1 to 25 characters."""
        if not isinstance(name, str) or not name.strip():
            raise InvalidContentError("display name is empty")
        if len(name) > _NAME_MAX:
            raise InvalidContentError(f"display name is longer than {_NAME_MAX} characters")
        self._call("account.setName", {"name": name})

    @mutating
    def set_about(self, text: str) -> None:
        """Change the account's "about" text (at most 139 characters)."""
        if not isinstance(text, str):
            raise InvalidContentError("about must be a str")
        if len(text) > _ABOUT_MAX:
            raise InvalidContentError(f"about is longer than {_ABOUT_MAX} characters")
        self._call("account.setAbout", {"text": text})

    @mutating
    def set_profile_picture(self, image: bytes, *, chat: ChatLike | None = None) -> bool:
        """Set the account's (or, as its admin, a group's) picture from JPEG/PNG/WebP bytes;
        the browser crops it square and scales it as WhatsApp wants."""
        args = {"dataUrl": _image_data_url(image)}
        if chat is not None:
            args["chatId"] = str(ChatId.parse(chat))
        return bool(self._call("account.setPicture", args))

    @mutating
    def delete_profile_picture(self, *, chat: ChatLike | None = None) -> bool:
        """Remove the account's (or, as its admin, a group's) profile picture."""
        args = {"chatId": str(ChatId.parse(chat))} if chat is not None else {}
        return bool(self._call("account.setPicture", args))

    @mutating
    def set_presence(self, *, available: bool) -> None:
        """Appear online (``available=True``) or offline to contacts."""
        self._call("account.presence", {"available": bool(available)})

    def get_device_settings(self) -> DeviceSettings:
        """This linked device's media auto-download and background-sync preferences."""
        return _settings(self._call("account.settings"))

    @mutating
    def set_device_settings(
        self,
        *,
        auto_download_photos: bool | None = None,
        auto_download_audio: bool | None = None,
        auto_download_videos: bool | None = None,
        auto_download_documents: bool | None = None,
        background_sync: bool | None = None,
    ) -> DeviceSettings:
        """Change the preferences given (``None`` leaves one as it is); returns them all
        (whatsapp-web.js ``setAutoDownload*``, ``setBackgroundSync``)."""
        given = {
            "auto_download_photos": auto_download_photos,
            "auto_download_audio": auto_download_audio,
            "auto_download_videos": auto_download_videos,
            "auto_download_documents": auto_download_documents,
            "background_sync": background_sync,
        }
        values: dict[str, bool] = {}
        for name, value in given.items():
            if value is None:
                continue
            if not isinstance(value, bool):
                raise InvalidInputError(f"{name} must be a bool, not {type(value).__name__}")
            values[_SETTINGS[name]] = value
        if not values:
            raise InvalidInputError("no setting given")
        return _settings(self._call("account.setSettings", {"values": values}))
