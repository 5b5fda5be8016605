"""The text of generator values (shared by the generation passes and the template helpers)."""

from __future__ import annotations


def plain(value: object) -> str:
    """The text of a generator value: spec text comes wrapped in ``UntrustedString`` and code in
    ``PythonCode``; plain strings pass through."""
    get = getattr(value, "as_unembedded_code", None) or getattr(value, "get_untrusted_value", None)
    return str(get() if get else value)
