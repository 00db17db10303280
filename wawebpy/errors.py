"""Every exception wawebpy raises, in one tree.

```
WawebpyError
├── InvalidInputError (also ValueError)      bad argument, raised before any browser call
│   ├── InvalidChatIdError                   .value
│   ├── InvalidMessageIdError                .value
│   └── InvalidContentError                  content WhatsApp would refuse
├── ClientStateError                         the call does not fit the client's state
│   ├── NotReadyError                        called before Ready
│   ├── ClientClosedError                    called after close()
│   ├── ReadOnlyError                        state-changing call on a read_only client
│   └── RateLimitedError                     pacing refused a send; .retry_after, .chat_id
├── BrowserError                             Chrome / chromedriver
│   ├── BrowserNotFoundError                 no Chrome binary; .tried
│   ├── DriverNotFoundError                  no chromedriver; .tried
│   ├── BrowserStartError                    Chrome or the driver refused to start
│   └── BrowserCrashedError                  the browser went away mid-call
├── BridgeError                              the injected script and the page disagree
│   ├── ModuleMissingError                   .modules: WhatsApp Web modules that did not resolve
│   ├── PageLoadError                        the page never became WhatsApp Web
│   └── BridgeCallError                      a page-side operation failed; .operation, .code
│       └── WhatsAppError                    WhatsApp refused it; .code, .reason
│           ├── ChatNotFoundError            .chat_id
│           │   └── NoLidError               the number has no LID ("No LID for user"); .number
│           ├── NotAdminError                only group admins may do it; .chat_id
│           └── MessageNotFoundError         .message_id
├── AuthError
│   ├── AuthFailureError                     login could not complete
│   └── LoggedOutError                       the device was unlinked
├── OutboxError                              the durable outbox file failed
├── SessionError                             the sealed session store
│   ├── SessionNotFoundError                 .session_id
│   ├── SessionFormatError                   not a session file / truncated / unknown version
│   ├── SessionDecryptError                  wrong key/passphrase, tampering, other session id
│   └── SessionStoreError                    the store backend failed
└── WaitTimeoutError (also TimeoutError)     a wait ran out; .what
```

Messages say what to do next. None of them ever contains a key, a passphrase, session bytes or
a message body.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AuthError",
    "AuthFailureError",
    "BridgeCallError",
    "BridgeError",
    "BrowserCrashedError",
    "BrowserError",
    "BrowserNotFoundError",
    "BrowserStartError",
    "ChatNotFoundError",
    "ClientClosedError",
    "ClientStateError",
    "DriverNotFoundError",
    "InvalidChatIdError",
    "InvalidContentError",
    "InvalidInputError",
    "InvalidMessageIdError",
    "LoggedOutError",
    "MessageNotFoundError",
    "ModuleMissingError",
    "NoLidError",
    "NotAdminError",
    "NotReadyError",
    "OutboxError",
    "PageLoadError",
    "RateLimitedError",
    "ReadOnlyError",
    "SessionDecryptError",
    "SessionError",
    "SessionFormatError",
    "SessionNotFoundError",
    "SessionStoreError",
    "WaitTimeoutError",
    "WawebpyError",
    "WhatsAppError",
]


class WawebpyError(Exception):
    """Base of every exception raised by wawebpy."""


# -- input -------------------------------------------------------------------------------------


class InvalidInputError(WawebpyError, ValueError):
    """An argument is malformed; raised before anything reaches the browser."""


class InvalidChatIdError(InvalidInputError):
    """A chat id does not parse. ``.value`` is a short, safe rendering of what was given."""

    def __init__(self, message: str, *, value: str = "") -> None:
        super().__init__(message)
        self.value = value


class InvalidMessageIdError(InvalidInputError):
    """A message id does not parse as ``<fromMe>_<remote>_<id>[_<participant>]``."""

    def __init__(self, message: str, *, value: str = "") -> None:
        super().__init__(message)
        self.value = value


class InvalidContentError(InvalidInputError):
    """Text, media, poll, location or contact content that WhatsApp would refuse."""


# -- client state ------------------------------------------------------------------------------


class ClientStateError(WawebpyError, RuntimeError):
    """The call does not fit what the client is doing now."""


class NotReadyError(ClientStateError):
    """Raised by API calls made before the Ready event; call ``wait_until_ready()`` first."""


class ClientClosedError(ClientStateError):
    """Raised by any call made after ``close()``; create a new Client."""


class ReadOnlyError(ClientStateError):
    """Raised by state-changing calls on a ``Client(read_only=True)``."""

    def __init__(self, operation: str) -> None:
        super().__init__(
            f"{operation}() changes state and this client is read_only=True; "
            "create the Client without read_only to send or modify."
        )
        self.operation = operation


class RateLimitedError(ClientStateError):
    """A send would break the client's pacing limits (``Pacing(policy="raise")``, or a wait
    longer than ``max_wait``). ``.retry_after`` is in seconds."""

    def __init__(self, message: str, *, retry_after: float, chat_id: str = "") -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.chat_id = chat_id


class OutboxError(WawebpyError):
    """The durable outbox file (``Client(outbox=...)``) could not be opened, read or written.
    Nothing queued before the failure is lost: rows already written stay in the file."""


# -- browser -----------------------------------------------------------------------------------


class BrowserError(WawebpyError):
    """Chrome or chromedriver failed."""


class BrowserNotFoundError(BrowserError):
    """No Chrome/Chromium binary could be found. ``.tried`` lists the places looked at."""

    def __init__(self, message: str, *, tried: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.tried = tuple(tried)


class DriverNotFoundError(BrowserError):
    """No chromedriver could be resolved. ``.tried`` lists each provider and why it failed."""

    def __init__(self, message: str, *, tried: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.tried = tuple(tried)


class BrowserStartError(BrowserError):
    """Chrome or chromedriver was found but refused to start."""


class BrowserCrashedError(BrowserError):
    """The browser or its driver went away while a call was in flight."""


# -- bridge ------------------------------------------------------------------------------------


class BridgeError(WawebpyError):
    """The injected bridge and the loaded page disagree."""


class ModuleMissingError(BridgeError):
    """WhatsApp Web modules needed for an operation did not resolve on this build."""

    def __init__(self, message: str, *, modules: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.modules = tuple(modules)


class PageLoadError(BridgeError):
    """The page at ``web_url`` never exposed WhatsApp Web (``window.Debug.VERSION``)."""


class BridgeCallError(BridgeError):
    """A page-side operation failed. ``.operation`` names it; ``.code`` is a stable short code."""

    def __init__(self, message: str, *, operation: str = "", code: str = "") -> None:
        super().__init__(message)
        self.operation = operation
        self.code = code


class WhatsAppError(BridgeCallError):
    """WhatsApp refused the operation; ``.reason`` carries WhatsApp's own reason if any."""

    def __init__(
        self, message: str, *, operation: str = "", code: str = "", reason: str = ""
    ) -> None:
        super().__init__(message, operation=operation, code=code)
        self.reason = reason


class ChatNotFoundError(WhatsAppError):
    """The chat does not exist (or is not known to this account)."""

    def __init__(self, chat_id: str, *, operation: str = "") -> None:
        super().__init__(
            f"chat {chat_id} is not known to this account; check the id or use "
            "resolve_number() for phone numbers",
            operation=operation,
            code="chat_not_found",
        )
        self.chat_id = chat_id


class NoLidError(ChatNotFoundError):
    """WhatsApp Web knows no LID (privacy id) for the phone number ``.number``, so it cannot open
    a chat with it (the page's own "No LID for user", thrown since early 2026 when a number was
    never seen and the server lookup gives no LID: the number is not on WhatsApp, or hides it)."""

    def __init__(self, number: str, *, operation: str = "") -> None:
        super().__init__(number, operation=operation)
        self.args = (
            f"{operation}: WhatsApp Web has no LID for {number} (\"No LID for user\"); check that "
            "the number is on WhatsApp (resolve_number()) or use the chat's @lid id",
        )
        self.code = "no_lid"
        self.number = number


class NotAdminError(WhatsAppError):
    """WhatsApp refused a group change because this account is not an admin of the group."""

    def __init__(self, chat_id: str, *, operation: str = "", reason: str = "") -> None:
        super().__init__(
            f"{operation}: only admins of {chat_id} may do this ({reason or 'not-authorized'})",
            operation=operation,
            code="not_admin",
            reason=reason,
        )
        self.chat_id = chat_id


class MessageNotFoundError(WhatsAppError):
    """The message id is not loaded in WhatsApp Web."""

    def __init__(self, message_id: str, *, operation: str = "") -> None:
        super().__init__(
            f"message {message_id} is not loaded in WhatsApp Web",
            operation=operation,
            code="message_not_found",
        )
        self.message_id = message_id


# -- auth and sessions -------------------------------------------------------------------------


class AuthError(WawebpyError):
    """Logging in failed or the login was lost."""


class AuthFailureError(AuthError):
    """Login could not complete (e.g. the restored session was rejected)."""


class LoggedOutError(AuthError):
    """The device was unlinked (from the phone or by ``logout()``); a new QR scan is needed."""


class SessionError(WawebpyError):
    """The sealed session store could not be used."""


class SessionNotFoundError(SessionError):
    """No stored session exists under ``.session_id``."""

    def __init__(self, message: str, *, session_id: str = "") -> None:
        super().__init__(message)
        self.session_id = session_id


class SessionFormatError(SessionError):
    """The stored bytes are not a session this version can read (truncated, unknown version)."""


class SessionDecryptError(SessionError):
    """Authentication failed: wrong key or passphrase, tampered bytes, or another session id."""


class SessionStoreError(SessionError):
    """The store backend (file system, database, …) failed."""


# -- waiting -----------------------------------------------------------------------------------


class WaitTimeoutError(WawebpyError, TimeoutError):
    """A wait ran out before its condition held. ``.what`` says what was awaited."""

    def __init__(self, message: str, *, what: str = "") -> None:
        super().__init__(message)
        self.what = what
