"""The one implementation of the client: lifecycle, event translation and API methods."""

from __future__ import annotations

import atexit
import concurrent.futures
import enum
import functools
import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar

from . import events as ev
from ._api import (
    AccountApi,
    CallsApi,
    ChannelsApi,
    ChatsApi,
    ContactsApi,
    GroupsApi,
    LabelsApi,
    MessagesApi,
    mutating,
)
from ._bridge import CALL_SCRIPT, PUSH_BINDING, STATUS_SCRIPT, bridge_source
from ._dispatch import Dispatcher, Expectation, Handler
from ._models import (
    maybe_chat_id,
)
from ._outbox import OutboxEntry, SQLiteOutbox
from ._pacing import Pacer, Pacing
from ._selfcheck import SelfCheckReport
from ._sender import Sender, SendJob
from ._transport._bidi import open_bidi_channel
from ._transport._cdp import open_cdp_channel
from ._transport._driver import BrowserOptions, LaunchedBrowser, attach, kill_stale, launch
from ._transport._errors import bridge_error, map_driver_errors
from ._transport._stream import Sequencer
from ._transport._worker import DriverWorker
from ._transport._wsrpc import WsRpc
from .auth import AuthStrategy, NoAuth
from .errors import (
    BridgeError,
    BrowserCrashedError,
    ClientClosedError,
    ClientStateError,
    InvalidContentError,
    LoggedOutError,
    ModuleMissingError,
    NotReadyError,
    PageLoadError,
    WaitTimeoutError,
    WawebpyError,
)
from .types import Ack, ChatId, ChatState, Message, MessageId, State

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

__all__ = ["DEFAULT_WEB_URL", "Client", "ClientStatus"]

_log = logging.getLogger("wawebpy")

DEFAULT_WEB_URL = "https://web.whatsapp.com/"
MAX_TEXT_LENGTH = 65536
"""WhatsApp's limit on a text message, in characters."""

E = TypeVar("E", bound=ev.Event)
P = ParamSpec("P")
R = TypeVar("R")

# States in which WhatsApp Web is still (or again) usable; any other after Ready is a disconnect.
_LIVE_STATES = frozenset({State.CONNECTED, State.OPENING, State.PAIRING, State.TIMEOUT})

_live_clients: weakref.WeakSet[Client] = weakref.WeakSet()

# Bridge operations that put a new message on the wire: these go through the send queue
# (order, pacing); ``send_*`` to chats also choose their message id there (_api/_messages.py).
_PACED_OPS = frozenset(
    {
        "messages.sendText",
        "messages.sendMedia",
        "messages.sendLocation",
        "messages.sendContacts",
        "messages.sendPoll",
        "messages.forward",
        "channels.sendText",
        "channels.sendMedia",
        "channels.sendPoll",
        "status.sendText",
        "status.sendMedia",
    }
)


@atexit.register
def _close_all() -> None:
    for client in list(_live_clients):
        try:
            client.close()
        except Exception:
            _log.debug("closing a client at exit failed", exc_info=True)


class ClientStatus(enum.Enum):
    """Where the client is in its life; methods say which they need."""

    CREATED = "created"
    STARTING = "starting"
    STARTED = "started"
    """The page is loaded and the bridge is in; waiting for login/sync."""
    READY = "ready"
    CLOSING = "closing"
    CLOSED = "closed"


class Client(
    MessagesApi, ChatsApi, ContactsApi, GroupsApi, AccountApi, LabelsApi, CallsApi, ChannelsApi
):
    """A WhatsApp Web session in a Chrome driven by Selenium.

    Typical use::

        client = Client()
        @client.on(events.NewMessage)
        def echo(client, event): ...
        client.start()
        client.wait_until_ready(timeout=120)
        client.send_text("15551234567@c.us", "hello")
        client.run_forever()

    Handlers run on the client's dispatch thread; every WebDriver command runs on its driver
    thread. All methods are thread-safe.
    """

    def __init__(
        self,
        *,
        web_url: str = DEFAULT_WEB_URL,
        auth: AuthStrategy | None = None,
        browser: BrowserOptions | None = None,
        driver: WebDriver | None = None,
        transport: Literal["auto", "cdp", "bidi", "poll"] = "auto",
        poll_interval: float = 0.05,
        resync_interval: float = 0.5,
        load_timeout: float = 60.0,
        call_timeout: float = 60.0,
        read_only: bool = False,
        supervise: bool = True,
        heartbeat_timeout: float = 15.0,
        restart_delay: float = 1.0,
        restart_max_delay: float = 60.0,
        max_restarts: int | None = None,
        max_browser_rss_mb: float | None = None,
        on_unsupported: Literal["raise", "warn"] = "raise",
        pacing: Pacing | None = None,
        outbox: str | os.PathLike[str] | None = None,
        close_flush_timeout: float = 5.0,
    ) -> None:
        if not isinstance(web_url, str) or not web_url.startswith(("http://", "https://")):
            raise InvalidContentError("web_url must be an http(s) URL")
        if transport not in ("auto", "cdp", "bidi", "poll"):
            raise InvalidContentError("transport must be 'auto', 'cdp', 'bidi' or 'poll'")
        self._web_url = web_url
        self._auth: AuthStrategy = auth if auth is not None else NoAuth()
        self._browser_options = browser or BrowserOptions()
        self._user_driver = driver
        self._transport_choice = transport
        self._poll_interval = poll_interval
        self._resync_interval = resync_interval
        self._load_timeout = load_timeout
        self._call_timeout = call_timeout
        self._read_only = read_only
        self._supervise = supervise
        self._heartbeat_timeout = heartbeat_timeout
        self._restart_delay = restart_delay
        self._restart_max_delay = restart_max_delay
        self._max_restarts = max_restarts
        self._max_rss_mb = max_browser_rss_mb
        if on_unsupported not in ("raise", "warn"):
            raise InvalidContentError("on_unsupported must be 'raise' or 'warn'")
        self._on_unsupported = on_unsupported
        # Pacing guards a real number against bans; a local fake has none to lose, so against
        # anything but WhatsApp's own site it is off unless asked for.
        if pacing is None:
            pacing = Pacing() if web_url.startswith(DEFAULT_WEB_URL) else Pacing.off()
        self._pacer = Pacer(pacing)
        self._ready_flag = threading.Event()
        self._close_flush_timeout = close_flush_timeout
        self._sender = Sender(
            perform=self._perform_send,
            wait_ready=self._ready_flag.wait,
            pacer=self._pacer,
            store=SQLiteOutbox(outbox) if outbox is not None else None,
            on_failed=self._send_failed,
        )
        self._restarting = False
        self._lost_again = False
        self._restarts = 0
        self._generation = 0
        self._capabilities: SelfCheckReport | None = None

        self._status = ClientStatus.CREATED
        self._status_lock = threading.RLock()
        self._dispatcher = Dispatcher(self)
        self._worker: DriverWorker | None = None
        self._browser: LaunchedBrowser | None = None
        #: The push channel (CDP or BiDi); None when polling.
        self._channel: WsRpc | None = None
        self._profile: Path | None = None
        self._transport: str | None = None
        self._sequencer = Sequencer(self._on_page_event, self._request_resync)
        self._resync_wake = threading.Event()
        self._stop_background = threading.Event()
        self._background: threading.Thread | None = None
        self._bridge_ready = threading.Event()
        self._closed_event = threading.Event()
        self._ready_event: ev.Ready | None = None
        self._state: State | None = None
        self._version: str | None = None
        self._me: ChatId | None = None
        self._seen_ids: OrderedDict[str, None] = OrderedDict()
        self._acks: OrderedDict[str, Ack] = OrderedDict()
        self._events_at_ack = 0  # the stream's event count at the last burst-end drain
        self._last_push = 0.0
        self._last_drain = 0.0
        self._translators = self._translator_table()
        self._autosave_timer: threading.Timer | None = None

    def __repr__(self) -> str:
        return f"<wawebpy.Client status={self._status.value} transport={self._transport}>"

    # ------------------------------------------------------------------ handlers
    def on(
        self,
        event_type: type[E],
        predicate: Callable[[E], bool] | None = None,
        *,
        priority: int = 0,
        group: int = 0,
    ) -> Callable[[Callable[[Any, E], Any]], Callable[[Any, E], Any]]:
        """Decorator: call the function as ``fn(client, event)`` for each ``event_type``.

        ``predicate`` is any callable taking the event (a :mod:`wawebpy.filters` filter, say).
        Within a ``group`` the first matching handler (highest ``priority`` first) wins unless
        it returns :data:`wawebpy.CONTINUE`; groups run in ascending order.
        """
        _check_event_type(event_type)
        self._check_supported(event_type)

        def decorator(fn: Callable[[Any, E], Any]) -> Callable[[Any, E], Any]:
            self.add_handler(event_type, fn, predicate, priority=priority, group=group)
            return fn

        return decorator

    def add_handler(
        self,
        event_type: type[E],
        callback: Callable[[Any, E], Any],
        predicate: Callable[[E], bool] | None = None,
        *,
        priority: int = 0,
        group: int = 0,
    ) -> Handler[E]:
        """Register ``callback(client, event)``; returns a handle for :meth:`remove_handler`."""
        _check_event_type(event_type)
        self._check_supported(event_type)
        if not callable(callback):
            raise InvalidContentError("the handler must be callable as handler(client, event)")
        return self._dispatcher.add(event_type, callback, predicate, priority, group)

    def remove_handler(self, handler: Handler[Any]) -> None:
        """Unregister a handler returned by :meth:`add_handler`."""
        self._dispatcher.remove(handler)

    def wait_for(
        self,
        event_type: type[E],
        predicate: Callable[[E], bool] | None = None,
        *,
        timeout: float | None = None,
    ) -> E:
        """Block until the next matching event; raises :class:`WaitTimeoutError`."""
        return self._dispatcher.wait_for(event_type, predicate, timeout)

    def expect(
        self, event_type: type[E], predicate: Callable[[E], bool] | None = None
    ) -> Expectation[E]:
        """Start listening for an event now and wait for it later::

            with client.expect(events.NewMessage, filters.Chats(peer)) as answer:
                client.send_text(peer, "What's your name?")
                reply = answer.wait(timeout=60)

        Unlike :meth:`wait_for` called after the send, an answer that arrives before the send
        returns is not missed.
        """
        _check_event_type(event_type)
        return self._dispatcher.expect(event_type, predicate)

    def wait_for_ack(
        self,
        message: Message | MessageId | str,
        ack: Ack | None = None,
        *,
        timeout: float | None = 60.0,
    ) -> Ack:
        """Block until ``message`` reaches at least ``ack`` (default ``Ack.SERVER``; also DEVICE,
        READ, PLAYED); returns the ack seen. Raises :class:`WaitTimeoutError`."""
        ack = Ack.SERVER if ack is None else ack
        mid = message.id if isinstance(message, Message) else MessageId.parse(message)
        key = str(mid)

        def reached(event: ev.MessageAck) -> bool:
            return str(event.message_id) == key and event.ack >= ack

        def already() -> ev.MessageAck | None:
            seen = self._acks.get(key)
            if seen is not None and seen >= ack:
                return ev.MessageAck(message_id=mid, ack=seen, chat_id=mid.remote)
            return None

        return self._dispatcher.wait_for(ev.MessageAck, reached, timeout, already=already).ack

    # ------------------------------------------------------------------ lifecycle
    @property
    def status(self) -> ClientStatus:
        """Where the client is in its life (created, started, ready, closed, ...)."""
        return self._status

    @property
    def is_ready(self) -> bool:
        """True between Ready and the next disconnect, logout or close."""
        return self._status is ClientStatus.READY

    @property
    def state(self) -> State | None:
        """WhatsApp Web's connection state as last reported by the page."""
        return self._state

    @property
    def version(self) -> str | None:
        """WhatsApp Web's build (``window.Debug.VERSION``) once the page is loaded."""
        return self._version

    @property
    def me(self) -> ChatId | None:
        """Our own id once logged in."""
        return self._me

    @property
    def read_only(self) -> bool:
        """True when state-changing calls are refused (``Client(read_only=True)``)."""
        return self._read_only

    @property
    def driver(self) -> WebDriver:
        """The Selenium WebDriver (escape hatch: commands on it bypass the driver thread)."""
        if self._browser is None:
            raise ClientStateError("the browser is not started; call start() first")
        return self._browser.driver

    def diagnostics(self) -> dict[str, Any]:
        """Transport in use, event stream counters, restarts and sends still queued."""
        stats = self._sequencer.stats
        return {
            "transport": self._transport,
            "status": self._status.value,
            "version": self._version,
            "batches": stats.batches,
            "events": stats.events,
            "duplicates": stats.duplicates,
            "gaps": stats.gaps,
            "resyncs": stats.resyncs,
            "lost": stats.lost,
            "epochs": stats.epochs,
            "restarts": self._restarts,
            "queued_sends": self._sender.pending(),
        }

    def start(self) -> None:
        """Launch Chrome, load WhatsApp Web and inject the bridge; returns once the bridge is in.

        Raises :class:`BrowserError` subclasses when Chrome or its driver cannot start and
        :class:`PageLoadError` when the page never exposes WhatsApp Web; in every failure case
        the browser is gone again when this raises.
        """
        with self._status_lock:
            if self._status in (ClientStatus.CLOSING, ClientStatus.CLOSED):
                raise ClientClosedError("this client is closed; create a new Client")
            if self._status is not ClientStatus.CREATED:
                raise ClientStateError("start() was already called on this client")
            self._status = ClientStatus.STARTING
            _live_clients.add(self)
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        with self._status_lock:
            if self._status is ClientStatus.STARTING:
                self._status = ClientStatus.STARTED

    def _start(self) -> None:
        self._dispatcher.start()
        if not self._read_only:
            self._sender.start()
        self._worker = DriverWorker()
        self._background = threading.Thread(
            target=self._background_loop, name="wawebpy-resync", daemon=True
        )
        self._background.start()
        self._launch_session()
        self._check_handlers()

    def _launch_session(self, *, check: bool = True) -> None:
        """Chrome up, page loaded, bridge in: the part of start() a restart repeats."""
        assert self._worker is not None
        self._bridge_ready.clear()
        self._generation += 1
        if self._user_driver is not None:
            self._browser = attach(self._user_driver)
        else:
            self._profile = self._auth.prepare()
            kill_stale(self._profile)
            bidi = self._transport_choice == "bidi"  # BiDi costs a mapper tab: only if forced
            self._browser = self._worker.run(
                functools.partial(launch, bidi=bidi), self._browser_options, self._profile
            )
        driver = self._browser.driver
        with map_driver_errors("start"):
            self._worker.run(driver.set_script_timeout, self._call_timeout)
        self._setup_transport()
        _log.debug("loading %s", self._web_url)
        channel = self._channel
        if channel is None or not channel.navigate(self._web_url, timeout=self._load_timeout):
            with map_driver_errors("load page"):
                self._worker.run(driver.get, self._web_url)
        self._ensure_bridge()
        if not self._bridge_ready.wait(self._load_timeout):
            status = self._worker.run(self._page_status)
            raise PageLoadError(
                f"{self._web_url} did not expose WhatsApp Web within {self._load_timeout:g} s "
                f"(window.Debug.VERSION={status.get('version')!r}); check web_url and the network"
            )
        if not check:
            return  # a restart: the build's capabilities are known, and time matters
        try:
            self._capabilities = SelfCheckReport.from_payload(
                self._call("bridge.selfCheck", need_ready=False, allow_starting=True)
            )
        except WawebpyError as exc:
            _log.debug("self-check after load failed: %s", exc)

    def _teardown_session(self) -> None:
        """Browser and channel gone, profile handed back to the auth strategy (restart, close)."""
        channel, self._channel = self._channel, None
        if channel is not None:
            channel.close()
        browser, self._browser = self._browser, None
        if browser is not None:
            browser.quit()
        profile, self._profile = self._profile, None
        if profile is not None:
            self._auth.after_close(profile)

    # ------------------------------------------------------------------ self-check
    def _check_handlers(self) -> None:
        for handler in self._dispatcher.all_handlers():
            self._check_supported(handler.event_type)

    def _check_supported(self, event_type: type[ev.Event]) -> None:
        """An event whose page source did not resolve would never fire: say so now."""
        report = self._capabilities
        source = getattr(event_type, "source", "")
        if report is None or not source or source not in report.capabilities:
            return
        cap = report.capabilities[source]
        if cap.ok:
            return
        message = (
            f"{event_type.__name__} cannot fire on WhatsApp Web {report.version}: capability "
            f"{source!r} needs {', '.join(cap.missing_modules)}, which did not resolve"
        )
        if self._on_unsupported == "warn":
            _log.warning("wawebpy: %s", message)
            return
        raise ModuleMissingError(message, modules=cap.missing_modules)

    def _setup_transport(self) -> None:
        """Open the first push channel that works: CDP binding, then BiDi, else polling.

        ``auto`` tries BiDi only when the session already offers it (an attached Grid driver):
        a launch never asks for it, since chromedriver's BiDi mapper costs an extra tab.
        """
        assert self._browser is not None and self._worker is not None
        browser, choice = self._browser, self._transport_choice
        names = {"auto": ("cdp", "bidi"), "cdp": ("cdp",), "bidi": ("bidi",)}.get(choice, ())
        offered = {"cdp": browser.debugger_address, "bidi": browser.bidi_url}
        if names:
            handle: str = self._worker.run(lambda: browser.driver.current_window_handle)
        for name in names:
            address = offered[name]
            if not address:
                if choice == name:
                    raise BridgeError(f"{name} transport requested but the session offers none")
                continue
            common: dict[str, Any] = {
                "binding": PUSH_BINDING,
                "on_push": self._on_push,
                "on_close": functools.partial(self._on_cdp_closed, self._generation),
                "bridge_source": bridge_source(),
            }
            try:
                if name == "cdp":
                    self._channel = open_cdp_channel(address, handle, **common)
                else:
                    self._channel = open_bidi_channel(
                        address, handle, on_navigated=self._request_resync, **common
                    )
            except (OSError, WawebpyError) as exc:
                if choice == name:
                    raise BridgeError(f"{name} transport unavailable: {exc}") from exc
                _log.debug("%s transport unavailable (%s); trying the next", name, exc)
                continue
            self._transport = name
            _log.debug("event transport: %s push channel at %s", name, address)
            return
        self._transport = "poll"
        _log.debug("event transport: polling every %.3f s", self._poll_interval)

    def _page_status(self) -> dict[str, Any]:
        assert self._browser is not None
        with map_driver_errors("page status"):
            result: dict[str, Any] = self._browser.driver.execute_script(STATUS_SCRIPT) or {}
        return result

    def _ensure_bridge(self) -> None:
        """Inject the bridge into the current document if it is not there (no-op otherwise)."""
        assert self._worker is not None and self._browser is not None
        driver = self._browser.driver
        channel = self._channel
        if channel is not None and not channel.closed:
            # Over the push channel, bounded: a page that freezes now must fail this start.
            channel.evaluate(bridge_source(), timeout=self._heartbeat_timeout)
            return

        def inject() -> None:
            with map_driver_errors("inject bridge"):
                driver.execute_script(bridge_source())

        self._worker.run(inject)

    def wait_until_ready(self, timeout: float | None = None) -> ev.Ready:
        """Block until the account is logged in and synced; returns the Ready event.

        Raises :class:`WaitTimeoutError` on timeout and :class:`ClientClosedError` if the client
        closes meanwhile.
        """
        if self._status is ClientStatus.CREATED:
            raise ClientStateError("call start() before wait_until_ready()")

        def already() -> ev.Ready | None:
            if self._status in (ClientStatus.CLOSING, ClientStatus.CLOSED):
                raise ClientClosedError("the client closed while waiting for Ready")
            return self._ready_event if self._status is ClientStatus.READY else None

        try:
            return self._dispatcher.wait_for(ev.Ready, None, timeout, already=already)
        except WaitTimeoutError:
            if self._closed_event.is_set():
                raise ClientClosedError("the client closed while waiting for Ready") from None
            raise

    def run_forever(self) -> None:
        """Block until :meth:`close` is called (from a handler or another thread) or Ctrl-C."""
        try:
            while not self._closed_event.wait(1.0):
                pass
        except KeyboardInterrupt:
            _log.info("interrupted; closing")
        finally:
            self.close()

    def close(self) -> None:
        """Quit Chrome, save the session through the auth strategy and stop all threads.

        Idempotent and safe from any thread, including a handler. Never hangs: the browser is
        killed if it does not quit in time. A Ready client first gives queued sends up to
        ``close_flush_timeout`` seconds (a ``wait=False`` send just before ``close()`` still
        goes); what is left then fails with :class:`ClientClosedError` (or, with an outbox
        file, stays there for the next start).
        """
        if self._status is ClientStatus.READY and self._sender.pending():
            self._sender.flush(self._close_flush_timeout)
        with self._status_lock:
            if self._status in (ClientStatus.CLOSING, ClientStatus.CLOSED):
                return
            self._status = ClientStatus.CLOSING
        try:
            self._stop_background.set()
            self._sender.stop()
            self._resync_wake.set()
            if self._autosave_timer is not None:
                self._autosave_timer.cancel()
            if self._channel is not None:
                self._channel.close()
            if self._browser is not None:
                self._browser.quit()
            if self._worker is not None:
                self._worker.stop(timeout=2.0)
            if self._background is not None and self._background is not threading.current_thread():
                self._background.join(timeout=2.0)
        finally:
            try:
                self._teardown_session()
            finally:
                with self._status_lock:
                    self._status = ClientStatus.CLOSED
                self._closed_event.set()
                self._dispatcher.stop()
                _live_clients.discard(self)

    def __enter__(self) -> Client:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ transport
    def _request_resync(self) -> None:
        self._resync_wake.set()

    def _on_cdp_closed(self, generation: int) -> None:
        if self._status not in (ClientStatus.CLOSING, ClientStatus.CLOSED):
            _log.warning(
                "wawebpy: lost the %s connection to the page (browser closed or crashed)",
                self._transport,
            )
            self._browser_lost("browser closed", generation)

    def _note_ack(self, payload: dict[str, Any]) -> None:
        try:
            ack = Ack(int(payload.get("ack")))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return
        key = str(payload.get("id"))
        if ack > self._acks.get(key, Ack.UNKNOWN):
            self._acks[key] = ack
        self._acks.move_to_end(key)
        while len(self._acks) > 20000:
            self._acks.popitem(last=False)

    def _on_push(self, raw: str) -> None:
        """A pushed batch (CDP reader thread). The page keeps batches until a drain tells it
        what Python has read; after a burst, tell it soon, so its reload stash stays small.
        Not during the burst: that drain would re-send every batch still in flight."""
        self._last_push = time.monotonic()
        with self._dispatcher.batch():
            queued = self._sequencer.feed(raw)
        delivered = self._sequencer.stats.events
        if delivered - self._events_at_ack >= 2000 and not queued:
            self._events_at_ack = delivered
            self._resync_wake.set()

    # ------------------------------------------------------------------ supervision
    def _browser_lost(self, reason: str, generation: int) -> None:
        """Chrome died, hung or outgrew its memory limit: report it and (by default) restart.

        ``generation`` names the browser session the news is about; late news about a session
        that a restart already replaced is ignored.
        """
        with self._status_lock:
            if self._status in (ClientStatus.CLOSING, ClientStatus.CLOSED):
                return
            if generation != self._generation:
                return
            if self._restarting:
                # Lost again while a restart is under way: the running loop starts over.
                self._lost_again = True
                if self._status is not ClientStatus.READY:
                    return
                self._status = ClientStatus.STARTED
                self._ready_event = None
                restarting = False
            else:
                restarting = self._restarting = self._supervise and self._user_driver is None
                if self._status is ClientStatus.READY:
                    self._status = ClientStatus.STARTED
                self._ready_event = None
        self._dispatcher.publish(ev.Disconnected(reason=reason))
        if restarting:
            threading.Thread(
                target=self._restart_loop, args=(reason,), name="wawebpy-restart", daemon=True
            ).start()
        elif not self._restarting:
            # Nobody will bring the browser back: callers waiting on a send must not wait forever.
            self._sender.fail_waiting(BrowserCrashedError(f"the browser was lost ({reason})"))

    def _restart_loop(self, reason: str) -> None:
        attempt = 0
        try:
            while not self._stop_background.is_set():
                attempt += 1
                delay = min(self._restart_max_delay, self._restart_delay * 2 ** (attempt - 1))
                self._dispatcher.publish(
                    ev.Reconnecting(attempt=attempt, delay=delay, reason=reason)
                )
                try:
                    self._teardown_session()
                except Exception:
                    _log.debug("teardown before restart failed", exc_info=True)
                if self._stop_background.wait(delay):
                    return
                self._lost_again = False
                try:
                    self._launch_session(check=False)
                    if self._lost_again:
                        raise BrowserCrashedError("the browser was lost again while restarting")
                except WawebpyError as exc:
                    _log.warning("wawebpy: restart attempt %d failed: %s", attempt, exc)
                    if self._max_restarts is not None and attempt >= self._max_restarts:
                        self._dispatcher.publish(ev.Disconnected(reason="restart gave up"))
                        self._sender.fail_waiting(
                            BrowserCrashedError("the browser could not be restarted")
                        )
                        return
                    continue
                self._restarts += 1
                _log.info("wawebpy: browser restarted after %s (attempt %d)", reason, attempt)
                return
        finally:
            self._restarting = False

    def _browser_rss_mb(self) -> float:
        browser = self._browser
        if browser is None:
            return 0.0
        pages = 0
        for pid in browser.pids():
            try:
                with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
                    pages += int(fh.read().split()[1])
            except (OSError, IndexError, ValueError):
                continue
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20

    def _background_loop(self) -> None:
        """Backup resync in push mode, the event channel itself in poll mode."""
        while not self._stop_background.is_set():
            # Read each round: the transport is chosen after this thread starts (and a restart
            # may choose again); until then, look often.
            push = self._transport in ("cdp", "bidi")
            interval = self._resync_interval if push else self._poll_interval
            asked = self._resync_wake.wait(interval)
            self._resync_wake.clear()
            if self._stop_background.is_set():
                return
            if self._restarting or self._browser is None or self._transport is None:
                continue
            generation = self._generation
            try:
                if self._max_rss_mb is not None and self._browser_rss_mb() > self._max_rss_mb:
                    self._browser_lost("memory limit", generation)
                    continue
                now = time.monotonic()
                if (
                    push
                    and not asked
                    and now - self._last_push < interval
                    and now - self._last_drain < 10 * interval
                ):
                    # Batches keep arriving: the page is alive and nothing is missing (a gap
                    # asks); a drain now would only make the page re-send those in flight.
                    # Every tenth round drains anyway, so the page can free what was read.
                    continue
                self._last_drain = now
                self._drain_once()
            except Exception as exc:  # this thread is the heartbeat: it must never die
                if self._stop_background.is_set() or self._restarting:
                    continue
                _log.debug("event drain failed: %s", exc)
                if isinstance(exc, WaitTimeoutError):
                    self._browser_lost("page not responding", generation)
                elif isinstance(exc, BrowserCrashedError):
                    self._browser_lost("browser closed", generation)

    _DRAIN_JS = "function (e, s) { const b = window.__wawebpy; return b ? b.drain(e, s) : null; }"

    def _drain_once(self) -> None:
        epoch, seq = self._sequencer.position()
        channel = self._channel
        if channel is not None and not channel.closed:
            result = channel.call_function(
                self._DRAIN_JS, epoch, seq, timeout=self._heartbeat_timeout
            )
        else:
            assert self._worker is not None and self._browser is not None
            driver = self._browser.driver

            def drain() -> Any:
                with map_driver_errors("drain events"):
                    return driver.execute_script(
                        "const b = window.__wawebpy;"
                        " return b ? b.drain(arguments[0], arguments[1]) : null;",
                        epoch,
                        seq,
                    )

            try:
                # A long user call may hold the driver thread: only far past it is a hang.
                result = self._worker.run(
                    drain, timeout=self._call_timeout + self._heartbeat_timeout
                )
            except concurrent.futures.TimeoutError:
                raise WaitTimeoutError("the page did not answer a drain", what="drain") from None
            if result is None and channel is None:
                # A navigation dropped the bridge and nothing re-arms it in poll mode.
                self._ensure_bridge()
                return
        self._sequencer.feed_drain(result)

    # ------------------------------------------------------------------ page events
    def _on_page_event(self, kind: str, payload: Any) -> None:
        """Translate one page event (reader thread) and publish it."""
        publish = self._dispatcher.publish
        if kind == "messages.ack":
            self._note_ack(payload)
        elif kind == "messages.add" and not payload.get("fromMe"):
            self._pacer.note_incoming(str(payload.get("remote") or ""))
        translator = self._translators.get(kind)
        if translator is not None:
            for event in getattr(self, translator)(payload):
                publish(event)
        elif kind == "auth.state":
            self._on_state(State(payload.get("state") or "UNKNOWN"))
        elif kind == "auth.qr":
            publish(ev.QrCode(data=str(payload["data"]), attempt=int(payload.get("attempt", 1))))
        elif kind == "auth.progress":
            publish(ev.LoadingProgress(percent=int(payload.get("percent") or 0)))
        elif kind == "auth.synced":
            self._on_synced(payload)
        elif kind == "auth.logout":
            self._on_logout()
        elif kind == "bridge.ready":
            self._version = payload.get("version")
            _log.debug("bridge installed on WhatsApp Web %s", self._version)
            self._bridge_ready.set()
        elif kind == "bridge.error":
            _log.warning(
                "wawebpy bridge: %s failed: %s", payload.get("kind"), payload.get("message")
            )
        elif kind == "bridge.restored":
            self._resync_wake.set()
        else:
            _log.debug("unhandled page event %s", kind)

    def _on_state(self, state: State) -> None:
        previous, self._state = self._state, state
        self._dispatcher.publish(ev.StateChanged(state=state))
        if state in _LIVE_STATES or state is previous:
            return
        with self._status_lock:
            was_ready = self._status is ClientStatus.READY
            if was_ready:
                self._status = ClientStatus.STARTED
        if was_ready:
            self._dispatcher.publish(ev.Disconnected(reason=state.value))

    def _on_synced(self, payload: dict[str, Any]) -> None:
        self._me = maybe_chat_id(payload.get("me"))
        self._version = payload.get("version") or self._version
        self._dispatcher.publish(ev.Authenticated())
        ready = ev.Ready(
            version=str(self._version or ""), me=self._me, push_name=payload.get("pushname")
        )
        with self._status_lock:
            if self._status not in (ClientStatus.STARTING, ClientStatus.STARTED):
                return
            self._status = ClientStatus.READY
            self._ready_event = ready
        self._dispatcher.publish(ready)
        self._after_ready()

    def _after_ready(self) -> None:
        profile = self._profile
        if profile is None:
            return
        threading.Thread(
            target=self._auth_step,
            args=(self._auth.after_ready, profile),
            name="wawebpy-session",
            daemon=True,
        ).start()
        self._schedule_autosave()

    def _schedule_autosave(self) -> None:
        interval = getattr(self._auth, "autosave_interval", None)
        if not interval or self._profile is None:
            return
        if self._autosave_timer is not None:
            self._autosave_timer.cancel()

        def tick() -> None:
            if self._status is ClientStatus.READY and self._profile is not None:
                self._auth_step(self._auth.save, self._profile)
                self._schedule_autosave()

        self._autosave_timer = threading.Timer(interval, tick)
        self._autosave_timer.daemon = True
        self._autosave_timer.start()

    def _auth_step(self, step: Callable[[Path], None], profile: Path) -> None:
        try:
            step(profile)
        except Exception:
            _log.exception("wawebpy: session step %s failed", getattr(step, "__name__", step))

    def _on_logout(self) -> None:
        with self._status_lock:
            if self._status is ClientStatus.READY:
                self._status = ClientStatus.STARTED
            self._ready_event = None
        if self._profile is not None:
            self._auth_step(self._auth.after_logout, self._profile)
        self._sender.fail_waiting(LoggedOutError("the device was unlinked before it was sent"))
        self._dispatcher.publish(ev.LoggedOut())

    # ------------------------------------------------------------------ bridge calls
    def _check_usable(self, need_ready: bool) -> None:
        status = self._status
        if status in (ClientStatus.CLOSING, ClientStatus.CLOSED):
            raise ClientClosedError("this client is closed; create a new Client")
        if status is ClientStatus.STARTING and not need_ready and self._bridge_ready.is_set():
            return  # start() is finishing its checks; the page already answers (QR handlers)
        if status in (ClientStatus.CREATED, ClientStatus.STARTING):
            raise NotReadyError("the client is not started; call start() and wait_until_ready()")
        if need_ready and status is not ClientStatus.READY:
            raise NotReadyError(
                "WhatsApp Web is not ready (not logged in or still syncing); "
                "call wait_until_ready() first"
            )

    def _call(
        self,
        op: str,
        args: dict[str, Any] | None = None,
        *,
        need_ready: bool = True,
        allow_starting: bool = False,
    ) -> Any:
        """Run one bridge operation on the driver thread; errors come back typed."""
        if op in _PACED_OPS:
            # Not idempotent (no message id of ours): queued for order and pacing, not retried.
            args = args or {}
            chat = str(args.get("chatId") or args.get("to") or "")
            return self._submit_send(SendJob(op, args, chat), timeout=None)
        if not allow_starting:
            self._check_usable(need_ready)
        assert self._worker is not None
        return self._worker.run(self._exec_call, op, args or {})

    # ------------------------------------------------------------------ the send queue
    @property
    def _status(self) -> ClientStatus:
        return self._status_value

    @_status.setter
    def _status(self, value: ClientStatus) -> None:
        # The send queue waits on this flag: it sends only while Ready.
        self._status_value = value
        if value is ClientStatus.READY:
            self._ready_flag.set()
        else:
            self._ready_flag.clear()

    def _submit_send(self, job: SendJob, *, timeout: float | None) -> Any:
        """Queue a send and (unless nobody waits on it) wait until WhatsApp Web accepted it."""
        self._check_usable(True)  # read-only is refused earlier, by @mutating
        future = self._sender.submit(job)
        if not job.waited_on:
            return None
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            job.waited_on = False  # its fate is reported by SendFailed from now on
            where = "it stays in the outbox" if job.seq is not None else "it stays queued"
            raise WaitTimeoutError(
                f"the message was not sent within {timeout:g} s; {where} and will be sent",
                what="send",
            ) from None

    def _perform_send(self, job: SendJob) -> Any:
        """One attempt of a queued send (sender thread): typing, upload, the bridge call."""
        if job.key is not None and job.attempts > 1:
            # A retry: the last attempt may have gone out before its answer was lost.
            found = self._call(
                "messages.findSent", {"chatId": job.chat, "msgId": job.args["msgId"]}
            )
            if found is not None:
                return found
        delay = self._pacer.pacing.typing_delay(job.text)
        if delay > 0:
            self._call("chats.state", {"chatId": job.chat, "state": ChatState.TYPING.value})
            if self._stop_background.wait(delay):
                raise ClientClosedError("the client closed while typing")
        args = job.args
        if job.media is not None:
            args = {**args, "handle": self._upload(job.media)}
        assert self._worker is not None
        result = self._worker.run(self._exec_call, job.op, args)
        if delay > 0:
            self._call("chats.state", {"chatId": job.chat, "state": ChatState.PAUSED.value})
        return result

    def _send_failed(self, job: SendJob, exc: WawebpyError) -> None:
        _log.warning("wawebpy: a queued message could not be sent: %s", type(exc).__name__)
        key = MessageId.parse(job.key) if job.key else None
        self._dispatcher.publish(
            ev.SendFailed(message_id=key, chat_id=ChatId.parse(job.chat), error=exc)
        )

    def _await_ack(self, message: Message, ack: Ack, timeout: float | None) -> Ack:
        return self.wait_for_ack(message, ack, timeout=timeout)

    def flush_outbox(self, timeout: float | None = None) -> bool:
        """Wait until every queued message was accepted by WhatsApp Web (or failed for good);
        ``False`` if ``timeout`` passed first."""
        return self._sender.flush(timeout)

    def outbox_entries(self) -> list[OutboxEntry]:
        """The messages in the durable outbox file: waiting to be sent, or failed for good (with
        their error code). Empty without ``outbox=``."""
        store = self._sender.store
        return store.entries() if store is not None else []

    def discard_outbox_entry(self, message: MessageId | str) -> bool:
        """Remove an entry from the durable outbox (e.g. one that failed for good); ``False`` if
        it is not there. A message being sent right now may still go out."""
        store = self._sender.store
        return store is not None and store.discard(str(MessageId.parse(message)))

    def _exec_call(self, op: str, args: dict[str, Any]) -> Any:
        assert self._browser is not None
        driver = self._browser.driver
        for attempt in range(2):
            with map_driver_errors(op):
                result = driver.execute_async_script(CALL_SCRIPT, op, args)
            if not isinstance(result, dict):
                raise BridgeError(f"{op}: unexpected answer from the page")
            error = result.get("error")
            if error is None:
                return result.get("ok")
            if error.get("code") == "bridge_missing" and attempt == 0:
                with map_driver_errors("inject bridge"):
                    driver.execute_script(bridge_source())
                continue
            raise bridge_error(op, error)
        raise BridgeError(f"{op}: the bridge could not be injected")

    # ------------------------------------------------------------------ API
    def get_state(self) -> State | None:
        """Ask the page for its connection state now (works before Ready)."""
        result = self._call("auth.state", need_ready=False)
        return State(result["state"]) if result and result.get("state") else None

    def self_check(self) -> SelfCheckReport:
        """Which WhatsApp Web modules resolve on the loaded page, and what each missing one
        disables (works before Ready)."""
        report = SelfCheckReport.from_payload(self._call("bridge.selfCheck", need_ready=False))
        self._capabilities = report
        return report

    def request_pairing_code(self, phone_number: str, *, show_notification: bool = True) -> str:
        """Log in with a phone number instead of a QR: returns the 8-character code to type on
        the phone (Linked devices → Link with phone number)."""
        digits = "".join(ch for ch in str(phone_number) if ch.isdigit())
        if not 6 <= len(digits) <= 20:
            raise InvalidContentError("phone_number must hold the international number's digits")
        code: str = self._call(
            "auth.requestPairingCode",
            {"phone": digits, "showNotification": show_notification},
            need_ready=False,
        )
        return code

    def save_session(self) -> None:
        """Save the login now through the auth strategy (e.g. seal it into the store)."""
        self._check_usable(need_ready=True)
        if self._profile is not None:
            self._auth.save(self._profile)

    @mutating
    def logout(self) -> None:
        """Unlink this device from the account; the stored session is dropped (LoggedOut)."""
        self._call("auth.logout")


def _check_event_type(event_type: object) -> None:
    if not (isinstance(event_type, type) and issubclass(event_type, ev.Event)):
        raise InvalidContentError(
            f"handlers take an event class from wawebpy.events, not {event_type!r}"
        )
