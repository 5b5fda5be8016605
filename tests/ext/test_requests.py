"""Writes as a user types them: every request example of every spec, as a keyword call, sends exactly
the example's JSON and passes ``mypy --strict``; misuse is refused at run time (nothing is sent)
and by mypy.

The calls are written the way Intercom's docs show them: path ids positional, every top-level key of
the example a keyword, nested values as plain dicts and lists. An example that contradicts its own
schema (Intercom ships a few "invalid parameters" examples on purpose) must be refused before
sending, with a ``RequestValidationError``.
"""

from __future__ import annotations

import importlib
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from codegen.requests import python_name
from intercom_ext import RequestValidationError
from tests._specs import VERSIONS, repaired_spec
from tests.contract.contract_args import SchemaChecker, parameters

HTTP = ("get", "put", "post", "delete", "patch")

#: Makes the mypy snippets' module names unique per run: mypy's cache would otherwise report a
#: module's errors from an earlier run (at its earlier path).
RUN = uuid.uuid4().hex[:8]

#: Checks the SDK does not make before sending (the API does): string formats and lengths. An
#: example broken only in these ways is sent as given. ("valid under each of": JSON Schema's
#: ``oneOf`` wants exactly one member; the SDK sends a value that fits any member.)
NOT_CHECKED = ("is too short", "is too long", "is not a '", "does not match", "is valid under each of")

#: Examples that JSON Schema accepts (objects are open there, and a ``oneOf`` member that does not
#: declare a key lets any value through) but that the SDK refuses: a key the schema does not declare
#: is an unknown keyword (send it with ``extra_body=``), a key's value must fit its declaration:
#: (resource.verb, example name) -> the key named in the error.
UNDECLARED = {
    ("companies.create_or_update", "bad_request"): "test",  # an "invalid parameters" example
    ("companies.update", "bad_request"): "test",
    ("internal_articles.create", "internal_article_created"): "locale",  # not in the schema
    ("data_attributes.update", "too_few_options_in_list"): "options",  # a dict, where a list is declared
}


@dataclass(frozen=True)
class Case:
    version: str
    resource: str
    verb: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    body: Any
    valid: bool
    label: str

    def call_text(self, client: str = "client") -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{client}.{self.resource}.{self.verb}({', '.join(parts)})"


def _path_value(spec: dict[str, Any], param: dict[str, Any]) -> Any:
    if "example" in param:
        return param["example"]
    schema = param.get("schema") or {}
    return 123 if schema.get("type") == "integer" else "123"


def _examples(media: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    if "example" in media:
        yield "example", media["example"]
    for label, example in (media.get("examples") or {}).items():
        if isinstance(example, dict) and "value" in example:
            yield label, example["value"]


def request_cases(version: str) -> list[Case]:
    """One case per named request example of ``version``."""
    spec = repaired_spec(version)
    package = next(v.package for v in VERSIONS if v.name == version)
    facade = importlib.import_module(f"{package}.facade")
    names = {(op.method.lower(), op.path): (op.resource, op.verb) for op in facade.OPERATIONS}
    checker = SchemaChecker(spec)
    cases: list[Case] = []
    for path, item in spec["paths"].items():
        for method in HTTP:
            op = item.get(method)
            if not isinstance(op, dict) or not isinstance(op.get("requestBody"), dict):
                continue
            media = next(
                (m for t, m in (op["requestBody"].get("content") or {}).items() if "json" in t), None
            )
            if media is None or (method, path) not in names:
                continue
            args = tuple(_path_value(spec, p) for p in parameters(spec, path, op) if p.get("in") == "path")
            order = re.findall(r"{([^}]+)}", path)
            if len(args) != len(order):
                continue
            resource, verb = names[(method, path)]
            for label, value in _examples(media):
                if not isinstance(value, dict):
                    continue
                kwargs = {python_name(k): v for k, v in value.items()}
                errors = checker.errors(media.get("schema") or {}, value)
                valid = all(any(text in e for text in NOT_CHECKED) for e in errors)
                if (f"{resource}.{verb}", label) in UNDECLARED:
                    valid = False
                cases.append(Case(version, resource, verb, args, kwargs, value, valid, label))
    return cases


CASES = [case for v in VERSIONS for case in request_cases(v.name)]


def _client(version: str, sent: list[httpx.Request]) -> Any:
    package = next(v.package for v in VERSIONS if v.name == version)
    facade = importlib.import_module(f"{package}.facade")

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return facade.Intercom(token="t", http_client=http, rate_limiter=None, max_retries=0)


def _run(client: Any, case: Case) -> None:
    method = getattr(getattr(client, case.resource), case.verb)
    try:
        result = method(*case.args, **case.kwargs)
        if hasattr(result, "pages"):
            next(iter(result.pages()), None)
    except (TypeError, ValueError):  # refused before sending (RequestValidationError is a TypeError)
        raise
    except Exception:  # the empty {} answer need not parse: the request is what is checked here
        pass


def test_every_version_has_request_examples() -> None:
    counts = {v.name: sum(1 for c in CASES if c.version == v.name and c.valid) for v in VERSIONS}
    assert all(n >= 20 for n in counts.values()), counts


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.version} {c.resource}.{c.verb} {c.label}")
def test_spec_request_example_as_keyword_call(case: Case) -> None:
    sent: list[httpx.Request] = []
    client = _client(case.version, sent)
    if not case.valid:  # the example contradicts its own schema: refused, nothing sent
        with pytest.raises(TypeError) as info:  # RequestValidationError, or Python's missing argument
            _run(client, case)
        assert sent == []
        undeclared = UNDECLARED.get((f"{case.resource}.{case.verb}", case.label))
        if undeclared:
            assert undeclared in str(info.value)
        return
    _run(client, case)
    assert len(sent) >= 1
    assert json.loads(sent[0].content) == case.body


def test_spec_request_examples_pass_mypy_strict(tmp_path: Path) -> None:
    """Every valid example's keyword call type-checks (one file per version, one mypy run)."""
    from mypy import api

    files = []
    for version in VERSIONS:
        lines = [
            "from __future__ import annotations",
            "from typing import Any",
            f"from {version.package}.facade import Intercom",
            "",
            "",
            "def calls(client: Intercom) -> list[Any]:",
            "    return [",
        ]
        lines += [f"        {c.call_text()}," for c in CASES if c.version == version.name and c.valid]
        lines += ["    ]", ""]
        path = tmp_path / f"examples_{version.module}_{RUN}.py"
        path.write_text("\n".join(lines), encoding="utf-8")
        files.append(str(path))
    stdout, _stderr, _status = api.run(
        ["--strict", "--python-version", "3.11", "--no-error-summary", "--hide-error-context", *files]
    )
    assert [line for line in stdout.splitlines() if ": error:" in line] == [], stdout[-6000:]


# -- misuse ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Misuse:
    name: str
    call: str  # the wrong call (``client`` is the facade client)
    fixed: str  # the corrected call
    error: type[Exception]
    message: str  # in the runtime error's text
    mypy: bool = True  # mypy can see it (an empty string is a value mypy does not check)


MISUSES = [
    Misuse(
        "unknown keyword",
        'client.contacts.update("c-7", nmae="Ada")',
        'client.contacts.update("c-7", name="Ada")',
        RequestValidationError,
        "unexpected keyword argument 'nmae'; did you mean 'name'?",
    ),
    Misuse(
        "unknown option",
        'client.contacts.get("c-7", timout=5)',
        'client.contacts.get("c-7", timeout=5)',
        RequestValidationError,
        "did you mean 'timeout'?",
    ),
    Misuse(
        "empty path id",
        'client.contacts.get("")',
        'client.contacts.get("c-7")',
        ValueError,
        "must not be empty",
        mypy=False,
    ),
    Misuse(
        "nested required",
        'client.tickets.create(ticket_type_id="1", contacts=[{}])',
        'client.tickets.create(ticket_type_id="1", contacts=[{"id": "c-1"}])',
        RequestValidationError,
        "contacts[0]: one of id, external_id, email is required",
    ),
    Misuse(
        "no body where required",
        "client.tickets.create()",
        'client.tickets.create(ticket_type_id="1", contacts=[{"email": "a@example.com"}])',
        TypeError,
        "ticket_type_id",
    ),
    Misuse(
        "required body field",
        'client.notes.create("c1")',
        'client.notes.create("c1", body="<p>Hi</p>")',
        TypeError,
        "body",
    ),
    Misuse(
        "wrong JSON type",
        "client.contacts.create(name=123)",
        'client.contacts.create(name="Ada")',
        RequestValidationError,
        "name: expected str, got int",
    ),
    Misuse(
        "value outside an enum",
        'client.contacts.search(query={"field": "email", "operator": "==", "value": "a"})',
        'client.contacts.search(query={"field": "email", "operator": "=", "value": "a"})',
        RequestValidationError,
        "query.operator: '==' is not one of",
    ),
    Misuse(
        "unknown key in a dict",
        'client.contacts.search(query={"field": "email", "operator": "=", "value": "a", "vaule": 1})',
        'client.contacts.search(query={"field": "email", "operator": "=", "value": "a"})',
        RequestValidationError,
        "unknown key 'vaule'",
    ),
    Misuse(
        "union body missing its variant's field",
        'client.conversations.reply("1", type="admin", message_type="comment", body="hi")',
        'client.conversations.reply("1", type="admin", message_type="comment", body="hi", admin_id="5")',
        RequestValidationError,
        "missing required argument(s): admin_id",
    ),
]


@pytest.mark.parametrize("version", [v.name for v in VERSIONS])
@pytest.mark.parametrize("misuse", MISUSES, ids=lambda m: m.name)
def test_misuse_is_refused_at_runtime_before_sending(version: str, misuse: Misuse) -> None:
    sent: list[httpx.Request] = []
    client = _client(version, sent)
    with pytest.raises(misuse.error) as info:
        result = eval(misuse.call, {"client": client})
        list(result) if hasattr(result, "pages") else None
    assert misuse.message in str(info.value)
    assert sent == []
    result = eval(misuse.fixed, {"client": client})
    if hasattr(result, "pages"):
        next(iter(result.pages()), None)
    assert len(sent) == 1


def test_misuse_is_refused_by_mypy(tmp_path: Path) -> None:
    """Each wrong call is an error for mypy --strict, each corrected call is not (every version)."""
    from mypy import api

    files: dict[str, list[int]] = {}
    for version in VERSIONS:
        lines = [
            "from __future__ import annotations",
            f"from {version.package}.facade import Intercom",
            "",
            "",
            "def calls(client: Intercom) -> None:",
        ]
        wrong: list[int] = []
        for misuse in MISUSES:
            if misuse.mypy:
                lines.append(f"    {misuse.call}")
                wrong.append(len(lines))
            lines.append(f"    {misuse.fixed}")
        path = tmp_path / f"misuse_{version.module}_{RUN}.py"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files[str(path)] = wrong
    stdout, _stderr, _status = api.run(
        ["--strict", "--python-version", "3.11", "--no-error-summary", "--hide-error-context", *files]
    )
    flagged: dict[str, set[int]] = {name: set() for name in files}
    for line in stdout.splitlines():
        match = re.match(r"(.*?):(\d+): error:", line)
        if match:
            flagged[match[1]].add(int(match[2]))
    for name, wrong in files.items():
        assert flagged[name] == set(wrong), (name, stdout[-4000:])


def test_cli_call_reports_misuse_as_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """``intercom-sdk call`` has no mypy: a misspelt field is a usage error (exit 2), nothing sent."""
    from intercom_ext import cli

    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"type": "contact", "id": "c-2"})

    base = "http://127.0.0.1:9"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INTERCOM_ACCESS_TOKEN", "t")
        patch.setenv("INTERCOM_BASE_URL", base)
        status = cli.main(["call", "contacts", "update", "contact_id=c-2", "nmae=Ada"])
    assert status == 2 and sent == []
    assert "unexpected keyword argument 'nmae'; did you mean 'name'?" in capsys.readouterr().err
