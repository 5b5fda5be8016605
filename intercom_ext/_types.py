"""Shared types of the runtime: per-call :class:`RequestOptions` and the ``NOT_GIVEN`` sentinel.

A generated facade method accepts per-call options as keywords and passes them through unchanged::

    def get(self, contact_id: str, **options: Unpack[RequestOptions]) -> Contact:
        return self._client.request(kwargs, json_parser(Contact.from_dict), options=options)

(``Unpack`` comes from ``typing`` on 3.11+, from ``typing_extensions`` under ``TYPE_CHECKING`` on 3.10.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, Final, Literal, TypeAlias, TypedDict

if TYPE_CHECKING:
    import httpx

__all__ = ["NOT_GIVEN", "FileTypes", "NotGiven", "RequestOptions", "TimeoutTypes"]

#: A file part of a multipart body: bytes, a binary file, or ``(filename, content[, content type])``.
FileTypes: TypeAlias = (
    "bytes | IO[bytes] | tuple[str | None, bytes | IO[bytes]] | tuple[str | None, bytes | IO[bytes], str]"
)

#: What ``timeout=`` accepts: seconds, an ``httpx.Timeout``, or ``None`` for "no timeout".
TimeoutTypes: TypeAlias = "float | httpx.Timeout | None"


class NotGiven:
    """The one "not given" sentinel of the SDK, shared by every API version.

    ``NOT_GIVEN`` marks an argument not passed where ``None`` is meaningful (``timeout=None`` = no
    timeout), and it is every generated package's ``types.UNSET`` (``types.Unset`` is this class):
    a request-model field left ``UNSET`` is not sent, and ``model.raw(name)`` gives ``NOT_GIVEN``
    for a property a response did not contain."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        # pickle and copy give back the NOT_GIVEN singleton (`is NOT_GIVEN` checks keep working)
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class RequestOptions(TypedDict, total=False):
    """Per-call overrides; every key is optional and an absent key means "use the client's setting".

    - ``extra_headers``: merged last, so it can override any header (even ``Authorization``).
    - ``extra_query``: merged into the query string.
    - ``extra_body``: merged into a JSON-object body (top level).
    - ``timeout``: seconds / ``httpx.Timeout`` / ``None`` (no timeout) for this call.
    - ``max_retries``: retries after the first attempt for this call (``0`` disables retrying).
    """

    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, Any]
    extra_body: Mapping[str, Any]
    timeout: float | httpx.Timeout | None
    max_retries: int
