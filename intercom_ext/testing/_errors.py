"""The error a handler of the fake raises: answered as Intercom's ``error.list`` envelope."""

from __future__ import annotations


class FakeAPIError(Exception):
    """``status`` with one ``error.list`` entry (``code``, ``message``, optional ``field``)."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def not_found(kind: str, ident: object) -> FakeAPIError:
    return FakeAPIError(404, "not_found", f"{kind} Not Found: {ident}")


def bad_request(message: str, code: str = "parameter_invalid", field: str | None = None) -> FakeAPIError:
    return FakeAPIError(400, code, message, field)


def missing(field: str) -> FakeAPIError:
    return FakeAPIError(400, "parameter_not_found", f"{field} is required", field)
