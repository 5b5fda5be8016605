"""``make upgrade-report OLD=2.11 NEW=2.14``: what changes for code moving between two of our versions.

Written to ``docs/upgrading-<OLD>-to-<NEW>.md`` (``--check`` compares instead of writing). Two parts:

1. **Client methods**, read from the committed facades (``<package>.facade``: ``OPERATIONS`` and the
   signatures of the sync resource classes): methods removed, renamed (same operation - method +
   path shape - under another name), added, and per method the keyword arguments removed, added or
   newly required and the return type when it changed.
2. **API and model changes**: ``make spec-diff`` between the two pinned specs, with the
   generated-code effect measured on the committed ``generated/`` packages (no generation).

``make spec-diff OLD=2.11 NEW=2.14`` (version names instead of files) prints the same report.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen.fetch import fetch
from codegen.manifest import GENERATED_DIR, ROOT, ManifestError, Version, load_manifest, select

DOCS = ROOT / "docs"
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


def methods(version: Version) -> dict[tuple[str, str], Method]:
    """Every facade method of ``version``, keyed by operation (method + path shape)."""
    if str(GENERATED_DIR) not in sys.path:
        sys.path.insert(0, str(GENERATED_DIR))
    facade = importlib.import_module(f"{version.package}.facade")
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


def report(old: Version, new: Version) -> str:
    from codegen.specdiff._codegen_effect import diff_packages
    from codegen.specdiff._render import render_markdown
    from codegen.specdiff._workflow import diff_files

    changelog = diff_files(fetch(old, log=False), fetch(new, log=False))
    effect = diff_packages(GENERATED_DIR / old.package, GENERATED_DIR / new.package)
    mod_a, mod_b = old.module, new.module
    head = [
        f"# Upgrading from `intercom_ext.{mod_a}` to `intercom_ext.{mod_b}`"
        f" (Intercom API {old.name} -> {new.name})",
        "",
        f"Generated by `make upgrade-report OLD={old.name} NEW={new.name}` (codegen/upgrade.py) from the",
        "pinned specs and the committed generated packages; `tests/test_upgrade_report.py` checks it is",
        "current.",
        "",
        f"Moving is `from intercom_ext import {mod_b}` instead of `{mod_a}`: requests then send",
        f"`Intercom-Version: {new.header}`. What that changes in code written against `{mod_a}`:",
        "",
        *facade_section(old, new),
    ]
    spec = render_markdown(
        changelog,
        code=effect,
        title="API and model changes (`make spec-diff`)",
        old_label=old.url,
        new_label=new.url,
        base_level=2,
    )
    return "\n".join(head) + "\n" + spec.rstrip("\n") + "\n"


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
        old, new = select(load_manifest(), [args.old, args.new])
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
