"""Repair: operations without an ``operationId``.

Upstream defect: Unstable's four reporting-data export operations (``POST
/export/reporting_data/enqueue``, ...) have no ``operationId``. The generator then names their
functions from the path (``get_export_reporting_data_job_identifier``), and a name that changes
whenever the path does is a poor public API.

Rule: derive the id from the ``summary`` the way Intercom's own ids read ("Get export job status"
-> ``getExportJobStatus``), dropping articles; when there is no summary or the id is taken, fall
back to ``<method><Path words>``.
"""

from __future__ import annotations

import re
from typing import Any

from codegen.spec import operations

_ARTICLES = {"a", "an", "the"}


def _camel(words: list[str]) -> str:
    words = [w for w in words if w]
    return words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:]) if words else ""


def _from_summary(summary: str) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", summary) if w and w.lower() not in _ARTICLES]
    return _camel(words)


def _from_path(method: str, path: str) -> str:
    return _camel([method, *re.split(r"[^A-Za-z0-9]+", path)])


def apply(spec: dict[str, Any]) -> list[str]:
    taken = {op["operationId"] for _, _, op in operations(spec) if op.get("operationId")}
    notes = []
    for path, method, op in operations(spec):
        if op.get("operationId"):
            continue
        candidate = _from_summary(str(op.get("summary") or ""))
        if not candidate or candidate in taken:
            candidate = _from_path(method, path)
        taken.add(candidate)
        op["operationId"] = candidate
        notes.append(f"{method.upper()} {path}: operationId {candidate}")
    return notes
