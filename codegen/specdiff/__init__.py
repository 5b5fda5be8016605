"""Changelog between two OpenAPI descriptions, classified for users of the generated SDK.

    >>> from codegen.specdiff import diff_specs, load_spec, render_markdown
    >>> changelog = diff_specs(load_spec(old_path), load_spec(new_path))
    >>> print(render_markdown(changelog))

``python -m codegen.specdiff --help`` for the command line (``make spec-diff``, ``make update-spec``,
``make check-spec-drift``). See ``codegen/specdiff/README.md`` for why this is written here rather
than taken from an existing OpenAPI diff tool.
"""

from __future__ import annotations

from typing import Any

from codegen.specdiff._codegen_effect import CodeEffect, diff_packages
from codegen.specdiff._model import Change, Changelog, Kind
from codegen.specdiff._operations import diff_operations
from codegen.specdiff._render import render_markdown
from codegen.specdiff._schemas import diff_components
from codegen.specdiff._spec import Spec, load_spec

__all__ = [
    "Change",
    "Changelog",
    "CodeEffect",
    "Kind",
    "diff_packages",
    "diff_specs",
    "load_spec",
    "render_markdown",
]


def diff_specs(old: dict[str, Any], new: dict[str, Any]) -> Changelog:
    """Every change from ``old`` to ``new`` (parsed descriptions), operations first, then schemas."""
    old_spec, new_spec = Spec(old), Spec(new)
    changelog = Changelog(old_title=old_spec.title, new_title=new_spec.title)
    diff_operations(old_spec, new_spec, changelog.changes)
    diff_components(old_spec, new_spec, changelog.changes)
    return changelog
