"""Truthful signatures, checked by mypy on tests/ext/typing_cases/facade_calls.py: a call without a
required body field, an unknown key in a dict argument or a union body fitting no variant is an
error; ``operator="="`` is accepted and ``operator="=="`` is not; raw-response wrappers keep the
overloads. Each line of the case file that
must fail says so (``# error: ...``) and every other line must pass."""

from __future__ import annotations

import re
from pathlib import Path

CASES = Path(__file__).with_name("typing_cases") / "facade_calls.py"


def test_mypy_accepts_and_rejects_exactly_the_marked_calls() -> None:
    from mypy import api

    stdout, _stderr, _status = api.run(
        ["--strict", str(CASES), "--no-error-summary", "--hide-error-context", "--show-error-codes"]
    )
    got_errors: dict[int, list[str]] = {}
    got_notes: dict[int, list[str]] = {}
    for line in stdout.splitlines():
        match = re.match(r".*facade_calls\.py:(\d+): (error|note): (.*)", line)
        if match:
            target = got_errors if match[2] == "error" else got_notes
            target.setdefault(int(match[1]), []).append(match[3])
    want_errors: dict[int, str] = {}
    want_notes: dict[int, str] = {}
    for number, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), start=1):
        if "  # error: " in line:
            want_errors[number] = line.split("  # error: ", 1)[1]
        elif "  # note: " in line:
            want_notes[number] = line.split("  # note: ", 1)[1]
    assert len(want_errors) >= 6 and len(want_notes) == 2
    assert sorted(got_errors) == sorted(want_errors), stdout
    for number, text in want_errors.items():
        assert any(text in message for message in got_errors[number]), (number, got_errors[number])
    for number, text in want_notes.items():
        assert any(text in message for message in got_notes.get(number, [])), (number, got_notes.get(number))
