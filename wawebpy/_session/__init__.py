"""Sealed session storage: the AEAD file format, key derivation, profile snapshot and restore.

Everything here is private; the public faces live in :mod:`wawebpy.auth`.
"""
