"""``make upgrade-report OLD=2.11 NEW=2.14``: what changes for code moving between two of our versions.

Written to ``docs/upgrading-<OLD>-to-<NEW>.md`` (``--check`` compares instead of writing). It speaks
of the SDK, in what a caller sees:

1. **Client methods**, read from the generated facades (``<package>.facade``: ``OPERATIONS`` and the
   signatures of the sync resource classes): methods removed, renamed (same operation - method +
   path shape - under another name), added, and per method the keyword arguments removed, added or
   newly required and the return type when it changed.
2. **Models**: model classes removed and added, and per model kept the fields removed, added or
   retyped (the annotations of the generated classes) and enum values removed or added.
3. **Spec-level changes**, counted in one section (``make spec-diff OLD=... NEW=...`` lists them
   one by one): what the API description changed, most of which the sections above already show
   as SDK changes, the rest (descriptions, examples, server-side constraints) changing no code.

A version is a manifest entry (its committed ``generated/`` package) or a ``[history]`` pin
(``OLD=Unstable``, the beta channel before it was renamed Preview), which is generated on demand
into ``build/history/`` (once per pinned sha256).

``make spec-diff OLD=2.11 NEW=2.14`` (version names instead of files) prints the same report.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import re
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from codegen.fetch import fetch
from codegen.manifest import (
    BUILD_DIR,
    GENERATED_DIR,
    ROOT,
    ManifestError,
    Version,
    load_history,
    load_manifest,
    select,
)

DOCS = ROOT / "docs"
HISTORY_DIR = BUILD_DIR / "history"
_SHAPE = re.compile(r"\{[^}]+\}")


@dataclass(frozen=True)
class Method:
    resource: str
    verb: str
    http: str
    path: str
    params: dict[str, tuple[str, bool]]  # name -> (annotation, required)
    returns: str

    @property
    def name(self) -> str:
        return f"{self.resource}.{self.verb}"

    @property
    def key(self) -> tuple[str, str]:
        return self.http, _SHAPE.sub("{}", self.path)


def _class_name(resource: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in resource.split("_")) + "Resource"


def _short(annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", repr(annotation))
    return re.sub(r"\s+", " ", str(text))


def is_history(version: Version) -> bool:
    return version.name not in {v.name for v in load_manifest()}


def package_root(version: Version) -> Path:
    """The directory holding ``version``'s package: ``generated/``, or for a ``[history]`` pin
    ``build/history/<name>/``, generated there first when missing or of another sha256."""
    if not is_history(version):
        return GENERATED_DIR
    root = HISTORY_DIR / version.name
    stamp = root / f"{version.package}.sha256"
    if not stamp.is_file() or stamp.read_text().strip() != version.sha256:
        from codegen.pipeline import generate_version

        root.mkdir(parents=True, exist_ok=True)
        report = generate_version(
            version, fetch(version, log=False), root, spec_out=root / f"{version.name}.json"
        )
        if report.operations[0] == 0:
            raise ManifestError(f"{version.name}: generating the history pin failed: {report.warnings}")
        stamp.write_text(version.sha256 + "\n")
    return root


def _import(version: Version, module: str) -> Any:
    root = str(package_root(version))
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module(f"{version.package}.{module}")


def methods(version: Version) -> dict[tuple[str, str], Method]:
    """Every facade method of ``version``, keyed by operation (method + path shape)."""
    facade = _import(version, "facade")
    out: dict[tuple[str, str], Method] = {}
    for resource, verb, http, path, *_ in facade.OPERATIONS:
        fn = getattr(getattr(facade, _class_name(resource)), verb)
        params = {}
        for p in inspect.signature(fn).parameters.values():
            if p.name == "self" or p.kind is inspect.Parameter.VAR_KEYWORD:
                continue
            params[p.name] = (_short(p.annotation), p.default is inspect.Parameter.empty)
        m = Method(resource, verb, http, path, params, _short(inspect.signature(fn).return_annotation))
        out[m.key] = m
    return out


def _code(items: list[str]) -> str:
    return ", ".join(f"`{i}`" for i in items)


def facade_section(old: Version, new: Version) -> list[str]:
    a, b = methods(old), methods(new)
    removed = [a[k] for k in a if k not in b]
    added = [b[k] for k in b if k not in a]
    renamed = [(a[k], b[k]) for k in a if k in b and a[k].name != b[k].name]
    changed: list[tuple[Method, list[str]]] = []
    for k in a:
        if k not in b:
            continue
        before, after = a[k], b[k]
        notes = []
        if gone := [p for p in before.params if p not in after.params]:
            notes.append(f"arguments removed: {_code(gone)}")
        if required := [p for p, (_, req) in after.params.items() if req and p not in before.params]:
            notes.append(f"new required arguments: {_code(required)}")
        if optional := [p for p, (_, req) in after.params.items() if not req and p not in before.params]:
            notes.append(f"new optional arguments: {_code(optional)}")
        if now := [
            p
            for p, (_, req) in after.params.items()
            if req and p in before.params and not before.params[p][1]
        ]:
            notes.append(f"now required: {_code(now)}")
        retyped = [
            f"`{p}`: `{before.params[p][0]}` -> `{t}`"
            for p, (t, _) in after.params.items()
            if p in before.params and before.params[p][0] != t
        ]
        if retyped:
            notes.append("argument types changed: " + ", ".join(retyped))
        if before.returns != after.returns:
            notes.append(f"returns `{after.returns}` instead of `{before.returns}`")
        if notes:
            changed.append((after, notes))
    same = sum(1 for k in a if k in b and a[k].name == b[k].name)
    mod_a, mod_b = old.module, new.module
    lines = [
        "## Client methods (`client.<resource>.<verb>`)",
        "",
        f"{len(a)} methods in `{mod_a}`, {len(b)} in `{mod_b}`: {same} keep their name, "
        f"{len(renamed)} renamed, {len(removed)} removed, {len(added)} added; "
        f"{len(changed)} of those kept change their signature. "
        "Operations are matched by HTTP method and path shape (a renamed path parameter is the same "
        "operation).",
        "",
        f"### Renamed ({len(renamed)})",
        "",
    ]
    lines += [f"- `{x.name}` -> `{y.name}` (`{y.http} {y.path}`)" for x, y in renamed] or ["None."]
    lines += ["", f"### Removed ({len(removed)})", ""]
    lines += [f"- `{m.name}` (`{m.http} {m.path}`)" for m in removed] or ["None."]
    lines += ["", f"### Signatures changed ({len(changed)})", ""]
    lines += [f"- `{m.name}` (`{m.http} {m.path}`): " + "; ".join(n) for m, n in changed] or ["None."]
    lines += ["", f"### Added ({len(added)})", ""]
    lines += [f"- `{m.name}` (`{m.http} {m.path}`)" for m in added] or ["None."]
    return [*lines, ""]


@dataclass(frozen=True)
class Model:
    name: str
    fields: dict[str, str]  # attribute -> annotation (a class), or value -> "" (an enum)
    enum: bool


def models(version: Version) -> dict[str, Model]:
    """Every model and enum class of ``version``'s ``models`` package, by class name."""
    package = _import(version, "models")
    out: dict[str, Model] = {}
    for name in package.__all__:
        cls = getattr(package, name)
        if not isinstance(cls, type):
            continue
        if issubclass(cls, Enum):
            out[name] = Model(name, {str(m.value): "" for m in cls}, True)
        else:
            attrs = getattr(cls, "__attrs_attrs__", ())
            fields = {a.name: _short(a.type) for a in attrs if a.name != "additional_properties"}
            out[name] = Model(name, fields, False)
    return out


def _cut(items: list[str], limit: int = 60) -> str:
    shown = _code(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def models_section(old: Version, new: Version) -> list[str]:
    a, b = models(old), models(new)
    removed = sorted(n for n in a if n not in b)
    added = sorted(n for n in b if n not in a)
    changed: list[tuple[str, list[str]]] = []
    for name in sorted(a.keys() & b.keys()):
        before, after = a[name], b[name]
        notes = []
        if before.enum or after.enum:
            if gone := [v for v in before.fields if v not in after.fields]:
                notes.append(f"values removed: {_code(gone)}")
            if new_values := [v for v in after.fields if v not in before.fields]:
                notes.append(f"values added: {_code(new_values)}")
        else:
            if gone := [f for f in before.fields if f not in after.fields]:
                notes.append(f"fields removed: {_code(gone)}")
            if new_fields := [f for f in after.fields if f not in before.fields]:
                notes.append(f"fields added: {_code(new_fields)}")
            retyped = [
                f"`{f}`: `{before.fields[f]}` -> `{after.fields[f]}`"
                for f in after.fields
                if f in before.fields and before.fields[f] != after.fields[f]
            ]
            if retyped:
                notes.append("fields retyped: " + ", ".join(retyped))
        if notes:
            changed.append((name, notes))
    kept = len(a.keys() & b.keys())
    lines = [
        f"## Models (`{new.module}.models`)",
        "",
        f"{len(a)} model and enum classes in `{old.module}`, {len(b)} in `{new.module}`: {kept} in both, "
        f"{len(removed)} removed, {len(added)} added; {len(changed)} of those kept change their fields "
        "or values (annotations as the generated classes declare them; response models read every "
        "field as `T | None`).",
        "",
        f"### Removed ({len(removed)})",
        "",
        _cut(removed) if removed else "None.",
        "",
        f"### Fields or values changed ({len(changed)})",
        "",
    ]
    lines += [f"- `{name}`: " + "; ".join(notes) for name, notes in changed] or ["None."]
    lines += ["", f"### Added ({len(added)})", "", _cut(added) if added else "None.", ""]
    return lines


def spec_section(old: Version, new: Version) -> list[str]:
    from collections import Counter

    from codegen.specdiff._model import CATEGORIES
    from codegen.specdiff._workflow import diff_files

    changelog = diff_files(fetch(old, log=False), fetch(new, log=False))
    counts = changelog.counts()
    breaking = Counter(c.kind for c in changelog.breaking)
    lines = [
        "## Spec-level changes (summary)",
        "",
        f"The API description changed in {len(changelog.changes)} places "
        f"({len(changelog.breaking)} that the spec differ classes as breaking). The ones that change "
        "the SDK are the methods and models above; the rest change no generated code (descriptions, "
        "examples, server-side validation, response codes). Counted here, listed one by one by "
        f"`make spec-diff OLD={old.name} NEW={new.name}`.",
        "",
        "| what | added | removed | changed | of which breaking at spec level |",
        "|---|---:|---:|---:|---:|",
    ]
    for category, kinds in CATEGORIES.items():
        total = sum(counts[k] for k in kinds)
        if not total:
            continue
        plus = sum(counts[k] for k in kinds if k.name.endswith("_ADDED"))
        minus = sum(counts[k] for k in kinds if k.name.endswith("_REMOVED"))
        lines.append(
            f"| {category} | {plus} | {minus} | {total - plus - minus} | {sum(breaking[k] for k in kinds)} |"
        )
    by_kind = ", ".join(f"{n} x {kind.value}" for kind, n in counts.most_common())
    lines += ["", f"By kind: {by_kind}." if by_kind else "No spec-level change.", ""]
    lines += [f"Old: `{old.url}`  ", f"New: `{new.url}`", ""]
    return lines


def _moving(old: Version, new: Version) -> list[str]:
    mod_a, mod_b = old.module, new.module
    order = "the client methods first, then the models, then a count of the spec-level changes."
    if old.name in new.aliases:
        return [
            f"Intercom renamed {old.name} to {new.name}. `intercom_ext.{mod_a}` is now an alias of",
            f"`intercom_ext.{mod_b}` (the same classes), so `from intercom_ext import {mod_a}` keeps working",
            f"and moves by itself; requests send `Intercom-Version: {new.header}` instead of `{old.header}`.",
            f"`from intercom_ext import {mod_b}` is the name to use in new code. What the move changes in",
            f"code written against the {old.name} client: {order}",
        ]
    return [
        f"Moving is `from intercom_ext import {mod_b}` instead of `{mod_a}`: requests then send",
        f"`Intercom-Version: {new.header}`. What that changes in code written against `{mod_a}`: {order}",
    ]


def report(old: Version, new: Version) -> str:
    mod_a, mod_b = old.module, new.module
    head = [
        f"# Upgrading from `intercom_ext.{mod_a}` to `intercom_ext.{mod_b}`"
        f" (Intercom API {old.name} -> {new.name})",
        "",
        f"Generated by `make upgrade-report OLD={old.name} NEW={new.name}` (codegen/upgrade.py) from the",
        "pinned specs and the generated packages; `tests/test_upgrade_report.py` checks it is current.",
        "",
        *_moving(old, new),
        "",
        *facade_section(old, new),
        *models_section(old, new),
        *spec_section(old, new),
    ]
    return "\n".join(head).rstrip("\n") + "\n"


def target(old: Version, new: Version) -> Path:
    return DOCS / f"upgrading-{old.name.lower()}-to-{new.name.lower()}.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen.upgrade", description=__doc__.split("\n")[0])
    parser.add_argument("old", help="manifest version moved from, e.g. 2.11")
    parser.add_argument("new", help="manifest version moved to, e.g. 2.14")
    parser.add_argument("--check", action="store_true", help="fail when the published report is not current")
    parser.add_argument("--stdout", action="store_true", help="print instead of writing docs/")
    args = parser.parse_args(argv)
    try:
        old, new = select([*load_manifest(), *load_history()], [args.old, args.new])
    except ManifestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = report(old, new)
    path = target(old, new)
    if args.stdout:
        print(text, end="")
        return 0
    if args.check:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            command = f"make upgrade-report OLD={old.name} NEW={new.name}"
            print(f"{path.relative_to(ROOT)} is not current: run `{command}`")
            return 1
        print(f"{path.relative_to(ROOT)} is current")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
