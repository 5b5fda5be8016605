"""Runtime helpers used by the generated version facades (``intercom_<version>/facade.py``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

from ._types import NotGiven

if TYPE_CHECKING:
    import httpx

    from ._config import ClientConfig
    from ._exceptions import APIStatusError

T = TypeVar("T")
U = TypeVar("U")
E = TypeVar("E", bound=Enum)

__all__ = [
    "FacadeMixin",
    "Operation",
    "as_enum",
    "build_body",
    "build_optional_body",
    "checked_items",
    "location",
    "redirect_target",
    "with_accept",
]


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


def as_enum(cls: type[E], value: E | str | U) -> E | U:
    """A parameter typed ``SomeEnum | Literal[...]`` as the enum the generated request code expects:
    a string becomes ``cls(value)`` (a value this SDK does not list is kept, see the enum template);
    an enum member or ``UNSET`` passes through."""
    if isinstance(value, str) and not isinstance(value, cls):
        return cls(value)
    return value


def _is_unset(value: object) -> bool:
    # Every generated package's UNSET is intercom_ext's NOT_GIVEN.
    return isinstance(value, NotGiven)


def build_body(model: type[T], body: Any, fields: Mapping[str, Any], operation: str) -> T:
    """The request body of a facade call: ``body=`` (the generated model) or its fields as keywords.

    Passing both, or leaving out a field the spec requires, raises ``TypeError`` naming the
    operation and the fields, before anything is sent.
    """
    return _build(model, body, fields, operation)


def build_optional_body(
    model: type[T], body: Any, fields: Mapping[str, Any], operation: str, unset: U
) -> T | U:
    """The body of an operation whose spec does not mark its ``requestBody`` required.

    OpenAPI's ``requestBody.required: false`` (the default) means the request may be sent without
    a body. So when the caller gives neither ``body=`` nor any field, this returns ``unset`` (the
    generated package's ``UNSET``) and the request goes out with no body and no ``Content-Type``.
    Once any field is given, the body is built as for :func:`build_body`: fields the body schema
    requires must then be given too.
    """
    if _is_unset(body) and all(_is_unset(value) for value in fields.values()):
        return unset
    return _build(model, body, fields, operation)


def _build(model: type[T], body: Any, fields: Mapping[str, Any], operation: str) -> T:
    given = {name: value for name, value in fields.items() if not _is_unset(value)}
    if not _is_unset(body):
        if given:
            raise TypeError(f"{operation}: pass either body= or the fields {sorted(given)}, not both")
        return cast(T, body)
    import attrs

    missing = [
        a.name
        for a in attrs.fields(cast(Any, model))
        if a.init and a.default is attrs.NOTHING and a.name not in given
    ]
    if missing:
        raise TypeError(f"{operation}: missing required body field(s): {', '.join(missing)}")
    return model(**given)


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


class FacadeMixin:
    """Adds ``client.generated``: the generated package's ``AuthenticatedClient``, configured like this
    client (``client.config``: base URL, token, timeout, ``Intercom-Version`` and SDK headers), for
    calling generated functions directly. It has its own HTTP connection pool and no retries."""

    _generated_client: Any = None

    def _generated_client_class(self) -> type[Any]:  # overridden by each facade
        raise NotImplementedError

    if TYPE_CHECKING:  # provided by the client class the facade also derives from

        @property
        def config(self) -> ClientConfig: ...

    @property
    def generated(self) -> Any:
        if self._generated_client is None:
            config = self.config
            timeout = config.timeout
            if isinstance(timeout, (int, float)):
                import httpx

                timeout = httpx.Timeout(timeout)
            self._generated_client = self._generated_client_class()(
                base_url=config.base_url,
                token=config.token.get_secret_value(),
                headers=dict(config.headers),
                timeout=timeout,
                follow_redirects=False,
            )
        return self._generated_client


def with_accept(kwargs: dict[str, Any], accept: str) -> dict[str, Any]:
    """Request ``kwargs`` asking for ``accept``: for operations whose documented success is not JSON
    (a ``text/plain`` transcript); the default ``Accept: application/json`` would get a 406."""
    return {**kwargs, "headers": {**(kwargs.get("headers") or {}), "Accept": accept}}


def location(response: httpx.Response) -> str:
    """The ``Location`` of a response (empty when absent)."""
    return str(response.headers.get("location", ""))


def redirect_target(err: APIStatusError) -> str:
    """For operations whose documented success is a redirect (a signed recording URL): the target
    of a 3xx ``err``, which the client does not follow; any other error is re-raised."""
    if 300 <= err.status_code < 400 and "location" in err.response.headers:
        return location(err.response)
    raise err
