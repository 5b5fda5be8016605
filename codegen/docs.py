"""Spec text as docstring text: Markdown (CommonMark + tables, as Intercom writes it) turned into
readable plain text, links kept as URLs, and the rule for an operation's page on Intercom's
developer site.

Conversion (``markdown-it-py``, the parser ``rich`` already brings in):

- paragraphs are wrapped at :data:`WIDTH`; emphasis markers are dropped; inline code keeps its
  backticks (```per_page```); a link reads ``text (url)`` (just ``url`` when the text is the URL);
- headings become a paragraph of their own; bullet and numbered lists become ``-`` / ``1.`` items;
  tables become one ``cell | cell`` line per row; code blocks are kept verbatim, indented;
- HTML tags are dropped (``<br>`` breaks the line); Markdoc tags (``{% admonition type="warning"
  name="Pagination" %}`` ... ``{% /admonition %}``, used by Intercom's docs site) become a
  ``Warning: Pagination.`` paragraph and their body.

The result is safe inside a ``\"\"\"`` string literal (:func:`docstring_safe`).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from codegen.strings import plain

WIDTH = 96
_MD = MarkdownIt("commonmark").enable("table")
_MARKDOC_OPEN = re.compile(r"\{%\s*(\w+)([^%]*?)%\}")
_MARKDOC_CLOSE = re.compile(r"\{%\s*/\s*\w+\s*%\}")
_MARKDOC_ATTR = re.compile(r'(\w+)="([^"]*)"')
_TAG = re.compile(r"</?[A-Za-z][^>]*>")

#: Base of Intercom's developer site reference pages.
DOCS_SITE = "https://developers.intercom.com/docs/references"


def docs_url(version: str, server: str, tag: str, operation_id: str) -> str:
    """The page of an operation on Intercom's developer site.

    Rule (the specs carry no ``externalDocs`` for operations; the site builds its pages from the same
    documents): ``https://developers.intercom.com/docs/references/<version>/rest-api/<host>/<tag>/<id>``
    where ``<version>`` is the API version lower-cased (``2.11``, ``unstable``), ``<host>`` the host of
    the spec's first server (``api.intercom.io``), ``<tag>`` the operation's first tag lower-cased
    with runs of non-alphanumerics as ``-`` (``Data Attributes`` -> ``data-attributes``) and ``<id>``
    the operationId lower-cased (``ListContacts`` -> ``listcontacts``).
    """
    host = re.sub(r"^[a-z]+://", "", server).split("/")[0]
    slug = re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-")
    return f"{DOCS_SITE}/{version.lower()}/rest-api/{host}/{slug}/{operation_id.lower()}"


def _markdoc(text: str) -> str:
    def open_tag(match: re.Match[str]) -> str:
        attrs = dict(_MARKDOC_ATTR.findall(match.group(2)))
        kind = attrs.get("type") or match.group(1)
        name = attrs.get("name") or attrs.get("title")
        label = f"{kind.capitalize()}: {name}." if name else f"{kind.capitalize()}:"
        return f"\n\n{label}\n\n"

    return _MARKDOC_OPEN.sub(open_tag, _MARKDOC_CLOSE.sub("\n\n", text))


def _inline(token: Token) -> str:
    out: list[str] = []
    link_stack: list[tuple[str, int]] = []
    for child in token.children or []:
        if child.type == "text":
            out.append(child.content)
        elif child.type == "code_inline":
            out.append(f"`{child.content}`")
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "html_inline":
            if re.fullmatch(r"<br\s*/?>", child.content.strip(), re.IGNORECASE):
                out.append("\n")
        elif child.type == "link_open":
            link_stack.append((str(child.attrs.get("href") or ""), len(out)))
        elif child.type == "link_close" and link_stack:
            href, start = link_stack.pop()
            text = "".join(out[start:]).strip()
            del out[start:]
            out.append(href if not text or text == href else f"{text} ({href})")
        elif child.type == "image":
            out.append(str(child.attrs.get("src") or ""))
    return "".join(out)


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    lines: list[str] = []
    for i, piece in enumerate(text.split("\n")):
        wrapped = textwrap.wrap(
            " ".join(piece.split()),
            width=width,
            initial_indent=first if i == 0 else rest,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines += wrapped or ([first.rstrip()] if i == 0 and first.strip() else [])
    return lines


def _blocks(tokens: Sequence[Token], width: int) -> list[list[str]]:
    """Paragraph-like blocks, each a list of lines (the caller puts a blank line between blocks)."""
    blocks: list[list[str]] = []
    lists: list[list[Any]] = []  # per open list: [marker, next number]
    row: list[str] | None = None  # the cells of the table row being read
    in_list_block = False
    item_first = False
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(["-" if kind == "bullet_list_open" else "#", int(token.attrs.get("start") or 1)])
            if len(lists) == 1:
                blocks.append([])
                in_list_block = True
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            in_list_block = bool(lists)
        elif kind == "list_item_open":
            item_first = True
        elif kind == "table_open":
            blocks.append([])
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            blocks[-1] += _wrap(" | ".join(row), width, "", "    ")
            row = None
        elif kind == "inline" and row is not None:
            row.append("; ".join(part.strip() for part in _inline(token).split("\n") if part.strip()))
        elif kind == "inline" and in_list_block:
            marker, number = lists[-1]
            bullet = "-" if marker == "-" else f"{number}."
            indent = "  " * (len(lists) - 1)
            pad = indent + " " * (len(bullet) + 1)
            if item_first and marker == "#":
                lists[-1][1] += 1
            blocks[-1] += _wrap(_inline(token), width, f"{indent}{bullet} " if item_first else pad, pad)
            item_first = False
        elif kind == "inline":
            blocks.append(_wrap(_inline(token), width))
        elif kind in ("fence", "code_block"):
            code = token.content.rstrip("\n").split("\n")
            block = ["    " + line if line.strip() else "" for line in code]
            if in_list_block:
                blocks[-1] += block
            else:
                blocks.append(block)
        elif kind == "html_block":
            text = _TAG.sub(" ", token.content)
            if text.strip():
                blocks.append(_wrap(text, width))
    return [b for b in blocks if any(line.strip() for line in b)]


def markdown_lines(text: object, width: int = WIDTH) -> list[str]:
    """``text`` (Markdown) as wrapped plain-text lines, paragraphs separated by an empty line."""
    source = _markdoc(plain(text) if text else "")
    tokens = _MD.parse(source)
    blocks = _blocks(tokens, width)
    out: list[str] = []
    for block in blocks:
        if out:
            out.append("")
        out += [line.rstrip() for line in block]
    return out


def wrap(text: str, width: int = WIDTH, first: str = "", rest: str = "") -> list[str]:
    """``text`` wrapped at ``width`` (its own line breaks kept), URLs and long words never split."""
    return _wrap(text, width, first, rest)


def markdown_text(text: object, width: int = WIDTH) -> str:
    return "\n".join(markdown_lines(text, width))


def docstring_safe(text: str) -> str:
    """``text`` safe inside a non-raw triple-quoted literal: backslashes doubled, quotes escaped."""
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def sentences(parts: Iterable[str]) -> str:
    """Non-empty parts joined as sentences (each ends with a full stop)."""
    out = []
    for part in parts:
        part = part.strip()
        if part:
            out.append(part if part[-1] in ".!?:" else part + ".")
    return " ".join(out)
