"""Hand-written, version-independent runtime of the Intercom SDK.

Public surface (the version facades generated per API version build on it):

- clients: :class:`SyncAPIClient`, :class:`AsyncAPIClient` (``_base_client``), :class:`RawResponse`,
  parsers :func:`json_parser`, :func:`json_list_parser`, :func:`parse_none`, :func:`parse_text`,
  :func:`decode_json` (``_response``);
- pagination: :class:`SyncPager`, :class:`AsyncPager`, :class:`PaginationStyle` (``_pagination``);
- per-call options: :class:`RequestOptions`, ``NOT_GIVEN`` (``_types``);
- configuration: retry waits :class:`Backoff`, a client's :class:`ClientConfig` (``client.config``),
  the token's :class:`Secret` (``_config``);
- errors: :class:`IntercomError` and subclasses (``_exceptions``);
- regions: ``REGIONS`` (``_regions``); webhooks: :mod:`intercom_ext.webhooks`;
- rate limiting: :class:`RateLimiter` (``_ratelimit``), on by default in every client;
- exports: :class:`Export` / :class:`AsyncExport` (``_export``), returned by
  ``client.<resource>.export(**ExportOptions)``, their :class:`Checkpoint`; the
  ``intercom-sdk`` command line (``intercom_ext.cli``, also ``python -m intercom_ext``).

Importing this package is cheap: the client module is loaded on first access of one of its names,
and no generated package is ever imported from here. Constructing a client is cheap too: httpx and
tenacity are imported, and the client's ``httpx.Client`` / ``httpx.AsyncClient`` is created, on its
first request (or first read of ``http_client``); ``DEFAULT_TIMEOUT`` is built on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorDetail,
    IntercomConfigError,
    IntercomError,
    InternalServerError,
    MissingTokenError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    UnprocessableEntityError,
)
from ._pagination import AsyncPager, PaginationStyle, SyncPager
from ._regions import REGIONS
from ._response import (
    RawResponse,
    async_to_raw_page_wrapper,
    async_to_raw_response_wrapper,
    decode_json,
    json_list_parser,
    json_parser,
    json_parser_by_status,
    parse_none,
    parse_text,
    to_raw_page_wrapper,
    to_raw_response_wrapper,
)
from ._types import NOT_GIVEN, NotGiven, RequestOptions

if TYPE_CHECKING:
    from ._base_client import DEFAULT_TIMEOUT, AsyncAPIClient, SyncAPIClient
    from ._config import Backoff, ClientConfig, Secret
    from ._export import AsyncExport, Checkpoint, Export, ExportOptions
    from ._ratelimit import RateLimiter

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "REGIONS",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIClient",
    "AsyncExport",
    "AsyncPager",
    "AuthenticationError",
    "Backoff",
    "BadRequestError",
    "Checkpoint",
    "ClientConfig",
    "ConflictError",
    "ErrorDetail",
    "Export",
    "ExportOptions",
    "IntercomConfigError",
    "IntercomError",
    "InternalServerError",
    "MissingTokenError",
    "NotFoundError",
    "NotGiven",
    "PaginationStyle",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimiter",
    "RawResponse",
    "RequestOptions",
    "RequestValidationError",
    "Secret",
    "SyncAPIClient",
    "SyncPager",
    "UnprocessableEntityError",
    "__version__",
    "async_to_raw_page_wrapper",
    "async_to_raw_response_wrapper",
    "decode_json",
    "json_list_parser",
    "json_parser",
    "json_parser_by_status",
    "parse_none",
    "parse_text",
    "to_raw_page_wrapper",
    "to_raw_response_wrapper",
]

_LAZY = {
    "SyncAPIClient": "_base_client",
    "AsyncAPIClient": "_base_client",
    "DEFAULT_TIMEOUT": "_base_client",
    "RateLimiter": "_ratelimit",
    "Backoff": "_config",
    "ClientConfig": "_config",
    "Secret": "_config",
    "Export": "_export",
    "AsyncExport": "_export",
    "ExportOptions": "_export",
    "Checkpoint": "_export",
}


def __getattr__(name: str) -> Any:
    # Keeps `import intercom_ext` from loading the client module until a client name is asked for.
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
