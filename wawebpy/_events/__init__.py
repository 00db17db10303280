"""Event classes, one module per concern; the public face is :mod:`wawebpy.events`."""
