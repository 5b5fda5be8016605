"""Repair: examples that contradict their own schema (response examples and schema examples).

Upstream defect: many documented examples do not validate against the schema they illustrate.
2.11 response examples omit properties its schemas list as ``required`` (``admin.job_title``,
``company.size``/``website``/``industry``, ``article.default_locale``, ``tag.applied_at``,
``ticket_type.ticket_type_attributes``...), the ``visitor`` response examples of every version carry
``"email": ""`` for a ``format: email`` property; schema-level ``example`` values contradict their
own schema too (2.11 ``company.custom_attributes`` shows booleans and numbers for string values,
``article.author_id`` a string for an integer, Unstable ``custom_object_instance.id`` a number for a
string). A mock server answers with the first example of a response, or builds one from the schema
examples, and Prism with ``--errors`` (the contract tests, ``make demo``) then answers 500
"Request/Response not valid" instead of the documented response.

Rule: the schema is the contract the packages are generated from, so every ``example``/``examples``
entry of a response media type, and every ``example`` keyword of a schema, that does not validate
against its schema is removed (a mock then answers from the schema). Validation follows OpenAPI 3.0
as the mock server applies it: read direction (``readOnly`` allowed), ``nullable: true`` accepts
``null`` wherever it is written (also beside ``$ref``/``allOf``/``anyOf``/``oneOf``), and formats
are checked as far as ``openapi-schema-validator`` checks them (relative ``format: uri`` values,
which the mock accepts too, are not flagged). The only effect on the packages is that docstrings
no longer quote the removed schema examples; the untouched upstream response examples keep being fed
to the generated parsers by ``tests/test_examples_roundtrip.py``. Request body examples are left
alone (a client never has to read them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from jsonschema import validators  # type: ignore[import-untyped]
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator, oas30_format_checker

from codegen.spec import all_schemas, operations

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


def _schema_examples(spec: dict[str, Any]) -> list[str]:
    notes = []
    for where, schema in list(all_schemas(spec)):
        if "example" not in schema:
            continue
        try:
            errors = schema_errors(spec, schema, schema["example"])
        except Exception as exc:  # an unresolvable construct: keep the example, say so
            notes.append(f"{where}: example not checked ({type(exc).__name__})")
            continue
        if errors:
            del schema["example"]
            notes.append(f"{where}: dropped schema example ({errors[0][:120]})")
    return notes


def apply(spec: dict[str, Any]) -> list[str]:
    notes = _schema_examples(spec)
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
