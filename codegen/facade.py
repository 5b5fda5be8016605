"""Pass 7: write ``<package>/facade.py``, the typed friendly-name client over the generated functions.

The module is rendered from ``templates/facade.py.jinja`` (macros in ``facade_macros.py.jinja``)
through the generator's own Jinja environment (:func:`codegen.generate.run_generator` returns it).
This module only gathers, per operation, what the template needs (:class:`Operation`).

For every operation: ``client.<resource>.<verb>(...)`` (names: :mod:`codegen.naming`) where

* keyword arguments = the generated function's own (path, query, ``body=``), plus the body model's
  properties as keywords when the body is a single model (``client.contacts.create(email=...)``);
  an argument left out is not sent (no client-side defaults: the ``server_defaults`` repair);
* ``typing.overload`` makes the signatures truthful: one form takes ``body=`` (the model), one the
  fields (those the body schema requires without a default), and, where the spec does not mark the
  body required, one takes neither (the request then has no body,
  ``intercom_ext._facade.build_optional_body``);
* an enum-typed argument takes the enum or one of its values as a string (``Literal[...]``);
* list/search operations return a lazy pager in their pagination style;
* ``client.with_raw_response.<resource>.<verb>`` are the same methods wrapped by
  ``intercom_ext.to_raw_response_wrapper`` (list operations: ``to_raw_page_wrapper``, the first page).

Docstrings (Google style) come from the spec: the summary and description (Markdown as text,
:mod:`codegen.docs`), every argument's description, type, server default and allowed values, what is
returned, which ``intercom_ext`` errors the documented error statuses raise, the pagination style,
and the operation's page on Intercom's developer site (:func:`codegen.docs.docs_url`).

Imports are those the generator's properties declare (``get_imports`` / ``get_lazy_imports``), kept
when the rendered annotation names them; the module is lint-clean before ruff runs.

The facade is code (not runtime lookups) so that mypy and IDEs see every signature and return type.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties import (
    AnyProperty,
    EnumProperty,
    ListProperty,
    ModelProperty,
    NoneProperty,
    Property,
    StringProperty,
)

from codegen.annotations import Imports, TypeRenderer
from codegen.docs import docs_url, docstring_safe, markdown_lines, markdown_text, sentences, wrap
from codegen.manifest import Version
from codegen.naming import EXPORTS, pagination_style, resource_for, verb_for
from codegen.requests import Arg, RequestTypes, Variant, doc_text, python_name
from codegen.spec import operations
from codegen.spec_props import resolve
from codegen.strings import plain

#: Documented error status -> the ``intercom_ext`` error a call raises for it.
ERRORS: dict[int, str] = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}

PAGINATION_DOCS = {
    "CURSOR": "cursor pagination: each page's ``pages.next.starting_after`` is sent as ``starting_after``",
    "SEARCH": "search pagination: each page's ``pages.next.starting_after`` is sent as "
    "``pagination.starting_after`` in the body",
    "PAGE": "page-number pagination: ``page`` (or the query of ``pages.next``) until the last page",
    "SCROLL": "scroll pagination: each response's ``scroll_param`` is sent with the next request, "
    "until an empty page",
}


def runtime_import(prop: Property, prefix: str = "..") -> str:
    """The statement importing a model or enum class where it is used at runtime (``from_dict``),
    from a module of the ``resources`` subpackage."""
    if isinstance(prop, ModelProperty):
        (line,) = prop.get_lazy_imports(prefix=prefix)
        return line
    if isinstance(prop, EnumProperty):
        return next(
            line for line in prop.get_imports(prefix=prefix) if line.endswith(f" {prop.class_info.name}")
        )
    raise TypeError(f"no runtime class for {type(prop).__name__}")


# -- what each operation needs --------------------------------------------------------------------


@dataclass
class Operation:
    endpoint: Endpoint
    tag: str
    resource: str
    verb: str
    method: str  # upper case
    path: str
    summary: str
    docs_url: str
    operation_id: str = ""
    description: list[str] = field(default_factory=list)
    path_args: list[Arg] = field(default_factory=list)
    query_args: list[Arg] = field(default_factory=list)  # query and header parameters
    header_keys: set[str] = field(default_factory=set)  # which query_args are headers
    #: the body's keyword forms: one per union member, one for an object body; [] without a body
    variants: list[Variant] = field(default_factory=list)
    body_shape: str = ""  # shape expression (intercom_ext._request) of the body
    body_required: bool = False
    body_media: str = ""  # the request body's media type
    shape_args: dict[str, str] = field(default_factory=dict)  # parameter key -> shape expression
    result: Property | None = None  # the 2xx response property
    #: (status, model) per 2xx JSON response when they are several distinct models (parsed by status)
    by_status: list[tuple[int, ModelProperty]] = field(default_factory=list)
    result_type: str = "None"
    result_doc: str = ""
    parser: str = "parse_none"
    runtime_imports: list[str] = field(default_factory=list)  # inside the method
    errors: list[tuple[str, str]] = field(default_factory=list)  # (error class, when)
    style: str | None = None
    items: Property | None = None  # the list property of the page model
    item_type: str = ""
    page_class: str = ""
    page_import: str = ""
    accept: str | None = None  # Accept header when the documented success is not JSON
    redirect: bool = False  # the documented success is a 3xx: the method returns its Location

    @property
    def paged(self) -> bool:
        return self.items is not None

    @property
    def items_key(self) -> str | None:
        return plain(self.items.name) if self.items is not None else None

    @property
    def items_name(self) -> str:
        return self.items.python_name if self.items is not None else ""

    @property
    def constant(self) -> str:
        """The module-level name of the operation's ``Endpoint`` (``_UPDATE``)."""
        return f"_{self.verb.upper()}"

    @property
    def body_fields(self) -> list[Arg]:
        """Every body keyword over all the variants, once each (optional in the implementation)."""
        seen: dict[str, Arg] = {}
        for variant in self.variants:
            for arg in variant.fields:
                if arg.name not in seen:
                    seen[arg.name] = arg
                else:  # the same key in another variant: its types and (other) description too
                    known = seen[arg.name]
                    merged = " | ".join(
                        dict.fromkeys([*known.annotation.split(" | "), *arg.annotation.split(" | ")])
                    )
                    doc = known.doc if arg.doc in known.doc else sentences([known.doc, arg.doc])
                    seen[arg.name] = Arg(known.name, known.key, merged, False, doc)
        return list(seen.values())

    def _labelled(self, arg: Arg) -> Arg:
        """``arg`` documented with the variants that take it (for a union body)."""
        if len(self.variants) < 2:
            return arg
        names = [v.label for v in self.variants if any(f.name == arg.name for f in v.fields)]
        required = [
            v.label for v in self.variants if any(f.name == arg.name and f.required for f in v.fields)
        ]
        note = f"In: {', '.join(names)}" + (f"; required in {', '.join(required)}" if required else "")
        return Arg(arg.name, arg.key, arg.annotation, False, sentences([arg.doc, note]))

    def forms(self) -> list[list[Arg]]:
        """The keyword-only arguments of each ``@overload`` ([] when the implementation's own
        signature tells the truth): one form per body variant, plus one without a body where the
        spec lets the body be left out although a variant requires a field."""
        if not self.variants:
            return []
        # a call without body fields needs its own form unless a variant requires nothing
        optional_body = not self.body_required and all(
            any(f.required for f in v.fields) for v in self.variants
        )
        if len(self.variants) == 1 and not optional_body:
            return []
        forms: list[list[Arg]] = []
        for variant in self.variants:
            form = [*self.query_args, *variant.fields]
            if form not in forms:
                forms.append(form)
        if optional_body:
            forms.append(list(self.query_args))
        return forms

    def implementation_args(self) -> list[Arg]:
        """The keyword-only arguments of the method itself."""
        if self.forms():
            return [
                *self.query_args,
                *(Arg(f.name, f.key, f.annotation, False, f.doc) for f in self.body_fields),
            ]
        return [*self.query_args, *(self.variants[0].fields if self.variants else [])]

    def doc_args(self) -> list[Arg]:
        """Every argument, in signature order, for the ``Args:`` section."""
        return [*self.path_args, *self.query_args, *(self._labelled(f) for f in self.body_fields)]

    def endpoint_code(self) -> str:
        """The ``intercom_ext._request.Endpoint(...)`` of this operation."""

        def params(args: list[Arg]) -> str:
            return "(" + "".join(f"({_literal(a.key)}, {self.shape_args[a.key]}), " for a in args) + ")"

        query = [a for a in self.query_args if a.key not in self.header_keys]
        headers = [a for a in self.query_args if a.key in self.header_keys]
        keywords = [a.name for a in [*self.path_args, *self.query_args, *self.body_fields]]
        parts = [
            _literal(f"{self.resource}.{self.verb}"),
            _literal(self.method),
            _literal(self.path),
            f"path_params={params(self.path_args)}",
        ]
        if query:
            parts.append(f"query={params(query)}")
        if headers:
            parts.append(f"headers={params(headers)}")
        if self.variants:
            parts.append(f"body={self.body_shape}")
            parts.append(f"body_required={self.body_required}")
            if "json" not in self.body_media:
                parts.append(f"body_media={_literal(self.body_media)}")
        if self.accept:
            parts.append(f"accept={_literal(self.accept)}")
        if self.paged:
            keywords += ["max_items", "max_pages"]
        parts.append("keywords=(" + "".join(f"{_literal(k)}, " for k in keywords) + ")")
        return f"Endpoint({', '.join(parts)})"


def _success(endpoint: Endpoint) -> Property | None:
    props = [r.prop for r in endpoint.responses if r.status_code.pattern.startswith("2")]
    return props[0] if props else None


def _success_by_status(endpoint: Endpoint) -> list[tuple[int, ModelProperty]]:
    """(status, model) of each 2xx response with a JSON model body, when there are two distinct
    models or more (e.g. 200 and 202 with different bodies): the method returns their union,
    parsed by the status received. Empty otherwise."""
    found = [
        (int(r.status_code.pattern), r.prop)
        for r in endpoint.responses
        if r.status_code.pattern.isdigit()
        and r.status_code.pattern.startswith("2")
        and isinstance(r.prop, ModelProperty)
    ]
    return found if len({m.class_info.name for _, m in found}) > 1 else []


def _fields(model: ModelProperty) -> list[Property]:
    return list(model.required_properties or []) + list(model.optional_properties or [])


def _list_property(model: Property | None, resource: str) -> Property | None:
    if not isinstance(model, ModelProperty):
        return None
    arrays = [p for p in _fields(model) if isinstance(p, ListProperty)]
    if not arrays:
        return None
    for preferred in ("data", resource, resource.rsplit("_", 1)[-1]):
        for p in arrays:
            if plain(p.name) == preferred:
                return p
    return arrays[0] if len(arrays) == 1 else None


def _success_media(spec_op: dict[str, Any]) -> tuple[str | None, bool]:
    """(Accept header for operations whose 2xx bodies are all non-JSON, whether success is a 3xx)."""
    responses = spec_op.get("responses") or {}
    success = [r for code, r in responses.items() if str(code).startswith("2")]
    media = sorted({m for r in success for m in (r.get("content") or {})})
    accept = ", ".join(media) if media and not any("json" in m for m in media) else None
    redirect = not success and any(str(code).startswith("3") for code in responses)
    return accept, redirect


def _spec_params(spec: dict[str, Any], path: str, spec_op: dict[str, Any]) -> list[dict[str, Any]]:
    """The operation's parameters as written in the spec (path-level ones first, overridden by the
    operation's own), path parameters in the order of the path template."""
    out: dict[tuple[str, str], Any] = {}
    for param in [*(spec["paths"][path].get("parameters") or []), *(spec_op.get("parameters") or [])]:
        param = resolve(spec, param) if isinstance(param, dict) else {}
        out[(str(param.get("in")), str(param.get("name")))] = param
    order = re.findall(r"{([^}]+)}", path)
    return sorted(
        out.values(),
        key=lambda p: (
            order.index(p["name"]) if p.get("in") == "path" and p.get("name") in order else len(order)
        ),
    )


def _body_of(spec: dict[str, Any], spec_op: dict[str, Any]) -> tuple[dict[str, Any] | None, bool, str]:
    """(the body's schema as written, whether the body is required, its media type): a JSON body,
    else a ``multipart/form-data`` one; (None, False, "") without a body."""
    body = resolve(spec, spec_op.get("requestBody") or {})
    content = {m: c for m, c in (body.get("content") or {}).items() if isinstance(c, dict)}
    for kind in ("json", "multipart/form-data"):
        for media, entry in content.items():
            if kind in media and isinstance(entry.get("schema"), dict):
                return entry["schema"], bool(body.get("required")), media
    if content:
        raise ValueError(
            f"{spec_op.get('operationId')}: only JSON and multipart request bodies are supported"
        )
    return None, False, ""


def _requests(
    op: Operation, types: RequestTypes, spec: dict[str, Any], path: str, spec_op: dict[str, Any]
) -> None:
    """The operation's arguments (path, query, header, body keywords) and their shapes."""
    body, op.body_required, op.body_media = _body_of(spec, spec_op)
    context = op.operation_id or f"{op.resource}_{op.verb}"
    body_keys = set()
    if body is not None:
        for member in types._members(body) or [body]:
            body_keys |= {python_name(k) for k in types.fields_of(member)[0]}
    taken: set[str] = set()
    for param in _spec_params(spec, path, spec_op):
        where, key, schema = str(param.get("in")), str(param.get("name")), param.get("schema") or {}
        if where == "cookie":
            raise ValueError(f"{op.method} {op.path}: cookie parameters are not supported")
        name = python_name(key)
        positional_only = where == "path" and name in body_keys
        if positional_only:
            name += "_path"
        annotation = types.annotation(schema, f"{context}_{key}", path=where == "path")
        required = where == "path" or bool(param.get("required"))
        doc = doc_text(param.get("description") or schema.get("description"), resolve(spec, schema))
        arg = Arg(name, key, annotation, required, doc, positional_only)
        op.shape_args[key] = types.shape(schema, f"{context}_{key}")
        (op.path_args if where == "path" else op.query_args).append(arg)
        if where == "header":
            op.header_keys.add(key)
        taken.add(name)
    if body is not None:
        op.variants = types.variants(body, f"{context}_body", taken)
        op.body_shape = types.shape(body, f"{context}_body")


def _result(op: Operation, render: TypeRenderer) -> None:
    """The return annotation, its docs, the parser and the imports the method body needs."""
    result = op.result
    if op.redirect:
        op.result_type, op.parser = "str", "location"
        op.result_doc = "The URL the API redirects to (the ``Location`` header; it is not followed)."
        return
    if op.by_status:
        op.result_type = " | ".join(dict.fromkeys(render(m) for _, m in op.by_status))
        builders = ", ".join(f"{status}: {m.class_info.name}.from_dict" for status, m in op.by_status)
        op.parser = f"json_parser_by_status({{{builders}}})"
        op.runtime_imports += [runtime_import(m) for _, m in op.by_status]
    elif isinstance(result, ModelProperty):
        op.result_type = render(result)
        op.parser = f"json_parser({result.class_info.name}.from_dict)"
        op.runtime_imports.append(runtime_import(result))
    elif result is None or isinstance(result, (NoneProperty, AnyProperty)):
        # The generated code returns None for these (no body, or a body the spec gives no schema).
        op.result_type = "None" if result is None or isinstance(result, NoneProperty) else render(result)
        op.parser = "parse_none"
    elif isinstance(result, StringProperty) and op.accept:
        op.result_type, op.parser = "str", "parse_text"
    elif isinstance(result, ListProperty) and isinstance(result.inner_property, ModelProperty):
        op.result_type = render(result)
        op.parser = f"json_list_parser({result.inner_property.class_info.name}.from_dict)"
        op.runtime_imports.append(runtime_import(result.inner_property))
    else:
        raise ValueError(
            f"{op.method} {op.path}: no intercom_ext parser for a {type(result).__name__} result"
        )
    op.result_doc = sentences([markdown_text(_success_description(op), width=10_000)])


def _success_description(op: Operation) -> str:
    for response in op.endpoint.responses:
        if response.status_code.pattern.startswith("2"):
            return plain(getattr(response.data, "description", "") or "")
    return ""


def _errors(spec_op: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for code, response in (spec_op.get("responses") or {}).items():
        status = int(code) if str(code).isdigit() else 0
        description = markdown_text((response or {}).get("description") or "", width=10_000)
        when = sentences([f"HTTP {status}", description.replace("\n\n", " ")])
        if status in ERRORS:
            out.append((ERRORS[status], when))
        elif status >= 500:
            out.append(("InternalServerError", when))
        elif 400 <= status < 500:
            out.append(("APIStatusError", when))
    return out


def collect(
    version: Version,
    data: GeneratorData,
    spec: dict[str, Any],
    types: RequestTypes,
    renderers: dict[str, TypeRenderer],
) -> list[Operation]:
    """Every operation, with what its facade method needs; ``renderers`` gets one annotation
    renderer per resource (the imports of its module)."""
    spec_ops = {(method, path): op for path, method, op in operations(spec)}
    server = str(((spec.get("servers") or [{}])[0]).get("url") or "https://api.intercom.io")
    ops: list[Operation] = []
    for tag, collection in sorted(data.endpoint_collections_by_tag.items()):
        for endpoint in collection.endpoints:
            path = plain(endpoint.path)
            spec_op = spec_ops.get((endpoint.method, path), {})
            spec_tag = str((spec_op.get("tags") or [plain(endpoint.tags[0]) if endpoint.tags else tag])[0])
            resource = resource_for(spec_tag)
            render = renderers.setdefault(resource, TypeRenderer(prefix=".."))
            raw_id = str(spec_op.get("operationId") or plain(endpoint.name))
            summary = plain(endpoint.summary) or plain(endpoint.description).split("\n")[0]
            op = Operation(
                endpoint=endpoint,
                tag=spec_tag,
                resource=resource,
                verb=verb_for(raw_id, resource),
                method=endpoint.method.upper(),
                path=path,
                summary=summary or f"{endpoint.method.upper()} {path}",
                docs_url=docs_url(version.name, server, spec_tag, raw_id),
                operation_id=raw_id,
                description=markdown_lines(spec_op.get("description") or ""),
            )
            _requests(op, types, spec, path, spec_op)
            op.result = _success(endpoint)
            op.by_status = _success_by_status(endpoint)
            op.accept, op.redirect = _success_media(spec_op)
            op.errors = _errors(spec_op)
            op.items = _list_property(op.result, resource)
            if op.items is not None:
                body_names = {a.key for a in op.body_fields}
                query = {plain(p.name) for p in endpoint.query_parameters}
                op.style = pagination_style(version.name, op.method, op.path, query, body_names)
                if op.style is None and op.verb.split("_")[0] not in ("list", "search"):
                    op.items = None
                elif op.style is None:
                    op.style = "CURSOR"  # a list the spec does not page: one page, no cursor
            _result(op, render)
            if op.items is not None:
                assert isinstance(op.result, ModelProperty) and isinstance(op.items, ListProperty)
                op.page_class = op.result.class_info.name
                op.page_import = runtime_import(op.result)
                op.item_type = render(op.items.inner_property)
            ops.append(op)
    return ops


def check_names(version: Version, ops: list[Operation]) -> None:
    seen: dict[tuple[str, str], Operation] = {}
    for op in ops:
        key = (op.resource, op.verb)
        if key in seen:
            other = seen[key]
            raise ValueError(
                f"{version.name}: friendly name collision {op.resource}.{op.verb} for "
                f"{other.method} {other.path} and {op.method} {op.path}; add it to VERB_EXCEPTIONS"
            )
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", op.verb):
            raise ValueError(f"{version.name}: bad method name {op.verb!r} for {op.method} {op.path}")
        seen[key] = op


# -- rendering ------------------------------------------------------------------------------------


@dataclass
class Resource:
    name: str
    doc: list[str]
    operations: list[Operation]
    export: Operation | None = None
    export_overlap: int = 0

    def class_names(self) -> list[str]:
        """The four classes of the resource's module, sorted (as imports list them)."""
        patterns = ("Async{}Resource", "Async{}WithRawResponse", "{}Resource", "{}WithRawResponse")
        return sorted(self.class_name(p) for p in patterns)

    def class_name(self, pattern: str = "{}Resource") -> str:
        """``contacts`` -> ContactsResource (``Async{}Resource``, ``{}WithRawResponse``, ...)."""
        return pattern.format("".join(w.capitalize() for w in self.name.split("_")))


def _resources(spec: dict[str, Any], ops: list[Operation]) -> list[Resource]:
    tags = {str(t.get("name")): t for t in spec.get("tags") or [] if isinstance(t, dict)}
    by_name: dict[str, Resource] = {}
    for op in ops:
        if op.resource not in by_name:
            tag = tags.get(op.tag) or {}
            doc = markdown_lines(tag.get("description") or f"The {op.tag} operations.")
            docs = tag.get("externalDocs") or {}
            if docs.get("url"):
                doc += ["", sentences([f"{docs.get('description') or 'See'}: {docs['url']}"])]
            by_name[op.resource] = Resource(op.resource, doc, [])
        by_name[op.resource].operations.append(op)
    for resource in by_name.values():
        if resource.name in EXPORTS:
            verb, overlap = EXPORTS[resource.name]
            resource.export = next((o for o in resource.operations if o.verb == verb and o.paged), None)
            resource.export_overlap = overlap
    return list(by_name.values())


_TYPING_NAMES = {
    "Any": "typing",
    "Literal": "typing",
    "Mapping": "collections.abc",
    "Sequence": "collections.abc",
}


def _resource_imports(render: TypeRenderer, resource: Resource) -> tuple[Imports, Imports]:
    """(module-level runtime imports, imports only type checkers need) of one resource module."""
    ops = resource.operations
    runtime = Imports()
    typing = render.imports
    runtime.add("intercom_ext._request", "Endpoint")
    runtime.add("intercom_ext._request", "build")
    runtime.add(".._request_shapes", "SHAPES")
    if any(not a.required for op in ops for a in [*op.query_args, *op.implementation_args()]):
        runtime.add("intercom_ext._types", "NOT_GIVEN")
        typing.add("intercom_ext._types", "NotGiven")
    for name in ("async_to_raw_response_wrapper", "to_raw_response_wrapper"):
        if any(not op.paged for op in ops):
            runtime.add("intercom_ext", name)
    for name in ("async_to_raw_page_wrapper", "to_raw_page_wrapper"):
        if any(op.paged for op in ops):
            runtime.add("intercom_ext", name)
    typing.add("typing_extensions", "Unpack")
    typing.add("intercom_ext", "RequestOptions")
    typing.add("..facade", "AsyncIntercom")
    typing.add("..facade", "Intercom")
    runtime.add("typing", "TYPE_CHECKING")
    annotations: list[str] = []
    for op in ops:
        if op.forms():
            runtime.add("typing", "overload")
        if op.paged:
            runtime.add("intercom_ext", "PaginationStyle")
            runtime.add("intercom_ext._facade", "checked_items")
            typing.add("intercom_ext", "AsyncPager")
            typing.add("intercom_ext", "SyncPager")
        parser = op.parser.split("(")[0]
        if parser == "location":
            runtime.add("intercom_ext._facade", "location")
        elif not op.paged:
            runtime.add("intercom_ext", parser)
        if op.redirect:
            runtime.add("intercom_ext", "APIStatusError")
            runtime.add("intercom_ext._facade", "redirect_target")
        annotations += [a.annotation for a in [*op.path_args, *op.query_args, *op.body_fields]]
        annotations += [a.annotation for v in op.variants for a in v.fields]
    words = {w for text in annotations for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)}
    for name in sorted(words):
        if name.endswith("Param"):
            typing.add("..params", name)
        elif name in _TYPING_NAMES:
            typing.add(_TYPING_NAMES[name], name)
        elif name == "FileTypes":
            typing.add("intercom_ext._types", "FileTypes")
    if "models" in words:
        typing.add("..", "models")
    if resource.export:
        typing.add("intercom_ext._export", "AsyncExport")
        typing.add("intercom_ext._export", "Export")
        typing.add("intercom_ext._export", "ExportOptions")
    for module, names in runtime.names.items():  # a runtime import serves type checkers too
        if module in typing.names:
            typing.names[module] -= names
            if not typing.names[module]:
                del typing.names[module]
    return runtime, typing


def _render_kwargs(version: Version) -> dict[str, Any]:
    return {
        "version": version,
        "pagination_docs": PAGINATION_DOCS,
        "wrap": wrap,
        "safe": docstring_safe,
        "safe_lines": lambda lines: [docstring_safe(line) for line in lines],
        "literal": _literal,
        "sort_imports": _sort_lines,
    }


def render(
    env: Environment, version: Version, spec: dict[str, Any], data: GeneratorData
) -> tuple[dict[str, str], list[Operation]]:
    """The files of the facade (path relative to the package -> text before ruff format) and the
    operations they cover: ``facade.py`` (the clients, ``OPERATIONS``), ``resources/<name>.py`` (one
    module per resource), ``params.py`` (request TypedDicts), ``_request_shapes.py``."""
    classes = {str(m.class_info.name) for m in data.models} | {str(e.class_info.name) for e in data.enums}
    types = RequestTypes(spec, classes)
    renderers: dict[str, TypeRenderer] = {}
    ops = collect(version, data, spec, types, renderers)
    check_names(version, ops)
    resources = _resources(spec, ops)
    common = _render_kwargs(version)
    files: dict[str, str] = {}
    for resource in resources:
        runtime, typing = _resource_imports(renderers[resource.name], resource)
        files[f"resources/{resource.name}.py"] = env.get_template("resource.py.jinja").render(
            resource=resource,
            runtime_imports=runtime.sections(),
            typing_imports=typing.sections("    "),
            **common,
        )
    files["resources/__init__.py"] = (
        f'"""One module per resource of Intercom API {version.name} (``client.<resource>``)."""\n'
    )
    files["facade.py"] = env.get_template("facade.py.jinja").render(
        resources=resources, operations=ops, **common
    )
    typeddicts = list(types.typeddicts.values())
    used = {w for td in typeddicts for f in td.fields for w in re.findall(r"\w+", f.annotation)}
    files["params.py"] = env.get_template("params.py.jinja").render(
        typeddicts=typeddicts, uses=used, **common
    )
    files["_request_shapes.py"] = env.get_template("request_shapes.py.jinja").render(
        shapes=sorted(types.shapes.items()), **common
    )
    return files, ops


def _literal(value: object) -> str:
    """A Python literal for a string or None (JSON escapes are valid Python escapes)."""
    return "None" if value is None else json.dumps(str(value), ensure_ascii=False)


def _sort_lines(lines: list[str]) -> list[str]:
    """In-method imports: one section (all local), sorted by module like isort."""
    imports = Imports()
    for line in lines:
        imports.add_line(line)
    return [line for section in imports.sections("        ") for line in section]


def write_facade(
    env: Environment, version: Version, data: GeneratorData, spec: dict[str, Any], package_dir: Path
) -> list[Operation]:
    files, ops = render(env, version, spec, data)
    for name, text in files.items():
        target = package_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return ops
