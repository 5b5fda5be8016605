"""2. Parse: one contact list page (``payload.page_bytes``: 150 contacts, every field filled, built from
the 2.11 spec's contact example) from bytes into typed models:

- ours: ``ContactList.from_dict(json.loads(body))`` (what ``client.contacts.list()`` does per page);
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

from benchmarks import payload
from benchmarks._baseline import python_intercom_installed
from benchmarks._stats import Series, alternate, ratio


@dataclass
class ParseResult:
    size: int  # bytes
    contacts: int
    times: dict[str, Series]
    vs_theirs: Series
    vs_json: Series
    profile: list[str]  # cProfile of ours, top entries by own time


def parsers() -> dict[str, Callable[[bytes], Any]]:
    from intercom_v2_11.models import ContactList

    out: dict[str, Callable[[bytes], Any]] = {
        "json.loads": json.loads,
        "ours": lambda body: ContactList.from_dict(json.loads(body)),
    }
    if not python_intercom_installed():
        return out
    from intercom.core.unchecked_base_model import construct_type
    from intercom.types.contact_list import ContactList as TheirContactList

    out["python-intercom"] = lambda body: construct_type(type_=TheirContactList, object_=json.loads(body))
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


def run(reps: int = 25, per_page: int = 150) -> ParseResult:
    body = payload.page_bytes(0, per_page, 2)
    fns = parsers()
    check({name: fn(body) for name, fn in fns.items() if name != "json.loads"}, per_page)

    def timed(fn: Callable[[bytes], Any]) -> Callable[[], float]:
        def once() -> float:
            start = time.perf_counter()
            fn(body)
            return time.perf_counter() - start

        return once

    times = alternate({name: timed(fn) for name, fn in fns.items()}, reps)
    theirs = times.get("python-intercom")
    return ParseResult(
        size=len(body),
        contacts=per_page,
        times=times,
        vs_theirs=ratio(times["ours"], theirs) if theirs else Series([float("nan")]),
        vs_json=ratio(times["ours"], times["json.loads"]),
        profile=profile_ours(body),
    )
