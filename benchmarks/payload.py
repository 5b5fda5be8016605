"""The benchmark payload: a realistic contact list page, built from the pinned 2.11 spec.

One contact is the spec's own example (the 200 response of ``GET /contacts/{contact_id}``, 52
fields) with every field filled: each ``null`` and each empty list gets a value from the contact
schema's property examples (lists get several items), and the two schema properties the example
leaves out (``email_domain``, ``formatted_phone``) are added. Each contact of a page gets its own
id, email and URLs. Deterministic: the same bytes on every run and machine.
"""

from __future__ import annotations

import functools
import json
from typing import Any

SPEC_VERSION = "2.11"
ITEMS = 1  # items in each nested list (tags, notes, companies, social profiles, subscriptions)
EXTRA_VALUES = {  # example keys the 2.11 contact schema does not declare (kept as additional properties)
    "utm_campaign": "spring_sale",
    "utm_content": "banner_a",
    "utm_medium": "email",
    "utm_source": "newsletter",
    "utm_term": "crm",
    "referrer": "https://www.example.com/pricing",
}
LOCATION_EXTRA = {"country_code": "IRL", "continent_code": "EU"}  # in the example, not in the schema
CUSTOM_ATTRIBUTES = {"plan": "pro", "seats": 12, "beta_tester": True, "mrr": 99.5, "region_code": "eu-west"}


@functools.cache
def _spec() -> dict[str, Any]:
    from codegen.fetch import fetch
    from codegen.load import load_spec
    from codegen.manifest import load_manifest
    from codegen.repairs import repair

    version = next(v for v in load_manifest() if v.name == SPEC_VERSION)
    spec = load_spec(fetch(version, log=False))
    repair(spec)
    return spec


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while True:
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        elif len(schema.get("anyOf") or schema.get("oneOf") or ()) == 1:
            schema = (schema.get("anyOf") or schema["oneOf"])[0]
        else:
            return schema


def _sample(spec: dict[str, Any], schema: dict[str, Any], name: str = "") -> Any:
    """A value for ``schema`` with every property filled (examples where the spec has them)."""
    schema = _resolve(spec, schema)
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {k: _sample(spec, sub, k) for k, sub in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [_sample(spec, schema.get("items") or {}) for _ in range(ITEMS)]
    if "example" in schema:
        return schema["example"]
    return {"integer": 7, "number": 1.5, "boolean": True}.get(kind or "", f"{name or 'text'}-value")


def _fill(spec: dict[str, Any], value: Any, schema: dict[str, Any] | None, name: str = "") -> Any:
    """``value`` (from the example) with every null and empty list filled."""
    schema = _resolve(spec, schema) if schema is not None else None
    if value is None:
        if schema is not None:
            return _sample(spec, schema, name)
        return {**EXTRA_VALUES, **LOCATION_EXTRA}.get(name, f"{name}-value")
    if isinstance(value, dict):
        props = (schema or {}).get("properties") or {}
        out = {k: _fill(spec, v, props.get(k), k) for k, v in value.items()}
        for k, sub in props.items():  # schema properties the example leaves out
            out.setdefault(k, _sample(spec, sub, k))
        return out
    if isinstance(value, list) and not value:
        items = ((schema or {}).get("items")) or {}
        if not items or not _resolve(spec, items).get("properties"):
            items = {"$ref": "#/components/schemas/addressable_list"}  # undeclared lists of references
        return [_sample(spec, items) for _ in range(ITEMS)]
    return value


@functools.cache
def contact_template() -> dict[str, Any]:
    spec = _spec()
    op = spec["paths"]["/contacts/{contact_id}"]["get"]
    examples = op["responses"]["200"]["content"]["application/json"]["examples"]
    example = next(iter(examples.values()))["value"]
    schema = spec["components"]["schemas"]["contact"]
    contact = _fill(spec, example, schema)
    for key, value in EXTRA_VALUES.items():
        contact.setdefault(key, value)
    contact["custom_attributes"] = dict(CUSTOM_ATTRIBUTES)
    for key, kind in (
        ("tags", "tag"),
        ("opted_out_subscription_types", "subscription"),
        ("opted_in_subscription_types", "subscription"),
    ):
        for item in contact[key]["data"]:
            item["type"] = kind
            item["url"] = f"/{kind}s/{item['id']}"
    for key in ("tags", "notes", "companies", "opted_out_subscription_types", "opted_in_subscription_types"):
        contact[key]["total_count"] = len(contact[key]["data"])
    return contact


_MARKS = {"id": "@ID@", "external_id": "ext-@N@", "email": "user@N@@example.com", "name": "User @N@"}


@functools.cache
def _contact_text() -> str:
    template = contact_template()
    text = json.dumps(template, separators=(",", ":")).replace(template["id"], _MARKS["id"])
    marked = json.loads(text)
    marked.update(_MARKS)
    return json.dumps(marked, separators=(",", ":"))


def contact_json(index: int) -> str:
    """The ``index``-th contact, serialised: the filled example with its own id, email, name, URLs."""
    return _contact_text().replace("@ID@", f"{index:024x}").replace("@N@", str(index))


def contact(index: int) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(contact_json(index))
    return out


def cursor(page: int) -> str:
    return f"cursor-{page}"


def page_bytes(number: int = 0, per_page: int = 150, total_pages: int = 1) -> bytes:
    """Page ``number`` (0-based) of a cursor-paginated ``GET /contacts`` listing, serialised."""
    pages: dict[str, Any] = {
        "type": "pages",
        "page": number + 1,
        "per_page": per_page,
        "total_pages": total_pages,
    }
    if number + 1 < total_pages:
        pages["next"] = {"per_page": per_page, "starting_after": cursor(number + 1)}
    data = ",".join(contact_json(number * per_page + i) for i in range(per_page))
    envelope = json.dumps(
        {"type": "list", "data": "@DATA@", "total_count": per_page * total_pages, "pages": pages},
        separators=(",", ":"),
    )
    return envelope.replace('"@DATA@"', f"[{data}]", 1).encode()
