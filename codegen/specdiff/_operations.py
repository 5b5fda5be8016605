"""Operation-level diff. Operations are matched by method + path *shape* (parameter names blanked),
so ``/contacts/{id}`` -> ``/contacts/{contact_id}`` is one operation whose path parameter was renamed
(a keyword argument rename in the SDK), not a removal plus an addition."""

from __future__ import annotations

import re
from typing import Any

from codegen.specdiff._model import Change, Kind
from codegen.specdiff._schemas import REQUEST, RESPONSE, Scope, diff_enum, diff_schema
from codegen.specdiff._spec import Spec, as_dict, type_sig

_PARAM = re.compile(r"\{([^}/]*)\}")
# Media types in the order openapi-python-client prefers them for a body.
_PREFERRED_MEDIA = ("application/json", "multipart/form-data", "application/x-www-form-urlencoded")


def _show(value: Any) -> str:
    return "(none)" if value is None else f"`{value}`"


def path_shape(path: str) -> str:
    return _PARAM.sub("{}", path)


def path_params(path: str) -> list[str]:
    return _PARAM.findall(path)


def resource_of(path: str) -> str:
    """``contacts`` for ``/contacts/{id}/tags``: the first literal path segment."""
    for segment in path.strip("/").split("/"):
        if segment and not segment.startswith("{"):
            return segment
    return "/"


OpIndex = dict[tuple[str, str], tuple[str, dict[str, Any], dict[str, Any]]]


def index_operations(spec: Spec) -> OpIndex:
    index: OpIndex = {}
    for method, path, op, item in spec.operations():
        key = (method, path_shape(path))
        if key in index:  # two paths with one shape: fall back to exact paths
            key = (method, path)
        index[key] = (path, op, item)
    return index


def _params(spec: Spec, op: dict[str, Any], item: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
        p = spec.deref(raw)
        if "name" in p:
            merged[(str(p.get("in", "query")), str(p["name"]))] = p
    return merged


def _param_schema(p: dict[str, Any]) -> Any:
    if "schema" in p:
        return p["schema"]
    for media in as_dict(p.get("content")).values():
        return as_dict(media).get("schema")
    return None


def _body_schema(body: dict[str, Any]) -> tuple[str | None, Any]:
    content = as_dict(body.get("content"))
    for media in (*_PREFERRED_MEDIA, *content):
        if media in content:
            return media, as_dict(content[media]).get("schema")
    return None, None


class _OpDiff:
    def __init__(self, old: Spec, new: Spec, method: str, old_path: str, new_path: str, out: list[Change]):
        self.old, self.new, self.out = old, new, out
        self.old_path, self.new_path = old_path, new_path
        self.subject = f"{method.upper()} {new_path}"
        self.resource = resource_of(new_path)

    def add(self, kind: Kind, breaking: bool, detail: str, where: str = "", **kw: Any) -> None:
        self.out.append(
            Change(kind, breaking, self.subject, detail, where=where, resource=self.resource, **kw)
        )

    def scope(self, prefix: str, direction: str) -> Scope:
        return Scope(
            self.subject,
            self.resource,
            frozenset({direction}),
            self.out,
            prefix=prefix,
            old_spec=self.old,
            new_spec=self.new,
        )

    def run(
        self,
        old_op: dict[str, Any],
        old_item: dict[str, Any],
        new_op: dict[str, Any],
        new_item: dict[str, Any],
    ):
        self.identity(old_op, new_op)
        self.parameters(_params(self.old, old_op, old_item), _params(self.new, new_op, new_item))
        self.request_body(
            self.old.deref(old_op.get("requestBody")), self.new.deref(new_op.get("requestBody"))
        )
        self.responses(as_dict(old_op.get("responses")), as_dict(new_op.get("responses")))

    def identity(self, old_op: dict[str, Any], new_op: dict[str, Any]) -> None:
        old_id, new_id = old_op.get("operationId"), new_op.get("operationId")
        if old_id != new_id:
            self.add(
                Kind.OPERATION_RENAMED,
                True,
                f"operationId {_show(old_id)} -> {_show(new_id)} (the generated function module is renamed)",
                old=str(old_id),
                new=str(new_id),
            )
        old_tag = (old_op.get("tags") or [None])[0]
        new_tag = (new_op.get("tags") or [None])[0]
        if old_tag != new_tag:
            self.add(
                Kind.OPERATION_RETAGGED,
                True,
                f"tag {_show(old_tag)} -> {_show(new_tag)} (the function moves to another `api` subpackage)",
                old=str(old_tag),
                new=str(new_tag),
            )
        if new_op.get("deprecated") and not old_op.get("deprecated"):
            self.add(Kind.OPERATION_DEPRECATED, False, "deprecated")

    def parameters(self, old: dict[tuple[str, str], Any], new: dict[tuple[str, str], Any]) -> None:
        # Path parameters are matched by position in the path template, so a rename is one change.
        for old_name, new_name in zip(path_params(self.old_path), path_params(self.new_path), strict=True):
            o, n = old.pop(("path", old_name), {}), new.pop(("path", new_name), {})
            label = f"path parameter `{new_name}`"
            if old_name != new_name:
                self.add(
                    Kind.PARAMETER_RENAMED,
                    True,
                    f"path parameter `{old_name}` renamed to `{new_name}` (keyword argument renamed)",
                    where=label,
                    name=new_name,
                    old=old_name,
                    new=new_name,
                )
            self.parameter_schema(_param_schema(o), _param_schema(n), label, new_name)
        for key in old:
            if key not in new:
                label = f"{key[0]} parameter `{key[1]}`"
                self.add(
                    Kind.PARAMETER_REMOVED,
                    True,
                    f"{label} removed",
                    where=label,
                    name=key[1],
                    group=f"{key[0]} parameters removed",
                    item=f"`{key[1]}`",
                )
        for key, p in new.items():
            if key not in old:
                label = f"{key[0]} parameter `{key[1]}`"
                required = bool(p.get("required"))
                self.add(
                    Kind.PARAMETER_ADDED,
                    required,
                    f"{label} added ({'required' if required else 'optional'} `{type_sig(_param_schema(p))}`)"
                    + (" (new required argument)" if required else ""),
                    where=label,
                    name=key[1],
                    new=type_sig(_param_schema(p)),
                    group=f"{key[0]} parameters added" + (" (new required arguments)" if required else ""),
                    item=f"`{key[1]}`",
                )
        for key, o in old.items():
            if key not in new:
                continue
            n = new[key]
            label = f"{key[0]} parameter `{key[1]}`"
            was_req, is_req = bool(o.get("required")), bool(n.get("required"))
            if was_req != is_req:
                self.add(
                    Kind.PARAMETER_REQUIRED_CHANGED,
                    is_req,
                    f"{label} is {'now' if is_req else 'no longer'} required",
                    where=label,
                    name=key[1],
                    old=str(was_req).lower(),
                    new=str(is_req).lower(),
                )
            self.parameter_schema(_param_schema(o), _param_schema(n), label, key[1])

    def parameter_schema(self, old: Any, new: Any, label: str, name: str) -> None:
        if old is None or new is None:
            return
        old_sig, new_sig = type_sig(old), type_sig(new)
        if old_sig != new_sig:
            self.add(
                Kind.PARAMETER_TYPE_CHANGED,
                True,
                f"{label}: type changed from `{old_sig}` to `{new_sig}`",
                where=label,
                name=name,
                old=old_sig,
                new=new_sig,
            )
            return
        scope = self.scope(f"{label} ", REQUEST)
        diff_enum(old, new, scope, "", label=label)
        items_old, items_new = as_dict(old).get("items"), as_dict(new).get("items")
        if items_old is not None and items_new is not None:
            diff_enum(items_old, items_new, scope, "", label=f"{label} items")

    def request_body(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        where = "request body"
        if not old and not new:
            return
        if not new:
            self.add(Kind.REQUEST_BODY_REMOVED, True, "request body removed", where=where)
            return
        new_media, new_schema = _body_schema(new)
        if not old:
            required = bool(new.get("required"))
            self.add(
                Kind.REQUEST_BODY_ADDED,
                required,
                f"request body added ({'required' if required else 'optional'} `{type_sig(new_schema)}`)",
                where=where,
                new=type_sig(new_schema),
            )
            return
        old_media, old_schema = _body_schema(old)
        if old_media != new_media:
            self.add(
                Kind.REQUEST_BODY_CHANGED,
                True,
                f"request body media type `{old_media}` -> `{new_media}`",
                where=where,
                old=old_media,
                new=new_media,
            )
            return
        was_req, is_req = bool(old.get("required")), bool(new.get("required"))
        if was_req != is_req:
            self.add(
                Kind.REQUEST_BODY_CHANGED,
                is_req,
                f"request body is {'now' if is_req else 'no longer'} required",
                where=where,
                old=str(was_req).lower(),
                new=str(is_req).lower(),
            )
        old_sig, new_sig = type_sig(old_schema), type_sig(new_schema)
        if old_sig != new_sig:
            self.add(
                Kind.REQUEST_BODY_CHANGED,
                True,
                f"request body type changed from `{old_sig}` to `{new_sig}`",
                where=where,
                old=old_sig,
                new=new_sig,
            )
            return
        diff_schema(old_schema, new_schema, self.scope("request body ", REQUEST))

    def responses(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        for code in old:
            if code not in new:
                success = str(code).startswith("2")
                self.add(
                    Kind.RESPONSE_REMOVED,
                    success,
                    f"response {code} removed",
                    where=f"response {code}",
                    name=str(code),
                )
        for code in new:
            if code not in old:
                schema = _body_schema(self.new.deref(new[code]))[1]
                what = f" (`{type_sig(schema)}`)" if schema is not None else ""
                self.add(
                    Kind.RESPONSE_ADDED,
                    False,
                    f"response {code} added{what}",
                    where=f"response {code}",
                    name=str(code),
                )
        for code in old:
            if code not in new:
                continue
            o = _body_schema(self.old.deref(old[code]))[1]
            n = _body_schema(self.new.deref(new[code]))[1]
            where = f"response {code}"
            if o is None and n is None:
                continue
            if o is None or n is None or type_sig(o) != type_sig(n):
                old_sig = "no body" if o is None else f"`{type_sig(o)}`"
                new_sig = "no body" if n is None else f"`{type_sig(n)}`"
                self.add(
                    Kind.RESPONSE_CHANGED,
                    o is not None,
                    f"response {code} changed from {old_sig} to {new_sig}",
                    where=where,
                    name=str(code),
                    old=old_sig.strip("`"),
                    new=new_sig.strip("`"),
                )
                continue
            diff_schema(o, n, self.scope(f"response {code} ", RESPONSE))


def diff_operations(old: Spec, new: Spec, out: list[Change]) -> None:
    old_ops, new_ops = index_operations(old), index_operations(new)
    for key, (path, op, _item) in old_ops.items():
        if key not in new_ops:
            out.append(
                Change(
                    Kind.OPERATION_REMOVED,
                    True,
                    subject=f"{key[0].upper()} {path}",
                    detail=f"operation removed (`{op.get('operationId')}`)",
                    name=str(op.get("operationId")),
                    resource=resource_of(path),
                )
            )
    for key, (path, op, _item) in new_ops.items():
        if key not in old_ops:
            summary = f": {op['summary']}" if op.get("summary") else ""
            out.append(
                Change(
                    Kind.OPERATION_ADDED,
                    False,
                    subject=f"{key[0].upper()} {path}",
                    detail=f"operation added (`{op.get('operationId')}`){summary}",
                    name=str(op.get("operationId")),
                    resource=resource_of(path),
                )
            )
    for key, (old_path, old_op, old_item) in old_ops.items():
        if key in new_ops:
            new_path, new_op, new_item = new_ops[key]
            _OpDiff(old, new, key[0], old_path, new_path, out).run(old_op, old_item, new_op, new_item)
