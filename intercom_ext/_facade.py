"""Runtime helpers used by the generated version facades (``intercom_<version>/facade.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from ._types import NotGiven

if TYPE_CHECKING:
    import httpx

    from ._exceptions import APIStatusError

T = TypeVar("T")
U = TypeVar("U")
E = TypeVar("E", bound=Enum)

__all__ = ["Operation", "checked_items", "location", "redirect_target"]


class Operation(NamedTuple):
    """One row of a facade's ``OPERATIONS``: how an API operation is reached and documented."""

    resource: str
    """Attribute of the client: ``client.<resource>`` (the operation's first tag in snake_case)."""
    verb: str
    """Method of the resource: ``client.<resource>.<verb>(...)``."""
    method: str
    """HTTP method, upper case."""
    path: str
    """Path template, as in the spec (``/contacts/{contact_id}``)."""
    style: str | None
    """Pagination style (a :class:`~intercom_ext.PaginationStyle` name) of a list operation, else None."""
    items_key: str | None
    """JSON key of a list operation's page items (``data``), else None."""
    summary: str
    """The spec's summary of the operation."""
    docs_url: str
    """The operation's page on Intercom's developer site."""


def checked_items(page: object, items: Sequence[T] | None, name: str) -> Sequence[T]:
    """The items of a page, read from its attribute ``name`` (value ``items``): none when the page
    has none, and ``TypeError`` (a typed ``APIResponseValidationError`` for the caller) when the
    page carried a value there that is not a list of items (kept as sent, ``page.raw(name)``)."""
    if items is not None:
        return items
    raw = getattr(page, "raw", None)
    received = raw(name) if raw is not None else None
    if isinstance(received, list):
        raise TypeError("the page's items do not all fit the declared item type")
    if received is not None and not isinstance(received, NotGiven):
        raise TypeError(f"the page's items are not a list but {type(received).__name__}")
    return []


def location(response: httpx.Response) -> str:
    """The ``Location`` of a response (empty when absent)."""
    return str(response.headers.get("location", ""))


def redirect_target(err: APIStatusError) -> str:
    """For operations whose documented success is a redirect (a signed recording URL): the target
    of a 3xx ``err``, which the client does not follow; any other error is re-raised."""
    if 300 <= err.status_code < 400 and "location" in err.response.headers:
        return location(err.response)
    raise err
