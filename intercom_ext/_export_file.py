"""An export written to a JSON Lines file that resumes after a crash (``Export.write_jsonl``), and
the state file it shares with ``intercom-sdk export``.

Beside ``FILE`` the state ``FILE.state`` (JSON, replaced atomically) holds: ``format``
(:data:`STATE_FORMAT`), ``args`` (what identifies the export: another export's state is refused),
``offset`` (the bytes of ``FILE`` that hold the items of ``checkpoint``), ``total``,
``checkpoint`` (the export's) and ``complete``. A run started while an incomplete state is there
truncates ``FILE`` to ``offset`` and resumes from ``checkpoint``; after a complete one it starts over.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._export import AsyncExport, Export, _ExportBase

__all__ = ["STATE_FORMAT", "ExportFileError", "async_write_jsonl", "write_jsonl"]

STATE_FORMAT = 1


class ExportFileError(ValueError):
    """The state beside an export's file is unreadable or belongs to another export."""


def state_path(out: Path) -> Path:
    return out.with_name(out.name + ".state")


def write_state(path: Path, state: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(state, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_state(path: Path, identity: dict[str, Any]) -> dict[str, Any] | None:
    """The incomplete state of the export ``identity`` at ``path`` (``None``: none, or complete)."""
    if not path.exists():
        return None
    try:
        previous: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ExportFileError(f"{path} is unreadable; delete it to start over") from None
    if not isinstance(previous, dict) or previous.get("format") != STATE_FORMAT:
        raise ExportFileError(
            f"{path} is not an export state of format {STATE_FORMAT}; delete it to start over"
        )
    if previous.get("args") != identity:
        raise ExportFileError(f"{path} belongs to an export with other arguments; delete it to start over")
    if previous.get("complete"):
        return None  # the last run finished: this is a new export
    return previous


def jsonable(value: Any) -> Any:
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    return value


def dumps(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


class _Writer:
    """The file side of ``write_jsonl``: open (truncated to the checkpoint's offset), lines, states."""

    def __init__(self, export: _ExportBase, out: Path) -> None:
        self.export = export
        self.out = out
        self.path = state_path(out)
        self.identity = {**export._identity, "format": "jsonl", "fields": None}
        previous = read_state(self.path, self.identity)
        offset = 0
        if previous is not None:
            export._resume(previous["checkpoint"])
            offset = int(previous["offset"])
        self.raw: IO[bytes] = open(out, "r+b" if previous is not None and out.exists() else "wb")  # noqa: SIM115
        self.raw.seek(offset)
        self.raw.truncate()

    def write(self, item: Any) -> None:
        self.raw.write((dumps(jsonable(item)) + "\n").encode("utf-8"))

    def state(self, complete: bool = False) -> dict[str, Any]:
        self.raw.flush()
        return {
            "format": STATE_FORMAT,
            "args": self.identity,
            "offset": self.raw.tell(),
            "total": self.export.total_count,
            "checkpoint": self.export.checkpoint(),
            "complete": complete,
        }

    def save(self, state: dict[str, Any]) -> None:
        os.fsync(self.raw.fileno())
        write_state(self.path, state)


def write_jsonl(export: Export[Any], out: Path, checkpoint_seconds: float) -> int:
    writer = _Writer(export, out)
    with writer.raw:
        writer.save(writer.state())
        last = time.monotonic()
        try:
            for item in export:
                writer.write(item)
                if time.monotonic() - last >= checkpoint_seconds:
                    writer.save(writer.state())
                    last = time.monotonic()
        finally:
            export.close()
        writer.save(writer.state(complete=True))
    return export.yielded


async def async_write_jsonl(export: AsyncExport[Any], out: Path, checkpoint_seconds: float) -> int:
    writer = await asyncio.to_thread(_Writer, export, out)
    with writer.raw:
        await asyncio.to_thread(writer.save, writer.state())
        last = time.monotonic()
        try:
            async for item in export:
                writer.write(item)
                if time.monotonic() - last >= checkpoint_seconds:
                    # The snapshot is taken here, between two items; only the fsyncs run on a thread.
                    await asyncio.to_thread(writer.save, writer.state())
                    last = time.monotonic()
        finally:
            await export.aclose()
        await asyncio.to_thread(writer.save, writer.state(complete=True))
    return export.yielded
