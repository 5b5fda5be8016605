"""Call one operation through the public client (the version facade) against Prism and judge it.

The call is ``client.<resource>.<verb>(**arguments)`` on ``intercom_ext.<version>.Intercom`` (the
facade's ``OPERATIONS`` table maps every spec operation to its method; list operations fetch their
first page), with arguments built from the spec by :mod:`contract_args`. The client sends through an
``httpx.Client`` whose response hook keeps the last response, so Prism's verdict can be read.

An operation passes when

- Prism reports no request violation: no ``422`` problem (``application/problem+json`` with a
  ``validation`` list, what ``--errors`` answers to an invalid request) and no ``request`` entry of
  severity ``Error`` in the ``sl-violations`` header (set when the spec documents its own 400/422);
- the client returns normally with a 2xx (no ``APIStatusError``, no parse failure);
- when the answered response is documented as JSON: the result is a typed model (the ``Error`` model
  only where the spec documents ``error`` for that status) whose ``to_dict()`` gives the received
  JSON back (``date-time`` strings compared as instants, as in ``tests/test_examples_roundtrip.py``).
  Operations whose documented responses are all non-JSON only need the 2xx.

Prism's ``response`` violations are kept as notes: they are about the mock's answer (and GEN's
``contradicting_examples`` repair removes their cause), not about what the client sent or read.
"""

from __future__ import annotations

import importlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from intercom_ext import APIResponseValidationError, APIStatusError
from tests._specs import normalise_datetimes
from tests.contract.contract_args import Call, build_call, resolve

TOKEN = "contract-test-token"


@dataclass
class Outcome:
    version: str
    method: str
    path: str
    ok: bool = False
    status: int | None = None
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def message(self) -> str:
        return "; ".join(self.failures)


def prism_violations(response: httpx.Response) -> tuple[list[str], list[str]]:
    """(request violations, response violations) Prism reported, as ``location: message`` lines."""
    request: list[str] = []
    answer: list[str] = []
    entries: list[dict[str, Any]] = []
    header = response.headers.get("sl-violations")
    if header:
        try:
            entries.extend(json.loads(header))
        except ValueError:
            request.append(f"unparseable sl-violations header: {header[:200]}")
    if response.status_code == 422 and "problem+json" in response.headers.get("content-type", ""):
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        validation = problem.get("validation") or []
        entries.extend({**v, "location": ["request", *v.get("location", [])]} for v in validation)
        if not validation:
            request.append(f"422 {problem.get('title', '')}: {problem.get('detail', '')}".strip())
    for entry in entries:
        location = [str(p) for p in entry.get("location") or []]
        line = f"{'.'.join(location[1:]) or '-'}: {entry.get('message', entry)}"
        if location[:1] == ["response"]:
            answer.append(line)
        elif str(entry.get("severity", "Error")) == "Error" and entry.get("code") != 401:
            request.append(line)
        elif entry.get("code") == 401:
            request.append(f"security: {entry.get('message')}")
    # Prism's "request" entries sometimes already start with the location kind ("body", "query").
    return list(dict.fromkeys(request)), list(dict.fromkeys(answer))


def _to_json(parsed: Any) -> Any:
    if isinstance(parsed, list):
        return [_to_json(p) for p in parsed]
    if hasattr(parsed, "to_dict"):
        return parsed.to_dict()
    return parsed


def success_codes(op: dict[str, Any]) -> list[str]:
    return [str(code) for code in (op.get("responses") or {}) if str(code).startswith("2")]


def documented_response(spec: dict[str, Any], op: dict[str, Any], status: int) -> tuple[str, Any] | None:
    """(key, response object) documenting ``status``: exact code, ``NXX`` range, then ``default``."""
    responses = op.get("responses") or {}
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            return key, resolve(spec, responses[key])
    return None


def documents_error(resp: dict[str, Any]) -> bool:
    """Whether the response's JSON schema is the ``error`` component."""
    return any(
        (media.get("schema") or {}).get("$ref") == "#/components/schemas/error"
        for media in (resp.get("content") or {}).values()
    )


class ContractClient:
    """The public client of one version, pointed at Prism, remembering the last response it got."""

    def __init__(self, package: str, base_url: str, token: str = TOKEN) -> None:
        facade = importlib.import_module(f"{package}.facade")
        self.last: httpx.Response | None = None
        self.http = httpx.Client(timeout=httpx.Timeout(30.0), event_hooks={"response": [self._keep]})
        self.client = facade.Intercom(token=token, base_url=base_url, max_retries=0, http_client=self.http)
        self.operations: dict[tuple[str, str], tuple[str, str, str | None]] = {
            (op.method.lower(), op.path): (op.resource, op.verb, op.style) for op in facade.OPERATIONS
        }

    def _keep(self, response: httpx.Response) -> None:
        response.read()
        self.last = response

    def close(self) -> None:
        self.client.close()
        self.http.close()


def check_operation(
    *,
    version: str,
    package: str,
    spec: dict[str, Any],
    path: str,
    method: str,
    client: ContractClient,
) -> Outcome:
    """Build the arguments, call the facade method and judge what happened."""
    began = time.perf_counter()
    outcome = Outcome(version, method, path)
    try:
        _check(outcome, package, spec, path, method, client)
    finally:
        outcome.seconds = time.perf_counter() - began
    outcome.ok = not outcome.failures
    return outcome


def _violations(outcome: Outcome, response: httpx.Response | None) -> bool:
    """Record Prism's verdict on the exchange; True when it found a request violation."""
    if response is None:
        return False
    request_violations, response_violations = prism_violations(response)
    outcome.notes.extend(f"Prism response violation: {v}" for v in response_violations)
    outcome.failures.extend(f"request violation: {v}" for v in request_violations)
    return bool(request_violations)


def _check(
    outcome: Outcome, package: str, spec: dict[str, Any], path: str, method: str, cc: ContractClient
) -> None:
    op = spec["paths"][path][method]
    if (method, path) not in cc.operations:
        outcome.failures.append("no facade method for this operation (OPERATIONS)")
        return
    resource, verb, style = cc.operations[(method, path)]
    function = getattr(getattr(cc.client, resource), verb)
    try:
        call: Call = build_call(spec, path, method, function)
    except Exception as exc:
        outcome.failures.append(f"could not build arguments: {type(exc).__name__}: {exc}")
        return
    outcome.notes.extend(f"arguments: {p}" for p in call.problems)
    if call.has_body:
        outcome.notes.append(f"body: {call.body_source}")
    outcome.notes.append(f"called {resource}.{verb}")
    cc.last = None
    try:
        if style:  # a list operation: its first page
            result = next(iter(function(*call.args, **call.kwargs, max_pages=1).pages()), None)
        else:
            result = function(*call.args, **call.kwargs)
    except APIStatusError as err:
        outcome.status = err.status_code
        if not _violations(outcome, err.response):
            location = err.response.headers.get("location")
            where = f" (Location: {location})" if location else ""
            outcome.failures.append(
                f"{type(err).__name__} {err.status_code}{where}: {err.response.content[:300]!r}"
            )
        return
    except APIResponseValidationError as err:
        outcome.status = cc.last.status_code if cc.last is not None else None
        if not _violations(outcome, cc.last):
            outcome.failures.append(f"the {outcome.status} response did not parse: {err}")
        return
    except Exception as exc:  # building the request failed in the client
        outcome.failures.append(f"client raised {type(exc).__name__}: {exc}")
        return
    response = cc.last
    if response is None:
        outcome.failures.append("no request was sent")
        return
    outcome.status = response.status_code
    if _violations(outcome, response):
        return
    documented = documented_response(spec, op, outcome.status)
    if documented is None:
        outcome.failures.append(f"status {outcome.status} is not documented: {response.content[:300]!r}")
        return
    key, resp = documented
    if key == "default":
        outcome.notes.append(f"no 2xx response documented: Prism answered {outcome.status} from `default`")
    if not any("json" in mt for mt in (resp.get("content") or {})):
        return  # a documented non-JSON answer (or none): the 2xx is the contract
    if result is None:
        outcome.failures.append(f"{outcome.status} JSON response was not parsed (None)")
        return
    items = result if isinstance(result, list) else [result]
    names = sorted({type(p).__name__ for p in items})
    if not all(hasattr(p, "to_dict") for p in items):
        outcome.failures.append(f"{outcome.status} parsed into {', '.join(names)}, not a typed model")
        return
    if "Error" in names and not documents_error(resp):
        outcome.failures.append(f"{outcome.status} parsed into Error, but a success model is documented")
        return
    try:
        received = json.loads(response.content)
        written = json.loads(json.dumps(_to_json(result)))
    except Exception as exc:
        outcome.failures.append(f"{type(exc).__name__} reading the response back: {exc}")
        return
    if normalise_datetimes(written) != normalise_datetimes(received):
        outcome.failures.append(
            f"{names[0]}.to_dict() differs from the received JSON "
            f"(received {json.dumps(received)[:200]}..., wrote {json.dumps(written)[:200]}...)"
        )
