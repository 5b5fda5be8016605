"""``make docs-check``: open the built site in headless Chromium, as a reader would.

Serves ``site/`` (built by ``make docs``) on ``127.0.0.1:<free port>`` and opens two pages with
Playwright driving the system Chromium (Debian's ``chromium`` package; ``make install`` installs it
when missing): the 2.11 ``contacts`` reference page and the pagination guide. For each page it
asserts the title, the method list, and that no asset failed: no 4xx/5xx response, no failed
request, no console error, and no request to any host but the loopback server (the site must work
offline). A screenshot of the contacts page is kept in ``build/docs-check/`` (CI artifact).
Then it uses the site search as a reader would: types a model name (``ContactList``) into the search
box, follows the first result and checks that it lands on that model's entry on its resource's
models page (screenshot ``build/docs-check/search.png``).

    python -m docsgen.check_site [SITE_DIR]
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
OUT = ROOT / "build" / "docs-check"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class PageReport:
    url: str
    title: str = ""
    h1: str = ""
    methods: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    assets: int = 0


def open_page(browser: Any, base: str, path: str, *, screenshot: Path | None = None) -> PageReport:
    report = PageReport(url=f"{base}/{path}")
    host = urlsplit(base).netloc
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    def on_response(response: Any) -> None:
        report.assets += 1
        if response.status >= 400:
            report.problems.append(f"{response.status} {response.url}")

    def on_request(request: Any) -> None:
        if urlsplit(request.url).netloc not in (host, "") and not request.url.startswith("data:"):
            report.problems.append(f"request to another host: {request.url}")

    page.on("response", on_response)
    page.on("request", on_request)

    def on_console(message: Any) -> None:
        if message.type == "error":
            report.problems.append(f"console error: {message.text}")

    page.on("requestfailed", lambda r: report.problems.append(f"failed: {r.url} ({r.failure})"))
    page.on("console", on_console)
    page.on("pageerror", lambda e: report.problems.append(f"page error: {e}"))
    page.goto(report.url, wait_until="networkidle")
    report.title = page.title()
    report.h1 = page.locator("article h1").first.inner_text().strip()
    # The method list: the first table of the article (the reference's "Methods", the guide's styles).
    first_column = page.locator("article table").first.locator("tbody tr td:first-child")
    report.methods = [cell.strip() for cell in first_column.all_inner_texts()]
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot))
    page.close()
    return report


SEARCH_QUERY = "ContactList"


def search_and_land(browser: Any, base: str, query: str, *, screenshot: Path | None = None) -> PageReport:
    """Search ``query`` from the home page and follow the first result; ``h1`` is the landing page's
    title, ``methods`` the text of the element the URL's anchor names."""
    report = PageReport(url=f"{base}/")
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    def on_console(message: Any) -> None:
        if message.type == "error":
            report.problems.append(f"console error: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: report.problems.append(f"page error: {e}"))
    page.goto(report.url, wait_until="networkidle")
    box = page.locator("input.md-search__input")  # in the header at this width, as a reader sees it
    box.click()
    box.fill(query)
    results = "li.md-search-result__item a.md-search-result__link"
    try:  # the worker builds the index of every version's pages first
        page.locator(results).first.wait_for(timeout=90_000)
    except Exception as exc:  # playwright's TimeoutError: reported, not raised
        report.problems.append(f"no search result for {query!r}: {exc}")
        page.close()
        return report
    # the first result naming the model's own entry (a page result leads to the top of the page)
    entry = page.locator(f"{results}[href$='.{query}']").first
    if not entry.count():
        hrefs = page.locator(results).evaluate_all("links => links.map(a => a.getAttribute('href'))")
        report.problems.append(f"no result leads to a {query!r} entry: {hrefs[:5]}")
        page.close()
        return report
    if not entry.is_visible():  # among the "more on this page" sections: open them, as a reader would
        entry.locator("xpath=ancestor::details[1]/summary").click()
    entry.click()
    page.wait_for_load_state("networkidle")
    report.url = page.url
    report.title = page.title()
    anchor = urlsplit(page.url).fragment
    report.h1 = page.locator("article h1").first.inner_text().strip()
    if anchor:
        target = page.locator(f"[id='{anchor}']")
        report.methods = [target.first.inner_text().strip()] if target.count() else []
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot))
    page.close()
    return report


def check(site: Path = SITE) -> list[str]:
    """Every problem found (empty when the pages are as a reader expects)."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from docsgen.reference import load_versions

    v2_11 = next(doc for doc in load_versions() if doc.module == "v2_11")
    verbs = [op.verb for op in v2_11.operations if op.resource == "contacts"]
    if not (site / "index.html").is_file():
        return [f"{site}/index.html is missing: run `make docs` first"]
    if not Path(CHROMIUM).exists():
        return [f"{CHROMIUM} is missing: `apt-get install chromium` (make install does it as root)"]
    problems: list[str] = []
    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            contacts = open_page(browser, base, "reference/v2_11/contacts/", screenshot=OUT / "contacts.png")
            guide = open_page(browser, base, "guides/pagination/")
            found = search_and_land(browser, base, SEARCH_QUERY, screenshot=OUT / "search.png")
        finally:
            browser.close()
    for report, h1, title, methods in (
        (contacts, "contacts (API 2.11)", "contacts - intercom-sdk", verbs),
        (guide, "Pagination", "Pagination - intercom-sdk", ["cursor", "search", "page", "scroll"]),
    ):
        print(f"{report.url}: title {report.title!r}, {len(report.methods)} rows, {report.assets} responses")
        if report.h1.rstrip("¶").strip() != h1:
            problems.append(f"{report.url}: h1 is {report.h1!r}, expected {h1!r}")
        if report.title != title:
            problems.append(f"{report.url}: title is {report.title!r}, expected {title!r}")
        if report.methods != methods:
            problems.append(f"{report.url}: list is {report.methods}, expected {methods}")
        problems += [f"{report.url}: {p}" for p in report.problems]
    print(f"search {SEARCH_QUERY!r}: landed on {found.url} ({found.h1!r})")
    problems += [f"search {SEARCH_QUERY!r}: {p}" for p in found.problems]
    if not found.problems:
        fragment = urlsplit(found.url).fragment
        if "/models/" not in found.url or not fragment.endswith(f".{SEARCH_QUERY}"):
            problems.append(f"search {SEARCH_QUERY!r}: landed on {found.url}, not on the model's entry")
        elif not found.methods or SEARCH_QUERY not in found.methods[0]:
            problems.append(f"search {SEARCH_QUERY!r}: {found.url} has no heading {SEARCH_QUERY!r}")
    return problems


def main(argv: list[str]) -> int:
    problems = check(Path(argv[0]) if argv else SITE)
    for problem in problems:
        print("docs-check:", problem, file=sys.stderr)
    if not problems:
        shots = f"{(OUT / 'contacts.png').relative_to(ROOT)}, {(OUT / 'search.png').relative_to(ROOT)}"
        print(f"docs-check: 2 pages and the search OK; screenshots in {shots}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
