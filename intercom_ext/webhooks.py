"""Verify Intercom webhook signatures.

Intercom signs every webhook notification with your app's *client secret*: the ``X-Hub-Signature``
header is ``"sha1="`` followed by the lowercase hex HMAC-SHA1 of the **raw** request body. Verify the
bytes exactly as received, before any JSON parsing or re-encoding::

    from intercom_ext.webhooks import verify_signature

    if not verify_signature(request.body, request.headers.get("X-Hub-Signature", ""), CLIENT_SECRET):
        return 401

Design choice: a missing or malformed header (wrong prefix, wrong length, non-hex) is not an error, it
is simply an unverified request, so :func:`verify_signature` returns ``False``. Only a programming
error raises: an empty ``client_secret`` raises ``ValueError`` (an empty key would let anyone forge
signatures), and a non-bytes ``body`` raises ``TypeError``. The digest comparison is constant-time
(:func:`hmac.compare_digest`).

This module imports only the standard library.
"""

from __future__ import annotations

import hashlib
import hmac
import string

__all__ = ["SIGNATURE_HEADER", "compute_signature", "verify_signature"]

#: The header Intercom puts the signature in.
SIGNATURE_HEADER = "X-Hub-Signature"

_PREFIX = "sha1="
_HEX_LEN = 40  # SHA-1 digest as hex
_HEX_DIGITS = frozenset(string.hexdigits)


def _key(client_secret: str | bytes) -> bytes:
    key = client_secret.encode("utf-8") if isinstance(client_secret, str) else bytes(client_secret)
    if not key:
        raise ValueError("client_secret must not be empty")
    return key


def compute_signature(body: bytes, client_secret: str | bytes) -> str:
    """The ``X-Hub-Signature`` value Intercom would send for ``body``: ``"sha1=<hex>"``."""
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise TypeError(f"body must be the raw request bytes, got {type(body).__name__}")
    return _PREFIX + hmac.new(_key(client_secret), bytes(body), hashlib.sha1).hexdigest()


def verify_signature(body: bytes, header: str | None, client_secret: str | bytes) -> bool:
    """Whether ``header`` (the ``X-Hub-Signature`` value) is a valid signature of ``body``.

    Returns ``False`` for a missing (``None``/empty) or malformed header; never raises for bad input
    from the network. Raises ``ValueError`` for an empty ``client_secret`` and ``TypeError`` if
    ``body`` is not bytes.
    """
    expected = compute_signature(body, client_secret)
    if not isinstance(header, str):
        return False
    candidate = header.strip()
    if candidate[: len(_PREFIX)].lower() != _PREFIX:
        return False
    digest = candidate[len(_PREFIX) :]
    if len(digest) != _HEX_LEN or not _HEX_DIGITS.issuperset(digest):
        return False
    return hmac.compare_digest(expected[len(_PREFIX) :], digest.lower())
