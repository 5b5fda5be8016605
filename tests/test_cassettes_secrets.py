"""Every recorded cassette is free of credentials and only ever talked to loopback.

Scans ``tests/cassettes/`` (all of it, whatever test wrote a cassette): the token used when
recording must not appear anywhere in a file, no request may carry an ``Authorization`` header or a
bearer credential, and every recorded request went to 127.0.0.1/localhost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from test_cassettes import RECORDING_TOKEN, VERSIONS, scrub_request, scrub_response

CASSETTES = Path(__file__).resolve().parent / "cassettes"
FILES = sorted(CASSETTES.rglob("*.yaml"))
FLOWS = (
    "test_list_and_paginate_contacts",
    "test_create_contact_then_note",
    "test_search_conversations",
    "test_scroll_companies",
    "test_tag_contact",
    "test_not_found_raises_typed_error",
    "test_request_the_api_rejects_raises_unprocessable",
)


def _interactions(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data.get("interactions") or [])


def test_every_flow_of_every_version_has_a_cassette() -> None:
    names = {p.name for p in FILES}
    missing = [f"{flow}[{v}].yaml" for flow in FLOWS for v in VERSIONS if f"{flow}[{v}].yaml" not in names]
    assert not missing, f"run `make record`: missing {missing}"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_cassette_holds_no_token_and_only_loopback_requests(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert RECORDING_TOKEN not in text
    assert "bearer" not in text.lower()
    interactions = _interactions(path)
    assert interactions, "empty cassette"
    for interaction in interactions:
        request = interaction["request"]
        headers = {name.lower() for name in (request.get("headers") or {})}
        assert "authorization" not in headers
        assert "cookie" not in headers
        assert urlsplit(request["uri"]).hostname in ("127.0.0.1", "localhost"), request["uri"]


def test_scrubbers_replace_the_token_wherever_it_would_be_recorded() -> None:
    class Request:
        uri = f"http://127.0.0.1:1/x?token={RECORDING_TOKEN}"
        body: bytes | str = f'{{"t": "{RECORDING_TOKEN}"}}'.encode()

    request = scrub_request(Request())
    assert RECORDING_TOKEN not in request.uri and RECORDING_TOKEN.encode() not in request.body
    response = scrub_response(
        {"body": {"string": RECORDING_TOKEN.encode()}, "headers": {"x-echo": [f"Bearer {RECORDING_TOKEN}"]}}
    )
    assert RECORDING_TOKEN.encode() not in response["body"]["string"]
    assert RECORDING_TOKEN not in response["headers"]["x-echo"][0]
