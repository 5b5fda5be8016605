"""5. Write requests: one write call, from the keyword arguments to the parsed response, with an
``httpx.MockTransport`` as the server (no network, no sockets), per call:

- ``contacts.update("c-7", ...)``: five fields and custom attributes
  (``PUT /contacts/c-7``);
- ``tickets.create(ticket_type_id="1", contacts=[{"id": "c-1"}], ticket_attributes={...})``
  (``POST /tickets``).

Contenders, all in the same process, alternating:

- ours: ``v2_11.Intercom(token=..., http_client=httpx.Client(transport=MockTransport(handler)),
  rate_limiter=None, max_retries=0)`` and the keyword call. Every keyword is checked against the
  spec before sending (``intercom_ext/_request.py``); the response becomes our ``Contact`` /
  ``Ticket`` (nested models built on first read, none read here);
- python-intercom 5.0.1 (the ``bench`` extra, optional): ``intercom.Intercom(token=..., base_url=...,
  httpx_client=httpx.Client(transport=MockTransport(handler)))`` and the same call, written as its
  documentation writes it: a contact reference is a ``CreateTicketRequestContactsItemId`` model, and
  since its ``tickets.create`` has no ``ticket_attributes`` keyword (its models follow API 2.14),
  the attributes go in ``request_options={"additional_body_parameters": ...}``, which puts them in
  the same JSON body. The response becomes its pydantic ``ContactsUpdateResponse`` / ``Ticket``
  (``construct_type``, every nested model built);
- the floor: ``json.dumps`` of the same body dict, ``httpx.Client.build_request`` with the same
  headers and ``send`` to the same transport, then ``json.loads`` of the response body.

The mock handler answers every contender with the same prebuilt bytes (a small contact or ticket,
``CONTACT`` / ``TICKET`` below), so decoding the response is included for every contender, each into
what its call returns. Before timing, each contender's request is checked: same method, URL and
JSON body (as decoded JSON), and each result: the right id.

A measurement is ``calls`` calls in a row, timed together (per call: the total divided by
``calls``); repetitions rotate the contenders (``_stats.alternate``) and the ratios are per
repetition.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks._baseline import python_intercom_installed
from benchmarks._stats import DASH, Series, alternate, ratio

TOKEN = "bench-token"
BASE_URL = "https://api.intercom.io"
CALLS = 200  # calls per measurement
OURS = "ours"
THEIRS = "python-intercom"
FLOOR = "json.dumps + httpx"
OPERATIONS = ("contacts.update", "tickets.create")

# The responses: a small contact and a small ticket (2.11 field names), 400-600 bytes each.
CONTACT: dict[str, Any] = {
    "type": "contact",
    "id": "c-7",
    "workspace_id": "ecahpwf5",
    "external_id": "ext-7",
    "role": "user",
    "email": "ada@example.com",
    "phone": "+353871234567",
    "name": "Ada Lovelace",
    "owner_id": None,
    "has_hard_bounced": False,
    "marked_email_as_spam": False,
    "unsubscribed_from_emails": False,
    "created_at": 1717200000,
    "updated_at": 1717286400,
    "signed_up_at": 1717200000,
    "last_seen_at": None,
    "custom_attributes": {"plan": "pro", "seats": 12},
    "tags": {"type": "list", "data": [], "url": "/contacts/c-7/tags", "total_count": 0, "has_more": False},
    "location": {"type": "location", "country": "Ireland", "region": "Dublin", "city": "Dublin"},
}
TICKET: dict[str, Any] = {
    "type": "ticket",
    "id": "t-42",
    "ticket_id": "42",
    "category": "Customer",
    "ticket_attributes": {"_default_title_": "Broken", "_default_description_": "Stops at 99%."},
    "ticket_state": "submitted",
    "ticket_type": {"type": "ticket_type", "id": "1", "name": "Bug", "category": "Customer"},
    "contacts": {"type": "contacts", "contacts": [{"type": "contact", "id": "c-1"}]},
    "admin_assignee_id": "0",
    "team_assignee_id": "0",
    "created_at": 1717200000,
    "updated_at": 1717200000,
    "open": True,
    "is_shared": False,
}
RESPONSES = {
    "/contacts/c-7": json.dumps(CONTACT, separators=(",", ":")).encode(),
    "/tickets": json.dumps(TICKET, separators=(",", ":")).encode(),
}

# What each operation sends: method, path, and the body every contender must produce.
REQUESTS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "contacts.update": (
        "PUT",
        "/contacts/c-7",
        {
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "phone": "+353871234567",
            "role": "user",
            "external_id": "ext-7",
            "custom_attributes": {"plan": "pro", "seats": 12},
        },
    ),
    "tickets.create": (
        "POST",
        "/tickets",
        {
            "ticket_type_id": "1",
            "contacts": [{"id": "c-1"}],
            "ticket_attributes": {"_default_title_": "Broken", "_default_description_": "Stops at 99%."},
        },
    ),
}
RESULT_IDS = {"contacts.update": "c-7", "tickets.create": "t-42"}


@dataclass
class RequestsResult:
    calls: int  # calls per measurement
    times: dict[str, dict[str, Series]]  # operation -> contender -> seconds per call
    vs_theirs: dict[str, Series]  # operation -> ours / python-intercom (missing: not installed)
    vs_floor: dict[str, Series]  # operation -> ours / json.dumps + httpx
    body_sizes: dict[str, int]  # operation -> request body bytes (ours)
    build_share: dict[str, float]  # operation -> share of our call in intercom_ext._request.build (cProfile)
    profile: list[str]  # cProfile of ours, both operations, top entries by own time


def fmt_us(seconds: float) -> str:
    """Microseconds per call (the table's unit for this benchmark)."""
    return f"{seconds * 1e6:.0f} µs" if seconds >= 1e-4 else f"{seconds * 1e6:.1f} µs"


def fmt_us_series(s: Series) -> str:
    return f"{fmt_us(s.median)} [{fmt_us(s.low)}{DASH}{fmt_us(s.high)}]"


class _Server:
    """The mock handler: the same prebuilt response bytes for every contender; keeps the last request
    (for the check before timing)."""

    def __init__(self) -> None:
        self.last: Any = None

    def __call__(self, request: Any) -> Any:
        import httpx

        self.last = request
        return httpx.Response(
            200, content=RESPONSES[request.url.path], headers={"Content-Type": "application/json"}
        )

    def http(self) -> Any:
        import httpx

        return httpx.Client(transport=httpx.MockTransport(self))


def contenders(server: _Server) -> dict[str, dict[str, Callable[[], Any]]]:
    """operation -> contender -> one call (returning what the call returns)."""
    from intercom_ext import v2_11

    ours = v2_11.Intercom(token=TOKEN, http_client=server.http(), rate_limiter=None, max_retries=0)

    def ours_update() -> Any:
        return ours.contacts.update(
            "c-7",
            name="Ada Lovelace",
            email="ada@example.com",
            phone="+353871234567",
            role="user",
            external_id="ext-7",
            custom_attributes={"plan": "pro", "seats": 12},
        )

    def ours_ticket() -> Any:
        return ours.tickets.create(
            ticket_type_id="1",
            contacts=[{"id": "c-1"}],
            ticket_attributes={"_default_title_": "Broken", "_default_description_": "Stops at 99%."},
        )

    http = server.http()
    headers = {
        "Accept": "application/json",
        "Authorization": f"Bearer {TOKEN}",
        "Content-Type": "application/json",
        "Intercom-Version": "2.11",
    }

    def floor_update() -> Any:
        body = {
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "phone": "+353871234567",
            "role": "user",
            "external_id": "ext-7",
            "custom_attributes": {"plan": "pro", "seats": 12},
        }
        request = http.build_request(
            "PUT", f"{BASE_URL}/contacts/c-7", content=json.dumps(body).encode(), headers=headers
        )
        return json.loads(http.send(request).content)

    def floor_ticket() -> Any:
        body = {
            "ticket_type_id": "1",
            "contacts": [{"id": "c-1"}],
            "ticket_attributes": {"_default_title_": "Broken", "_default_description_": "Stops at 99%."},
        }
        request = http.build_request(
            "POST", f"{BASE_URL}/tickets", content=json.dumps(body).encode(), headers=headers
        )
        return json.loads(http.send(request).content)

    out: dict[str, dict[str, Callable[[], Any]]] = {
        "contacts.update": {OURS: ours_update, FLOOR: floor_update},
        "tickets.create": {OURS: ours_ticket, FLOOR: floor_ticket},
    }
    if not python_intercom_installed():
        return out
    import intercom
    from intercom import CreateTicketRequestContactsItemId

    theirs = intercom.Intercom(token=TOKEN, base_url=BASE_URL, httpx_client=server.http())

    def theirs_update() -> Any:
        return theirs.contacts.update(
            "c-7",
            name="Ada Lovelace",
            email="ada@example.com",
            phone="+353871234567",
            role="user",
            external_id="ext-7",
            custom_attributes={"plan": "pro", "seats": 12},
        )

    def theirs_ticket() -> Any:
        return theirs.tickets.create(
            ticket_type_id="1",
            contacts=[CreateTicketRequestContactsItemId(id="c-1")],
            request_options={
                "additional_body_parameters": {
                    "ticket_attributes": {
                        "_default_title_": "Broken",
                        "_default_description_": "Stops at 99%.",
                    }
                }
            },
        )

    out["contacts.update"][THEIRS] = theirs_update
    out["tickets.create"][THEIRS] = theirs_ticket
    return out


def check(server: _Server, calls: dict[str, dict[str, Callable[[], Any]]]) -> dict[str, int]:
    """Every contender sends the same request and returns the right object; the body sizes (ours)."""
    sizes: dict[str, int] = {}
    for operation, by_contender in calls.items():
        method, path, body = REQUESTS[operation]
        for name, call in by_contender.items():
            result = call()
            request = server.last
            assert request.method == method and str(request.url) == BASE_URL + path, (name, request.url)
            assert json.loads(request.content) == body, (operation, name, request.content)
            assert request.headers["authorization"] == f"Bearer {TOKEN}", (operation, name)
            found = result["id"] if isinstance(result, dict) else result.id
            assert found == RESULT_IDS[operation], (operation, name, found)
            if name == OURS:
                assert type(result).__module__.startswith("intercom_v2_11.models."), type(result)
                sizes[operation] = len(request.content)
    return sizes


def profile_ours(
    calls: dict[str, dict[str, Callable[[], Any]]], rounds: int, top: int = 16
) -> tuple[list[str], dict[str, float]]:
    """cProfile of our calls (both operations): the top entries by own time, and per operation the
    share of the call spent in ``intercom_ext._request.build`` (checking and encoding the keywords)."""
    shares: dict[str, float] = {}
    combined: pstats.Stats | None = None
    for operation, by_contender in calls.items():
        prof = cProfile.Profile()
        call = by_contender[OURS]
        prof.enable()
        for _ in range(rounds):
            call()
        prof.disable()
        stats = pstats.Stats(prof)
        raw: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
        total = sum(tt for (_cc, _nc, tt, _ct, _callers) in raw.values())
        built = sum(
            entry[3]
            for (path, _line, func), entry in raw.items()
            if func == "build" and path.replace("\\", "/").endswith("intercom_ext/_request.py")
        )
        shares[operation] = built / total if total else float("nan")
        if combined is None:
            combined = stats
        else:
            combined.add(stats)
    out = io.StringIO()
    assert combined is not None
    combined.stream = out  # type: ignore[attr-defined]
    combined.sort_stats("tottime").print_stats(top)
    lines = [line.rstrip() for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return [lines[0].strip(), *lines[start:]], shares


def run(reps: int = 15, calls: int = CALLS) -> RequestsResult:
    server = _Server()
    fns = contenders(server)
    sizes = check(server, fns)
    for by_contender in fns.values():  # warm-up: first-call imports and caches, for everyone
        for call in by_contender.values():
            for _ in range(min(calls, 20)):
                call()

    def timed(call: Callable[[], Any]) -> Callable[[], float]:
        def once() -> float:
            start = time.perf_counter()
            for _ in range(calls):
                call()
            return (time.perf_counter() - start) / calls

        return once

    times: dict[str, dict[str, Series]] = {}
    vs_theirs: dict[str, Series] = {}
    vs_floor: dict[str, Series] = {}
    for operation, by_contender in fns.items():
        measured = alternate({name: timed(call) for name, call in by_contender.items()}, reps)
        times[operation] = measured
        vs_floor[operation] = ratio(measured[OURS], measured[FLOOR])
        if THEIRS in measured:
            vs_theirs[operation] = ratio(measured[OURS], measured[THEIRS])
    profile, shares = profile_ours(fns, rounds=max(1, min(calls, 200)))
    return RequestsResult(
        calls=calls,
        times=times,
        vs_theirs=vs_theirs,
        vs_floor=vs_floor,
        body_sizes=sizes,
        build_share=shares,
        profile=profile,
    )
