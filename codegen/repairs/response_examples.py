"""Repair: response examples that contradict their own schema.

Upstream defect: many documented response examples do not validate against the schema of the same
response. 2.11 examples omit properties its schemas list as ``required`` (``admin.job_title``,
``company.size``/``website``/``industry``, ``article.default_locale``, ``tag.applied_at``,
``ticket_type.ticket_type_attributes``...), the ``visitor`` examples of every version carry
``"email": ""`` for a ``format: email`` property, and Unstable's custom object instance examples
give ``99.99`` to a property whose values are strings. A mock server serves the first example of a
response, and Prism with ``--errors`` (the contract tests, ``make demo``) answers such an example
with a 500 "Request/Response not valid" instead of the documented response.

Rule: the schema is the contract the packages are generated from, so every ``example`` and every
``examples`` entry of a response media type that does not validate against that media type's
schema is removed (a mock then answers from the schema). Validation follows OpenAPI 3.0 as the mock
server applies it: read direction (``readOnly`` allowed, ``writeOnly`` not), ``nullable: true``
accepts ``null`` wherever it is written (also beside ``$ref``/``allOf``/``anyOf``/``oneOf``), and
formats are checked. Examples are not used to generate code, so the packages do not change; the
untouched upstream examples keep being fed to the generated parsers by
``tests/test_examples_roundtrip.py``. Request examples are left alone (a client never has to read
them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from jsonschema import validators
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator, oas30_format_checker

from codegen.repairs._walk import operations

FORMAT_CHECKER = oas30_format_checker

Keyword = Callable[..., Iterator[Any]]


def _nullable_aware(keyword: Keyword) -> Keyword:
    def check(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
        if instance is None and schema.get("nullable") is True:
            return
        yield from keyword(validator, value, instance, schema)

    return check


def _lenient_nullable(base: Any) -> Any:
    keywords = {k: _nullable_aware(base.VALIDATORS[k]) for k in ("$ref", "allOf", "anyOf", "oneOf")}
    return validators.extend(base, keywords)


ReadValidator = _lenient_nullable(OAS30ReadValidator)
WriteValidator = _lenient_nullable(OAS30WriteValidator)


def schema_errors(spec: dict[str, Any], schema: Any, value: Any, *, reading: bool = True) -> list[str]:
    """Why ``value`` does not validate against ``schema`` (a schema of ``spec``), as short lines.

    ``reading``: a response (``readOnly`` allowed); otherwise a request (``writeOnly`` allowed).
    """
    root = {"components": spec.get("components") or {}, "x-target": schema, "$ref": "#/x-target"}
    cls = ReadValidator if reading else WriteValidator
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in cls(root, format_checker=FORMAT_CHECKER).iter_errors(value)
    ]


def apply(spec: dict[str, Any]) -> list[str]:
    notes = []
    for path, method, op in operations(spec):
        for status, response in (op.get("responses") or {}).items():
            for media_type, media in (response.get("content") or {}).items():
                if not isinstance(media, dict) or not isinstance(media.get("schema"), dict):
                    continue
                schema = media["schema"]
                dropped = []
                if "example" in media and schema_errors(spec, schema, media["example"]):
                    del media["example"]
                    dropped.append("example")
                examples = media.get("examples")
                if isinstance(examples, dict):
                    for label, example in list(examples.items()):
                        if (
                            isinstance(example, dict)
                            and "value" in example
                            and schema_errors(spec, schema, example["value"])
                        ):
                            del examples[label]
                            dropped.append(repr(label))
                    if not examples:
                        del media["examples"]
                if dropped:
                    notes.append(
                        f"{method.upper()} {path} {status} {media_type}: dropped example(s) "
                        f"{', '.join(dropped)} that contradict the schema"
                    )
    return notes
