"""Repair: an operation that documents no success response at all.

Upstream defect: Unstable ``GET /fin_voice/phone_number/{phone_number}`` documents only ``401``,
``404`` and ``default`` (all the ``error`` schema), although it "returns the most recent matched
call" (its siblings ``/fin_voice/collect/{id}`` and ``/fin_voice/external_id/{external_id}`` answer
``200`` with ``ai_call_response``). With ``default`` as the only description of a success, the
generated function parses a successful answer into the ``Error`` model, the facade returns ``None``
and drops the body, and a mock server answers the ``default`` error example with status 200.

Rule: an operation with no ``2XX``/``3XX`` response gets a ``200`` response whose body is any JSON
object (``type: object``, no declared properties), described as undocumented upstream. The success
body reaches the caller untouched (a model that keeps every property in ``additional_properties``);
nothing is guessed about its shape.
"""

from __future__ import annotations

from typing import Any

from codegen.spec import operations


def _undocumented_success() -> dict[str, Any]:
    return {
        "description": "Successful response (not documented upstream: the body is passed through as-is)",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "The success body, which the upstream spec does not describe.",
                    "additionalProperties": True,
                }
            }
        },
    }


def apply(spec: dict[str, Any]) -> list[str]:
    notes = []
    for path, method, op in operations(spec):
        responses = op.get("responses")
        if not isinstance(responses, dict):
            continue
        if any(str(code)[:1] in ("2", "3") for code in responses):
            continue
        # Keep the documented codes first, in order, then the new success before ``default``.
        default = responses.pop("default", None)
        responses["200"] = _undocumented_success()
        if default is not None:
            responses["default"] = default
        notes.append(f"{method.upper()} {path}: no success response documented; added 200 (any JSON object)")
    return notes
