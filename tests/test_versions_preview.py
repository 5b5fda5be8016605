"""Preview (the beta channel Intercom renamed from Unstable), its ``unstable`` alias, and 2.16."""

from __future__ import annotations

import sys

from codegen.manifest import load_history, load_manifest
from codegen.repairs import response_unions
from intercom_ext import cli, preview, unstable, v2_16


def _facade(module: object) -> object:
    return sys.modules[module.Intercom.__module__]  # type: ignore[attr-defined]


def test_preview_sends_preview_and_offers_every_operation() -> None:
    assert preview.Intercom(token="t").version_header == "Preview"
    assert len(_facade(preview).OPERATIONS) == 256  # type: ignore[attr-defined]
    assert v2_16.Intercom(token="t").version_header == "2.16"
    assert len(_facade(v2_16).OPERATIONS) == 231  # type: ignore[attr-defined]


def test_unstable_is_the_same_package_and_sends_preview() -> None:
    assert unstable.Intercom is preview.Intercom and unstable.AsyncIntercom is preview.AsyncIntercom
    assert unstable.models is preview.models
    assert unstable.Intercom(token="t").version_header == "Preview"
    assert unstable.Intercom(token="t", version_header="Unstable").version_header == "Unstable"
    assert cli.VERSIONS["unstable"] == cli.VERSIONS["preview"] == "preview"


def test_the_april_unstable_pin_is_history_not_a_package() -> None:
    (entry,) = [v for v in load_manifest() if v.name == "Preview"]
    assert entry.aliases == ("Unstable",) and entry.alias_modules == {"Unstable": "unstable"}
    (april,) = [v for v in load_history() if v.name == "Unstable"]
    assert "/40df073c795d1a956f27d10afea7623eb720f5ed/descriptions/0/" in april.url
    assert april.name not in {v.name for v in load_manifest()}


def test_response_unions_merges_a_union_body_into_one_model() -> None:
    member = {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": ["a"]}, "x": {"type": "integer"}},
    }
    other = {
        "allOf": [
            {"$ref": "#/components/schemas/base"},
            {
                "type": "object",
                "properties": {"kind": {"type": "string", "enum": ["b"]}, "y": {"type": "string"}},
            },
        ]
    }
    spec = {
        "components": {
            "schemas": {
                "base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
                "a": {"allOf": [{"$ref": "#/components/schemas/base"}, member]},
                "b": other,
                "thing": {"oneOf": [{"$ref": "#/components/schemas/a"}, {"$ref": "#/components/schemas/b"}]},
            }
        },
        "paths": {
            "/things": {
                "get": {
                    "operationId": "getThing",
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/thing"}}
                            }
                        }
                    },
                }
            }
        },
    }
    notes = response_unions.apply(spec)
    assert notes and "thing_response" in notes[0]
    body = spec["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/thing_response"}
    merged = spec["components"]["schemas"]["thing_response"]
    assert list(merged["properties"]) == ["id", "kind", "x", "y"]
    assert merged["properties"]["kind"] == {"type": "string", "enum": ["a", "b"]}
    assert merged["required"] == ["id"]
    assert "thing" in spec["components"]["schemas"]  # the union itself stays for other uses
