"""Pass 7: write ``<package>/facade.py``, the typed friendly-name client over the generated functions.

For every operation: ``client.<resource>.<verb>(...)`` where

* resource = the operation's first tag in snake_case (``Data Attributes`` -> ``data_attributes``);
* verb = :func:`verb_for` applied to the operationId (rule in its docstring), unless
  :data:`VERB_EXCEPTIONS` names it;
* keyword arguments = the generated function's own (path, query, ``body=``), plus the body model's
  properties as keywords when the body is a single model (``client.contacts.create(email=...)``);
  an argument left out is not sent (no client-side defaults: the ``server_defaults`` repair);
* a body the spec does not mark ``required`` may be left out entirely: with neither ``body=`` nor
  any body keyword the request has no body (``intercom_ext._facade.build_optional_body``);
* list/search operations return a lazy pager whose style (:func:`pagination_style`) comes from the
  spec's paging parameters, with :data:`PAGINATION_OVERRIDES` where the spec is silent.

The facade is code (not runtime lookups) so that mypy and IDEs see every signature and return type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties import ListProperty, ModelProperty, NoneProperty, Property
from openapi_python_client.strings import snake_case

from codegen.manifest import Version
from codegen.spec import operations
from codegen.strings import plain

# -- the documented rules and their exception tables -----------------------------------------------

#: First words of an operationId that mean the same verb.
VERB_SYNONYMS = {"retrieve": "get", "show": "get", "find": "get", "lis": "list", "fetch": "get"}
_FILLER = {"a", "an", "the", "all"}
_TRAILING = {"for", "to", "from", "over", "with", "of", "by", "on", "in", "into"}

#: operationId -> verb, where the rule reads badly. Keys are operationIds (any version).
VERB_EXCEPTIONS: dict[str, str] = {
    "createPhoneSwitch": "create",
    "dataEventSummaries": "create_summaries",
    "detachSubscriptionTypeToContact": "detach_from_contact",
    # Unstable: GET /messages/status (statuses by ruleset) vs GET /messages/whatsapp/status.
    "getWhatsAppMessageStatus": "list_statuses",
}

#: (version, METHOD, path) -> pagination style, for list operations whose spec declares no paging
#: parameters although the API pages (2.10's GET /contacts pages with starting_after like 2.11's).
PAGINATION_OVERRIDES: dict[tuple[str, str, str], str] = {
    ("2.10", "GET", "/contacts"): "CURSOR",
}

# Names a flattened body property may not take in a facade method signature.
_RESERVED = {"self", "body", "max_items", "max_pages", "extra_headers", "extra_query", "extra_body"}
_RESERVED |= {"timeout", "max_retries", "options"}


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "news")):
        return word[:-1]
    return word


def resource_for(tag: str) -> str:
    """``Data Attributes`` -> ``data_attributes``."""
    return snake_case(tag)


def verb_for(operation_id: str, resource: str) -> str:
    """The method name for an operation on ``resource``.

    Rule: snake_case the operationId; map the first word through :data:`VERB_SYNONYMS`
    (retrieve/show/find -> get); drop filler words (a, an, the, all); drop the resource's own
    name, singular or plural (``createDataAttribute`` on ``data_attributes`` -> ``create``); drop
    a trailing preposition left behind (``listCompaniesForAContact`` -> ``list_companies``).
    """
    if operation_id in VERB_EXCEPTIONS:
        return VERB_EXCEPTIONS[operation_id]
    words = snake_case(operation_id).split("_")
    words[0] = VERB_SYNONYMS.get(words[0], words[0])
    words = [words[0]] + [w for w in words[1:] if w not in _FILLER]
    res = resource.split("_")
    for candidate in (res, [*res[:-1], _singular(res[-1])]):
        n = len(candidate)
        for i in range(1, len(words) - n + 1):
            if words[i : i + n] == candidate:
                words = words[:i] + words[i + n :]
                break
        else:
            continue
        break
    while len(words) > 1 and words[-1] in _TRAILING:
        words.pop()
    return "_".join(words)


# -- what each operation needs --------------------------------------------------------------------


@dataclass
class Operation:
    endpoint: Endpoint
    resource: str
    verb: str
    module: str  # ".api.contacts.list_contacts"
    method: str
    path: str
    summary: str
    params: list[Property] = field(default_factory=list)  # path, then query/header/cookie
    body: Property | None = None
    body_fields: list[Property] = field(default_factory=list)
    result: Property | None = None  # the 2xx response property
    #: (status, model) per 2xx JSON response when they are several distinct models (parsed by status)
    by_status: list[tuple[int, ModelProperty]] = field(default_factory=list)
    style: str | None = None
    items: Property | None = None  # the list property of the page model
    accept: str | None = None  # Accept header when the documented success is not JSON
    redirect: bool = False  # the documented success is a 3xx: the method returns its Location

    @property
    def result_type(self) -> str:
        if self.redirect:
            return "str"
        if self.by_status:
            return " | ".join(dict.fromkeys(str(m.class_info.name) for _, m in self.by_status))
        if self.result is None or isinstance(self.result, NoneProperty):
            return "None"
        return plain(self.result.get_type_string(no_optional=True))

    @property
    def item_type(self) -> str:
        assert isinstance(self.items, ListProperty)
        return plain(self.items.inner_property.get_type_string(no_optional=True))


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


def _list_property(model: Property | None, resource: str) -> Property | None:
    if not isinstance(model, ModelProperty):
        return None
    arrays = [
        p
        for p in (model.required_properties or []) + (model.optional_properties or [])
        if isinstance(p, ListProperty)
    ]
    if not arrays:
        return None
    for preferred in ("data", resource, resource.rsplit("_", 1)[-1]):
        for p in arrays:
            if plain(p.name) == preferred:
                return p
    return arrays[0] if len(arrays) == 1 else None


def pagination_style(version: str, op: Operation) -> str | None:
    """CURSOR (``starting_after`` query), SCROLL (``scroll_param``), SEARCH (a body with a
    ``pagination`` object), PAGE (``page`` query); overrides first."""
    override = PAGINATION_OVERRIDES.get((version, op.method.upper(), op.path))
    if override:
        return override
    query = {plain(p.name) for p in op.endpoint.query_parameters}
    if "scroll_param" in query:
        return "SCROLL"
    if "starting_after" in query:
        return "CURSOR"
    if isinstance(op.body, ModelProperty) and any(plain(f.name) == "pagination" for f in _fields(op.body)):
        return "SEARCH"
    if "page" in query:
        return "PAGE"
    return None


def _fields(model: ModelProperty) -> list[Property]:
    return list(model.required_properties or []) + list(model.optional_properties or [])


def _success_media(spec_op: dict[str, Any]) -> tuple[str | None, bool]:
    """(Accept header for operations whose 2xx bodies are all non-JSON, whether success is a 3xx)."""
    responses = spec_op.get("responses") or {}
    success = [r for code, r in responses.items() if str(code).startswith("2")]
    media = sorted({m for r in success for m in (r.get("content") or {})})
    accept = ", ".join(media) if media and not any("json" in m for m in media) else None
    redirect = not success and any(str(code).startswith("3") for code in responses)
    return accept, redirect


def collect(
    version: Version, data: GeneratorData, spec_ops: dict[tuple[str, str], dict[str, Any]]
) -> list[Operation]:
    ops: list[Operation] = []
    for tag, collection in sorted(data.endpoint_collections_by_tag.items()):
        for endpoint in collection.endpoints:
            resource = resource_for(plain(endpoint.tags[0]) if endpoint.tags else tag)
            operation_id = plain(endpoint.name)
            spec_op = spec_ops.get((endpoint.method, plain(endpoint.path)), {})
            raw_id = spec_op.get("operationId", operation_id)
            op = Operation(
                endpoint=endpoint,
                resource=resource,
                verb=verb_for(raw_id, resource),
                module=f".api.{tag}.{operation_id}",
                method=endpoint.method,
                path=plain(endpoint.path),
                summary=plain(endpoint.summary) or plain(endpoint.description).split("\n")[0],
                params=[
                    *endpoint.path_parameters,
                    *endpoint.query_parameters,
                    *endpoint.header_parameters,
                    *endpoint.cookie_parameters,
                ],
            )
            if len(endpoint.bodies) == 1:
                op.body = endpoint.bodies[0].prop
            elif endpoint.bodies:
                raise ValueError(f"{op.method} {op.path}: several body types are not supported by the facade")
            if isinstance(op.body, ModelProperty):
                taken = {p.python_name for p in op.params} | _RESERVED
                op.body_fields = [f for f in _fields(op.body) if f.python_name not in taken]
            op.result = _success(endpoint)
            op.by_status = _success_by_status(endpoint)
            op.accept, op.redirect = _success_media(spec_op)
            op.items = _list_property(op.result, resource)
            if op.items is not None:
                op.style = pagination_style(version.name, op)
                if op.style is None and op.verb.split("_")[0] not in ("list", "search"):
                    op.items = None
                elif op.style is None:
                    op.style = "CURSOR"  # a list the spec does not page: one page, no cursor
            ops.append(op)
    return ops


def spec_operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(method, path) -> the operation as written in the (repaired) spec."""
    return {(method, path): op for path, method, op in operations(spec)}


# -- rendering ------------------------------------------------------------------------------------

_HEADER = '''"""Typed client for Intercom API {name}: ``Intercom`` / ``AsyncIntercom`` with one attribute per
resource and one method per operation (friendly names; see intercom_ext's README).

A request carries only what the caller set: an argument left out is not sent (the spec's server
defaults are in the docstrings, never filled in here). Where the spec does not mark a request body
required, a call given neither ``body=`` nor any body field is sent without a body (and without
``Content-Type``); once one body field is given, those the body schema requires must be given too.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any, cast

from intercom_ext import AsyncAPIClient as _AsyncBase
from intercom_ext import PaginationStyle, json_parser, json_parser_by_status, parse_none
from intercom_ext import SyncAPIClient as _SyncBase
from intercom_ext import APIStatusError
from intercom_ext._facade import (
    FacadeMixin,
    build_body,
    build_optional_body,
    checked_items,
    location,
    redirect_target,
    with_accept,
)
from intercom_ext._types import NOT_GIVEN

from . import models as models
from ._metadata import VERSION_HEADER
from .types import UNSET, Unset

if TYPE_CHECKING:
    import httpx
    from typing_extensions import Unpack

    from collections.abc import Awaitable, Callable

    from intercom_ext import AsyncPager, RateLimiter, RawResponse, RequestOptions, SyncPager
    from intercom_ext._export import Export, ExportOptions
    from intercom_ext._types import NotGiven

    from .client import AuthenticatedClient
{imports}

__all__ = ["OPERATIONS", "AsyncIntercom", "Intercom", "models"]

'''


def _model_imports(body: str, classes: dict[str, str]) -> tuple[str, str]:
    """Imports of the generated classes the rendered ``body`` names: (runtime, annotations only).

    Classes used as parameter defaults (``= SomeEnum.LIVE``) are needed at runtime; every other
    class only in annotations, so it goes under ``TYPE_CHECKING``.
    """
    runtime = set(re.findall(r"= ([A-Z][A-Za-z0-9]*)\.", body)) & classes.keys()
    annotations = (set(re.findall(r"\b[A-Z][A-Za-z0-9]*\b", body)) & classes.keys()) - runtime
    runtime_lines = "".join(f"from .models.{classes[name]} import {name}\n" for name in sorted(runtime))
    lines = [f"    from .models.{classes[name]} import {name}" for name in sorted(annotations)]
    if re.search(r"\bdatetime\.", body):
        lines.insert(0, "    import datetime")
    if re.search(r"\bFile\b", body):
        lines.append("    from .types import File")
    return runtime_lines, "\n".join(lines)


def _signature(op: Operation, *, paged: bool) -> str:
    parts = ["self"]
    path_params = op.endpoint.path_parameters
    parts += [plain(p.to_string()) for p in path_params]
    parts.append("*")
    if op.body is not None:
        body_type = plain(op.body.get_type_string(no_optional=True))
        if op.body_fields or not op.body.required:
            parts.append(f"body: {body_type} | Unset = UNSET")
        else:
            parts.append(f"body: {body_type}")
    for p in op.params[len(path_params) :]:
        parts.append(plain(p.to_string()))
    for f in op.body_fields:
        t = plain(f.get_type_string())
        if "Unset" not in t:
            t += " | Unset"
        parts.append(f"{f.python_name}: {t} = UNSET")
    if paged:
        parts += ["max_items: int | None = None", "max_pages: int | None = None"]
    parts.append("**options: Unpack[RequestOptions]")
    if parts[-2] == "*":
        parts.remove("*")
    return ", ".join(parts)


def _kwargs_call(op: Operation) -> str:
    args = [f"{p.python_name}={p.python_name}" for p in op.params]
    call = "_op._get_kwargs({})"
    if op.accept:
        call = f"with_accept({call}, {op.accept!r})"
    if op.body is not None:
        if op.body_fields:
            fields = ", ".join(f'"{f.python_name}": {f.python_name}' for f in op.body_fields)
            model = plain(op.body.get_type_string(no_optional=True))
            if op.body.required:
                args.append(f'body=build_body({model}, body, {{{fields}}}, "{op.resource}.{op.verb}")')
            else:
                args.append(
                    f'body=build_optional_body({model}, body, {{{fields}}}, "{op.resource}.{op.verb}", UNSET)'
                )
        else:
            args.append("body=body")
    return call.format(", ".join(args))


def _runtime_imports(op: Operation) -> list[str]:
    package, module = op.module.rsplit(".", 1)
    lines = [f"from {package} import {module} as _op"]
    models = []
    if op.body_fields and isinstance(op.body, ModelProperty):
        models.append(op.body)
    if isinstance(op.result, ModelProperty):
        models.append(op.result)
    models += [model for _, model in op.by_status]
    for prop in models:
        line = f"from .models.{prop.class_info.module_name} import {prop.class_info.name}"
        if line not in lines:
            lines.append(line)
    return lines


def _parser(op: Operation) -> str:
    if op.redirect:
        return "location"
    if op.by_status:
        builders = ", ".join(f"{status}: {m.class_info.name}.from_dict" for status, m in op.by_status)
        return f"json_parser_by_status({{{builders}}})"
    if isinstance(op.result, ModelProperty):
        return f"json_parser({op.result.class_info.name}.from_dict)"
    if op.result is None or isinstance(op.result, NoneProperty):
        return "parse_none"
    return (
        f"lambda r: cast({op.result_type!r}, _op._parse_response(client=self._client.generated, response=r))"
    )


def _method(op: Operation, mode: str) -> list[str]:
    """mode: sync | async | raw | async_raw. Returns the method's lines (indented for a class)."""
    paged = op.items is not None
    if paged and mode in ("raw", "async_raw"):
        return []
    is_async = mode.startswith("async")
    doc = op.summary.replace('"""', "'''").replace("\\", "\\\\") or f"{op.method.upper()} {op.path}"
    lines = [""]
    if paged:
        assert isinstance(op.result, ModelProperty)
        pager = "AsyncPager" if is_async else "SyncPager"
        ret = f"{pager}[{op.result.class_info.name}, {op.item_type}]"
        lines.append(f"    def {op.verb}({_signature(op, paged=True)}) -> {ret}:")
    else:
        ret = op.result_type if mode in ("sync", "async") else f"RawResponse[{op.result_type}]"
        prefix = "async def" if is_async else "def"
        lines.append(f"    {prefix} {op.verb}({_signature(op, paged=False)}) -> {ret}:")
    lines.append(f'        """{doc} (``{op.method.upper()} {op.path}``)."""')
    lines += [f"        {line}" for line in _runtime_imports(op)]
    if paged:
        assert isinstance(op.result, ModelProperty) and op.items is not None
        name = op.items.python_name
        items = f"lambda page: checked_items(page, page.{name}, {name!r})"
        lines.append(
            f"        return self._client.paginate({_kwargs_call(op)}, "
            f"{op.result.class_info.name}.from_dict, "
            f"style=PaginationStyle.{op.style}, items={items}, max_items=max_items, max_pages=max_pages, "
            "options=options)"
        )
    else:
        call = "request_raw" if mode.endswith("raw") else "request"
        await_ = "await " if is_async else ""
        request = f"{await_}self._client.{call}({_kwargs_call(op)}, {_parser(op)}, options=options)"
        if op.redirect and call == "request":
            # The client never follows redirects (the token must not reach another host).
            lines += [
                "        try:",
                f"            return {request}",
                "        except APIStatusError as err:",
                "            return redirect_target(err)",
            ]
        else:
            lines.append(f"        return {request}")
    return lines


_CLASS_PATTERNS = {
    "sync": "{}Resource",
    "async": "Async{}Resource",
    "raw": "{}WithRawResponse",
    "async_raw": "Async{}WithRawResponse",
}


#: resource -> (verb of the operation an export walks, seconds each search window reaches beyond its
#: ends). Contact search indexes timestamps by day, hence a day of overlap.
EXPORTS: dict[str, tuple[str, int]] = {
    "contacts": ("search", 86400),
    "conversations": ("search", 0),
    "tickets": ("search", 0),
    "companies": ("scroll", 0),
}


def _export_method(resource: str, ops: list[Operation]) -> list[str]:
    """``<resource>.export(**ExportOptions)`` for the resources of :data:`EXPORTS` (sync clients only)."""
    if resource not in EXPORTS:
        return []
    verb, overlap = EXPORTS[resource]
    op = next((o for o in ops if o.verb == verb and o.items is not None), None)
    if op is None:
        return []
    assert isinstance(op.result, ModelProperty) and op.items is not None
    page = op.result.class_info.name
    fn = "export_scroll" if op.style == "SCROLL" else "export_search"
    overlap_arg = f", default_overlap={overlap}" if fn == "export_search" else ""
    how = (
        "the scroll, one at a time (waits on scroll_exists, restarts on 5xx)"
        if fn == "export_scroll"
        else "concurrent ``updated_at`` windows"
    )
    q = '"' * 3
    return [
        "",
        f"    def export(self, **options: Unpack[ExportOptions]) -> Export[{op.item_type}]:",
        f"        {q}Every item, streamed, at the rate limit (``{op.method.upper()} {op.path}``):",
        f"        {how}; see ``intercom_ext._export``.{q}",
        f"        from intercom_ext._export import {fn}",
        "",
        f"        from .models.{op.result.class_info.module_name} import {page}",
        "",
        f"        return {fn}(self._client, {op.path!r}, {page}.from_dict, "
        f"lambda page: page.{op.items.python_name} or []{overlap_arg}, **options)",
    ]


def _class_name(resource: str, mode: str = "sync") -> str:
    """``contacts`` -> ContactsResource / AsyncContactsResource / ContactsWithRawResponse / ..."""
    return _CLASS_PATTERNS[mode].format("".join(w.capitalize() for w in resource.split("_")))


_CLIENT = '''

class {cls}(FacadeMixin, {base}):
    """Intercom API {name} client ({kind}). Every request sends ``Intercom-Version: {header}``.

    ``token`` defaults to ``$INTERCOM_ACCESS_TOKEN``; ``region`` (us, eu, au) to ``$INTERCOM_REGION``
    or "us"; ``base_url`` overrides the region. ``timeout`` and ``max_retries`` apply to every call
    unless a call passes its own. Every request is paced by a ``RateLimiter`` fed by the
    ``X-RateLimit-*`` headers: pass ``rate_limiter=`` to share one between clients (``None``
    disables it) and ``max_requests_per_minute=`` to set a ceiling. ``sleep`` and ``clock`` (epoch
    seconds) replace ``{sleep_default}`` and ``time.time`` for retries and the limiter.
    """

{annotations}

    def __init__(
        self,
        *,
        token: str | None = None,
        region: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int = 2,
        default_headers: dict[str, str] | None = None,
        http_client: {http} | None = None,
        rate_limiter: RateLimiter | None | NotGiven = NOT_GIVEN,
        max_requests_per_minute: float | None = None,
        sleep: {sleep} | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(
            version_header=VERSION_HEADER,
            token=token,
            region=region,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            rate_limiter=rate_limiter,
            max_requests_per_minute=max_requests_per_minute,
            sleep=sleep,
            clock=clock,
        )
{assign}
        self.with_raw_response = {raw_cls}(self)

    def _generated_client_class(self) -> type[AuthenticatedClient]:
        from .client import AuthenticatedClient

        return AuthenticatedClient


class {raw_cls}:
    """``client.with_raw_response.<resource>.<verb>(...)`` returns a ``RawResponse`` (status, headers,
    parsed model). List operations are not here: their pages are on ``.pages()``."""

{raw_annotations}

    def __init__(self, client: {cls}) -> None:
{raw_assign}
'''


def render(version: Version, ops: list[Operation], classes: dict[str, str]) -> str:
    by_resource: dict[str, list[Operation]] = {}
    for op in ops:
        by_resource.setdefault(op.resource, []).append(op)
    out: list[str] = []
    for mode, client_type in (
        ("sync", "Intercom"),
        ("async", "AsyncIntercom"),
        ("raw", "Intercom"),
        ("async_raw", "AsyncIntercom"),
    ):
        for resource, resource_ops in by_resource.items():
            out.append(f"\n\nclass {_class_name(resource, mode)}:")
            out.append(f'    """``{resource}`` operations ({mode.replace("_", " ")})."""')
            out.append("")
            out.append(f"    def __init__(self, client: {client_type}) -> None:")
            out.append("        self._client = client")
            for op in resource_ops:
                out += _method(op, mode)
            if mode == "sync":
                out += _export_method(resource, resource_ops)
    for cls, base, kind, http, mode, sleep, sleep_default in (
        ("Intercom", "_SyncBase", "sync", "httpx.Client", "sync", "Callable[[float], None]", "time.sleep"),
        (
            "AsyncIntercom",
            "_AsyncBase",
            "async",
            "httpx.AsyncClient",
            "async",
            "Callable[[float], Awaitable[None]]",
            "asyncio.sleep",
        ),
    ):
        raw_mode = "raw" if mode == "sync" else "async_raw"
        out.append(
            _CLIENT.format(
                cls=cls,
                base=base,
                name=version.name,
                kind=kind,
                header=version.header,
                http=http,
                sleep=sleep,
                sleep_default=sleep_default,
                raw_cls=f"{cls}WithRawResponse",
                annotations="\n".join(f"    {r}: {_class_name(r, mode)}" for r in by_resource),
                assign="\n".join(f"        self.{r} = {_class_name(r, mode)}(self)" for r in by_resource),
                raw_annotations="\n".join(f"    {r}: {_class_name(r, raw_mode)}" for r in by_resource),
                raw_assign="\n".join(
                    f"        self.{r} = {_class_name(r, raw_mode)}(client)" for r in by_resource
                ),
            )
        )
    out.append(
        "\n\n#: Every operation: (resource, method name, HTTP method, path, pagination style, items key)."
    )
    out.append("OPERATIONS: tuple[tuple[str, str, str, str, str | None, str | None], ...] = (")
    for op in ops:
        items_key = plain(op.items.name) if op.items is not None else None
        out.append(
            f"    ({op.resource!r}, {op.verb!r}, {op.method.upper()!r}, {op.path!r}, "
            f"{op.style!r}, {items_key!r}),"
        )
    out.append(")")
    # Inside resource classes a method may be called ``list``: annotations use builtins.list.
    body = re.sub(r"(?<![\w.])list\[", "builtins.list[", "\n".join(out) + "\n")
    runtime, annotations = _model_imports(body, classes)
    header = _HEADER.format(name=version.name, imports=annotations)
    header = header.replace(
        "from .types import UNSET, Unset\n", "from .types import UNSET, Unset\n" + runtime
    )
    return header + body


def write_facade(
    version: Version, data: GeneratorData, spec: dict[str, Any], package_dir: Path
) -> list[Operation]:
    ops = collect(version, data, spec_operations(spec))
    seen: dict[tuple[str, str], Operation] = {}
    for op in ops:
        key = (op.resource, op.verb)
        if key in seen:
            other = seen[key]
            raise ValueError(
                f"{version.name}: friendly name collision {op.resource}.{op.verb} for "
                f"{other.method.upper()} {other.path} and {op.method.upper()} {op.path}; "
                "add it to VERB_EXCEPTIONS"
            )
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", op.verb):
            raise ValueError(f"{version.name}: bad method name {op.verb!r} for {op.method.upper()} {op.path}")
        seen[key] = op
    classes = {str(m.class_info.name): str(m.class_info.module_name) for m in [*data.models, *data.enums]}
    (package_dir / "facade.py").write_text(render(version, ops, classes), encoding="utf-8")
    return ops
