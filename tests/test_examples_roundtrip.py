"""Every documented 2xx JSON example parses into a typed model and serialises back unchanged.

Normalisation applied before comparing (documented in the README): none is needed for values;
``to_dict()`` output is compared after a JSON round trip so tuples/lists compare equal.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from dateutil.parser import isoparse

from tests._specs import VERSIONS, Example, endpoint_module, response_examples

_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
EXAMPLES = [ex for v in VERSIONS for ex in response_examples(v)]


def _client(version: Any) -> Any:
    mod = __import__(f"{version.package}.client", fromlist=["Client"])
    return mod.Client(base_url="http://127.0.0.1")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_example_parses_to_typed_model_and_round_trips(example: Example) -> None:
    module = endpoint_module(example.version, example.path, example.method)
    response = httpx.Response(example.status, json=example.value)
    parsed = module._parse_response(client=_client(example.version), response=response)
    assert parsed is not None, "no parser for this documented response"
    assert hasattr(parsed, "to_dict"), f"parsed into {type(parsed).__name__}, not a typed model"
    assert _normalise(json.loads(json.dumps(parsed.to_dict()))) == _normalise(example.value)


def _normalise(value: Any) -> Any:
    """date-time strings compare as instants: to_dict() writes ``isoformat()`` ("+00:00" for "Z",
    no ".000"), which is the same point in time."""
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, str) and _DATETIME.fullmatch(value):
        return isoparse(value)
    return value
