"""Exception hierarchy of the Intercom SDK.

::

    IntercomError                       base of everything raised by this SDK
    ├── IntercomConfigError (ValueError) bad construction arguments (unknown region, bad base_url, ...)
    │   └── MissingTokenError            no token passed and $INTERCOM_ACCESS_TOKEN unset/empty
    └── APIError                         something went wrong talking to the API
        ├── APIConnectionError           transport failure (DNS, refused, reset, ...)
        │   └── APITimeoutError          the request timed out
        ├── APIResponseValidationError   a 2xx whose body could not be decoded/parsed as expected
        └── APIStatusError               non-2xx response
            ├── BadRequestError          400
            ├── AuthenticationError      401
            ├── PermissionDeniedError    403
            ├── NotFoundError            404
            ├── ConflictError            409
            ├── UnprocessableEntityError 422
            ├── RateLimitError           429
            └── InternalServerError      5xx

Every :class:`APIStatusError` carries ``status_code``, ``request_id`` (``X-Request-Id`` header, else
the ``request_id`` of Intercom's ``error.list`` body), ``errors`` (a list of :class:`ErrorDetail`
parsed from ``{"type": "error.list", "errors": [{"code", "message", "field"}]}``), ``body`` (decoded
JSON, or text for non-JSON bodies such as an HTML error page) and the raw ``response``.

No message, repr or attribute of these exceptions contains the access token: they are built only from
the status line, the response body and the request's method and URL.

This module does not import httpx at runtime, so ``import intercom_ext`` stays cheap.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ErrorDetail",
    "IntercomConfigError",
    "IntercomError",
    "InternalServerError",
    "MissingTokenError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "UnprocessableEntityError",
    "make_status_error",
]

_MAX_ERRORS_IN_MESSAGE = 3


class IntercomError(Exception):
    """Base class of every exception raised by this SDK."""


class IntercomConfigError(IntercomError, ValueError):
    """The client was constructed with invalid arguments (unknown region, malformed token, ...)."""


class MissingTokenError(IntercomConfigError):
    """No access token: neither ``token=`` nor ``$INTERCOM_ACCESS_TOKEN`` was set."""


class RequestValidationError(IntercomError, TypeError):
    """A call the API would refuse, refused before anything was sent (``intercom_ext._request``).

    A ``TypeError`` (like a wrong keyword in plain Python). ``operation`` is the facade method
    (``contacts.update``), ``location`` where the problem is (``contacts[0].id``; empty for the
    call as a whole) and ``problem`` what is wrong.
    """

    def __init__(self, operation: str, location: str, problem: str) -> None:
        self.operation = operation
        self.location = location
        self.problem = problem
        where = f"{location}: " if location else ""
        super().__init__(f"{operation}: {where}{problem}")


class ErrorDetail:
    """One entry of Intercom's ``error.list`` envelope (immutable, compares by value)."""

    __slots__ = ("code", "field", "message")

    code: str | None
    message: str | None
    field: str | None

    def __init__(self, code: str | None, message: str | None, field: str | None = None) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "field", field)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("ErrorDetail is immutable")

    def _key(self) -> tuple[str | None, str | None, str | None]:
        return (self.code, self.message, self.field)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ErrorDetail) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"ErrorDetail(code={self.code!r}, message={self.message!r}, field={self.field!r})"

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}" if self.code else str(self.message)
        return f"{text} (field {self.field!r})" if self.field else text


class APIError(IntercomError):
    """An error that happened while talking to the API.

    ``message`` is the human-readable text; ``request`` is the ``httpx.Request`` (if one was built).
    """

    message: str
    request: httpx.Request | None

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The request could not be completed at the transport level (after any retries)."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out (after any retries)."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(APIError):
    """A successful (2xx) response whose body is not what the endpoint promises (e.g. not JSON)."""

    response: httpx.Response
    status_code: int
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message, request=_request_of(response))
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get("x-request-id")


class APIStatusError(APIError):
    """The API answered with a non-2xx status. Subclasses exist for the common statuses."""

    response: httpx.Response
    status_code: int
    request_id: str | None
    errors: list[ErrorDetail]
    body: Any

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any,
        errors: list[ErrorDetail],
        request_id: str | None,
    ) -> None:
        super().__init__(message, request=_request_of(response))
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.errors = errors
        self.request_id = request_id

    @property
    def error_codes(self) -> list[str]:
        """The ``code`` of every error entry (convenience for ``if "not_found" in e.error_codes``)."""
        return [e.code for e in self.errors if e.code]


class BadRequestError(APIStatusError):
    """HTTP 400."""


class AuthenticationError(APIStatusError):
    """HTTP 401: the token is missing, invalid or revoked."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the token lacks a required scope or the app lacks access."""


class NotFoundError(APIStatusError):
    """HTTP 404."""


class ConflictError(APIStatusError):
    """HTTP 409."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422."""


class RateLimitError(APIStatusError):
    """HTTP 429 (after any retries). ``response.headers`` carries ``X-RateLimit-*``."""


class InternalServerError(APIStatusError):
    """HTTP 5xx (after any retries)."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _request_of(response: httpx.Response) -> httpx.Request | None:
    try:
        return response.request
    except RuntimeError:  # an httpx.Response built by hand has no request
        return None


def _decode_body(response: httpx.Response) -> tuple[Any, bool]:
    """Return ``(body, is_json)``: decoded JSON when possible, else the text."""
    content = response.content
    if content:
        try:
            return json.loads(content), True
        except (ValueError, UnicodeDecodeError):
            pass
    try:
        return response.text, False
    except (LookupError, UnicodeDecodeError):  # pragma: no cover - exotic charset
        return content.decode("utf-8", errors="replace"), False


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _parse_errors(body: Any) -> list[ErrorDetail]:
    if not isinstance(body, dict):
        return []
    raw_errors = body.get("errors")
    if isinstance(raw_errors, list):
        out: list[ErrorDetail] = []
        for item in raw_errors:
            if isinstance(item, dict):
                out.append(
                    ErrorDetail(
                        code=_as_str(item.get("code")),
                        message=_as_str(item.get("message")),
                        field=_as_str(item.get("field")),
                    )
                )
            elif item is not None:
                out.append(ErrorDetail(code=None, message=str(item)))
        return out
    # Some endpoints (e.g. OAuth) answer with a flat object instead of an error.list.
    code = body.get("code") or body.get("error")
    message = body.get("message") or body.get("error_description")
    if code is not None or message is not None:
        return [ErrorDetail(code=_as_str(code), message=_as_str(message))]
    return []


def _status_line(response: httpx.Response) -> str:
    reason = getattr(response, "reason_phrase", "") or ""
    return f"{response.status_code} {reason}".rstrip()


def make_status_error(response: httpx.Response) -> APIStatusError:
    """Build the typed :class:`APIStatusError` subclass for a non-2xx ``response``.

    The message names the status, the request id and up to three error codes/messages, e.g.
    ``"404 Not Found (request_id=b3f0) for GET https://api.intercom.io/contacts/1: not_found: Not Found"``.
    """
    body, is_json = _decode_body(response)
    errors = _parse_errors(body) if is_json else []
    request_id = response.headers.get("x-request-id")
    if not request_id and isinstance(body, dict) and body.get("request_id"):
        request_id = _as_str(body.get("request_id"))

    parts = [_status_line(response), f"(request_id={request_id})"]
    request = _request_of(response)
    if request is not None:
        parts.append(f"for {request.method} {request.url.copy_with(query=None)}")
    head = " ".join(parts)
    if errors:
        shown = "; ".join(str(e) for e in errors[:_MAX_ERRORS_IN_MESSAGE])
        more = len(errors) - _MAX_ERRORS_IN_MESSAGE
        detail = shown + (f"; and {more} more" if more > 0 else "")
    elif is_json:
        detail = "no error details in the response body"
    else:
        ctype = response.headers.get("content-type", "unknown content type")
        detail = f"non-JSON error body ({ctype}, {len(response.content)} bytes)"
    message = f"{head}: {detail}"

    status = response.status_code
    cls = _STATUS_CLASSES.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    return cls(message, response=response, body=body, errors=errors, request_id=request_id)
