"""close() never hangs and never leaves a process behind, cycle after cycle."""

from __future__ import annotations

import threading

import pytest
from helpers import alive

from wawebpy import Client
from wawebpy.testing import FakeWhatsApp


@pytest.mark.parametrize("transport", ["auto", "bidi"])
def test_twenty_start_close_cycles_leave_nothing_behind(transport: str) -> None:
    # BiDi adds chromedriver's mapper tab and a second websocket: both must go with close().
    with FakeWhatsApp() as fake:
        leftovers: list[int] = []
        for _ in range(20):
            client = Client(web_url=fake.url, transport=transport)  # type: ignore[arg-type]
            client.start()
            assert client._browser is not None
            pids = client._browser.pids()
            assert alive(pids)
            closer = threading.Thread(target=client.close, daemon=True)
            closer.start()
            closer.join(60)  # liveness bound, not a speed assertion
            assert not closer.is_alive(), "close() hung"
            leftovers += alive(pids)
        assert leftovers == []


def test_close_while_a_call_is_blocked_on_the_page() -> None:
    with FakeWhatsApp() as fake:
        client = Client(web_url=fake.url)
        client.start()
        assert client._browser is not None
        pids = client._browser.pids()
        errors: list[BaseException] = []

        def block() -> None:
            # A script that never finishes occupies the driver thread.
            try:
                client._worker.run(  # type: ignore[union-attr]
                    lambda: client.driver.execute_async_script("/* never calls back */")
                )
            except Exception as exc:  # the browser is killed under it
                errors.append(exc)

        blocker = threading.Thread(target=block, daemon=True)
        blocker.start()
        closer = threading.Thread(target=client.close, daemon=True)
        closer.start()
        closer.join(60)
        assert not closer.is_alive(), "close() hung behind a blocked call"
        assert not alive(pids)
        blocker.join(30)
        assert errors and not blocker.is_alive()
