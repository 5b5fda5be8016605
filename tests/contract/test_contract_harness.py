"""The harness itself: Prism's verdict is read correctly, arguments follow the spec, and Prism really
runs in ``--errors`` mode (a violating request is caught, so a green contract run is not vacuous).

The first tests need no server (they run in ``make test``); the last one is a contract test.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.contract.contract_args import SchemaChecker, Synthesizer, build_call
from tests.contract.contract_check import ContractClient, prism_violations
from tests.contract.prism_server import PrismServer, version_named


def test_prism_422_problem_and_sl_violations_header_are_request_violations() -> None:
    problem = {
        "type": "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
        "status": 422,
        "validation": [
            {"location": ["body", "role"], "severity": "Error", "code": "type", "message": "must be string"}
        ],
    }
    response = httpx.Response(422, json=problem, headers={"content-type": "application/problem+json"})
    assert prism_violations(response) == (["body.role: must be string"], [])

    header = [
        {"location": ["request", "query", "per_page"], "severity": "Error", "message": "must be <= 150"},
        {"location": ["response", "body"], "severity": "Error", "message": "must have property 'id'"},
        {"location": ["request", "body"], "severity": "Warning", "message": "deprecated"},
    ]
    response = httpx.Response(400, json={}, headers={"sl-violations": json.dumps(header)})
    assert prism_violations(response) == (
        ["query.per_page: must be <= 150"],
        ["body: must have property 'id'"],
    )


def _spec(schema: dict[str, Any], media: dict[str, Any] | None = None) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": schema, **(media or {})}}}
    return {
        "openapi": "3.0.1",
        "paths": {"/t/{id}": {"post": {"parameters": [], "requestBody": body, "responses": {}}}},
        "components": {"schemas": {}},
    }


def test_request_examples_are_preferred_when_valid_else_the_schema_is_synthesised() -> None:
    schema = {
        "type": "object",
        "properties": {
            "email": {"type": "string", "format": "email"},
            "n": {"type": "integer", "minimum": 3},
        },
        "required": ["n"],
        "x-required-one-of": [["email"], ["external_id"]],
    }
    spec = _spec(schema, {"examples": {"bad": {"value": {"n": "x"}}, "good": {"value": {"n": 4}}}})

    def sync_detailed(*, client: Any, body: Any) -> None: ...

    call = build_call(spec, "/t/{id}", "post", sync_detailed)
    assert call.body_json == {"n": 4} and call.body_source == "request example 'good'"

    synthesised = Synthesizer(spec, SchemaChecker(spec)).value(schema)
    assert synthesised == {"n": 3, "email": "jane.doe@example.com"}
    assert SchemaChecker(spec).valid(schema, synthesised)


@pytest.mark.contract
def test_prism_rejects_a_violating_request_and_the_harness_reports_it(
    prism_servers: dict[str, PrismServer],
) -> None:
    if "2.11" not in prism_servers:
        pytest.skip("2.11 is not part of this contract run")
    client = ContractClient(version_named("2.11").package, prism_servers["2.11"].base_url)
    try:
        with pytest.raises(Exception) as caught:
            next(iter(client.client.conversations.list(per_page=500)))  # maximum: 150
        assert getattr(caught.value, "status_code", None) == 422
        assert client.last is not None
        request_violations, _ = prism_violations(client.last)
        assert request_violations == ["query.per_page: Request query parameter per_page must be <= 150"]
    finally:
        client.close()
