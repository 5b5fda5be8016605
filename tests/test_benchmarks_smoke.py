"""Smoke test: every benchmark of ``make bench`` runs once on tiny inputs (no timing assertions).

python-intercom (the ``bench`` extra) is optional here: without it the benchmarks measure ours
against raw httpx / ``json.loads`` only, and the report says the baseline is not installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import bench_requests, report
from benchmarks.__main__ import run
from benchmarks._baseline import python_intercom_installed


@pytest.fixture(scope="module")
def results() -> report.Results:
    return run(tiny=True)


def test_every_benchmark_ran(results: report.Results) -> None:
    assert results.imports and results.parse and results.iterate and results.generate
    assert results.parse.contacts == 3 and results.iterate.pages == 2
    assert set(results.iterate.rss["ours"]) == {1, 2}
    assert results.generate.versions == ["tiny"]


def test_report_has_the_four_benchmarks(results: report.Results, tmp_path: Path) -> None:
    text = report.render(results)
    needles = ("cold import", "parse one list page", "iterate 2 pages", "peak RSS", "`make generate`")
    for needle in (*needles, "one write request", "#### 5. Write requests"):
        assert needle in text
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# Benchmarks\n\nintro\n\n{report.START}\nPREVIOUS RESULTS\n{report.END}\n\noutro\n",
        encoding="utf-8",
    )
    report.write_readme(text, readme)
    written = readme.read_text(encoding="utf-8")
    assert written.startswith("# Benchmarks\n\nintro\n") and written.endswith("\noutro\n")
    assert "PREVIOUS RESULTS" not in written and text in written


def test_write_requests_benchmark() -> None:
    """Benchmark 5 on its own: one repetition of two calls per contender (fast; no timing asserted)."""
    q = bench_requests.run(reps=1, calls=2)
    theirs = python_intercom_installed()
    contenders = {bench_requests.OURS, bench_requests.FLOOR} | ({bench_requests.THEIRS} if theirs else set())
    assert set(q.times) == {"contacts.update", "tickets.create"}
    for operation, times in q.times.items():
        assert set(times) == contenders
        assert all(len(s.values) == 1 and s.median > 0 for s in times.values())
        assert q.vs_floor[operation].median > 0 and q.body_sizes[operation] > 0
        assert 0 < q.build_share[operation] < 1
        if theirs:
            assert q.vs_theirs[operation].median > 0
    assert q.profile and q.profile[0].endswith("seconds")


def test_the_fake_intercom_benchmark_runs() -> None:
    """``python -m benchmarks.bench_fake``: every scenario once, a few requests (no timing asserted)."""
    from benchmarks import bench_fake

    results = bench_fake.run(requests=40, reps=1)
    assert len(results) == 5 and all(rate > 0 for rate, _ in results.values())
    assert "requests per server CPU-second" in bench_fake.render(results)
