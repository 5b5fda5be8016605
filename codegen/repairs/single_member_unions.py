"""Repair: ``oneOf``/``anyOf`` with a single member.

Upstream defect: request bodies such as 2.10's ``POST /contacts`` are written as
``oneOf: [{$ref: create_contact_request}]``. openapi-python-client turns a one-member union of a
body into ``Any`` and then renders a broken ``if/else`` (the four "files that don't parse":
create_contact.py, create_data_event.py, create_message.py, update_visitor.py), and the caller loses
the typed model.

Rule: a one-member ``oneOf``/``anyOf`` whose only sibling keywords are annotations is replaced by
its member (sibling annotations are kept). ``nullable: true`` siblings keep the
``anyOf: [member]`` form, which is how OpenAPI 3.0 spells "member or null" and which the generator
handles.
"""

from __future__ import annotations

from typing import Any

from codegen.spec import all_schemas

_ANNOTATIONS = {"description", "example", "examples", "deprecated", "readOnly", "writeOnly", "default"}


def apply(spec: dict[str, Any]) -> list[str]:
    count = 0
    for _, schema in list(all_schemas(spec)):
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if not (isinstance(members, list) and len(members) == 1 and isinstance(members[0], dict)):
                continue
            if schema.get("nullable") is True or set(schema) - _ANNOTATIONS - {key}:
                continue
            annotations = {k: schema[k] for k in schema if k != key}
            member = members[0]
            schema.clear()
            schema.update(member)
            if "$ref" not in member:
                schema.update(annotations)
            count += 1
    return [f"unwrapped {count} one-member unions"] if count else []
