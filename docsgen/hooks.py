"""MkDocs hooks (``hooks:`` in mkdocs.yml): add the generated API reference to the site.

The pages come from :mod:`docsgen.reference` (manifest + each facade's ``OPERATIONS``); they live
only in memory during the build, and the navigation gets one section per version.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if str(Path(__file__).resolve().parent.parent) not in sys.path:  # MkDocs loads hooks by path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from docsgen import reference

_VERSIONS: list[reference.VersionDoc] = []


def _versions() -> list[reference.VersionDoc]:
    if not _VERSIONS:
        _VERSIONS.extend(reference.load_versions())
    return _VERSIONS


def on_config(config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
    nav = config.nav or []
    for entry in nav:
        if isinstance(entry, dict) and "API reference" in entry:
            entry["API reference"] = reference.nav(_versions())
            break
    else:
        nav.append({"API reference": reference.nav(_versions())})
    config.nav = nav
    return config


def on_files(files: Files, config: MkDocsConfig, **kwargs: Any) -> Files:
    for path, text in reference.pages(_versions()):
        files.append(File.generated(config, path, content=text))
    return files
