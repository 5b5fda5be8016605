"""Pass 4: the repaired spec must be valid OpenAPI (openapi-spec-validator)."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from referencing.exceptions import Unresolvable


class InvalidSpecError(ValueError):
    """The repaired spec is still not valid OpenAPI: a repair rule is missing."""


def validate_spec(spec: dict[str, Any], name: str) -> None:
    try:
        validate(spec)  # type: ignore[arg-type]
    except (OpenAPIValidationError, Unresolvable) as exc:  # Unresolvable: a dangling $ref
        raise InvalidSpecError(f"{name}: repaired spec is not valid OpenAPI: {exc}") from exc
