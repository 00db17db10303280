"""Selenium driver setup, the CDP event channel, polling fallback and error mapping."""
