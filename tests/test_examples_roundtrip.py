"""Every documented 2xx JSON example parses into a typed model and serialises back unchanged.

Normalisation applied before comparing (documented in docs/maintainers/codegen.md): none is needed for values;
``to_dict()`` output is compared after a JSON round trip so tuples/lists compare equal.
"""

from __future__ import annotations

import importlib
import json

import httpx
import pytest

from tests._specs import VERSIONS, Example, normalise_datetimes, repaired_spec, response_examples
from tests.contract.contract_args import build_call

EXAMPLES = [ex for v in VERSIONS for ex in response_examples(v)]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_example_parses_to_typed_model_and_round_trips(example: Example) -> None:
    """The facade method of the operation, answered with the example, returns a typed model."""
    spec = repaired_spec(example.version.name)
    facade = importlib.import_module(f"{example.version.package}.facade")
    op = next(o for o in facade.OPERATIONS if (o.method, o.path) == (example.method.upper(), example.path))

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(example.status, json=example.value)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = facade.Intercom(token="t", http_client=http, rate_limiter=None, max_retries=0)
    method = getattr(getattr(client, op.resource), op.verb)
    call = build_call(spec, example.path, example.method, method)
    parsed = method(*call.args, **call.kwargs)
    if op.style is not None:  # a list operation: its first page
        parsed = next(iter(parsed.pages()))
    assert parsed is not None, "no parser for this documented response"
    assert hasattr(parsed, "to_dict"), f"parsed into {type(parsed).__name__}, not a typed model"
    assert normalise_datetimes(json.loads(json.dumps(parsed.to_dict()))) == normalise_datetimes(example.value)
