"""Pass 3: repair upstream spec defects so the generator can take the whole document.

Each rule is one module with an ``apply(spec) -> list[str]`` function (the notes say what changed)
and a docstring naming the upstream defect it repairs. Rules are general: they must carry the next
upstream revision without new special cases: there are no per-schema overrides. Helpers shared by
the rules (operation and schema walking) are in :mod:`codegen.spec`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from codegen.repairs import (
    allof_siblings,
    array_items,
    constraint_unions,
    contradicting_examples,
    dangling_refs,
    exploded_query_objects,
    format_conflicts,
    hoist_inline_models,
    misplaced_operation_keys,
    missing_success_response,
    null_enum_values,
    nullable_components,
    nullable_refs,
    operation_ids,
    path_param_types,
    path_params,
    required_bodies,
    response_unions,
    server_defaults,
    single_member_unions,
    strip_titles,
    undeclared_required,
    union_member_titles,
    union_siblings,
    version_header,
)

Rule = Callable[[dict[str, Any]], list[str]]

RULES: list[tuple[str, Rule]] = [
    ("misplaced_operation_keys", misplaced_operation_keys.apply),
    ("dangling_refs", dangling_refs.apply),
    ("strip_titles", strip_titles.apply),
    ("version_header", version_header.apply),
    ("path_params", path_params.apply),
    ("server_defaults", server_defaults.apply),
    ("path_param_types", path_param_types.apply),
    ("exploded_query_objects", exploded_query_objects.apply),
    ("operation_ids", operation_ids.apply),
    ("missing_success_response", missing_success_response.apply),
    ("null_enum_values", null_enum_values.apply),
    ("nullable_components", nullable_components.apply),
    ("array_items", array_items.apply),
    ("single_member_unions", single_member_unions.apply),
    ("constraint_unions", constraint_unions.apply),
    ("response_unions", response_unions.apply),
    ("format_conflicts", format_conflicts.apply),
    ("undeclared_required", undeclared_required.apply),
    ("hoist_inline_models", hoist_inline_models.apply),
    ("union_siblings", union_siblings.apply),
    ("allof_siblings", allof_siblings.apply),
    ("nullable_refs", nullable_refs.apply),
    ("contradicting_examples", contradicting_examples.apply),
    ("required_bodies", required_bodies.apply),
    ("union_member_titles", union_member_titles.apply),
]


def repair(spec: dict[str, Any]) -> list[str]:
    """Apply every rule in order, mutating ``spec``; returns ``"<rule>: <note>"`` lines."""
    notes: list[str] = []
    for name, rule in RULES:
        notes.extend(f"{name}: {note}" for note in rule(spec))
    return notes
