"""The one place where Selenium, socket and bridge failures become wawebpy errors."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from selenium.common.exceptions import (
    InvalidSessionIdException,
    JavascriptException,
    NoSuchWindowException,
    TimeoutException,
    WebDriverException,
)
from urllib3.exceptions import HTTPError as Urllib3HTTPError

from ..errors import (
    BridgeCallError,
    BridgeError,
    BrowserCrashedError,
    ChatNotFoundError,
    InvalidContentError,
    MessageNotFoundError,
    ModuleMissingError,
    NoLidError,
    NotAdminError,
    WaitTimeoutError,
    WawebpyError,
    WhatsAppError,
)

__all__ = ["bridge_error", "map_driver_errors"]


@contextmanager
def map_driver_errors(operation: str) -> Iterator[None]:
    """Translate what a WebDriver command can raise, most specific first."""
    try:
        yield
    except WawebpyError:
        raise
    except TimeoutException as exc:
        raise WaitTimeoutError(
            f"{operation}: the page did not answer in time", what=operation
        ) from exc
    except (InvalidSessionIdException, NoSuchWindowException) as exc:
        raise BrowserCrashedError(
            f"{operation}: the browser session is gone (Chrome crashed or was closed)"
        ) from exc
    except JavascriptException as exc:
        raise BridgeError(f"{operation}: page script failed: {exc.msg}") from exc
    except WebDriverException as exc:
        msg = exc.msg or ""
        if "disconnected" in msg or "not reachable" in msg or "no such session" in msg:
            raise BrowserCrashedError(f"{operation}: lost the browser: {msg}") from exc
        raise BrowserCrashedError(f"{operation}: WebDriver failed: {msg}") from exc
    except (ConnectionError, Urllib3HTTPError) as exc:
        raise BrowserCrashedError(f"{operation}: chromedriver is not reachable: {exc}") from exc


def bridge_error(operation: str, error: Mapping[str, Any]) -> WawebpyError:
    """The exception for a bridge ``{error: {code, message, ...}}`` answer."""
    code = str(error.get("code") or "page_error")
    message = str(error.get("message") or code)
    if code == "module_missing":
        return ModuleMissingError(
            f"{operation}: {message}; this WhatsApp Web build lacks it (run client.self_check())",
            modules=tuple(error.get("modules") or ()),
        )
    if code == "no_lid":
        return NoLidError(str(error.get("chatId") or "?"), operation=operation)
    if code == "chat_not_found":
        return ChatNotFoundError(str(error.get("chatId") or "?"), operation=operation)
    if code == "not_admin":
        reason = str(error.get("reason") or "")
        return NotAdminError(str(error.get("chatId") or "?"), operation=operation, reason=reason)
    if code == "message_not_found":
        return MessageNotFoundError(str(error.get("messageId") or "?"), operation=operation)
    if code == "invalid_content":
        return InvalidContentError(f"{operation}: {message}")
    if code in ("page_error", "unknown_op", "bridge_missing"):
        return BridgeCallError(f"{operation}: {message}", operation=operation, code=code)
    return WhatsAppError(
        f"{operation}: {message}",
        operation=operation,
        code=code,
        reason=str(error.get("reason") or ""),
    )
