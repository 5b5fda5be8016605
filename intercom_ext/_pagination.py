"""Lazy pagination over Intercom's four paging styles, sync and async.

Styles (:class:`PaginationStyle`)
---------------------------------
``CURSOR``
    ``GET /contacts?per_page=&starting_after=``; the next cursor is ``pages.next.starting_after``.
``SEARCH``
    ``POST /contacts/search`` with body ``{"query": ..., "pagination": {"per_page", "starting_after"}}``;
    the next cursor is ``pages.next.starting_after`` and goes into ``pagination.starting_after``.
``PAGE``
    page-number / next-URL: query ``page`` and ``per_page``. If ``pages.next`` is a URL its query
    parameters are used for the next request (only the query: the request keeps our host, path and
    headers, so the token is never sent to a host named in a response); if ``pages.next`` is an
    object with ``page``/``starting_after`` those are used; if ``pages.next`` is explicitly ``null``
    iteration stops; otherwise ``page + 1`` while ``pages.page < pages.total_pages``.
``SCROLL``
    ``GET /companies/scroll?scroll_param=``; every response carries ``scroll_param`` for the next
    request; iteration stops at the first empty page (which is not yielded unless it is the first).

The pagers
----------
``SyncPager[PageT, ItemT]`` / ``AsyncPager[PageT, ItemT]`` are built from:

- ``fetch(paging) -> (page, raw)``: performs one request with the *paging* overrides applied (``{}`` for
  the first request, e.g. ``{"starting_after": "abc"}`` later) and returns the typed page model and the
  decoded JSON (the raw JSON is what the pager reads the next cursor from, so it works for any
  generated model shape). :meth:`SyncAPIClient.paginate` builds this from a ``_get_kwargs`` dict via
  :func:`apply_paging`, so a facade normally never writes ``fetch`` itself.
- ``style``, ``items(page) -> Sequence[ItemT]`` (e.g. ``lambda p: p.data or []``),
- ``initial_paging``: the paging parameters of the first request (used to number pages in ``PAGE``
  style when the response does not say which page it is),
- ``max_items`` / ``max_pages``: upper bounds (``None`` = unbounded, ``0`` = fetch nothing).

Iterating a pager yields items and fetches the next page only when the current one is exhausted;
``.pages()`` yields the page models. Only the current page is held, so memory stays flat. Nothing
is fetched before iteration starts, and every new iteration starts again from the first page.
A cursor or page that repeats the previous one ends iteration (protection against a server loop);
a ``scroll_param`` may legitimately repeat, so a scroll ends only on an empty page or a missing param.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qs, urlsplit

from ._constants import LOGGER_NAME

__all__ = ["AsyncPager", "PaginationStyle", "SyncPager", "apply_paging", "next_paging"]

PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")

Paging = dict[str, Any]


class PaginationStyle(enum.Enum):
    """How an endpoint pages (see the module docstring)."""

    CURSOR = "cursor"
    SEARCH = "search"
    PAGE = "page"
    SCROLL = "scroll"


# ---------------------------------------------------------------------------------------------------
# Pure helpers: where the next page is, and how to put it into a request
# ---------------------------------------------------------------------------------------------------


def _pages_obj(raw: Any) -> Mapping[str, Any]:
    pages = raw.get("pages") if isinstance(raw, Mapping) else None
    return pages if isinstance(pages, Mapping) else {}


def _next_cursor(raw: Any) -> str | None:
    nxt = _pages_obj(raw).get("next")
    if isinstance(nxt, Mapping):
        cursor = nxt.get("starting_after")
        if isinstance(cursor, str) and cursor:
            return cursor
    return None


def _query_of(url: str) -> Paging:
    query = parse_qs(urlsplit(url).query, keep_blank_values=False)
    return {key: values[0] if len(values) == 1 else values for key, values in query.items()}


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def next_paging(style: PaginationStyle, raw: Any, *, current_page: int | None = None) -> Paging | None:
    """The paging overrides for the request after the page whose decoded JSON is ``raw``.

    Returns ``None`` when ``raw`` says there is no next page. ``current_page`` is the page number
    we asked for (``PAGE`` style) and is used when the response does not include ``pages.page``.
    The ``SCROLL`` empty-page rule is applied by the pagers, not here.
    """
    if style in (PaginationStyle.CURSOR, PaginationStyle.SEARCH):
        cursor = _next_cursor(raw)
        return None if cursor is None else {"starting_after": cursor}

    if style is PaginationStyle.SCROLL:
        param = raw.get("scroll_param") if isinstance(raw, Mapping) else None
        return {"scroll_param": param} if isinstance(param, str) and param else None

    # PAGE: next URL, next object, or page arithmetic.
    pages = _pages_obj(raw)
    nxt = pages.get("next")
    if isinstance(nxt, str) and nxt.strip():
        query = _query_of(nxt.strip())
        if query:
            return query
    elif isinstance(nxt, Mapping):
        if _as_int(nxt.get("page")) is not None:
            paging: Paging = {"page": _as_int(nxt.get("page"))}
            if isinstance(nxt.get("starting_after"), str):
                paging["starting_after"] = nxt["starting_after"]
            return paging
        if isinstance(nxt.get("starting_after"), str) and nxt["starting_after"]:
            return {"starting_after": nxt["starting_after"]}
    elif "next" in pages and nxt is None:
        return None
    page = _as_int(pages.get("page"))
    if page is None:
        page = current_page
    total = _as_int(pages.get("total_pages"))
    if page is not None and total is not None and page < total:
        return {"page": page + 1}
    return None


def apply_paging(
    style: PaginationStyle, kwargs: Mapping[str, Any], paging: Mapping[str, Any]
) -> dict[str, Any]:
    """Return a copy of the request ``kwargs`` (a generated ``_get_kwargs`` dict) with ``paging`` applied.

    ``SEARCH`` merges ``paging`` into the JSON body's ``pagination`` object; every other style merges it
    into the query ``params``. A ``None`` value removes the parameter. ``kwargs`` is not modified.
    """
    new = dict(kwargs)
    if not paging:
        return new
    if style is PaginationStyle.SEARCH:
        body = new.get("json")
        if body is None:
            body = {}
        if not isinstance(body, Mapping):
            raise TypeError("SEARCH pagination needs a JSON object body")
        body = dict(body)
        pagination = dict(body.get("pagination") or {})
        pagination.update(paging)
        body["pagination"] = {k: v for k, v in pagination.items() if v is not None}
        new["json"] = body
    else:
        params = dict(new.get("params") or {})
        params.update(paging)
        new["params"] = {k: v for k, v in params.items() if v is not None}
    return new


def initial_paging_of(style: PaginationStyle, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The paging parameters already present in the first request's ``kwargs``."""
    if style is PaginationStyle.SEARCH:
        body = kwargs.get("json")
        pagination = body.get("pagination") if isinstance(body, Mapping) else None
        return dict(pagination) if isinstance(pagination, Mapping) else {}
    params = kwargs.get("params")
    return dict(params) if isinstance(params, Mapping) else {}


# ---------------------------------------------------------------------------------------------------
# Shared walking logic
# ---------------------------------------------------------------------------------------------------


def _check_bound(name: str, value: int | None) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValueError(f"{name} must be None or a non-negative int, got {value!r}")
    return value


class _Walk:
    """State of one pass over the pages: decides whether to yield a page and what to fetch next."""

    def __init__(self, style: PaginationStyle, initial: Mapping[str, Any], max_pages: int | None) -> None:
        self.style = style
        self.max_pages = max_pages
        self.yielded = 0
        self.page_number = _as_int(initial.get("page"))
        if self.page_number is None and style is PaginationStyle.PAGE:
            self.page_number = 1
        self.previous: Paging | None = None

    def start(self) -> Paging | None:
        """Paging for the first fetch (``{}``), or ``None`` if nothing may be fetched."""
        return None if self.max_pages == 0 else {}

    def keep(self, n_items: int) -> bool:
        """Whether to yield the page just fetched (``False`` ends the walk)."""
        return not (self.style is PaginationStyle.SCROLL and n_items == 0 and self.yielded > 0)

    def advance(self, raw: Any, n_items: int) -> Paging | None:
        """Count the page just yielded; return the paging of the next fetch or ``None`` to stop."""
        self.yielded += 1
        if self.max_pages is not None and self.yielded >= self.max_pages:
            return None
        if self.style is PaginationStyle.SCROLL and n_items == 0:
            return None
        paging = next_paging(self.style, raw, current_page=self.page_number)
        if paging is None:
            return None
        # Intercom may hand back the same scroll_param for a whole scroll, so only cursors/pages are
        # checked for repeats; a scroll ends on its empty page.
        if paging == self.previous and self.style is not PaginationStyle.SCROLL:
            import logging  # rare path; keep the module import cheap

            logging.getLogger(LOGGER_NAME).warning(
                "Pagination stopped: the server returned the same next page twice (%r)", paging
            )
            return None
        self.previous = paging
        if self.style is PaginationStyle.PAGE:
            page = _as_int(paging.get("page"))
            self.page_number = page if page is not None else None
        return paging


class _PagerBase(Generic[PageT, ItemT]):
    def __init__(
        self,
        *,
        style: PaginationStyle,
        items: Callable[[PageT], Sequence[ItemT]],
        initial_paging: Mapping[str, Any] | None = None,
        max_items: int | None = None,
        max_pages: int | None = None,
    ) -> None:
        self.style = style
        self._items = items
        self._initial = dict(initial_paging or {})
        self.max_items = _check_bound("max_items", max_items)
        self.max_pages = _check_bound("max_pages", max_pages)

    def _walk(self) -> _Walk:
        return _Walk(self.style, self._initial, self.max_pages)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} style={self.style.value} "
            f"max_items={self.max_items} max_pages={self.max_pages}>"
        )


class SyncPager(_PagerBase[PageT, ItemT]):
    """Iterate items (``for item in pager``) or pages (``for page in pager.pages()``), lazily."""

    def __init__(
        self,
        fetch: Callable[[Paging], tuple[PageT, Any]],
        *,
        style: PaginationStyle,
        items: Callable[[PageT], Sequence[ItemT]],
        initial_paging: Mapping[str, Any] | None = None,
        max_items: int | None = None,
        max_pages: int | None = None,
    ) -> None:
        super().__init__(
            style=style, items=items, initial_paging=initial_paging, max_items=max_items, max_pages=max_pages
        )
        self._fetch = fetch

    def first_page(self) -> PageT:
        """Fetch the first page now (one request) and return it, whatever its items."""
        page, _raw = self._fetch({})
        return page

    def pages(self) -> Iterator[PageT]:
        """Yield page models, fetching each only when the previous one has been consumed."""
        walk = self._walk()
        paging = walk.start()
        while paging is not None:
            page, raw = self._fetch(paging)
            n_items = len(self._items(page))
            if not walk.keep(n_items):
                return
            yield page
            del page  # only one page is held: the previous one is freed before the next is fetched
            paging = walk.advance(raw, n_items)
            del raw

    def __iter__(self) -> Iterator[ItemT]:
        remaining = self.max_items
        if remaining == 0:
            return
        for page in self.pages():
            items = self._items(page)
            del page  # see pages(): the page is freed before the next one is fetched
            for item in items:
                yield item
                if remaining is not None:
                    remaining -= 1
                    if remaining == 0:
                        return
            del items


class AsyncPager(_PagerBase[PageT, ItemT]):
    """Iterate items (``async for item in pager``) or pages (``async for page in pager.pages()``)."""

    def __init__(
        self,
        fetch: Callable[[Paging], Awaitable[tuple[PageT, Any]]],
        *,
        style: PaginationStyle,
        items: Callable[[PageT], Sequence[ItemT]],
        initial_paging: Mapping[str, Any] | None = None,
        max_items: int | None = None,
        max_pages: int | None = None,
    ) -> None:
        super().__init__(
            style=style, items=items, initial_paging=initial_paging, max_items=max_items, max_pages=max_pages
        )
        self._fetch = fetch

    async def first_page(self) -> PageT:
        """Fetch the first page now (one request) and return it, whatever its items."""
        page, _raw = await self._fetch({})
        return page

    def pages(self) -> AsyncIterator[PageT]:
        """Yield page models, fetching each only when the previous one has been consumed."""
        return self._pages()

    async def _pages(self) -> AsyncGenerator[PageT, None]:
        walk = self._walk()
        paging = walk.start()
        while paging is not None:
            page, raw = await self._fetch(paging)
            n_items = len(self._items(page))
            if not walk.keep(n_items):
                return
            yield page
            del page  # only one page is held (see SyncPager.pages)
            paging = walk.advance(raw, n_items)
            del raw

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        remaining = self.max_items
        if remaining == 0:
            return
        pages = self._pages()
        try:
            async for page in pages:
                items = self._items(page)
                del page  # see SyncPager.pages: the page is freed before the next one is fetched
                for item in items:
                    yield item
                    if remaining is not None:
                        remaining -= 1
                        if remaining == 0:
                            return
                del items
        finally:
            await pages.aclose()
