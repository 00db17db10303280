"""pytest plugin of wawebpy (registered through the ``pytest11`` entry point).

Fixtures: ``fake_whatsapp`` — a started :class:`~wawebpy.testing.FakeWhatsApp`, closed after
the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._fake import FakeWhatsApp


@pytest.fixture
def fake_whatsapp() -> Iterator[FakeWhatsApp]:
    """A started fake WhatsApp (fresh account, no linked device) for one test."""
    with FakeWhatsApp() as fake:
        yield fake
