"""The plugin's fixtures, for when wawebpy is not installed (its pytest11 entry point is then
not registered)."""

from wawebpy.testing._plugin import (  # noqa: F401
    bot_conversation,
    fake_whatsapp,
    whatsapp_client,
)
