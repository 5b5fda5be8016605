"""2. Parse: one contact list page (``payload.page_bytes``: 150 contacts, every field filled, built from
the 2.11 spec's contact example) from bytes into typed models:

- ours: ``ContactList.from_dict(json.loads(body)).data`` (what ``client.contacts.list()`` does per
  page: the pager reads the page's items, 150 ``Contact`` objects; their nested models are built on
  their first read);
- "..., every attribute read": the same for each contender, then every attribute of every model
  read (``_touch``; for ``json.loads``, every value visited), so every one of our nested models is
  built: python-intercom builds all of its models in ``construct_type``;
- python-intercom: ``construct_type(type_=ContactList, object_=json.loads(body))`` (what its
  ``contacts.list()`` does per page: ``intercom/contacts/raw_client.py``);
- bare ``json.loads(body)``, the floor.
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

from benchmarks import _touch, payload
from benchmarks._baseline import python_intercom_installed
from benchmarks._stats import Series, alternate, ratio


@dataclass
class ParseResult:
    size: int  # bytes
    contacts: int
    times: dict[str, Series]
    vs_theirs: Series  # ours / python-intercom
    vs_json: Series  # ours / json.loads
    all_vs_theirs: Series  # the same, every attribute read by each
    all_vs_json: Series
    profile: list[str]  # cProfile of ours, top entries by own time
    # the walkers alone (seconds, best of 5): every attribute of our page once all is built, and
    # every value of the decoded JSON: what "every attribute read" costs beyond parsing
    walk_models: float
    walk_json: float


READ_ALL = ", every attribute read"
JSON_ALL = "json.loads, every value visited"


def _read(read: Callable[[Any], int], parse: Callable[[bytes], Any]) -> Callable[[bytes], Any]:
    def parse_and_read(body: bytes) -> Any:
        page = parse(body)
        read(page)
        return page

    return parse_and_read


def parsers() -> dict[str, Callable[[bytes], Any]]:
    from intercom_v2_11.models import ContactList

    def ours(body: bytes) -> Any:
        page = ContactList.from_dict(json.loads(body))
        page.data  # noqa: B018 - what the pager reads first: builds the 150 contacts
        return page

    out: dict[str, Callable[[bytes], Any]] = {"json.loads": json.loads, "ours": ours}
    out[JSON_ALL] = _read(_touch.read_json, json.loads)
    out["ours" + READ_ALL] = _read(_touch.read_models, ours)
    if not python_intercom_installed():
        return out
    from intercom.core.unchecked_base_model import construct_type
    from intercom.types.contact_list import ContactList as TheirContactList

    def theirs(body: bytes) -> Any:
        return construct_type(type_=TheirContactList, object_=json.loads(body))

    out["python-intercom"] = theirs
    out["python-intercom" + READ_ALL] = _read(_touch.read_pydantic, theirs)
    return out


def check(parsed: dict[str, Any], contacts: int) -> None:
    """Every contender really parsed the page (typed models all the way down where it should)."""
    from intercom_v2_11.models import AddressableList, Contact

    ours = parsed["ours"]
    assert len(ours.data) == contacts and all(isinstance(c, Contact) for c in ours.data)
    assert isinstance(ours.data[-1].tags.data[0], AddressableList), ours.data[-1].tags
    assert ours.data[-1].email == f"user{contacts - 1}@example.com"
    if "python-intercom" in parsed:
        theirs = parsed["python-intercom"]
        assert len(theirs.data) == contacts and type(theirs.data[0]).__name__ == "Contact"
        assert type(theirs.data[-1].tags.data[0]).__name__ == "AddressableList"
        assert theirs.data[-1].email == f"user{contacts - 1}@example.com"


def profile_ours(body: bytes, rounds: int = 5, top: int = 14) -> list[str]:
    fn = parsers()["ours"]
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(rounds):
        fn(body)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    lines = [line.rstrip() for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return [lines[0].strip(), *lines[start:]]


def _best(fn: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run(reps: int = 25, per_page: int = 150) -> ParseResult:
    body = payload.page_bytes(0, per_page, 2)
    fns = parsers()
    check({name: fn(body) for name, fn in fns.items() if not name.startswith("json.loads")}, per_page)

    def timed(fn: Callable[[bytes], Any]) -> Callable[[], float]:
        def once() -> float:
            start = time.perf_counter()
            fn(body)
            return time.perf_counter() - start

        return once

    times = alternate({name: timed(fn) for name, fn in fns.items()}, reps)
    decoded = json.loads(body)
    built = fns["ours"](body)
    _touch.read_models(built)  # builds every nested model: what is timed next is the walk alone
    theirs = times.get("python-intercom")
    theirs_all = times.get("python-intercom" + READ_ALL)
    nan = Series([float("nan")])
    return ParseResult(
        size=len(body),
        contacts=per_page,
        times=times,
        vs_theirs=ratio(times["ours"], theirs) if theirs else nan,
        vs_json=ratio(times["ours"], times["json.loads"]),
        all_vs_theirs=ratio(times["ours" + READ_ALL], theirs_all) if theirs_all else nan,
        all_vs_json=ratio(times["ours" + READ_ALL], times[JSON_ALL]),
        profile=profile_ours(body),
        walk_models=_best(lambda: _touch.read_models(built)),
        walk_json=_best(lambda: _touch.read_json(decoded)),
    )
