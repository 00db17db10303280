"""A fake WhatsApp Web for tests: a local page with WhatsApp Web's internal module interface,
driven by a fake WhatsApp server you control from Python.

```python
with FakeWhatsApp(me="15550000001") as fake:
    driver.get(fake.url)
    fake.scan_qr()
    fake.wait_until_connected()
    fake.deliver_text("15551234567@c.us", "hi")
```

The pytest plugin (``wawebpy.testing._plugin``) provides a ``fake_whatsapp`` fixture.
See docs/fake-whatsapp.md for which modules the page implements.
"""

from __future__ import annotations

from ._fake import DEFAULT_VERSION, FakeWhatsApp
from ._models import IncomingText, LinkedDevice, PairingRequest, SentMessage

__all__ = [
    "DEFAULT_VERSION",
    "FakeWhatsApp",
    "IncomingText",
    "LinkedDevice",
    "PairingRequest",
    "SentMessage",
]
