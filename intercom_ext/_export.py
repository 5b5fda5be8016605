"""Bulk exports: every contact, conversation, ticket or company, streamed, at the rate limit.

``client.contacts.export(updated_since=..., concurrency=8)`` (also ``conversations``, ``tickets`` and
``companies``) returns an :class:`Export`: an iterator of typed items that holds only a bounded number
of them. ``AsyncIntercom`` returns an :class:`AsyncExport` (``async for``), whose searches run as
asyncio tasks on the caller's loop: nothing in it blocks the loop (each page is decoded and parsed
with ``asyncio.to_thread``, the rest of a page's work is a few milliseconds at most).

Structure: one engine, two drivers. :class:`_SearchPlanner` and :class:`_WindowSearch` decide
everything (which windows to search, which request to send, what a page means: items to yield,
windows to split, the probe), with pure helpers (:func:`plan_windows`, :func:`_split`,
:func:`_search_body`) and no I/O; :class:`ExportState` keeps the progress and the checkpoint. The
sync driver runs window searches on threads, the async one as tasks; both only fetch pages and
pass them to the engine.

Search-based resources
    The ``updated_at`` range ``[updated_since, updated_before)`` (default: everything up to the start
    of the export) is cut into windows that ``concurrency`` threads (or tasks) search at once, each
    with the resource's search pager (``POST /<resource>/search``, 150 per page). A fresh export first
    sends one probe: the whole range, sorted by ``updated_at`` ascending, one item per page. Its count
    sizes the windows and its item shows where the data starts: the range before that day is one
    window (expected empty, searched all the same, so a server ignoring the sort loses nothing) and
    the rest is cut into windows. A window whose first page reports more than its share of the
    items is split (into as many equal parts as its count asks for, in one step) before any of its
    items is yielded (skewed data is balanced that way). Contact search indexes timestamps by day,
    starting at the workspace's midnight (its timezone, unknown here), so every window's query
    reaches up to ``overlap`` seconds (a day) beyond both of its ends (see ``_search_body``: on a
    UTC workspace, whose days start on the windows' ends, nothing outside the window is read); an
    item is yielded only by the window that owns its ``updated_at``, so items found by two windows
    come out once. Items whose ``updated_at`` cannot be read are de-duplicated by id instead.
Companies
    The scroll (``GET /companies/scroll``), one at a time as Intercom requires: a 400
    ``scroll_exists`` (another scroll of the app is open) is waited out, and a 5xx or a broken
    connection restarts the scroll from the beginning; ids already yielded are skipped, so no company
    is missed or repeated (the ids are the only state kept: about 100 bytes a company). The scroll
    has no filter: ``updated_since`` / ``updated_before`` are applied to each company's
    ``updated_at`` here, so the export still reads every company (a company without a readable
    ``updated_at`` is yielded).

Checkpoints: :meth:`Export.checkpoint` is a JSON-able dict (:class:`Checkpoint`) describing what has
been yielded so far (the windows still to do and the ids yielded from unfinished ones);
``export(..., resume=checkpoint)`` continues from it and yields only what was not yielded before.
Its ``version`` is :data:`CHECKPOINT_VERSION` (a checkpoint without one is of version 1, the format
before the field was added); a checkpoint of another version is refused with a ``ValueError``.
:meth:`Export.write_jsonl` writes an export to a JSON Lines file with the checkpoint beside it
(``FILE.state``, as the ``intercom-sdk export`` command does): the same call after a crash resumes.

Items come out in no particular order. An error that survives the client's retries stops the export
and is raised by the iterator; the other workers stop at their next page.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import queue
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar

from ._exceptions import APIConnectionError, BadRequestError, InternalServerError
from ._pagination import PaginationStyle

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient

__all__ = [
    "CHECKPOINT_VERSION",
    "AsyncExport",
    "Checkpoint",
    "Export",
    "ExportOptions",
    "ExportState",
    "async_export_scroll",
    "async_export_search",
    "export_scroll",
    "export_search",
    "plan_windows",
    "to_epoch",
]

ItemT = TypeVar("ItemT")
Event = tuple[str, Any, Any]
#: What the drivers hand over: the events of one page (one queue operation a page, not an item).
Batch = list[Event]
Window = tuple[int, int]

DAY = 86400
#: Search page size (Intercom's maximum).
DEFAULT_PER_PAGE = 150
#: A window is split when its count exceeds its share by this factor: every part costs a partial last
#: page and its overlap with its neighbours, so a window a little over its share is read whole.
SPLIT_TOLERANCE = 2.0
#: Windows per search, sizing the windows from what is left of the export (see ``target()``).
WINDOWS_PER_SEARCH = 1.5
#: How long to wait before retrying a scroll another export holds (Intercom expires one after 1 min).
SCROLL_EXISTS_WAIT = 5.0
#: How many scroll_exists waits or restarts are tolerated before giving up.
SCROLL_MAX_ATTEMPTS = 30
#: The checkpoint format written by :meth:`Export.checkpoint` (see the module docstring).
CHECKPOINT_VERSION = 1


class ExportOptions(TypedDict, total=False):
    """Keyword arguments of ``client.<resource>.export(...)``.

    ``updated_since`` / ``updated_before``: datetimes, dates, epoch seconds or ISO-8601 strings; for
    companies they filter the scroll by ``updated_at`` (every company is still read).
    ``concurrency``: worker threads or tasks (default 8; the scroll reads one page at a time).
    ``per_page``: page size (150). ``overlap``: the granularity of the search index in seconds, which
    each window's query reaches beyond its ends (default a day for contacts, whose search indexes
    timestamps by day, else 0: exact timestamps). ``resume``: a :meth:`Export.checkpoint`.
    """

    updated_since: datetime | date | int | float | str | None
    updated_before: datetime | date | int | float | str | None
    concurrency: int
    per_page: int
    overlap: int
    resume: Mapping[str, Any] | None


class Checkpoint(TypedDict, total=False):
    """What :meth:`Export.checkpoint` returns (JSON-able): pass it back as ``resume=``.

    ``version``: :data:`CHECKPOINT_VERSION`. ``kind``: ``"search"`` or ``"scroll"``. ``range``: the
    ``[since, before)`` epoch seconds of the export. ``todo``: the windows still to search (key ->
    ``[low, high]``; the scroll: ``{"scroll": None}``). ``partial``: key -> ids already yielded from
    that unfinished window. ``yielded``: items yielded by every run so far.
    """

    version: int
    kind: str
    range: list[int] | None
    todo: dict[str, Any]
    partial: dict[str, list[str]]
    yielded: int


def to_epoch(value: datetime | date | int | float | str | None) -> int | None:
    """Epoch seconds of a datetime (naive = UTC), date, number or ISO-8601 / numeric string."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a timestamp cannot be a bool")
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return int(value.timestamp())
    if isinstance(value, date):
        return int(datetime(value.year, value.month, value.day, tzinfo=timezone.utc).timestamp())
    raise TypeError(f"not a timestamp: {type(value).__name__}")


def _item_id(item: Any) -> str | None:
    value = getattr(item, "id", None)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return str(value) if str(value) else None


def _item_updated_at(item: Any) -> int | None:
    value = getattr(item, "updated_at", None)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _total_count(page: Any) -> int | None:
    value = getattr(page, "total_count", None)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _key(window: Window) -> str:
    return f"{window[0]}-{window[1]}"


# ---------------------------------------------------------------------------------------------------
# Progress and checkpoints
# ---------------------------------------------------------------------------------------------------


def load_checkpoint(resume: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """The state a checkpoint describes; ``ValueError`` for another kind, version or a broken one."""
    if not isinstance(resume, Mapping):
        raise ValueError("resume= must be the dict returned by Export.checkpoint()")
    version = resume.get("version", 1)
    if version != CHECKPOINT_VERSION:
        raise ValueError(
            f"resume= is a checkpoint of format version {version!r}; this intercom-sdk reads version "
            f"{CHECKPOINT_VERSION} (start the export over, or resume it with the intercom-sdk that wrote it)"
        )
    if resume.get("kind") != kind:
        raise ValueError(f"resume= is not the checkpoint of a {kind} export")
    try:
        if kind == "search":
            todo: dict[str, Any] = {str(k): [int(v[0]), int(v[1])] for k, v in resume["todo"].items()}
        else:
            todo = {str(k): None for k in resume["todo"]}
        window_range = resume.get("range")
        return {
            "kind": kind,
            "range": [int(v) if v is not None else None for v in window_range] if window_range else None,
            "todo": todo,
            "partial": {str(k): [str(i) for i in v] for k, v in (resume.get("partial") or {}).items()},
            "yielded": int(resume.get("yielded", 0)),
        }
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        raise ValueError("resume= is not a valid export checkpoint") from None


class ExportState:
    """The progress of one export (no I/O): the windows left, the ids yielded from unfinished ones,
    the count. The drivers' events update it; :meth:`checkpoint` describes it."""

    def __init__(self, state: Mapping[str, Any]) -> None:
        self.kind: str = state["kind"]
        self.range: list[Any] | None = state.get("range")
        self.todo: dict[str, Any] = dict(state["todo"])
        self.partial: dict[str, set[str]] = {k: set(v) for k, v in (state.get("partial") or {}).items()}
        self.yielded: int = int(state.get("yielded", 0))
        self.total_count: int | None = None

    def apply(self, event: Event) -> bool:
        """Record ``event``; ``True`` when it is an item to hand out."""
        kind, key, payload = event
        if kind == "item":
            item_id = _item_id(payload)
            if item_id is not None:
                self.partial.setdefault(key, set()).add(item_id)
            self.yielded += 1
            return True
        if kind == "done":
            self.todo.pop(key, None)
            self.partial.pop(key, None)
        elif kind == "split":
            self.todo.pop(key, None)
            inherited = self.partial.pop(key, set())
            for window in payload:
                self.todo[_key(window)] = list(window)
                if inherited:
                    self.partial.setdefault(_key(window), set()).update(inherited)
        elif kind == "total" and self.total_count is None:
            self.total_count = payload
        return False

    def checkpoint(self) -> Checkpoint:
        return {
            "version": CHECKPOINT_VERSION,
            "kind": self.kind,
            "range": list(self.range) if self.range is not None else None,
            "todo": dict(self.todo),
            "partial": {k: sorted(v) for k, v in self.partial.items() if k in self.todo},
            "yielded": self.yielded,
        }


class _ExportBase:
    """What :class:`Export` and :class:`AsyncExport` share: the state, the checkpoint, the identity
    the export's file (:meth:`Export.write_jsonl`) is checked against."""

    def __init__(self, state: Mapping[str, Any], *, fresh: bool, identity: dict[str, Any]) -> None:
        self._progress = ExportState(state)
        self._fresh = fresh
        self._identity = identity
        self._started = False

    @property
    def total_count(self) -> int | None:
        """The server's estimate of the number of items (``None`` until the first page)."""
        return self._progress.total_count

    @property
    def yielded(self) -> int:
        """Items handed out, those of the runs this one resumes included."""
        return self._progress.yielded

    @property
    def done(self) -> bool:
        """Every window (or the scroll) has been read to its end."""
        return not self._progress.todo

    def checkpoint(self) -> Checkpoint:
        """A JSON-able snapshot of the progress: pass it as ``resume=`` to continue later."""
        return self._progress.checkpoint()

    def _resume(self, checkpoint: Mapping[str, Any]) -> None:
        """Continue from ``checkpoint`` instead (before the first item only)."""
        if self._started:
            raise RuntimeError("an export can only be resumed before it starts")
        self._progress = ExportState(load_checkpoint(checkpoint, self._progress.kind))
        self._fresh = False


class Export(_ExportBase, Generic[ItemT]):
    """An iterator over exported items (see the module docstring); single use.

    ``total_count`` is the server's estimate of the number of items (``None`` until the first page);
    ``yielded`` counts the items handed out, those of the runs this one resumes included;
    :meth:`checkpoint` describes the progress so far; :meth:`write_jsonl` writes it to a resumable file.
    """

    def __init__(
        self,
        events: Callable[[Export[ItemT]], Iterator[Batch]],
        state: Mapping[str, Any],
        *,
        fresh: bool = True,
        identity: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(state, fresh=fresh, identity=identity or {})
        self._events_factory = events
        self._iterator: Iterator[ItemT] | None = None
        self._stop = threading.Event()

    def __iter__(self) -> Iterator[ItemT]:
        if self._iterator is None:
            self._started = True
            self._iterator = self._run()
        return self._iterator

    def __next__(self) -> ItemT:
        return next(iter(self))

    def __enter__(self) -> Export[ItemT]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (also done when iteration ends, fails or is abandoned)."""
        self._stop.set()
        if self._iterator is not None:
            close = getattr(self._iterator, "close", None)
            if close is not None:
                close()

    def _run(self) -> Iterator[ItemT]:
        progress = self._progress
        try:
            for batch in self._events_factory(self):
                for event in batch:
                    if progress.apply(event):
                        yield event[2]
        finally:
            self._stop.set()

    def write_jsonl(self, path: str | Path, *, checkpoint_seconds: float = 1.0) -> int:
        """Write every item to ``path`` as JSON Lines (one ``to_dict()`` a line), with the checkpoint
        beside it (``path + ".state"``, as ``intercom-sdk export`` does). Started again after a crash
        with the same arguments, it resumes: the file ends with every item exactly once. Returns the
        number of items in the file. The state file says when the export is complete; a new call
        then starts over."""
        from ._export_file import write_jsonl

        return write_jsonl(self, Path(path), checkpoint_seconds)


class AsyncExport(_ExportBase, Generic[ItemT]):
    """The async :class:`Export`: ``async for item in export``, :meth:`aclose` (or ``async with``) to
    stop early; ``checkpoint()``, ``yielded``, ``total_count`` and ``done`` as for :class:`Export`."""

    def __init__(
        self,
        events: Callable[[AsyncExport[ItemT]], AsyncIterator[Batch]],
        state: Mapping[str, Any],
        *,
        fresh: bool = True,
        identity: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(state, fresh=fresh, identity=identity or {})
        self._events_factory = events
        self._iterator: AsyncIterator[ItemT] | None = None

    def __aiter__(self) -> AsyncIterator[ItemT]:
        if self._iterator is None:
            self._started = True
            self._iterator = self._run()
        return self._iterator

    async def __anext__(self) -> ItemT:
        return await self.__aiter__().__anext__()

    async def __aenter__(self) -> AsyncExport[ItemT]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop the tasks and wait for them (also done when iteration ends or fails)."""
        if self._iterator is not None:
            aclose = getattr(self._iterator, "aclose", None)
            if aclose is not None:
                await aclose()

    async def _run(self) -> AsyncIterator[ItemT]:
        progress = self._progress
        events = self._events_factory(self)
        try:
            async for batch in events:
                for event in batch:
                    if progress.apply(event):
                        yield event[2]
        finally:
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                await aclose()

    async def write_jsonl(self, path: str | Path, *, checkpoint_seconds: float = 1.0) -> int:
        """:meth:`Export.write_jsonl` for async code (the file is written between awaits, its
        checkpoints on a thread)."""
        from ._export_file import async_write_jsonl

        return await async_write_jsonl(self, Path(path), checkpoint_seconds)


# ---------------------------------------------------------------------------------------------------
# Search-based resources: the engine (planning, no I/O)
# ---------------------------------------------------------------------------------------------------


def _search_body(window: tuple[int, int], overlap: int, per_page: int, sort: bool = False) -> dict[str, Any]:
    """The search of ``window`` = ``[low, high)`` for an index that keeps ``updated_at`` in units of
    ``overlap`` seconds (a day for contacts; 0: exact seconds), in any timezone.

    An index of granularity ``g`` compares units: ``> v`` matches from the start of the unit after the
    one holding ``v``, which is at most ``v + g``, so ``> low - g`` reaches ``low``; ``< v`` matches up
    to the start of the unit holding ``v``, which is later than ``v - g``, so ``< high + g - 1`` reaches
    ``high``. Those are the tightest values that hold wherever the units start (a workspace's
    timezone decides where its days start): when the window's ends are unit boundaries, the query
    reads nothing outside the window at all. (``- g - 1`` and ``+ g`` would read one more unit on
    each side.) Exact timestamps (``g = 1``): ``> low - 1`` and ``< high``.

    ``sort``: ascending by ``updated_at`` (the start-bound probe).
    """
    low, high = window
    unit = max(overlap, 1)
    body: dict[str, Any] = {
        "query": {
            "operator": "AND",
            "value": [
                {"field": "updated_at", "operator": ">", "value": low - unit},
                {"field": "updated_at", "operator": "<", "value": high + unit - 1},
            ],
        },
        "pagination": {"per_page": per_page},
    }
    if sort:
        body["sort"] = {"field": "updated_at", "order": "ascending"}
    return body


def _split(window: tuple[int, int], parts: int, min_length: int) -> list[tuple[int, int]]:
    """``window`` cut into ``parts`` equal consecutive windows (fewer if they would be shorter than
    ``min_length`` seconds; at least two)."""
    low, high = window
    parts = max(2, min(parts, (high - low) // max(min_length, 1)))
    bounds = [low + (high - low) * i // parts for i in range(parts)] + [high]
    if (high - low) // parts >= 2 * DAY:  # whole days: a day-granular search then overlaps no more
        bounds = [bounds[0], *(b - b % DAY for b in bounds[1:-1]), bounds[-1]]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def plan_windows(
    window: Window,
    *,
    total: int | None,
    start: int | None,
    share: int,
    overlap: int,
    min_split: int,
    splittable: bool,
) -> list[Window]:
    """What a window's first page decides: the windows to search instead of ``window`` (``[window]``:
    read it on).

    ``total``: the count the page reports; ``share``: the items a window should hold; ``start``: where
    the probe found the data to start (``None``: not a probe). A probe's range becomes the range
    before ``start``'s day (one window, expected empty) and the rest, cut into as many parts as its
    count asks for; another window is cut likewise when it holds over ``SPLIT_TOLERANCE`` times its
    share (and is ``splittable``, and long enough to cut into windows of ``min_split`` seconds).
    """
    low, high = window
    if start is not None and total is not None:
        head = start - start % DAY if overlap else start
        rest = (max(head, low), high)
        heads = [(low, rest[0])] if rest[0] > low else []
        if total > share * SPLIT_TOLERANCE and rest[1] - rest[0] >= 2 * min_split:
            return [*heads, *_split(rest, math.ceil(total / share), min_split)]
        return [*heads, rest]
    if splittable and total is not None and total > share * SPLIT_TOLERANCE and high - low >= 2 * min_split:
        # As many parts as the count asks for at once (not halves: a round trip per level).
        return _split(window, math.ceil(total / share), min_split)
    return [window]


#: What a driver does after a page: read the next one, search the window again from its start, or
#: stop (the window was replaced by others, already queued).
MORE, RESTART, END = "more", "restart", "end"


@dataclass
class _Step:
    events: list[Event] = field(default_factory=list)
    enqueue: list[tuple[Window, bool, float]] = field(default_factory=list)
    action: str = MORE


class _SearchPlanner:
    """The shared state of one search export's window searches (thread-safe; no I/O)."""

    def __init__(
        self,
        state: ExportState,
        *,
        fresh: bool,
        concurrency: int,
        per_page: int,
        overlap: int,
        items: Callable[[Any], Sequence[Any]],
    ) -> None:
        self.state = state
        self.fresh = fresh
        self.concurrency = concurrency
        self.per_page = per_page
        self.overlap = overlap
        self.items = items
        self.min_split = max(2 * overlap, 3600)
        self.lock = threading.Lock()
        self.pending = 0  # windows queued or being searched
        self.whole_total: int | None = None  # the first window's count (fresh exports): sizes the windows
        self.never_split = False  # set when the server gives no counts
        self.no_probe = False  # set when the start-bound probe cannot be used
        self.seen_without_time: set[str] = set()
        self.handed_down: dict[str, set[str]] = {}  # window key -> ids its parent window already yielded

    def initial(self) -> list[tuple[Window, bool, float]]:
        """The windows to search first: the checkpoint's (splittable only in a fresh export)."""
        return [((int(v[0]), int(v[1])), self.fresh, math.inf) for v in self.state.todo.values()]

    def queued(self) -> None:
        with self.lock:
            self.pending += 1

    def finished_one(self) -> bool:
        """A window search has ended; ``True`` when it was the last one."""
        with self.lock:
            self.pending -= 1
            return self.pending == 0

    def target(self) -> int:
        """Items per window: what is left of the export shared by ``WINDOWS_PER_SEARCH`` windows per
        search, so the windows searched last are smaller and the searches finish together."""
        left = max((self.whole_total or 0) - self.state.yielded, 0)
        return max(self.per_page * 4, math.ceil(left / (self.concurrency * WINDOWS_PER_SEARCH)))

    def search(self, window: Window, splittable: bool) -> _WindowSearch:
        key = _key(window)
        skip = set(self.state.partial.get(key, ()))
        with self.lock:
            skip |= self.handed_down.pop(key, set())
        return _WindowSearch(self, window, splittable, skip)


class _WindowSearch:
    """One window's search: the request to send and what each page of it means (no I/O)."""

    def __init__(self, planner: _SearchPlanner, window: Window, splittable: bool, skip: set[str]) -> None:
        self.planner = planner
        self.window = window
        self.key = _key(window)
        self.splittable = splittable
        self.skip = skip
        self.first = True
        self.probing = False

    def body(self) -> dict[str, Any]:
        """The search's JSON body (again from the first page: also after a :data:`RESTART`).

        A fresh export first probes its whole range: one search sorted by updated_at, one item per
        page. Its count sizes the windows and its item is where the data starts, so the range from
        ``updated_since`` (1970 when not given) to that day is not cut into windows that hold
        nothing. That range is still searched, as one window: should a server ignore the sort, it
        holds data and is split like any other, so nothing depends on the sort.
        """
        p = self.planner
        self.first = True
        self.probing = p.fresh and p.whole_total is None and not p.never_split and not p.no_probe
        return _search_body(self.window, p.overlap, 1 if self.probing else p.per_page, sort=self.probing)

    def bad_request(self) -> bool:
        """A 400: ``True`` to search again without the probe's sort, ``False`` to raise it."""
        if not self.probing:
            return False
        self.planner.no_probe = True  # the server refuses the sort: search the range as it is
        return True

    def done(self) -> Event:
        return ("done", self.key, None)

    def page(self, page: Any) -> _Step:
        """What ``page`` (the next page of :meth:`body`'s search) means."""
        events: list[Event] = []
        if self.first:
            self.first = False
            step, events = self._first_page(page)
            if step is not None:
                return step
        return _Step([*events, *self._items(page)])

    def _first_page(self, page: Any) -> tuple[_Step | None, list[Event]]:
        p = self.planner
        low, high = self.window
        total = _total_count(page)
        start = None
        events: list[Event] = []
        if self.probing:
            found = [_item_updated_at(item) for item in p.items(page) if item is not None]
            start = found[0] if found and found[0] is not None else None
            if start is not None and start < low:
                start = low  # found through the query's reach below ``low``: data from low
            if total is None or start is None or not low <= start < high:
                start = None
                if total != 0 or found:  # no count or no usable item: search as it is
                    p.no_probe = True
                    return _Step(action=RESTART), []
        if p.fresh and p.whole_total is None and not p.never_split:
            # The first window is the whole range: its count sizes the windows.
            if total is not None:
                events.append(("total", None, total))
                p.whole_total = total
            else:
                p.never_split = True  # no counts: never split
        parts = plan_windows(
            self.window,
            total=total,
            start=start,
            share=p.target(),
            overlap=p.overlap,
            min_split=p.min_split,
            splittable=self.splittable and not p.never_split,
        )
        if len(parts) > 1:
            assert total is not None
            events.append(("split", self.key, parts))
            events.extend(self._hand_down(page, parts))
            data_parts = [w for w in parts if start is None or w[1] > start]
            enqueue = [
                (w, True, total / len(data_parts) if w in data_parts else 0.0)
                for w in reversed(parts)  # the newest first: data is usually densest there
            ]
            return _Step(events, enqueue, END), []
        if start is not None:  # one part: the whole range, searched again at full page size
            return _Step(events, [(self.window, True, float(total or 0))], END), []
        return None, events

    def _hand_down(self, page: Any, parts: list[Window]) -> list[Event]:
        """This page's items, yielded now, each for the part owning it, which will skip them (when
        every item can be placed: an id and an updated_at)."""
        low, high = self.window
        placed: list[tuple[Any, str, Window]] = []
        for item in self.planner.items(page):
            if item is None:
                continue
            item_id, updated = _item_id(item), _item_updated_at(item)
            if item_id is None or updated is None:
                placed = []
                break
            if low <= updated < high and item_id not in self.skip:
                part = next(w for w in parts if w[0] <= updated < w[1])
                placed.append((item, item_id, part))
        with self.planner.lock:  # what this window skips, its parts skip (each id is in one part)
            handed = self.planner.handed_down
            for part in parts:
                handed.setdefault(_key(part), set()).update(self.skip)
            for _, item_id, part in placed:
                handed[_key(part)].add(item_id)
        return [("item", _key(part), item) for item, _, part in placed]

    def _items(self, page: Any) -> list[Event]:
        events: list[Event] = []
        low, high = self.window
        p = self.planner
        for item in p.items(page):
            updated = _item_updated_at(item)
            item_id = _item_id(item)
            if updated is not None:
                if not low <= updated < high:
                    continue  # another window owns it (overlap)
            elif item_id is not None:
                with p.lock:
                    if item_id in p.seen_without_time:
                        continue
                    p.seen_without_time.add(item_id)
            if item_id is not None and item_id in self.skip:
                continue
            events.append(("item", self.key, item))
        return events


def _search_setup(
    clock: Callable[[], float], options: Mapping[str, Any], default_overlap: int
) -> tuple[dict[str, Any], bool, dict[str, Any], int, int, int]:
    """(state, fresh, identity, concurrency, per_page, overlap) of a search export's options."""
    opts: ExportOptions = options  # type: ignore[assignment]
    unknown = set(options) - set(ExportOptions.__annotations__)
    if unknown:
        raise TypeError(f"export() got unexpected keyword arguments: {sorted(unknown)}")
    concurrency = int(opts.get("concurrency", 8))
    per_page = int(opts.get("per_page", DEFAULT_PER_PAGE))
    overlap = int(opts.get("overlap", default_overlap))
    if concurrency < 1 or per_page < 1 or overlap < 0:
        raise ValueError("concurrency and per_page must be >= 1 and overlap >= 0")
    since = to_epoch(opts.get("updated_since")) or 0
    given_before = to_epoch(opts.get("updated_before"))
    identity = {"since": since, "before": given_before}
    resume = opts.get("resume")
    if resume:
        return load_checkpoint(resume, "search"), False, identity, concurrency, per_page, overlap
    before = given_before if given_before is not None else int(clock()) + 1
    if before <= since:
        raise ValueError("updated_before must be later than updated_since")
    whole = (since, before)
    state = {"kind": "search", "range": list(whole), "todo": {_key(whole): list(whole)}, "partial": {}}
    return state, True, identity, concurrency, per_page, overlap


def _planner(
    export: _ExportBase, concurrency: int, per_page: int, overlap: int, items: Any
) -> _SearchPlanner:
    return _SearchPlanner(
        export._progress,
        fresh=export._fresh,
        concurrency=concurrency,
        per_page=per_page,
        overlap=overlap,
        items=items,
    )


def export_search(
    client: SyncAPIClient,
    path: str,
    page_parser: Callable[[Any], Any],
    items: Callable[[Any], Sequence[ItemT]],
    *,
    default_overlap: int = 0,
    **options: Any,
) -> Export[ItemT]:
    """The :class:`Export` of a search endpoint (``path``, e.g. ``/contacts/search``): threads."""
    state, fresh, identity, concurrency, per_page, overlap = _search_setup(
        client.clock, options, default_overlap
    )
    identity = {"path": path, "base_url": client.base_url, **identity}

    def events(export: Export[ItemT]) -> Iterator[Batch]:
        planner = _planner(export, concurrency, per_page, overlap, items)
        return _thread_events(planner, export._stop, client, path, page_parser, items)

    return Export(events, state, fresh=fresh, identity=identity)


def async_export_search(
    client: AsyncAPIClient,
    path: str,
    page_parser: Callable[[Any], Any],
    items: Callable[[Any], Sequence[ItemT]],
    *,
    default_overlap: int = 0,
    **options: Any,
) -> AsyncExport[ItemT]:
    """The :class:`AsyncExport` of a search endpoint: asyncio tasks on the caller's loop."""
    state, fresh, identity, concurrency, per_page, overlap = _search_setup(
        client.clock, options, default_overlap
    )
    identity = {"path": path, "base_url": client.base_url, **identity}

    def events(export: AsyncExport[ItemT]) -> AsyncIterator[Batch]:
        planner = _planner(export, concurrency, per_page, overlap, items)
        return _task_events(planner, client, path, page_parser, items)

    return AsyncExport(events, state, fresh=fresh, identity=identity)


# ---------------------------------------------------------------------------------------------------
# Search-based resources: the drivers
# ---------------------------------------------------------------------------------------------------

_STOP_MARKER = (1, 0.0)


def _thread_events(
    planner: _SearchPlanner,
    stop: threading.Event,
    client: SyncAPIClient,
    path: str,
    page_parser: Callable[[Any], Any],
    items: Callable[[Any], Sequence[Any]],
) -> Iterator[Batch]:
    """The events of a search export, ``planner.concurrency`` threads searching windows."""
    concurrency = planner.concurrency
    # Largest (estimated) windows first, so the export does not end with one long window alone; the
    # stop markers sort after every window.
    work: queue.PriorityQueue[tuple[int, float, int, Window, bool]] = queue.PriorityQueue()
    sequence = itertools.count()
    out: queue.Queue[Batch] = queue.Queue(maxsize=2 * concurrency)  # pages of events

    def put(batch: Batch) -> bool:
        while not stop.is_set():
            try:
                out.put(batch, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def enqueue(window: Window, splittable: bool, estimate: float) -> None:
        planner.queued()
        work.put((0, -estimate, next(sequence), window, splittable))

    def stop_workers() -> None:
        for _ in range(concurrency):
            work.put((1, 0.0, next(sequence), (0, 0), False))

    def search(window: Window, splittable: bool) -> None:
        run = planner.search(window, splittable)
        while True:
            pages = client.paginate(
                {"method": "post", "url": path, "json": run.body()},
                page_parser,
                style=PaginationStyle.SEARCH,
                items=items,
            ).pages()
            action = MORE
            while action == MORE:
                try:
                    page = next(pages)
                except StopIteration:
                    break
                except BadRequestError:
                    if not run.bad_request():
                        raise
                    action = RESTART
                    break
                if stop.is_set():
                    return
                step = run.page(page)
                del page
                if step.events and not put(step.events):
                    return
                for queued in step.enqueue:
                    enqueue(*queued)
                action = step.action
            if action == END:
                return
            if action == MORE:
                put([run.done()])
                return

    def worker() -> None:
        while not stop.is_set():
            marker, _, _, window, splittable = work.get()
            if marker:
                return
            try:
                search(window, splittable)
            except BaseException as exc:
                put([("error", None, exc)])
                stop.set()
                return
            finally:
                if not stop.is_set() and planner.finished_one():
                    stop_workers()
                    put([("finished", None, None)])

    initial = planner.initial()
    if not initial:
        return
    for queued in initial:
        enqueue(*queued)
    threads = [
        threading.Thread(target=worker, name=f"intercom-export-{i}", daemon=True) for i in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    try:
        while True:
            try:
                batch = out.get(timeout=0.1)
            except queue.Empty:
                if stop.is_set() and not any(t.is_alive() for t in threads) and out.empty():
                    return
                continue
            if batch[0][0] == "finished":
                return
            if batch[0][0] == "error":
                raise batch[0][2]
            yield batch
    finally:
        stop.set()
        stop_workers()


async def _task_events(
    planner: _SearchPlanner,
    client: AsyncAPIClient,
    path: str,
    page_parser: Callable[[Any], Any],
    items: Callable[[Any], Sequence[Any]],
) -> AsyncIterator[Batch]:
    """The events of a search export, ``planner.concurrency`` asyncio tasks searching windows. Every
    wait is an await (the pages, the queues); the engine's work per page is small and bounded."""
    concurrency = planner.concurrency
    work: asyncio.PriorityQueue[tuple[int, float, int, Window, bool]] = asyncio.PriorityQueue()
    sequence = itertools.count()
    out: asyncio.Queue[Batch] = asyncio.Queue(maxsize=2 * concurrency)  # pages of events

    def enqueue(window: Window, splittable: bool, estimate: float) -> None:
        planner.queued()
        work.put_nowait((0, -estimate, next(sequence), window, splittable))

    def stop_workers() -> None:
        for _ in range(concurrency):
            work.put_nowait((1, 0.0, next(sequence), (0, 0), False))

    async def search(window: Window, splittable: bool) -> None:
        run = planner.search(window, splittable)
        while True:
            pages = client.paginate(
                {"method": "post", "url": path, "json": run.body()},
                page_parser,
                style=PaginationStyle.SEARCH,
                items=items,
                parse_in_thread=True,
            ).pages()
            action = MORE
            try:
                while action == MORE:
                    try:
                        page = await pages.__anext__()
                    except StopAsyncIteration:
                        break
                    except BadRequestError:
                        if not run.bad_request():
                            raise
                        action = RESTART
                        break
                    step = run.page(page)
                    del page
                    if step.events:
                        await out.put(step.events)
                    for queued in step.enqueue:
                        enqueue(*queued)
                    action = step.action
            finally:
                aclose = getattr(pages, "aclose", None)
                if aclose is not None:
                    await aclose()
            if action == END:
                return
            if action == MORE:
                await out.put([run.done()])
                return

    async def worker() -> None:
        while True:
            marker, _, _, window, splittable = await work.get()
            if marker:
                return
            try:
                await search(window, splittable)
            except asyncio.CancelledError:
                raise
            except BaseException as exc:
                await out.put([("error", None, exc)])
                return
            if planner.finished_one():
                stop_workers()
                await out.put([("finished", None, None)])

    initial = planner.initial()
    if not initial:
        return
    for queued in initial:
        enqueue(*queued)
    tasks = [asyncio.create_task(worker(), name=f"intercom-export-{i}") for i in range(concurrency)]
    try:
        while True:
            batch = await out.get()
            if batch[0][0] == "finished":
                return
            if batch[0][0] == "error":
                raise batch[0][2]
            yield batch
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


# ---------------------------------------------------------------------------------------------------
# Companies: the scroll, as a singleton
# ---------------------------------------------------------------------------------------------------


def _is_scroll_exists(err: BadRequestError) -> bool:
    return any(e.code == "scroll_exists" for e in err.errors) or "scroll_exists" in str(err)


class _ScrollRun:
    """One scroll export's decisions (no I/O): which items of a page to yield (not yielded before,
    within ``[since, before)``), and what to do after an error."""

    def __init__(self, state: ExportState) -> None:
        self.state = state
        self.seen = state.partial.setdefault("scroll", set())  # the ids yielded: the checkpoint's too
        window_range = state.range or [None, None]
        self.since: int | None = window_range[0]
        self.before: int | None = window_range[1]
        self.attempts = 0

    def page(self, page: Any, items: Callable[[Any], Sequence[Any]]) -> list[Event]:
        events: list[Event] = []
        total = _total_count(page)
        if total is not None and self.state.total_count is None:
            events.append(("total", None, total))
        for item in items(page):
            item_id = _item_id(item)
            if item_id is not None and item_id in self.seen:
                continue
            updated = _item_updated_at(item)
            if updated is not None and (
                (self.since is not None and updated < self.since)
                or (self.before is not None and updated >= self.before)
            ):
                continue
            events.append(("item", "scroll", item))  # ExportState.apply adds its id to seen
        return events

    def failed(self, err: Exception) -> float | None:
        """Seconds to wait before scrolling again from the start; ``None``: raise ``err``."""
        if self.attempts >= SCROLL_MAX_ATTEMPTS:
            return None
        if isinstance(err, BadRequestError):
            if not _is_scroll_exists(err):
                return None
            self.attempts += 1
            _log_scroll(
                "another scroll of this app is open (scroll_exists); waiting %.0fs", SCROLL_EXISTS_WAIT
            )
            return SCROLL_EXISTS_WAIT
        if isinstance(err, (InternalServerError, APIConnectionError)):
            self.attempts += 1
            _log_scroll("scroll failed (%s); restarting it from the beginning", type(err).__name__)
            return 0.0
        return None


def _scroll_setup(options: Mapping[str, Any]) -> tuple[dict[str, Any], bool, dict[str, Any]]:
    unknown = set(options) - set(ExportOptions.__annotations__) - {"overlap"}
    if unknown:
        raise TypeError(f"export() got unexpected keyword arguments: {sorted(unknown)}")
    since = to_epoch(options.get("updated_since"))
    before = to_epoch(options.get("updated_before"))
    if since is not None and before is not None and before <= since:
        raise ValueError("updated_before must be later than updated_since")
    identity = {"since": since, "before": before}
    resume = options.get("resume")
    if resume:
        return load_checkpoint(resume, "scroll"), False, identity
    window_range = [since, before] if since is not None or before is not None else None
    state = {"kind": "scroll", "range": window_range, "todo": {"scroll": None}, "partial": {}}
    return state, True, identity


def export_scroll(
    client: SyncAPIClient,
    path: str,
    page_parser: Callable[[Any], Any],
    items: Callable[[Any], Sequence[ItemT]],
    **options: Any,
) -> Export[ItemT]:
    """The :class:`Export` of a scroll endpoint (``/companies/scroll``); see the module docstring."""
    state, fresh, identity = _scroll_setup(options)
    identity = {"path": path, "base_url": client.base_url, **identity}

    def events(export: Export[ItemT]) -> Iterator[Batch]:
        if not export._progress.todo:
            return
        run = _ScrollRun(export._progress)
        sleep: Callable[[float], None] = client.sleep or time.sleep
        while True:
            pager = client.paginate(
                {"method": "get", "url": path}, page_parser, style=PaginationStyle.SCROLL, items=items
            )
            try:
                for page in pager.pages():
                    yield run.page(page, items)
                    del page
            except (BadRequestError, InternalServerError, APIConnectionError) as err:
                wait = run.failed(err)
                if wait is None:
                    raise
                if wait:
                    sleep(wait)
                continue
            yield [("done", "scroll", None)]
            return

    return Export(events, state, fresh=fresh, identity=identity)


def async_export_scroll(
    client: AsyncAPIClient,
    path: str,
    page_parser: Callable[[Any], Any],
    items: Callable[[Any], Sequence[ItemT]],
    **options: Any,
) -> AsyncExport[ItemT]:
    """The :class:`AsyncExport` of a scroll endpoint."""
    state, fresh, identity = _scroll_setup(options)
    identity = {"path": path, "base_url": client.base_url, **identity}

    async def events(export: AsyncExport[ItemT]) -> AsyncIterator[Batch]:
        if not export._progress.todo:
            return
        run = _ScrollRun(export._progress)
        sleep: Callable[[float], Awaitable[None]] = client.sleep or asyncio.sleep
        while True:
            pages = client.paginate(
                {"method": "get", "url": path},
                page_parser,
                style=PaginationStyle.SCROLL,
                items=items,
                parse_in_thread=True,
            ).pages()
            try:
                async for page in pages:
                    yield run.page(page, items)
                    del page
            except (BadRequestError, InternalServerError, APIConnectionError) as err:
                wait = run.failed(err)
                if wait is None:
                    raise
                if wait:
                    await sleep(wait)
                continue
            finally:
                aclose = getattr(pages, "aclose", None)
                if aclose is not None:
                    await aclose()
            yield [("done", "scroll", None)]
            return

    return AsyncExport(events, state, fresh=fresh, identity=identity)


def _log_scroll(message: str, *args: Any) -> None:
    import logging

    from ._constants import LOGGER_NAME

    logging.getLogger(LOGGER_NAME).info(message, *args)
