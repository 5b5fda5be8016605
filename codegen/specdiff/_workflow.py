"""The maintainer workflows around the differ: ``spec-diff --codegen``, ``update-spec`` and the CI
drift check of ``../shared/openapi`` against the manifest."""

from __future__ import annotations

import datetime
import re
import shutil
import tempfile
import urllib.error
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from codegen.fetch import SpecFetchError, _download, fetch, sha256_of, spec_dir
from codegen.manifest import BUILD_DIR, GENERATED_DIR, MANIFEST, ROOT, Version, load_manifest, select
from codegen.specdiff._codegen_effect import CodeEffect, diff_packages
from codegen.specdiff._model import Changelog
from codegen.specdiff._render import render_markdown
from codegen.specdiff._spec import load_spec

CHANGELOG_DIR = ROOT / "openapi" / "changelog"
_COMMIT = re.compile(r"/([0-9a-f]{40})/")
_ENTRIES_MARKER = "<!-- entries, newest first (written by `make update-spec`) -->"


class WorkflowError(RuntimeError):
    """A workflow step cannot proceed; the message says what to do."""


def diff_files(old: Path, new: Path) -> Changelog:
    from codegen.specdiff import diff_specs

    return diff_specs(load_spec(old), load_spec(new))


def guess_version(spec: dict[str, Any], versions: list[Version]) -> Version:
    """The manifest version whose name or header equals the spec's ``info.version`` (else the first)."""
    declared = str((spec.get("info") or {}).get("version", ""))
    for v in versions:
        if declared in (v.name, v.header):
            return v
    return versions[0]


def generate_into(version: Version, spec_path: Path, out_root: Path, spec_out: Path | None = None) -> Path:
    """Run the generation pipeline for ``spec_path``; returns the package directory.

    The repaired spec goes to ``spec_out`` (default: next to the package, so previews never touch
    ``build/specs``)."""
    from codegen.pipeline import generate_version  # the pipeline is heavy: import only when generating

    generate_version(
        version, spec_path, out_root, spec_out=spec_out or out_root / f"{version.name}.repaired.json"
    )
    return out_root / version.package


def codegen_effect(old: Path, new: Path, version: Version) -> CodeEffect:
    """Generate both specs into temporary directories and compare the generated packages."""
    BUILD_DIR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=BUILD_DIR, prefix="specdiff-") as tmp:
        packages: list[Path] = []
        errors: list[str] = []
        for label, spec in (("old", old), ("new", new)):
            try:
                packages.append(generate_into(version, spec, Path(tmp) / label))
            except Exception as exc:  # the pipeline refuses some upstream revisions: say so, keep the diff
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                errors.append(
                    f"the {label} spec ({spec}) could not be generated: {type(exc).__name__}: {first}"
                )
        if errors:
            return CodeEffect(errors=errors)
        return diff_packages(packages[0], packages[1])


# --------------------------------------------------------------------------------------------- update


def pinned_url(url: str, ref: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{40}", ref):
        raise WorkflowError(f"REF must be a full 40-character upstream commit sha, got {ref!r}")
    if not _COMMIT.search(url):
        raise WorkflowError(f"cannot find the commit to replace in the manifest url {url}")
    return _COMMIT.sub(f"/{ref}/", url, count=1)


def rewrite_manifest(text: str, name: str, url: str, sha256: str) -> str:
    """Replace ``url`` and ``sha256`` of the ``[versions."<name>"]`` table, keeping everything else."""
    header = re.compile(rf'^\[versions\."{re.escape(name)}"\]\s*$', re.M)
    match = header.search(text)
    if not match:
        raise WorkflowError(f'no [versions."{name}"] table in the manifest')
    end = re.compile(r"^\[", re.M).search(text, match.end())
    stop = end.start() if end else len(text)
    table = text[match.end() : stop]
    for key, value in (("url", url), ("sha256", sha256)):
        table, n = re.subn(rf'^({key}\s*=\s*)"[^"]*"', _replacement(value), table, flags=re.M)
        if n != 1:
            raise WorkflowError(f'[versions."{name}"] has {n} `{key} =` lines, expected 1')
    return text[: match.end()] + table + text[stop:]


def _replacement(value: str) -> Callable[[re.Match[str]], str]:
    return lambda m: f'{m.group(1)}"{value}"'


def add_changelog_entry(path: Path, version: str, entry: str) -> None:
    """Insert ``entry`` at the top of the entries of ``path`` (created with a header if missing)."""
    if path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        text = (
            f"# Intercom API {version}: spec changelog\n\n"
            f"What changed for users of the generated SDK each time the pinned `{version}` description moved"
            " (see `openapi/changelog/README.md`).\n\n"
            f"{_ENTRIES_MARKER}\n"
        )
    if _ENTRIES_MARKER not in text:
        text = text.rstrip("\n") + f"\n\n{_ENTRIES_MARKER}\n"
    head, _, tail = text.partition(_ENTRIES_MARKER)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"{head}{_ENTRIES_MARKER}\n\n{entry.strip()}\n\n{tail.lstrip()}".rstrip("\n") + "\n", "utf-8"
    )


def _no_network_help(version: Version, url: str, ref: str) -> str:
    return (
        f"could not download {url} (no network?).\n"
        f"Get that file on a machine that can reach it (it is Intercom's public OpenAPI repository,\n"
        f"descriptions/.../api.intercom.io.yaml at commit {ref}), then run\n"
        f"  make update-spec VERSION={version.name} REF={ref} FILE=/path/to/api.intercom.io.yaml\n"
        f"(or: python -m codegen.specdiff update {version.name} {ref} --file /path/to/api.intercom.io.yaml)"
    )


def update_spec(
    name: str,
    ref: str,
    *,
    file: Path | None = None,
    manifest: Path = MANIFEST,
    changelog_dir: Path = CHANGELOG_DIR,
    generated_dir: Path = GENERATED_DIR,
    regenerate: bool = True,
    download: Callable[[str, Path], None] = _download,
    old_spec: Callable[[Version], Path] | None = None,
    today: datetime.date | None = None,
    out: TextIO | None = None,
) -> Path:
    """Move ``name`` to upstream commit ``ref``: manifest, cache, ``generated/``, changelog entry.

    Returns the changelog file. Nothing is written unless the new spec was obtained and parsed.
    """

    def say(msg: str) -> None:
        print(msg, file=out)

    (version,) = select(load_manifest(manifest), [name])
    url = pinned_url(version.url, ref)
    try:
        old_path = (old_spec or fetch)(version)
    except SpecFetchError as exc:
        raise WorkflowError(f"the currently pinned spec is needed for the changelog: {exc}") from exc
    with tempfile.TemporaryDirectory(prefix="update-spec-") as tmp:
        new_path = Path(tmp) / "api.intercom.io.yaml"
        if file is not None:
            if not Path(file).is_file():
                raise WorkflowError(f"{file}: no such file")
            shutil.copyfile(file, new_path)
            origin = str(file)
        else:
            try:
                download(url, new_path)
            except (urllib.error.URLError, OSError, TimeoutError) as exc:
                raise WorkflowError(_no_network_help(version, url, ref)) from exc
            origin = url
        sha = sha256_of(new_path)
        new_data, old_data = load_spec(new_path), load_spec(old_path)
        if "openapi" not in new_data or "paths" not in new_data:
            raise WorkflowError(f"{origin} is not an OpenAPI description")
        new_version = replace(version, url=url, sha256=sha)
        if sha == version.sha256 and url == version.url:
            say(f"{name}: already pinned at {ref} (sha256 {sha}); nothing to do")
            return changelog_dir / f"{name}.md"

        from codegen.specdiff import diff_specs

        changelog = diff_specs(old_data, new_data)
        effect = None
        if regenerate:
            effect = _regenerate(version, new_version, new_path, generated_dir, Path(tmp))
        # Everything succeeded: write the manifest, the cache, the changelog.
        manifest.write_text(rewrite_manifest(manifest.read_text(), name, url, sha), encoding="utf-8")
        if manifest == MANIFEST:
            new_version.cache_path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(new_path, new_version.cache_path)
    old_ref = m.group(1)[:7] if (m := _COMMIT.search(version.url)) else "?"
    when = (today or datetime.date.today()).isoformat()
    entry = render_markdown(
        changelog,
        code=effect,
        title=f"{when}: `{old_ref}` -> `{ref[:7]}`",
        old_label=f"{version.url} (sha256 {version.sha256[:12]}...)",
        new_label=f"{url} (sha256 {sha[:12]}...)",
        base_level=2,
    )
    target = changelog_dir / f"{name}.md"
    add_changelog_entry(target, name, entry)
    say(f"{name}: pinned {url}\n  sha256 {sha} (from {origin})")
    say(f"  changelog: {target}")
    say(f"  {changelog.summary_line()}")
    return target


def _regenerate(old: Version, new: Version, spec: Path, generated_dir: Path, tmp: Path) -> CodeEffect:
    """Generate ``new`` into ``tmp``, compare with ``generated_dir/<package>``, then replace it."""
    # The real generated/ also gets the real repaired spec (build/specs, read by the contract tests).
    spec_out = new.repaired_path if generated_dir == GENERATED_DIR else None
    fresh = generate_into(new, spec, tmp / "gen", spec_out)
    current = generated_dir / old.package
    effect = diff_packages(current, fresh)
    if current.exists():
        shutil.rmtree(current)
    generated_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(fresh, current, ignore=shutil.ignore_patterns("__pycache__"))
    return effect


# ------------------------------------------------------------------------------------------ CI drift


def find_pinned(
    version: Version, search_dir: Path, download: Callable[[str, Path], None] | None = _download
) -> Path | None:
    """The spec the manifest pins, without trusting anything whose sha256 differs.

    Looked for in the fetch cache, then anywhere under ``search_dir`` (e.g. ``history/``), then at the
    pinned URL when ``download`` is given and the network allows. ``None`` when none of them has it.
    """
    if version.cache_path.is_file() and sha256_of(version.cache_path) == version.sha256:
        return version.cache_path
    if search_dir.is_dir():
        for candidate in sorted(search_dir.rglob("*")):
            if (
                candidate.suffix in (".yaml", ".yml", ".json")
                and candidate.is_file()
                and candidate.stat().st_size < 50_000_000
                and sha256_of(candidate) == version.sha256
            ):
                return candidate
    if download is None:
        return None
    BUILD_DIR.mkdir(exist_ok=True)
    dest = BUILD_DIR / f"pinned-{version.name}.yaml"
    try:
        download(version.url, dest)
    except (urllib.error.URLError, OSError, TimeoutError):
        return None
    if sha256_of(dest) != version.sha256:
        dest.unlink(missing_ok=True)
        return None
    return dest


def check_shared(
    *,
    manifest: Path = MANIFEST,
    shared_dir: Path | None = None,
    download: Callable[[str, Path], None] | None = _download,
    out: TextIO | None = None,
) -> int:
    """Exit status 1 when a shared spec differs from its manifest pin, after printing the changelog."""
    shared_dir = shared_dir or spec_dir()
    drift = False
    for version in load_manifest(manifest):
        shared = shared_dir / version.shared
        if not shared.is_file():
            print(f"{version.name}: no shared copy at {shared}; nothing to compare", file=out)
            continue
        actual = sha256_of(shared)
        if actual == version.sha256:
            print(f"{version.name}: {shared} matches the manifest (sha256 {actual[:12]}...)", file=out)
            continue
        drift = True
        print(
            f"{version.name}: DRIFT: {shared} has sha256 {actual}\n"
            f"  but openapi/versions.toml pins {version.sha256}\n  ({version.url})",
            file=out,
        )
        pinned = find_pinned(version, shared_dir, download)
        if pinned is None:
            print(
                f"  The pinned spec is not obtainable offline (not in {version.cache_path.parent}, no file"
                f" with that sha256 under {shared_dir}, no network), so the changelog cannot be shown.\n"
                f"  To see it: put the pinned file (from the URL above) in {version.cache_path}"
                f" and rerun `make check-spec-drift`.",
                file=out,
            )
        else:
            changelog = diff_files(pinned, shared)
            print(
                render_markdown(
                    changelog, old_label=f"{pinned} (pinned)", new_label=f"{shared} (shared copy)"
                ),
                file=out,
            )
        print(
            f"  To adopt the shared copy: make update-spec VERSION={version.name} REF=<its upstream commit>"
            f" FILE={shared}\n  (then review openapi/changelog/{version.name}.md and commit).",
            file=out,
        )
    return 1 if drift else 0
