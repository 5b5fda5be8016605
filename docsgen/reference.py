"""The API reference pages, generated from the manifest and each facade's ``OPERATIONS`` table.

For every version of ``openapi/versions.toml`` (so a new version appears by itself):

- ``reference/<module>/index.md``: the client (``Intercom`` / ``AsyncIntercom``) and a table of
  its resources;
- ``reference/<module>/<resource>.md``: the resource's docstring, a table of its methods, then
  every method rendered by mkdocstrings from the facade (signature, description, parameters,
  return, errors, from the docstrings) followed by an example call: the spec's request example as
  keywords (else the required arguments);
- ``reference/<module>/models/index.md``: every model of the version, a line each, linking its page;
- ``reference/<module>/models/<group>.md``: the models of one resource (those its methods take or
  return, and the models inside them, each on the page of the resource nearest to it), rendered by
  mkdocstrings; models no method reaches (webhook payloads) are on ``models/other.md``. One page
  per version held 515 models (1.5 MB) at 2.14; split, the largest page holds a resource's models;
- ``reference/index.md``: the versions.

``docsgen/hooks.py`` hands these pages to MkDocs (no file is written to ``docs/``);
``python -m docsgen.reference OUT_DIR`` writes them to a directory, to look at them.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import re
import sys
import typing
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT, ROOT / "generated"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from codegen.fetch import fetch  # noqa: E402
from codegen.load import load_spec  # noqa: E402
from codegen.manifest import Version, load_manifest  # noqa: E402
from codegen.repairs import repair  # noqa: E402
from codegen.requests import python_name, request_examples  # noqa: E402

#: Keyword parameters every facade method has; they are not part of the operation.
PAGER_KEYWORDS = frozenset({"max_items", "max_pages"})


@dataclass(frozen=True)
class Operation:
    """One row of a facade's ``OPERATIONS`` table (a tuple today, a NamedTuple later)."""

    resource: str
    verb: str
    method: str
    path: str
    pagination: str | None
    summary: str
    docs_url: str | None


@dataclass(frozen=True)
class VersionDoc:
    version: Version
    module: str  # "v2_11": intercom_ext.<module>
    facade: Any  # the generated facade module
    operations: list[Operation]
    resource_classes: dict[str, str]  # resource -> "ContactsResource"

    @property
    def package(self) -> str:
        return self.version.package

    def resources(self) -> list[str]:
        return list(dict.fromkeys(op.resource for op in self.operations))

    def qualname(self, resource: str, verb: str | None = None) -> str:
        name = f"{self.package}.resources.{resource}.{self.resource_classes[resource]}"
        return f"{name}.{verb}" if verb else name


def _operation(row: Any, method: Any) -> Operation:
    doc = inspect.getdoc(method) or ""
    summary = getattr(row, "summary", None) or doc.split("\n", 1)[0].split(" (``", 1)[0]
    style = row[4]
    return Operation(
        resource=row[0],
        verb=row[1],
        method=row[2],
        path=row[3],
        pagination=getattr(style, "name", style),
        summary=str(summary).strip().rstrip("."),
        docs_url=getattr(row, "docs_url", None),
    )


def load_versions() -> list[VersionDoc]:
    docs = []
    for version in load_manifest():
        facade = importlib.import_module(f"{version.package}.facade")
        classes: dict[str, str] = {}
        ops = []
        for row in facade.OPERATIONS:
            classes[row.resource] = type(getattr(facade.Intercom(token="-"), row.resource)).__name__
            cls = getattr(facade, classes[row[0]])
            ops.append(_operation(row, getattr(cls, row[1])))
        docs.append(VersionDoc(version, version.module, facade, ops, classes))
    return docs


# -- the example call -------------------------------------------------------------------------------


def _placeholder(name: str, annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", repr(annotation))
    first = text.split("|")[0].strip()
    if first.startswith("Sequence["):
        return "[]"
    if first.startswith("Mapping["):
        return "{}"
    if first.startswith("Literal["):
        return first[len("Literal[") :].split(",")[0].rstrip("]")
    if first == "str":
        return f'"<{name}>"'
    if first == "int":
        return "1"
    if first == "float":
        return "1.0"
    if first == "bool":
        return "True"
    return "..."


@functools.cache
def _spec(name: str) -> dict[str, Any]:
    """The repaired spec of a manifest version (the request examples come from it)."""
    version = next(v for v in load_manifest() if v.name == name)
    spec = load_spec(fetch(version, log=False))
    repair(spec)
    return spec


def _accepted(doc: VersionDoc, op: Operation, body: dict[str, Any]) -> bool:
    """Whether the SDK sends ``body`` for ``op`` (some upstream examples contradict their schema)."""
    from intercom_ext._request import fits

    module = importlib.import_module(f"{doc.package}.resources.{op.resource}")
    endpoint = getattr(module, f"_{op.verb.upper()}")
    return endpoint.body is not None and fits(endpoint.body, body, module.SHAPES)


def _literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def example_call(doc: VersionDoc, op: Operation) -> str:
    """A call of ``op`` as a user writes it: the spec's request example as keywords (path ids
    positional, every top-level key of the example a keyword, nested values as plain dicts and
    lists); without an example, the required arguments with placeholders."""
    cls = getattr(doc.facade, doc.resource_classes[op.resource])
    method = getattr(cls, op.verb)
    overloads = typing.get_overloads(method)  # a union body: the first variant's arguments
    signature = inspect.signature(overloads[0] if overloads else method)
    params = list(signature.parameters.values())[1:]
    examples = request_examples(_spec(doc.version.name), op.path, op.method.lower())
    example = next((e for e in examples if _accepted(doc, op, e)), None)
    args: list[str] = []
    for param in params:
        if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL) or param.name in PAGER_KEYWORDS:
            continue
        if param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            args.append(_placeholder(param.name, param.annotation))
        elif example is None and param.default is inspect.Parameter.empty:
            args.append(f"{param.name}={_placeholder(param.name, param.annotation)}")
    if example is not None:
        args += [f"{python_name(key)}={_literal(value)}" for key, value in example.items()]
    call = f"client.{op.resource}.{op.verb}({', '.join(args)})"
    lines = [f"from intercom_ext import {doc.module}", "", f"client = {doc.module}.Intercom()"]
    if op.pagination:
        lines += [f"for item in {call}:  # {op.pagination.lower()} pagination, lazily", "    print(item)"]
    else:
        lines.append(f"result = {call}")
    return "\n".join(lines)


def return_annotation(doc: VersionDoc, op: Operation) -> str:
    cls = getattr(doc.facade, doc.resource_classes[op.resource])
    annotation = inspect.signature(getattr(cls, op.verb)).return_annotation
    return (
        annotation if isinstance(annotation, str) else typing.get_type_hints(getattr(cls, op.verb))["return"]
    )


# -- the pages ------------------------------------------------------------------------------------


def _yaml(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _options(**options: Any) -> str:
    lines = ["    options:"]
    for key, value in options.items():
        if isinstance(value, dict):
            lines.append(f"        {key}:")
            lines += [f"            {k}: {_yaml(v)}" for k, v in value.items()]
        else:
            lines.append(f"        {key}: {_yaml(value)}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _model_links(doc: VersionDoc, op: Operation) -> list[str]:
    """ "models: [`Contact`](models/contacts.md#...)": the request and response models of ``op``."""
    used = method_models(doc, op)
    if not used:
        return []
    page_of = model_page_of(doc)
    module_of = {cls: module for module, cls in model_names(doc)}
    links = [f"[`{c}`](models/{page_of[c]}.md#{model_anchor(doc, module_of[c], c)})" for c in used]
    return ["models " + ", ".join(links)]


def resource_page(doc: VersionDoc, resource: str) -> str:
    ops = [op for op in doc.operations if op.resource == resource]
    name = doc.version.name
    out = [
        f"# `{resource}` (API {name})",
        "",
        f"`client.{resource}` on `intercom_ext.{doc.module}.Intercom`; the same methods, awaited, on "
        f"`AsyncIntercom`. Every request sends `Intercom-Version: {doc.version.header}`.",
        "",
        f"::: {doc.qualname(resource)}",
        _options(members=False, show_root_heading=False, show_source=False),
        "## Methods",
        "",
        "| method | HTTP | summary |",
        "|---|---|---|",
    ]
    for op in ops:
        anchor = doc.qualname(resource, op.verb)
        paging = f" (paginated: {op.pagination.lower()})" if op.pagination else ""
        out.append(
            f"| [`{op.verb}`](#{anchor}) | `{op.method} {_cell(op.path)}` | {_cell(op.summary)}{paging} |"
        )
    out.append("")
    for op in ops:
        out += [
            f"::: {doc.qualname(resource, op.verb)}",
            _options(heading_level=3, show_root_heading=True, show_root_full_path=False, show_source=False),
        ]
        facts = [f"`{op.method} {op.path}`", f"returns `{_cell(return_annotation(doc, op))}`"]
        if op.docs_url:
            facts.append(f"[Intercom's documentation]({op.docs_url})")
        facts += _model_links(doc, op)
        out += [
            "**HTTP** " + " · ".join(facts) + ". A non-2xx answer raises an `APIStatusError` subclass "
            "(`NotFoundError`, `RateLimitError`, ...; see [errors](../../guides/errors.md)).",
            "",
            "```python",
            example_call(doc, op),
            "```",
            "",
        ]
    return "\n".join(out)


def version_page(doc: VersionDoc) -> str:
    name = doc.version.name
    out = [
        f"# API {name}",
        "",
        f"`from intercom_ext import {doc.module}`: `{doc.module}.Intercom` (sync) and "
        f"`{doc.module}.AsyncIntercom` (async), generated package `{doc.package}`, header "
        f"`Intercom-Version: {doc.version.header}`. {len(doc.operations)} operations in "
        f"{len(doc.resources())} resources; the models are on one [page per resource](models/index.md).",
        "",
        "## Resources",
        "",
        "| resource | methods |",
        "|---|---|",
    ]
    for resource in doc.resources():
        verbs = [op.verb for op in doc.operations if op.resource == resource]
        out.append(f"| [`{resource}`]({resource}.md) | {', '.join(f'`{v}`' for v in verbs)} |")
    out += [
        "",
        f"::: {doc.package}.facade.Intercom",
        _options(members=["__init__"], heading_level=2, show_root_heading=True, show_source=False),
        f"::: {doc.package}.facade.AsyncIntercom",
        _options(members=False, heading_level=2, show_root_heading=True, show_source=False),
    ]
    return "\n".join(out)


def model_names(doc: VersionDoc) -> list[tuple[str, str]]:
    """(module, class) of every model of the version, from its lazy ``models`` package."""
    models = importlib.import_module(f"{doc.package}.models")
    names: dict[str, str] = dict(getattr(models, "_MODULES", None) or {})
    if not names:
        for path in sorted((ROOT / "generated" / doc.package / "models").glob("*.py")):
            if path.stem.startswith("_"):
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.startswith("class "):
                    names[line[6:].split("(")[0].split(":")[0]] = path.stem
    return sorted((mod.lstrip("."), cls) for cls, mod in names.items())


OTHER = "other"  # the group of models no method reaches
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _names_in(annotation: Any) -> set[str]:
    text = annotation if isinstance(annotation, str) else str(annotation)
    return set(_IDENT.findall(text))


def _body_models(doc: VersionDoc, op: Operation) -> list[str]:
    """The model classes of ``op``'s request body (its component, or each member of a union body):
    the method takes them as keywords, so they are not in its annotations."""
    from openapi_python_client.strings import pascal_case

    module = importlib.import_module(f"{doc.package}.resources.{op.resource}")
    endpoint = getattr(module, f"_{op.verb.upper()}")
    shapes = [endpoint.body] if endpoint.body is not None else []
    names: list[str] = []
    while shapes:
        shape = shapes.pop(0)
        if shape[0] == "r":
            names.append(pascal_case(shape[1]))
            shape = module.SHAPES[shape[1]]
        if shape[0] == "u":
            shapes += [m for m in shape[1] if m[0] == "r"]
    return names


def method_models(doc: VersionDoc, op: Operation) -> list[str]:
    """The model classes ``op``'s method takes or returns (from its annotations), in order."""
    known = {cls for _, cls in model_names(doc)}
    cls = getattr(doc.facade, doc.resource_classes[op.resource])
    signature = inspect.signature(getattr(cls, op.verb))
    found: dict[str, None] = {name: None for name in _body_models(doc, op) if name in known}
    for annotation in [p.annotation for p in signature.parameters.values()] + [signature.return_annotation]:
        text = annotation if isinstance(annotation, str) else str(annotation)
        for name in _IDENT.findall(text):
            if name in known:
                found[name] = None
    return list(found)


def _fields(models: Any, cls: str) -> set[str]:
    model = getattr(models, cls, None)
    return (
        set().union(*(_names_in(a.type) for a in getattr(model, "__attrs_attrs__", ()))) if model else set()
    )


_GROUPS: dict[str, dict[str, list[tuple[str, str]]]] = {}


def model_groups(doc: VersionDoc) -> dict[str, list[tuple[str, str]]]:
    """The groups of :func:`group_models`, computed once per version."""
    if doc.package not in _GROUPS:
        _GROUPS[doc.package] = group_models(doc)
    return _GROUPS[doc.package]


def group_models(doc: VersionDoc) -> dict[str, list[tuple[str, str]]]:
    """Resource -> (module, class) of its models: each model on the page of the resource nearest to
    it (a method's own request/response models at distance 0, the models inside them further); a tie
    goes to the resource the model is named after, else to the first resource. Then ``other``."""
    names = model_names(doc)
    module_of = {cls: module for module, cls in names}
    models = importlib.import_module(f"{doc.package}.models")
    inner = {cls: _fields(models, cls) & module_of.keys() for cls in module_of}
    best: dict[str, tuple[int, int, int, str]] = {}
    for order, resource in enumerate(doc.resources()):
        start = [m for op in doc.operations if op.resource == resource for m in method_models(doc, op)]
        distance: dict[str, int] = {}
        queue = deque((m, 0) for m in dict.fromkeys(start))
        while queue:
            cls, d = queue.popleft()
            if cls in distance:
                continue
            distance[cls] = d
            queue.extend((m, d + 1) for m in inner[cls] if m not in distance)
        prefix = resource.replace("_", "").lower()
        for cls, d in distance.items():
            rank = (d, 0 if cls.lower().startswith(prefix[:-1] or prefix) else 1, order, resource)
            if cls not in best or rank < best[cls]:
                best[cls] = rank
    groups: dict[str, list[tuple[str, str]]] = {r: [] for r in doc.resources()}
    groups[OTHER] = []
    for module, cls in names:
        groups[best[cls][3] if cls in best else OTHER].append((module, cls))
    return {g: items for g, items in groups.items() if items}


def model_page_of(doc: VersionDoc) -> dict[str, str]:
    """Class -> the group page it is on (``contacts``)."""
    return {cls: group for group, items in model_groups(doc).items() for _, cls in items}


def model_anchor(doc: VersionDoc, module: str, cls: str) -> str:
    return f"{doc.package}.models.{module}.{cls}"


def models_index_page(doc: VersionDoc) -> str:
    groups = model_groups(doc)
    total = sum(len(items) for items in groups.values())
    out = [
        f"# Models (API {doc.version.name})",
        "",
        f"`{doc.module}.models.<Name>`: {total} models and enums, on one page per resource (the "
        "models its methods take or return, and those inside them). Response models annotate every "
        "attribute `T | None` (see [response models](../../../guides/models.md)); request models take "
        "required fields as required arguments.",
        "",
        "| resource | models |",
        "|---|---|",
    ]
    for group, items in groups.items():
        label = "other (no method uses them: webhook payloads, ...)" if group == OTHER else f"`{group}`"
        out.append(f"| [{label}]({group}.md) | {len(items)} |")
    out += ["", "## Every model", ""]
    page_of = {cls: group for group, items in groups.items() for _, cls in items}
    for module, cls in sorted(model_names(doc), key=lambda mc: mc[1].lower()):
        out.append(f"- [`{cls}`]({page_of[cls]}.md#{model_anchor(doc, module, cls)})")
    return "\n".join(out) + "\n"


def models_page(doc: VersionDoc, group: str, items: list[tuple[str, str]]) -> str:
    where = (
        "models no method takes or returns (webhook and notification payloads, allOf bases)"
        if group == OTHER
        else f"the models [`{group}`](../{group}.md) methods take or return, and the models inside them"
    )
    out = [
        f"# Models: {group} (API {doc.version.name})",
        "",
        f"`{doc.module}.models.<Name>`: {where}. All models: [index](index.md).",
        "",
    ]
    for module, cls in items:
        out += [
            f"::: {model_anchor(doc, module, cls)}",
            _options(
                heading_level=2,
                show_root_heading=True,
                show_root_full_path=False,
                members=False,
                show_source=False,
                # openapi-python-client wraps long attribute types over two docstring lines, which
                # griffe reports; the models' docstrings are the generator's, not ours to fix here.
                docstring_options={"warnings": False},
            ),
        ]
    return "\n".join(out)


def index_page(docs: list[VersionDoc]) -> str:
    out = [
        "# API reference",
        "",
        "One section per API version of `openapi/versions.toml`; the pages are generated from each "
        "version's facade when the site is built.",
        "",
        "| version | module | operations | resources |",
        "|---|---|---|---|",
    ]
    for doc in docs:
        out.append(
            f"| [{doc.version.name}]({doc.module}/index.md) | `intercom_ext.{doc.module}` | "
            f"{len(doc.operations)} | {len(doc.resources())} |"
        )
    return "\n".join(out) + "\n"


def pages(docs: list[VersionDoc] | None = None) -> Iterator[tuple[str, str]]:
    """(path under docs/, Markdown) of every reference page."""
    docs = load_versions() if docs is None else docs
    yield "reference/index.md", index_page(docs)
    for doc in docs:
        yield f"reference/{doc.module}/index.md", version_page(doc)
        for resource in doc.resources():
            yield f"reference/{doc.module}/{resource}.md", resource_page(doc, resource)
        yield f"reference/{doc.module}/models/index.md", models_index_page(doc)
        for group, items in model_groups(doc).items():
            yield f"reference/{doc.module}/models/{group}.md", models_page(doc, group, items)


def nav(docs: list[VersionDoc] | None = None) -> list[Any]:
    """The reference's part of the MkDocs navigation."""
    docs = load_versions() if docs is None else docs
    entries: list[Any] = [{"Overview": "reference/index.md"}]
    for doc in docs:
        section: list[Any] = [{"Client": f"reference/{doc.module}/index.md"}]
        section += [{r: f"reference/{doc.module}/{r}.md"} for r in doc.resources()]
        models: list[Any] = [{"All models": f"reference/{doc.module}/models/index.md"}]
        models += [{g: f"reference/{doc.module}/models/{g}.md"} for g in model_groups(doc)]
        section.append({"Models": models})
        entries.append({f"API {doc.version.name}": section})
    return entries


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m docsgen.reference OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    for path, text in pages():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
