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
    UnionProperty,
)

from codegen.annotations import Imports, TypeRenderer
from codegen.docs import docs_url, docstring_safe, markdown_lines, markdown_text, sentences, wrap
from codegen.manifest import Version
from codegen.naming import EXPORTS, pagination_style, resource_for, verb_for
from codegen.spec import operations
from codegen.spec_props import declared_properties, resolve
from codegen.strings import plain

# Names a flattened body property may not take in a facade method signature.
_RESERVED = {"self", "body", "max_items", "max_pages", "extra_headers", "extra_query", "extra_body"}
_RESERVED |= {"timeout", "max_retries", "options"}

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


def runtime_import(prop: Property) -> str:
    """The statement importing a model or enum class where it is used at runtime (``from_dict``)."""
    if isinstance(prop, ModelProperty):
        (line,) = prop.get_lazy_imports(prefix=".")
        return line
    if isinstance(prop, EnumProperty):
        return next(
            line for line in prop.get_imports(prefix=".") if line.endswith(f" {prop.class_info.name}")
        )
    raise TypeError(f"no runtime class for {type(prop).__name__}")


# -- what each operation needs --------------------------------------------------------------------


@dataclass
class Arg:
    """One argument of a facade method."""

    name: str
    annotation: str
    required: bool
    doc: str = ""
    enum: str | None = None  # enum class a string value is turned into before the generated code

    @property
    def value(self) -> str:
        """The expression passing this argument on to the generated request code."""
        return f"as_enum({self.enum}, {self.name})" if self.enum else self.name


@dataclass
class Operation:
    endpoint: Endpoint
    tag: str
    resource: str
    verb: str
    module: str  # ".api.contacts"
    function: str  # "list_contacts"
    method: str  # upper case
    path: str
    summary: str
    docs_url: str
    description: list[str] = field(default_factory=list)
    path_args: list[Arg] = field(default_factory=list)
    query_args: list[Arg] = field(default_factory=list)  # query/header/cookie
    body: Property | None = None
    body_type: str = ""
    body_doc: str = ""
    body_fields: list[Arg] = field(default_factory=list)
    #: body fields whose name a path/query argument or the facade takes: only settable through body=
    hidden_fields: list[Arg] = field(default_factory=list)
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
    def body_model(self) -> str:
        return plain(self.body.get_type_string(no_optional=True)) if self.body is not None else ""

    @property
    def body_required(self) -> bool:
        return self.body is not None and self.body.required

    def forms(self) -> list[list[Arg]]:
        """The keyword-only arguments of each ``@overload`` (none when one signature tells the truth):
        ``body=`` alone; the fields (required ones without default); neither, where the body may be
        left out although a field is required."""
        if not self.body_fields:
            return []
        body = Arg("body", self.body_type, True, self.body_doc)
        forms = [[body, *self.query_args], [*self.body_fields, *self.query_args]]
        if not self.body_required and any(f.required for f in self.body_fields):
            forms.append(list(self.query_args))
        return forms

    def implementation_args(self) -> list[Arg]:
        """The keyword-only arguments of the method itself (everything optional but the spec's required
        query parameters and a required body that cannot be given as fields)."""
        args: list[Arg] = []
        if self.body is not None:
            optional = bool(self.body_fields) or not self.body_required
            args.append(Arg("body", self.body_type, not optional, self.body_doc))
        args += self.query_args
        args += [Arg(f.name, f.annotation, False, f.doc, f.enum) for f in self.body_fields]
        return args

    def doc_args(self) -> list[Arg]:
        """Every argument, in signature order, for the ``Args:`` section."""
        body = [Arg("body", self.body_type, self.body_required, self.body_doc)] if self.body else []
        return [*self.path_args, *body, *self.query_args, *self.body_fields]


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


def _arg_doc(description: Any, prop: Property | None) -> str:
    """An argument's description (Markdown as text) and, for an enum, its allowed values."""
    text = markdown_text(description or "", width=10_000).replace("\n\n", "\n")
    parts = [text]
    enum = _enum_of(prop)
    if enum is not None:
        values = ", ".join(f"``{v}``" for v in _enum_values(enum))
        parts.append(f"Allowed values: {values}")
    return sentences(parts)


def _enum_of(prop: Property | None) -> EnumProperty | None:
    if isinstance(prop, EnumProperty):
        return prop
    if isinstance(prop, UnionProperty):
        enums = [p for p in prop.inner_properties if isinstance(p, EnumProperty)]
        return enums[0] if len(enums) == 1 else None
    return None


def _enum_values(enum: EnumProperty) -> list[str]:
    return [str(v).replace('\\"', '"').replace("\\\\", "\\") for v in enum.values.values()]


def _spec_params(spec: dict[str, Any], path: str, spec_op: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """(in, name) -> the parameter as written in the spec (path-level ones included)."""
    out: dict[tuple[str, str], Any] = {}
    for param in [*(spec["paths"][path].get("parameters") or []), *(spec_op.get("parameters") or [])]:
        param = resolve(spec, param) if isinstance(param, dict) else {}
        out[(str(param.get("in")), str(param.get("name")))] = param
    return out


def _body_schema(spec: dict[str, Any], spec_op: dict[str, Any]) -> dict[str, Any]:
    body = resolve(spec, spec_op.get("requestBody") or {})
    for media in (body.get("content") or {}).values():
        if isinstance(media, dict) and isinstance(media.get("schema"), dict):
            return resolve(spec, media["schema"])
    return {}


def _argument(render: TypeRenderer, prop: Property, description: Any) -> Arg:
    annotation = render(prop)
    enum = prop.class_info.name if isinstance(prop, EnumProperty) else None
    return Arg(prop.python_name, annotation, prop.required, _arg_doc(description, prop), enum)


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
    version: Version, data: GeneratorData, spec: dict[str, Any], render: TypeRenderer
) -> list[Operation]:
    spec_ops = {(method, path): op for path, method, op in operations(spec)}
    server = str(((spec.get("servers") or [{}])[0]).get("url") or "https://api.intercom.io")
    ops: list[Operation] = []
    for tag, collection in sorted(data.endpoint_collections_by_tag.items()):
        for endpoint in collection.endpoints:
            path = plain(endpoint.path)
            spec_op = spec_ops.get((endpoint.method, path), {})
            spec_tag = str((spec_op.get("tags") or [plain(endpoint.tags[0]) if endpoint.tags else tag])[0])
            resource = resource_for(spec_tag)
            raw_id = str(spec_op.get("operationId") or plain(endpoint.name))
            summary = plain(endpoint.summary) or plain(endpoint.description).split("\n")[0]
            op = Operation(
                endpoint=endpoint,
                tag=spec_tag,
                resource=resource,
                verb=verb_for(raw_id, resource),
                module=f".api.{tag}",
                function=plain(endpoint.name),
                method=endpoint.method.upper(),
                path=path,
                summary=summary or f"{endpoint.method.upper()} {path}",
                docs_url=docs_url(version.name, server, spec_tag, raw_id),
                description=markdown_lines(spec_op.get("description") or ""),
            )
            params = _spec_params(spec, path, spec_op) if spec_op else {}
            located = [
                *(("path", p) for p in endpoint.path_parameters),
                *(("query", p) for p in endpoint.query_parameters),
                *(("header", p) for p in endpoint.header_parameters),
                *(("cookie", p) for p in endpoint.cookie_parameters),
            ]
            for where, prop in located:
                described = (params.get((where, plain(prop.name))) or {}).get(
                    "description"
                ) or prop.description
                arg = _argument(render, prop, described)
                (op.path_args if where == "path" else op.query_args).append(arg)
                if arg.enum:
                    op.runtime_imports.append(runtime_import(prop))
            if len(endpoint.bodies) > 1:
                raise ValueError(f"{op.method} {op.path}: several body types are not supported by the facade")
            if endpoint.bodies:
                op.body = endpoint.bodies[0].prop
                op.body_type = render(op.body)
                body_spec = resolve(spec, spec_op.get("requestBody") or {})
                op.body_doc = _arg_doc(
                    body_spec.get("description") or "The request body, as the generated model.", None
                )
            if isinstance(op.body, ModelProperty):
                taken = {a.name for a in [*op.path_args, *op.query_args]} | _RESERVED
                declared = declared_properties(spec, _body_schema(spec, spec_op))
                for f in _fields(op.body):
                    described = (declared.get(plain(f.name)) or {}).get("description") or f.description
                    if f.python_name in taken:  # documented, set through body= (an annotation in text only)
                        op.hidden_fields.append(_argument(TypeRenderer(check_imports=False), f, described))
                    else:
                        op.body_fields.append(_argument(render, f, described))
                if op.body_fields:
                    op.runtime_imports.append(runtime_import(op.body))
            op.result = _success(endpoint)
            op.by_status = _success_by_status(endpoint)
            op.accept, op.redirect = _success_media(spec_op)
            op.errors = _errors(spec_op)
            op.items = _list_property(op.result, resource)
            if op.items is not None:
                body_names = (
                    {plain(f.name) for f in _fields(op.body)} if isinstance(op.body, ModelProperty) else set()
                )
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


def _imports(
    render: TypeRenderer, ops: list[Operation], resources: list[Resource]
) -> tuple[Imports, Imports]:
    """(module-level runtime imports, imports only type checkers need)."""
    runtime = Imports()
    runtime.plain.add("functools")
    runtime.add("typing", "TYPE_CHECKING")
    runtime.add(".", "models as models")
    runtime.add("._metadata", "VERSION_HEADER")
    runtime.add(".types", "UNSET")
    runtime.add(".types", "Unset")
    runtime.add("intercom_ext", "AsyncAPIClient")
    runtime.add("intercom_ext", "SyncAPIClient")
    runtime.add("intercom_ext._facade", "FacadeMixin")
    runtime.add("intercom_ext._facade", "Operation")
    for name in ("async_to_raw_response_wrapper", "to_raw_response_wrapper"):
        if any(not op.paged for op in ops):
            runtime.add("intercom_ext", name)
    for name in ("async_to_raw_page_wrapper", "to_raw_page_wrapper"):
        if any(op.paged for op in ops):
            runtime.add("intercom_ext", name)
    for op in ops:
        if op.forms():
            runtime.add("typing", "overload")
        if op.paged:
            runtime.add("intercom_ext", "PaginationStyle")
            runtime.add("intercom_ext._facade", "checked_items")
        parser = op.parser.split("(")[0]
        if parser == "location":
            runtime.add("intercom_ext._facade", "location")
        else:
            runtime.add("intercom_ext", parser)
        if op.redirect:
            runtime.add("intercom_ext", "APIStatusError")
            runtime.add("intercom_ext._facade", "redirect_target")
        if op.accept:
            runtime.add("intercom_ext._facade", "with_accept")
        if op.body_fields:
            runtime.add("intercom_ext._facade", "build_body" if op.body_required else "build_optional_body")
        if any(a.enum for a in [*op.path_args, *op.query_args]):
            runtime.add("intercom_ext._facade", "as_enum")
    typing = render.imports
    typing.add("typing_extensions", "Unpack")
    typing.add("intercom_ext", "RequestOptions")
    typing.add(".client", "AuthenticatedClient")
    if any(op.paged for op in ops):
        typing.add("intercom_ext", "AsyncPager")
        typing.add("intercom_ext", "SyncPager")
    if any(r.export for r in resources):
        typing.add("intercom_ext._export", "AsyncExport")
        typing.add("intercom_ext._export", "Export")
        typing.add("intercom_ext._export", "ExportOptions")
    for module, names in runtime.names.items():  # a runtime import serves type checkers too
        if module in typing.names:
            typing.names[module] -= names
            if not typing.names[module]:
                del typing.names[module]
    return runtime, typing


def render(
    env: Environment, version: Version, spec: dict[str, Any], data: GeneratorData
) -> tuple[str, list[Operation]]:
    """The text of ``facade.py`` (before ruff format) and the operations it covers."""
    types = TypeRenderer()
    ops = collect(version, data, spec, types)
    check_names(version, ops)
    resources = _resources(spec, ops)
    runtime, typing = _imports(types, ops, resources)
    template = env.get_template("facade.py.jinja")
    text = template.render(
        version=version,
        resources=resources,
        operations=ops,
        runtime_imports=runtime.sections(),
        typing_imports=typing.sections("    "),
        pagination_docs=PAGINATION_DOCS,
        wrap=wrap,
        safe=docstring_safe,
        safe_lines=lambda lines: [docstring_safe(line) for line in lines],
        literal=_literal,
        sort_imports=_sort_lines,
    )
    return text, ops


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
    text, ops = render(env, version, spec, data)
    (package_dir / "facade.py").write_text(text, encoding="utf-8")
    return ops
