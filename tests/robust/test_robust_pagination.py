"""Pagination integrity under faults: 10,000 items per style through the generated ``v2_11`` facade.

For each pagination style, one real list operation of the facade (checked against ``OPERATIONS``)
walks 10,000 items on the loopback ``FaultServer`` while the server injects a fault into about 20 %
of the requests (seeded, bounded: never more than 2 faults in a row for one page, the default retry
budget). The test asserts every item arrives exactly once and in order, every fault cost exactly one
retry, every retry after a 429 arrived exactly at the ``X-RateLimit-Reset`` the server announced
(fake clock) and every other retry waited the exponential backoff. The async facade walks 2,000 items
per style the same way.

The figures (pages, requests, faults, fake wait) are deterministic; ``docs/maintainers/reliability.md``
shows them and ``test_readme_section_shows_these_figures`` fails when they drift apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from intercom_v2_11.facade import OPERATIONS
from robust_server import RETRYABLE_FAULTS, FakeClock, FaultServer, facade_client

from intercom_ext import APIConnectionError, APITimeoutError, InternalServerError, v2_11

SECTION = Path(__file__).resolve().parents[2] / "docs" / "maintainers" / "reliability.md"
ITEMS = 10_000
PER_PAGE = 200
FAULT_RATE = 0.2
SEED = 7


def _search(client: Any) -> Any:
    models = v2_11.models
    query = models.SingleFilterSearchRequest(
        field="email", operator=models.SingleFilterSearchRequestOperator("~"), value="example.com"
    )
    return client.contacts.search(query=query, pagination=models.StartingAfterPaging(per_page=PER_PAGE))


@dataclass(frozen=True)
class Case:
    style: str  # OPERATIONS' pagination style
    operation: str  # resource.verb
    call: Callable[[Any], Any]  # client -> pager
    ids: Callable[[FaultServer], list[str]]  # the expected item ids, in order
    kinds: tuple[str, ...]  # faults injected
    seed: int  # the fault server's seed


CASES: dict[str, Case] = {
    "cursor": Case(
        "CURSOR",
        "contacts.list",
        lambda c: c.contacts.list(per_page=PER_PAGE),
        lambda s: s.data.contacts,
        RETRYABLE_FAULTS,
        SEED,
    ),
    "search": Case(
        "SEARCH", "contacts.search", _search, lambda s: s.data.contacts, RETRYABLE_FAULTS, SEED + 1
    ),
    "page": Case(
        "PAGE",
        "articles.list",
        lambda c: c.articles.list(per_page=PER_PAGE),
        lambda s: [str(a) for a in s.data.articles],
        RETRYABLE_FAULTS,
        SEED + 2,
    ),
    "page-post": Case(
        "PAGE",
        "companies.list",
        lambda c: c.companies.list(per_page=PER_PAGE),
        lambda s: s.data.companies,
        RETRYABLE_FAULTS,
        SEED + 3,
    ),
    # A scroll page is retried only when the server cannot have moved its position: a 429.
    "scroll": Case(
        "SCROLL",
        "companies.scroll",
        lambda c: c.companies.scroll(),
        lambda s: s.data.companies,
        ("429",),
        SEED + 4,
    ),
}


@dataclass
class Figures:
    items: int
    pages: int
    requests: int
    faults: Counter[str]
    fake_wait: float

    def row(self, name: str, case: Case) -> str:
        kinds = ", ".join(f"{k} x{n}" for k, n in sorted(self.faults.items()))
        total = sum(self.faults.values())
        return (
            f"| {case.style.lower()} | `{case.operation}` | {self.items:,} | {self.pages} | {self.requests} "
            f"| {total} ({100 * total / self.requests:.0f} %): {kinds} | {self.fake_wait:.1f} s |"
        )


def _check_run(server: FaultServer, clock: FakeClock, case: Case, got: list[str]) -> Figures:
    """The integrity assertions shared by sync and async; returns the run's figures."""
    expected = case.ids(server)
    assert got == expected  # every item exactly once, in order

    seen, injected = server.seen, server.injected
    assert len(injected) == len(clock.sleeps)  # each fault cost exactly one retry, nothing else slept
    assert {f.kind for f in injected} <= set(case.kinds)
    for fault, waited in zip(injected, clock.sleeps, strict=True):
        assert fault.retried_at is not None  # every faulted page was asked for again
        if fault.reset is not None:  # 429: the retry came exactly at the announced reset
            assert fault.retried_at == pytest.approx(fault.reset, abs=1e-3)
        else:  # exponential backoff for retry n: 0.5 * 2**(n-1) + jitter in [0, 0.5)
            base = 0.5 * 2 ** (fault.attempt - 1)
            assert base <= waited < base + 0.5
    assert max(f.attempt for f in injected) <= 2
    return Figures(
        items=len(got),
        pages=sum(1 for s in seen if s.fault is None),
        requests=len(seen),
        faults=Counter(f.kind for f in injected),
        fake_wait=clock.total_wait,
    )


def run_sync(name: str) -> Figures:
    case = CASES[name]
    clock = FakeClock()
    with FaultServer(
        clock=clock, items=ITEMS, seed=case.seed, fault_rate=FAULT_RATE, kinds=case.kinds
    ) as server:
        with facade_client(server) as client:
            got = [str(item.id) for item in case.call(client)]
        return _check_run(server, clock, case, got)


async def run_async(name: str, items: int) -> Figures:
    case = CASES[name]
    clock = FakeClock()
    with FaultServer(
        clock=clock, items=items, seed=case.seed, fault_rate=FAULT_RATE, kinds=case.kinds
    ) as server:
        async with facade_client(server, asynchronous=True) as client:
            got = [str(item.id) async for item in case.call(client)]
        return _check_run(server, clock, case, got)


_FIGURES: dict[str, Figures] = {}


def figures(name: str) -> Figures:
    if name not in _FIGURES:
        _FIGURES[name] = run_sync(name)
    return _FIGURES[name]


def render_figures() -> str:
    lines = [
        "| style | operation | items | pages | requests | faults injected | fake wait honoured |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [figures(name).row(name, case) for name, case in CASES.items()]
    runs = [figures(name) for name in CASES]
    lines += [
        "",
        f"In all: {sum(r.items for r in runs):,} items, {sum(r.pages for r in runs)} pages, "
        f"{sum(r.requests for r in runs)} requests, {sum(sum(r.faults.values()) for r in runs)} faults "
        f"injected, {sum(r.fake_wait for r in runs):.1f} s of fake wait honoured (0 s of real waiting).",
    ]
    return "\n".join(lines)


# -- the tests --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CASES))
def test_operation_has_the_style(name: str) -> None:
    case = CASES[name]
    resource, verb = case.operation.split(".")
    styles = {op.style for op in OPERATIONS if (op.resource, op.verb) == (resource, verb)}
    assert styles == {case.style}


@pytest.mark.parametrize("name", list(CASES))
def test_every_item_once_in_order_under_faults(name: str) -> None:
    result = figures(name)
    assert result.items == ITEMS
    total = sum(result.faults.values())
    assert 0.12 <= total / result.requests <= 0.28  # "about 20 %"
    assert result.pages == result.requests - total
    assert set(result.faults) == set(CASES[name].kinds)  # every kind of fault occurred


@pytest.mark.parametrize("name", list(CASES))
async def test_async_under_faults(name: str) -> None:
    """The same walk with the async facade (2,000 items: the sync runs carry the 10,000)."""
    result = await run_async(name, 2_000)
    assert result.items == 2_000
    assert sum(result.faults.values()) >= 2


def test_readme_section_shows_these_figures() -> None:
    table = render_figures()
    assert table in SECTION.read_text(encoding="utf-8"), "update docs/maintainers/reliability.md:\n" + table


# -- scroll: no silent loss -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "error"),
    [("500", InternalServerError), ("502", InternalServerError), ("reset", APIConnectionError)],
)
def test_scroll_fault_is_not_retried_and_nothing_is_skipped(kind: str, error: type[Exception]) -> None:
    """A scroll keeps its position on the server: after a 5xx or a lost response, asking again with
    the same scroll_param could skip a page, so the error is raised; a new scroll gets everything."""
    clock = FakeClock()
    with FaultServer(clock=clock, items=1000) as server:
        server.script("ok", "ok", kind)  # the third scroll request fails
        with facade_client(server) as client:
            got: list[str] = []
            with pytest.raises(error):
                for company in client.companies.scroll():
                    got.append(str(company.id))
            assert got == server.data.companies[:500]  # two whole pages, nothing after
            assert clock.sleeps == []
            assert len(server.seen) == 3
            again = [str(c.id) for c in client.companies.scroll()]  # restart, as Intercom advises
        assert again == server.data.companies


def test_scroll_timeout_is_not_retried() -> None:
    import httpx

    with FaultServer(items=600) as server:
        server.script("ok", "stall")
        with facade_client(server, timeout=httpx.Timeout(5.0, read=0.15)) as client:
            got: list[str] = []
            with pytest.raises(APITimeoutError):
                for company in client.companies.scroll():
                    got.append(str(company.id))
        assert got == server.data.companies[:250]
        assert len(server.seen) == 2


def test_scroll_429_is_retried_at_the_reset() -> None:
    clock = FakeClock()
    with FaultServer(clock=clock, items=600) as server:
        server.script("ok", "429", "429")
        with facade_client(server) as client:
            got = [str(c.id) for c in client.companies.scroll()]
        faults = server.injected
    assert got == server.data.companies
    assert [f.retried_at for f in faults] == [pytest.approx(f.reset) for f in faults]


if __name__ == "__main__":  # print the figures table for docs/maintainers/reliability.md
    print(render_figures())
