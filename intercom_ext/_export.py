"""Bulk exports: every contact, conversation, ticket or company, streamed, at the rate limit.

``client.contacts.export(updated_since=..., concurrency=8)`` (also ``conversations`` and ``tickets``)
returns an :class:`Export`: an iterator of typed items that holds only a bounded number of them.

Search-based resources
    The ``updated_at`` range ``[updated_since, updated_before)`` (default: everything up to the start
    of the export) is cut into windows that ``concurrency`` threads search at once, each with the
    resource's search pager (``POST /<resource>/search``, 150 per page). A fresh export first sends
    one probe: the whole range, sorted by ``updated_at`` ascending, one item per page. Its count
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
    is missed or repeated (the ids are the only state kept: about 100 bytes a company).

Checkpoints: :meth:`Export.checkpoint` is a JSON-able dict describing what has been yielded so far
(the windows still to do and the ids yielded from unfinished ones); ``export(..., resume=checkpoint)``
continues from it and yields only what was not yielded before. The CLI (``intercom-sdk export``)
stores it beside its output file.

Items come out in no particular order. An error that survives the client's retries stops the export
and is raised by the iterator; the other workers stop at their next page.
"""

from __future__ import annotations

import itertools
import math
import queue
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar

from ._exceptions import APIConnectionError, BadRequestError, InternalServerError
from ._pagination import PaginationStyle

if TYPE_CHECKING:
    from ._base_client import SyncAPIClient

__all__ = ["Export", "ExportOptions", "export_scroll", "export_search", "to_epoch"]

ItemT = TypeVar("ItemT")

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


class ExportOptions(TypedDict, total=False):
    """Keyword arguments of ``client.<resource>.export(...)``.

    ``updated_since`` / ``updated_before``: datetimes, dates, epoch seconds or ISO-8601 strings (search
    resources only). ``concurrency``: worker threads (default 8). ``per_page``: page size (150).
    ``overlap``: the granularity of the search index in seconds, which each window's query reaches
    beyond its ends (default a day for contacts, whose search indexes timestamps by day, else 0:
    exact timestamps). ``resume``: a :meth:`Export.checkpoint`.
    """

    updated_since: datetime | date | int | float | str | None
    updated_before: datetime | date | int | float | str | None
    concurrency: int
    per_page: int
    overlap: int
    resume: Mapping[str, Any] | None


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


def _key(window: tuple[int, int]) -> str:
    return f"{window[0]}-{window[1]}"


class Export(Generic[ItemT]):
    """An iterator over exported items (see the module docstring); single use.

    ``total_count`` is the server's estimate of the number of items (``None`` until the first page);
    ``yielded`` counts the items handed out, those of the runs this one resumes included;
    :meth:`checkpoint` describes the progress so far.
    """

    def __init__(
        self, events: Callable[[Export[ItemT]], Iterator[tuple[str, Any, Any]]], state: dict[str, Any]
    ):
        self._events_factory = events
        self._state = state  # "kind", "range", "todo" (keys -> window), "partial" (keys -> ids)
        self._partial: dict[str, set[str]] = {k: set(v) for k, v in state.get("partial", {}).items()}
        self.total_count: int | None = None
        self.yielded: int = state.get("yielded", 0)
        self._iterator: Iterator[ItemT] | None = None
        self._stop = threading.Event()

    def __iter__(self) -> Iterator[ItemT]:
        if self._iterator is None:
            self._iterator = self._run()
        return self._iterator

    def __next__(self) -> ItemT:
        return next(iter(self))

    def close(self) -> None:
        """Stop the workers (also done when iteration ends, fails or is abandoned)."""
        self._stop.set()
        if self._iterator is not None:
            close = getattr(self._iterator, "close", None)
            if close is not None:
                close()

    def _run(self) -> Iterator[ItemT]:
        todo: dict[str, Any] = self._state["todo"]
        try:
            for kind, key, payload in self._events_factory(self):
                if kind == "item":
                    item_id = _item_id(payload)
                    if item_id is not None:
                        self._partial.setdefault(key, set()).add(item_id)
                    self.yielded += 1
                    yield payload
                elif kind == "done":
                    todo.pop(key, None)
                    self._partial.pop(key, None)
                elif kind == "split":
                    todo.pop(key, None)
                    inherited = self._partial.pop(key, set())
                    for window in payload:
                        todo[_key(window)] = list(window)
                        if inherited:
                            self._partial.setdefault(_key(window), set()).update(inherited)
                elif kind == "total":
                    self.total_count = payload
        finally:
            self._stop.set()

    def checkpoint(self) -> dict[str, Any]:
        """A JSON-able snapshot of the progress: pass it as ``resume=`` to continue later."""
        return {
            "kind": self._state["kind"],
            "range": self._state.get("range"),
            "todo": dict(self._state["todo"]),
            "partial": {k: sorted(v) for k, v in self._partial.items() if k in self._state["todo"]},
            "yielded": self.yielded,
        }

    @property
    def done(self) -> bool:
        return not self._state["todo"]


# ---------------------------------------------------------------------------------------------------
# Search-based resources: concurrent updated_at windows
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


def export_search(
    client: SyncAPIClient,
    path: str,
    page_parser: Callable[[Any], Any],
    items: Callable[[Any], Sequence[ItemT]],
    *,
    default_overlap: int = 0,
    **options: Any,
) -> Export[ItemT]:
    """The :class:`Export` of a search endpoint (``path``, e.g. ``/contacts/search``)."""
    opts: ExportOptions = options  # type: ignore[assignment]
    unknown = set(options) - set(ExportOptions.__annotations__)
    if unknown:
        raise TypeError(f"export() got unexpected keyword arguments: {sorted(unknown)}")
    concurrency = int(opts.get("concurrency", 8))
    per_page = int(opts.get("per_page", DEFAULT_PER_PAGE))
    overlap = int(opts.get("overlap", default_overlap))
    if concurrency < 1 or per_page < 1 or overlap < 0:
        raise ValueError("concurrency and per_page must be >= 1 and overlap >= 0")
    resume = opts.get("resume")
    if resume:
        if resume.get("kind") != "search":
            raise ValueError("resume= is not the checkpoint of a search export")
        state: dict[str, Any] = {
            "kind": "search",
            "range": list(resume["range"]),
            "todo": {str(k): [int(v[0]), int(v[1])] for k, v in resume["todo"].items()},
            "partial": {str(k): list(v) for k, v in (resume.get("partial") or {}).items()},
            "yielded": int(resume.get("yielded", 0)),
        }
    else:
        since = to_epoch(opts.get("updated_since")) or 0
        before = to_epoch(opts.get("updated_before"))
        if before is None:
            before = int(client.clock()) + 1
        if before <= since:
            raise ValueError("updated_before must be later than updated_since")
        whole = (since, before)
        state = {"kind": "search", "range": list(whole), "todo": {_key(whole): list(whole)}, "partial": {}}

    base = {"method": "post", "url": path}
    min_split = max(2 * overlap, 3600)

    def events(export: Export[ItemT]) -> Iterator[tuple[str, Any, Any]]:
        # Largest (estimated) windows first, so the export does not end with one long window alone;
        # the stop markers sort after every window.
        work: queue.PriorityQueue[tuple[int, float, int, tuple[int, int], bool]] = queue.PriorityQueue()
        sequence = itertools.count()
        out: queue.Queue[tuple[str, Any, Any]] = queue.Queue(maxsize=max(2 * concurrency * per_page, 1000))
        stop = export._stop
        pending = [0]  # windows queued or being searched
        lock = threading.Lock()
        whole_total: list[int | None] = [None]  # the first window's count (fresh exports): sizes the windows
        never_split = [False]  # set when the server gives no counts
        fresh = not resume
        no_probe = [False]  # set when the start-bound probe cannot be used
        seen_without_time: set[str] = set()
        handed_down: dict[str, set[str]] = {}  # window key -> ids its parent window already yielded

        def put(event: tuple[str, Any, Any]) -> bool:
            while not stop.is_set():
                try:
                    out.put(event, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def enqueue(window: tuple[int, int], splittable: bool, estimate: float = math.inf) -> None:
            with lock:
                pending[0] += 1
            work.put((0, -estimate, next(sequence), window, splittable))

        def stop_workers() -> None:
            for _ in range(concurrency):
                work.put((1, 0.0, next(sequence), (0, 0), False))

        def target() -> int:
            """Items per window: what is left of the export shared by ``WINDOWS_PER_SEARCH`` windows
            per search, so the windows searched last are smaller and the searches finish together."""
            left = max((whole_total[0] or 0) - export.yielded, 0)
            return max(per_page * 4, math.ceil(left / (concurrency * WINDOWS_PER_SEARCH)))

        def finish_one() -> None:
            with lock:
                pending[0] -= 1
                last = pending[0] == 0
            if last:
                stop_workers()
                put(("finished", None, None))

        def search(window: tuple[int, int], splittable: bool) -> None:
            key = _key(window)
            skip = set(state["partial"].get(key, ()))
            with lock:
                skip |= handed_down.pop(key, set())
            low, high = window
            # A fresh export first probes its whole range: one search sorted by updated_at, one item
            # per page. Its count sizes the windows and its item is where the data starts, so the
            # range from ``updated_since`` (1970 when not given) to that day is not cut into windows
            # that hold nothing. That range is still searched, as one window: should a server ignore
            # the sort, it holds data and is split like any other, so nothing depends on the sort.
            probing = fresh and whole_total[0] is None and not never_split[0] and not no_probe[0]
            body = _search_body(window, overlap, 1 if probing else per_page, sort=probing)
            pager = client.paginate(
                {**base, "json": body}, page_parser, style=PaginationStyle.SEARCH, items=items
            )
            first = True
            pages = pager.pages()
            while True:
                try:
                    page = next(pages)
                except StopIteration:
                    break
                except BadRequestError:
                    if not probing:
                        raise
                    no_probe[0] = True  # the server refuses the sort: search the range as it is
                    search(window, splittable)
                    return
                if stop.is_set():
                    return
                if first:
                    first = False
                    total = _total_count(page)
                    start = None
                    if probing:
                        found = [_item_updated_at(item) for item in items(page) if item is not None]
                        start = found[0] if found and found[0] is not None else None
                        if start is not None and start < low:
                            start = low  # found through the query's reach below ``low``: data from low
                        if total is None or start is None or not low <= start < high:
                            start = None
                            if total != 0 or found:  # no count or no usable item: search as it is
                                no_probe[0] = True
                                search(window, splittable)
                                return
                    if fresh and whole_total[0] is None and not never_split[0]:
                        # The first window is the whole range: its count sizes the windows.
                        if total is not None:
                            put(("total", None, total))
                            whole_total[0] = total
                        else:
                            never_split[0] = True  # no counts: never split
                    share = target()
                    if start is not None and total is not None:
                        # The probe: [low, start's day) as one window (expected empty), the rest cut
                        # into as many parts as the count asks for.
                        assert total is not None
                        head = start - start % DAY if overlap else start
                        rest = (max(head, low), high)
                        heads = [(low, rest[0])] if rest[0] > low else []
                        if total > share * SPLIT_TOLERANCE and rest[1] - rest[0] >= 2 * min_split:
                            parts = [*heads, *_split(rest, math.ceil(total / share), min_split)]
                        else:
                            parts = [*heads, rest]
                    elif (
                        splittable
                        and not never_split[0]
                        and total is not None
                        and total > share * SPLIT_TOLERANCE
                        and high - low >= 2 * min_split
                    ):
                        # Split into as many parts as the count asks for at once (not in halves, which
                        # would cost a round trip per level with few searches running).
                        parts = _split(window, math.ceil(total / share), min_split)
                    else:
                        parts = []
                    if len(parts) > 1:
                        assert total is not None
                        put(("split", key, parts))
                        # This page's items are yielded now, each for the part owning it, which will
                        # skip them (when every item can be placed: an id and an updated_at).
                        owned = [
                            (item, _item_id(item), _item_updated_at(item))
                            for item in items(page)
                            if item is not None
                        ]
                        placed: list[tuple[Any, str, tuple[int, int]]] = []
                        for item, item_id, updated in owned:
                            if item_id is None or updated is None:
                                placed = []
                                break
                            if low <= updated < high and item_id not in skip:
                                part = next(p for p in parts if p[0] <= updated < p[1])
                                placed.append((item, item_id, part))
                        with lock:  # what this window skips, its parts skip (each id is in one part)
                            for part in parts:
                                handed_down.setdefault(_key(part), set()).update(skip)
                            for _, item_id, part in placed:
                                handed_down[_key(part)].add(item_id)
                        for item, _, part in placed:
                            if not put(("item", _key(part), item)):
                                return
                        data_parts = [p for p in parts if start is None or p[1] > start]
                        for part in reversed(parts):  # the newest first: data is usually densest there
                            enqueue(part, True, total / len(data_parts) if part in data_parts else 0.0)
                        return
                    if start is not None:  # one part: the whole range, searched again at full page size
                        enqueue(window, True, float(total or 0))
                        return
                for item in items(page):
                    updated = _item_updated_at(item)
                    item_id = _item_id(item)
                    if updated is not None:
                        if not low <= updated < high:
                            continue  # another window owns it (overlap)
                    elif item_id is not None:
                        with lock:
                            if item_id in seen_without_time:
                                continue
                            seen_without_time.add(item_id)
                    if item_id is not None and item_id in skip:
                        continue
                    if not put(("item", key, item)):
                        return
                del page
            put(("done", key, None))

        def worker() -> None:
            while not stop.is_set():
                marker, _, _, window, splittable = work.get()
                if marker:
                    return
                try:
                    search(window, splittable)
                except BaseException as exc:
                    put(("error", None, exc))
                    stop.set()
                    return
                finally:
                    if not stop.is_set():
                        finish_one()

        todo = [(int(v[0]), int(v[1])) for v in state["todo"].values()]
        if not todo:
            return
        for window in todo:
            enqueue(window, fresh)
        threads = [
            threading.Thread(target=worker, name=f"intercom-export-{i}", daemon=True)
            for i in range(concurrency)
        ]
        for thread in threads:
            thread.start()
        try:
            while True:
                try:
                    event = out.get(timeout=0.1)
                except queue.Empty:
                    if stop.is_set() and not any(t.is_alive() for t in threads) and out.empty():
                        return
                    continue
                kind = event[0]
                if kind == "finished":
                    return
                if kind == "error":
                    raise event[2]
                yield event
        finally:
            stop.set()
            stop_workers()

    return Export(events, state)


# ---------------------------------------------------------------------------------------------------
# Companies: the scroll, as a singleton
# ---------------------------------------------------------------------------------------------------


def _is_scroll_exists(err: BadRequestError) -> bool:
    return any(e.code == "scroll_exists" for e in err.errors) or "scroll_exists" in str(err)


def export_scroll(
    client: SyncAPIClient,
    path: str,
    page_parser: Callable[[Any], Any],
    items: Callable[[Any], Sequence[ItemT]],
    **options: Any,
) -> Export[ItemT]:
    """The :class:`Export` of a scroll endpoint (``/companies/scroll``); see the module docstring."""
    unknown = set(options) - {"resume", "concurrency", "per_page"}
    if unknown:
        raise TypeError(f"export() of a scroll takes only resume= (got {sorted(unknown)})")
    resume = options.get("resume")
    if resume and resume.get("kind") != "scroll":
        raise ValueError("resume= is not the checkpoint of a scroll export")
    state: dict[str, Any] = {"kind": "scroll", "range": None, "todo": {"scroll": None}, "partial": {}}
    if resume:
        state["todo"] = dict(resume["todo"])
        state["partial"] = {str(k): list(v) for k, v in (resume.get("partial") or {}).items()}
        state["yielded"] = int(resume.get("yielded", 0))

    def events(export: Export[ItemT]) -> Iterator[tuple[str, Any, Any]]:
        if not state["todo"]:
            return
        seen = export._partial.setdefault("scroll", set())  # the ids yielded: the checkpoint's too
        sleep: Callable[[float], None] = client.sleep or time.sleep
        attempts = 0
        while True:
            pager = client.paginate(
                {"method": "get", "url": path}, page_parser, style=PaginationStyle.SCROLL, items=items
            )
            try:
                for page in pager.pages():
                    total = _total_count(page)
                    if total is not None and export.total_count is None:
                        yield ("total", None, total)
                    for item in items(page):
                        item_id = _item_id(item)
                        if item_id is not None and item_id in seen:
                            continue
                        yield ("item", "scroll", item)  # Export._run adds its id to seen
                    del page
            except BadRequestError as err:
                if not _is_scroll_exists(err) or attempts >= SCROLL_MAX_ATTEMPTS:
                    raise
                attempts += 1
                _log_scroll(
                    "another scroll of this app is open (scroll_exists); waiting %.0fs", SCROLL_EXISTS_WAIT
                )
                sleep(SCROLL_EXISTS_WAIT)
                continue
            except (InternalServerError, APIConnectionError) as err:
                if attempts >= SCROLL_MAX_ATTEMPTS:
                    raise
                attempts += 1
                _log_scroll("scroll failed (%s); restarting it from the beginning", type(err).__name__)
                continue
            yield ("done", "scroll", None)
            return

    return Export(events, state)


def _log_scroll(message: str, *args: Any) -> None:
    import logging

    from ._constants import LOGGER_NAME

    logging.getLogger(LOGGER_NAME).info(message, *args)
