"""Markdown rendering: a summary first, then breaking and non-breaking details grouped by resource."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from codegen.specdiff._codegen_effect import CodeEffect
from codegen.specdiff._model import CATEGORIES, CATEGORY_OF, Change, Changelog, Kind

_METHOD_ORDER = {
    m: i for i, m in enumerate(("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"))
}
_LIST_LIMIT = 40  # long name lists (added schemas, modules) are cut here


def _h(level: int, base: int, text: str) -> str:
    return f"{'#' * (base + level - 1)} {text}"


def _subject_key(subject: str) -> tuple[str, int]:
    method, _, path = subject.partition(" ")
    return (path, _METHOD_ORDER.get(method, 99)) if path else (subject, 0)


def _names(items: Iterable[str], limit: int = _LIST_LIMIT) -> str:
    items = list(items)
    shown = ", ".join(f"`{i}`" for i in items[:limit])
    return shown + (f", ... and {len(items) - limit} more" if len(items) > limit else "")


def _bullets(changes: list[Change]) -> list[str]:
    """One bullet per subject; several changes of one subject become sub-bullets."""
    by_subject: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        by_subject[c.subject].append(c)
    lines = []
    for subject in sorted(by_subject, key=_subject_key):
        texts = _compact(by_subject[subject])
        if len(texts) == 1:
            lines.append(f"- `{subject}`: {texts[0]}")
        else:
            lines.append(f"- `{subject}`:")
            lines.extend(f"  - {t}" for t in texts)
    return lines


def _compact(changes: list[Change]) -> list[str]:
    """Details of one subject's changes; changes sharing a ``group`` become one line."""
    groups: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        if c.group:
            groups[c.group].append(c)
    texts, done = [], set()
    for c in changes:
        members = groups.get(c.group, []) if c.group else []
        if len(members) < 2:
            texts.append(c.detail)
        elif c.group not in done:
            done.add(c.group)
            texts.append(f"{c.group}: {', '.join(m.item for m in members)}")
    return texts


def _section(changes: list[Change], base: int) -> list[str]:
    endpoints: dict[str, list[Change]] = defaultdict(list)
    models: list[Change] = []
    added_schemas: list[str] = []
    for c in changes:
        if c.is_operation:
            endpoints[c.resource].append(c)
        elif c.kind is Kind.SCHEMA_ADDED:
            added_schemas.append(c.name)
        else:
            models.append(c)
    lines: list[str] = []
    for resource in sorted(endpoints):
        n_ops = len({c.subject for c in endpoints[resource]})
        lines += ["", _h(3, base, f"`/{resource}` ({n_ops} operation{'s' if n_ops != 1 else ''})"), ""]
        lines += _bullets(endpoints[resource])
    if models or added_schemas:
        n_schemas = len({c.subject for c in models}) + len(added_schemas)
        lines += ["", _h(3, base, f"Models ({n_schemas} schema{'s' if n_schemas != 1 else ''})"), ""]
        if added_schemas:
            lines.append(f"- schemas added ({len(added_schemas)}): {_names(sorted(added_schemas), 10**6)}")
        lines += _bullets(models)
    return lines


def _summary(changelog: Changelog, base: int) -> list[str]:
    counts = changelog.counts()
    breaking = Counter(c.kind for c in changelog.breaking)
    lines = [
        _h(2, base, "Summary"),
        "",
        f"**{len(changelog.breaking)} breaking** and {len(changelog.non_breaking)} non-breaking changes"
        " for users of the generated SDK. Breaking = code written against the old SDK may stop"
        " type-checking or working (renamed/removed functions, arguments, models or attributes; values"
        " that may now be missing or `None`; new required arguments).",
        "",
        "| what | added | removed | changed | of which breaking |",
        "|---|---:|---:|---:|---:|",
    ]
    for category, kinds in CATEGORIES.items():
        total = sum(counts[k] for k in kinds)
        if not total:
            continue
        added = sum(counts[k] for k in kinds if k.name.endswith("_ADDED"))
        removed = sum(counts[k] for k in kinds if k.name.endswith("_REMOVED"))
        nb = sum(breaking[k] for k in kinds)
        lines.append(f"| {category} | {added} | {removed} | {total - added - removed} | {nb} |")
    if breaking:
        top = ", ".join(f"{n} x {kind.value}" for kind, n in breaking.most_common())
        lines += ["", f"Breaking, by kind: {top}."]
    resources = Counter(c.resource for c in changelog.changes if c.is_operation)
    if resources:
        touched = ", ".join(
            f"`/{r}` ({n})" for r, n in sorted(resources.items(), key=lambda x: (-x[1], x[0]))
        )
        lines += ["", f"Endpoint changes by resource: {touched}."]
    return lines


def _group_functions(items: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """``a.m.sync`` + ``a.m.asyncio`` with equal signatures -> ``a.m.{asyncio,sync}``."""
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for qualname, old, new in items:
        module, _, name = qualname.rpartition(".")
        groups[(module, old, new)].append(name)
    out = []
    for (module, old, new), names in groups.items():
        if len(names) == 1 or not module:
            out += [(f"{module}.{n}" if module else n, old, new) for n in names]
        else:
            out.append((f"{module}.{{{','.join(sorted(names))}}}", old, new))
    return out


def _code_effect(effect: CodeEffect, base: int) -> list[str]:
    lines = ["", _h(2, base, "Generated code"), ""]
    if effect.errors:
        lines.append("Not compared: " + "; ".join(effect.errors) + ".")
        return lines
    if effect.empty:
        lines.append("No public module, class or function is added or removed.")
    rows = [
        ("modules removed", effect.modules_removed),
        ("modules added", effect.modules_added),
        ("classes removed", effect.classes_removed),
        ("classes added", effect.classes_added),
        ("functions removed", effect.functions_removed),
        ("functions added", effect.functions_added),
    ]
    for label, items in rows:
        if items:
            shown = [n for n, _, _ in _group_functions([(i, "", "") for i in items])]
            lines.append(f"- {label} ({len(items)}): {_names(shown)}")
    if effect.signatures_changed:
        grouped = _group_functions(effect.signatures_changed)
        lines.append(f"- signatures changed ({len(effect.signatures_changed)} functions):")
        for name, old, new in grouped[:_LIST_LIMIT]:
            lines.append(f"  - `{name}{new}` (was `{old}`)")
        if len(grouped) > _LIST_LIMIT:
            lines.append(f"  - ... and {len(grouped) - _LIST_LIMIT} more")
    if effect.unparseable:
        lines.append(f"- new generation has files that do not parse: {_names(effect.unparseable)}")
    return lines


def render_markdown(
    changelog: Changelog,
    *,
    code: CodeEffect | None = None,
    old_label: str = "",
    new_label: str = "",
    base_level: int = 1,
    title: str = "",
) -> str:
    """The changelog as Markdown. ``base_level=2`` makes the title a ``##`` heading (for embedding)."""
    title = title or f"API changes: {changelog.old_title} -> {changelog.new_title}"
    lines = [_h(1, base_level, title), ""]
    if old_label or new_label:
        lines += [f"Old: `{old_label}`  ", f"New: `{new_label}`", ""]
    lines += _summary(changelog, base_level)
    if not changelog.changes:
        lines += ["", "No API changes."]
    breaking, non_breaking = changelog.breaking, changelog.non_breaking
    if breaking:
        lines += ["", _h(2, base_level, f"Breaking changes ({len(breaking)})")]
        lines += _section(breaking, base_level)
    if non_breaking:
        lines += ["", _h(2, base_level, f"Non-breaking changes ({len(non_breaking)})")]
        lines += _section(non_breaking, base_level)
    summary = changelog.summary_line()
    if code is not None:
        lines += _code_effect(code, base_level)
        summary += f"; generated code: {code.summary_line()}"
    lines += ["", f"**Summary:** {summary}.", ""]
    return "\n".join(lines)


__all__ = ["CATEGORY_OF", "render_markdown"]
