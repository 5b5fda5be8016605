"""What a spec change does to the generated code: compare two generated package trees with ``ast``.

Only the public surface is compared: modules, top-level public classes and functions, and the
parameter lists of public functions present in both (a renamed path parameter shows up here as a
changed ``sync(...)`` signature). Files that do not parse are listed instead of failing the diff.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ModuleSurface:
    classes: set[str] = field(default_factory=set)
    functions: dict[str, str] = field(default_factory=dict)  # name -> rendered parameter list
    error: str | None = None


def _signature(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    first_default = len(positional) - len(a.defaults)
    parts = [p.arg + ("=..." if i >= first_default else "") for i, p in enumerate(positional)]
    if a.vararg:
        parts.append("*" + a.vararg.arg)
    elif a.kwonlyargs:
        parts.append("*")
    for arg, default in zip(a.kwonlyargs, a.kw_defaults, strict=True):
        parts.append(arg.arg + ("=..." if default is not None else ""))
    if a.kwarg:
        parts.append("**" + a.kwarg.arg)
    return f"({', '.join(parts)})"


def scan_module(source: str) -> ModuleSurface:
    surface = ModuleSurface()
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        surface.error = f"line {exc.lineno}: {exc.msg}"
        return surface
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            surface.classes.add(node.name)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            surface.functions[node.name] = _signature(node)
    return surface


def scan_package(root: Path) -> dict[str, ModuleSurface]:
    """Module name (relative to ``root``, e.g. ``api.contacts.get_contact``) -> public surface."""
    modules: dict[str, ModuleSurface] = {}
    if not root.is_dir():
        return modules
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts) or "__init__"
        modules[name] = scan_module(path.read_text(encoding="utf-8", errors="replace"))
    return modules


@dataclass
class CodeEffect:
    modules_added: list[str] = field(default_factory=list)
    modules_removed: list[str] = field(default_factory=list)
    classes_added: list[str] = field(default_factory=list)  # "module.Class"
    classes_removed: list[str] = field(default_factory=list)
    functions_added: list[str] = field(default_factory=list)  # "module.function"
    functions_removed: list[str] = field(default_factory=list)
    signatures_changed: list[tuple[str, str, str]] = field(default_factory=list)  # (qualname, old, new)
    unparseable: list[str] = field(default_factory=list)  # "module: error" in the new generation
    errors: list[str] = field(default_factory=list)  # a side that could not be generated at all

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.modules_added,
                self.modules_removed,
                self.classes_added,
                self.classes_removed,
                self.functions_added,
                self.functions_removed,
                self.signatures_changed,
            )
        )

    def summary_line(self) -> str:
        if self.errors:
            return "not compared (generation failed)"
        return (
            f"modules +{len(self.modules_added)} -{len(self.modules_removed)}, "
            f"classes +{len(self.classes_added)} -{len(self.classes_removed)}, "
            f"functions +{len(self.functions_added)} -{len(self.functions_removed)}, "
            f"{len(self.signatures_changed)} signatures changed"
        )


def diff_packages(old_root: Path, new_root: Path) -> CodeEffect:
    """Compare two generated package directories (e.g. two generations of ``intercom_v2_11``)."""
    old, new = scan_package(Path(old_root)), scan_package(Path(new_root))
    effect = CodeEffect()
    effect.modules_removed = sorted(set(old) - set(new))
    effect.modules_added = sorted(set(new) - set(old))
    for name in sorted(set(old) | set(new)):
        o, n = old.get(name, ModuleSurface()), new.get(name, ModuleSurface())
        if n.error and name in new:
            effect.unparseable.append(f"{name}: {n.error}")
        if (o.error and name in old) or (n.error and name in new):
            continue  # unknown surface on one side: do not guess
        effect.classes_removed += [f"{name}.{c}" for c in sorted(o.classes - n.classes)]
        effect.classes_added += [f"{name}.{c}" for c in sorted(n.classes - o.classes)]
        effect.functions_removed += [f"{name}.{f}" for f in sorted(set(o.functions) - set(n.functions))]
        effect.functions_added += [f"{name}.{f}" for f in sorted(set(n.functions) - set(o.functions))]
        for fn in sorted(set(o.functions) & set(n.functions)):
            if o.functions[fn] != n.functions[fn]:
                effect.signatures_changed.append((f"{name}.{fn}", o.functions[fn], n.functions[fn]))
    return effect
