"""``make spec-watch``: has upstream moved past a manifest pin? (``python -m codegen spec-watch``)

For every manifest version the pinned URL names the upstream repository, commit and file
(``<owner>/<repo>/<commit>/descriptions/<dir>/api.intercom.io.yaml``). The watch asks the GitHub
API for the newest commit touching that file on the branch (the default branch unless ``--branch``),
fetches the file at that commit and compares its sha256 with the pin. A version whose file differs
has *moved*: its changelog (the same Markdown as ``make spec-diff``) is printed, and with ``--apply``
``make update-spec VERSION=<name> REF=<commit> FILE=<the fetched file>`` moves the pin (manifest,
``generated/``, ``openapi/changelog/<name>.md``).

* No network: it says so and exits 0 (nothing compared, nothing changed).
* ``--from DIR``: the newer specs come from DIR instead of upstream (offline, and the test):
  ``DIR/<name>-<commit>.yaml`` (the layout of ``../shared/openapi/history/``) or
  ``DIR/<name>/api.intercom.io.yaml``. ``--apply`` needs the full 40-character commit in the name.
* ``--out DIR`` writes ``DIR/<name>.md`` (the changelog, a pull request body) per moved version
  and ``DIR/moved.json`` (the moved names), for ``.github/workflows/spec-watch.yml``.

It also sees what is *new* upstream, not only what moved:

* **Renames**: a moved version whose ``info.version`` changed (``descriptions/0``: ``Unstable`` ->
  ``Preview``) is reported as renamed; its changelog starts with a "Renamed upstream" section
  giving the manifest change (the new name and header, the old name kept as an alias).
* **New versions**: the version directories upstream (``descriptions/<dir>/``, from the GitHub
  contents API; with ``--from``, the names in DIR) that no manifest entry pins. A numeric one newer
  than every pinned stable version (``descriptions/2.17``) is a *new version*: its newest file is
  fetched and a ready manifest entry (name and header from ``info.version``, package by the naming
  rule, pinned URL, sha256) is printed, and ``--out`` writes ``DIR/new-<name>.md`` (a pull request
  body with that entry) and ``DIR/new.json``. Older directories we do not ship (``2.7``...) are only
  counted. ``--add-new NAME`` appends that entry to ``openapi/versions.toml`` (then ``make generate
  VERSIONS=NAME``, ``make record``, ``make contract VERSIONS=NAME``).

Exit status: 0 when the watch ran (moved or not, or no network), 2 on a usage or update error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from codegen.fetch import SpecFetchError, fetch, sha256_of
from codegen.manifest import (
    MANIFEST,
    ROOT,
    ManifestError,
    Version,
    alias_module,
    load_history,
    load_manifest,
    package_for,
    select,
)

API = "https://api.github.com"
RAW = "https://raw.githubusercontent.com"
_PIN = re.compile(r"^https://[^/]+/(?P<owner>[^/]+)/(?P<repo>[^/]+)/(?P<ref>[0-9a-f]{40})/(?P<path>.+)$")
_TIMEOUT = 20.0


class WatchError(RuntimeError):
    """The watch cannot go on; the message says why."""


class NoNetwork(WatchError):
    """Upstream is unreachable."""


@dataclass(frozen=True)
class Pin:
    owner: str
    repo: str
    ref: str
    path: str  # descriptions/<dir>/api.intercom.io.yaml

    @classmethod
    def of(cls, version: Version) -> Pin:
        m = _PIN.match(version.url)
        if not m:
            raise WatchError(f"{version.name}: cannot read repository/commit/path from {version.url}")
        return cls(m["owner"], m["repo"], m["ref"], m["path"])


@dataclass(frozen=True)
class Candidate:
    """The newest spec found for a version: where it is and the commit it comes from (if known)."""

    path: Path
    ref: str | None
    origin: str


def _get(url: str) -> bytes:
    headers = {"User-Agent": "intercom-sdk-spec-watch", "Accept": "application/vnd.github+json"}
    token = os.environ.get("GITHUB_TOKEN")
    if token and urllib.parse.urlsplit(url).hostname == urllib.parse.urlsplit(API).hostname:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as resp:
            body: bytes = resp.read()
            return body
    except urllib.error.HTTPError as exc:
        raise WatchError(f"GET {url}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise NoNetwork(f"cannot reach {urllib.parse.urlsplit(url).netloc} ({exc})") from exc


def upstream_head(version: Version, dest: Path, *, api: str, raw: str, branch: str | None) -> Candidate:
    """The file at the newest upstream commit that touched the pinned path."""
    pin = Pin.of(version)
    return head_of(pin.owner, pin.repo, pin.path, dest, api=api, raw=raw, branch=branch, label=version.name)


def head_of(
    owner: str, repo: str, path: str, dest: Path, *, api: str, raw: str, branch: str | None, label: str
) -> Candidate:
    """``path`` at the newest upstream commit that touched it, written to ``dest``."""
    query = {"path": path, "per_page": "1"} | ({"sha": branch} if branch else {})
    url = f"{api}/repos/{owner}/{repo}/commits?{urllib.parse.urlencode(query)}"
    commits = json.loads(_get(url))
    if not isinstance(commits, list) or not commits or "sha" not in commits[0]:
        raise WatchError(f"{label}: {url} lists no commit touching {path}")
    ref = str(commits[0]["sha"])
    file_url = f"{raw}/{owner}/{repo}/{ref}/{path}"
    dest.write_bytes(_get(file_url))
    return Candidate(dest, ref, file_url)


def _dir_entries(directory: Path) -> dict[str, Candidate]:
    """Name -> newest candidate, for ``DIR/<name>-<commit>.yaml`` and ``DIR/<name>/api.intercom.io.yaml``."""
    found: dict[str, Candidate] = {}
    for path in sorted(directory.iterdir()):
        if path.is_dir() and (path / "api.intercom.io.yaml").is_file():
            nested = path / "api.intercom.io.yaml"
            found.setdefault(path.name, Candidate(nested, None, str(nested)))
    for path in sorted(directory.glob("*-*")):
        if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        name, _, ref = path.stem.rpartition("-")
        found[name] = Candidate(path, ref if re.fullmatch(r"[0-9a-f]{7,40}", ref) else None, str(path))
    return found


def from_dir(version: Version, directory: Path) -> Candidate | None:
    """``DIR/<name>-<commit>.yaml`` (newest by name if several) or ``DIR/<name>/api.intercom.io.yaml``;
    the version's aliases (earlier names) are looked up too."""
    entries = _dir_entries(directory)
    for name in (version.name, *version.aliases):
        if name in entries:
            return entries[name]
    return None


def info_version(path: Path) -> str | None:
    """``info.version`` of a spec file (``None`` when it has none or does not parse)."""
    from codegen.load import load_spec

    try:
        info = load_spec(path).get("info") or {}
    except (ValueError, OSError):
        return None
    value = info.get("version")
    return None if value is None else str(value)


# -- new upstream versions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NewVersion:
    """A version directory upstream that no manifest entry pins, newer than every pinned one."""

    directory: str  # descriptions/<directory>
    name: str  # info.version (the directory when the file has none)
    candidate: Candidate
    sha256: str
    owner: str
    repo: str

    def entry(self) -> str:
        """The manifest table to add (``url`` needs the commit; without one it says so)."""
        ref = self.candidate.ref if self.candidate.ref and len(self.candidate.ref) == 40 else "<commit>"
        url = f"{RAW}/{self.owner}/{self.repo}/{ref}/descriptions/{self.directory}/api.intercom.io.yaml"
        return (
            f'[versions."{self.name}"]\n'
            f'package = "{package_for(self.name)}"\n'
            f'header = "{self.name}"\n'
            f'url = "{url}"\n'
            f'sha256 = "{self.sha256}"\n'
            f'shared = "{self.name}/api.intercom.io.yaml"\n'
        )

    def body(self) -> str:
        from codegen.load import load_spec

        spec = load_spec(self.candidate.path)
        count = sum(
            1
            for item in (spec.get("paths") or {}).values()
            for method in ("get", "put", "post", "delete", "patch")
            if isinstance(item, dict) and method in item
        )
        ref = (self.candidate.ref or "unknown")[:7]
        return "\n".join(
            [
                f"# Intercom API {self.name}: new upstream version "
                f"(`descriptions/{self.directory}` at `{ref}`)",
                "",
                f"Upstream publishes `descriptions/{self.directory}/api.intercom.io.yaml` "
                f"(`info.version: {self.name}`, {count} operations, sha256 `{self.sha256[:12]}...`), "
                "which no manifest entry pins. Ready manifest entry for `openapi/versions.toml`:",
                "",
                "```toml",
                self.entry().rstrip("\n"),
                "```",
                "",
                f"Then put the file at `../shared/openapi/{self.name}/api.intercom.io.yaml`, "
                f"`make generate VERSIONS={self.name}` (module `intercom_ext.{alias_module(self.name)}`), "
                f"`make record`, `make contract VERSIONS={self.name}` and "
                f"`make upgrade-report OLD=<previous> NEW={self.name}`.",
                "",
            ]
        )


def _numeric(name: str) -> tuple[int, ...] | None:
    return tuple(int(x) for x in name.split(".")) if re.fullmatch(r"\d+(\.\d+)+", name) else None


def upstream_dirs(owner: str, repo: str, *, api: str, branch: str | None) -> list[str]:
    """The directories under ``descriptions/`` upstream (GitHub contents API)."""
    query = urllib.parse.urlencode({"ref": branch}) if branch else ""
    url = f"{api}/repos/{owner}/{repo}/contents/descriptions" + (f"?{query}" if query else "")
    listing = json.loads(_get(url))
    if not isinstance(listing, list):
        raise WatchError(f"{url}: not a directory listing")
    return [str(e["name"]) for e in listing if isinstance(e, dict) and e.get("type") == "dir"]


def new_versions(
    tracked: list[Version],
    dest: Path,
    *,
    source: Path | None,
    api: str,
    raw: str,
    branch: str | None,
) -> tuple[list[NewVersion], list[str]]:
    """(new versions, other untracked directories) upstream, or in ``source`` with ``--from``."""
    pins = [Pin.of(v) for v in tracked]
    pinned_dirs = {p.path.split("/")[1] for p in pins if p.path.startswith("descriptions/")}
    known_names = {n for v in tracked for n in (v.name, *v.aliases)}
    newest = max((n for d in pinned_dirs if (n := _numeric(d))), default=())
    owner, repo = (pins[0].owner, pins[0].repo) if pins else ("intercom", "Intercom-OpenAPI")
    if source is not None:
        entries = {k: c for k, c in _dir_entries(source).items() if k not in known_names}
        names = sorted(entries)
    else:
        entries = {}
        names = sorted(d for d in upstream_dirs(owner, repo, api=api, branch=branch) if d not in pinned_dirs)
    found: list[NewVersion] = []
    others: list[str] = []
    for directory in names:
        number = _numeric(directory)
        if number is None or number <= newest:
            others.append(directory)
            continue
        if source is not None:
            candidate = entries[directory]
        else:
            path = f"descriptions/{directory}/api.intercom.io.yaml"
            target = dest / f"new-{directory}.yaml"
            candidate = head_of(owner, repo, path, target, api=api, raw=raw, branch=branch, label=directory)
        name = info_version(candidate.path) or directory
        found.append(NewVersion(directory, name, candidate, sha256_of(candidate.path), owner, repo))
    return found, others


def rename_section(version: Version, old_name: str | None, new_name: str) -> str:
    """The changelog's first section when upstream renamed a version (``info.version`` changed)."""
    old = old_name or version.name
    return "\n".join(
        [
            f"## Renamed upstream: `{old}` -> `{new_name}`",
            "",
            f"The file pinned as {version.name} now says `info.version: {new_name}` (it said `{old}`): "
            f"upstream renamed the version. Manifest change: rename the entry to `{new_name}` with "
            f'`header = "{new_name}"` and `package = "{package_for(new_name)}"` '
            f"(`intercom_ext.{alias_module(new_name)}`), and keep existing imports working with "
            f'`aliases = ["{version.name}"]` (`intercom_ext.{alias_module(version.name)}` stays an alias); '
            "move the old pin to a `[history]` table for the upgrade report.",
            "",
            "",
        ]
    )


def changelog(old: Path, new: Path, version: Version, candidate: Candidate) -> str:
    from codegen.specdiff._render import render_markdown
    from codegen.specdiff._workflow import diff_files

    pin = Pin.of(version)
    return render_markdown(
        diff_files(old, new),
        title=f"Intercom API {version.name}: `{pin.ref[:7]}` -> `{(candidate.ref or 'new')[:7]}`",
        old_label=f"{version.url} (pinned, sha256 {version.sha256[:12]}...)",
        new_label=f"{candidate.origin} (sha256 {sha256_of(new)[:12]}...)",
    )


def apply(version: Version, candidate: Candidate) -> None:
    """``make update-spec`` for the moved version (needs the full commit the file comes from)."""
    if not candidate.ref or len(candidate.ref) != 40:
        raise WatchError(
            f"{version.name}: --apply needs the full upstream commit of {candidate.path} "
            "(name the file <version>-<40-character commit>.yaml)"
        )
    cmd = [
        "make",
        "--no-print-directory",
        "update-spec",
        f"VERSION={version.name}",
        f"REF={candidate.ref}",
        f"FILE={candidate.path}",
        f"PY={sys.executable}",
    ]
    print(f"{version.name}: {' '.join(cmd[2:-1])}", flush=True)
    if subprocess.run(cmd, cwd=ROOT).returncode != 0:
        raise WatchError(f"{version.name}: make update-spec failed")


def watch(
    versions: list[Version],
    *,
    source: Path | None,
    do_apply: bool,
    out: Path | None,
    api: str = API,
    raw: str = RAW,
    branch: str | None = None,
) -> int:
    moved: list[str] = []
    renamed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="spec-watch-") as tmp:
        for version in versions:
            pin = Pin.of(version)
            try:
                if source is not None:
                    candidate = from_dir(version, source)
                else:
                    candidate = upstream_head(
                        version, Path(tmp) / f"{version.name}.yaml", api=api, raw=raw, branch=branch
                    )
            except NoNetwork as exc:
                print(f"spec-watch: no network: {exc}; nothing compared, nothing changed.")
                return 0
            if candidate is None:
                print(f"{version.name}: nothing in {source} for this version")
                continue
            sha = sha256_of(candidate.path)
            where = f"{pin.path} at {candidate.ref[:7]}" if candidate.ref else candidate.origin
            if sha == version.sha256:
                print(f"{version.name}: up to date ({where} has the pinned sha256 {sha[:12]}...)")
                continue
            print(f"{version.name}: MOVED: {where} has sha256 {sha[:12]}..., pinned {version.sha256[:12]}...")
            try:
                pinned = fetch(version, log=False)
            except SpecFetchError as exc:
                raise WatchError(f"the pinned spec is needed for the changelog: {exc}") from exc
            text = changelog(pinned, candidate.path, version, candidate)
            before, after = info_version(pinned), info_version(candidate.path)
            if after is not None and after != before:
                print(f"{version.name}: RENAMED upstream: info.version {before!r} -> {after!r}")
                title, _, rest = text.partition("\n\n")
                text = f"{title}\n\n{rename_section(version, before, after)}{rest}"
                renamed.append(version.name)
            print(text, end="" if text.endswith("\n") else "\n", flush=True)
            moved.append(version.name)
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                (out / f"{version.name}.md").write_text(text, encoding="utf-8")
            if do_apply:
                apply(version, candidate)
        try:
            new, others = new_versions(
                [*load_manifest(), *load_history()], Path(tmp), source=source, api=api, raw=raw, branch=branch
            )
        except WatchError as exc:  # the moves above stand; the listing is reported as not done
            print(f"spec-watch: could not look for new upstream versions: {exc}")
            new, others = [], []
        for item in new:
            print(f"{item.name}: NEW upstream version: descriptions/{item.directory} (no manifest entry)")
            print(item.body(), flush=True)
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                (out / f"new-{item.name}.md").write_text(item.body(), encoding="utf-8")
                (out / f"new-{item.name}.toml").write_text(item.entry(), encoding="utf-8")
        if others:
            print(f"spec-watch: {len(others)} older upstream version(s) not shipped: {', '.join(others)}")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "moved.json").write_text(json.dumps(moved) + "\n", encoding="utf-8")
        (out / "new.json").write_text(json.dumps([n.name for n in new]) + "\n", encoding="utf-8")
    print(
        f"spec-watch: {len(moved)} of {len(versions)} version(s) moved"
        + (f": {', '.join(moved)}" if moved else "")
        + (f"; renamed upstream: {', '.join(renamed)}" if renamed else "")
        + (f"; {len(new)} new upstream version(s): {', '.join(n.name for n in new)}" if new else "")
    )
    return 0


def add_new(entry_file: Path, manifest: Path = MANIFEST) -> str:
    """Append a ready entry (``DIR/new-<name>.toml`` from ``--out``) to the manifest; returns its name."""
    entry = entry_file.read_text(encoding="utf-8")
    match = re.match(r'\[versions\."([^"]+)"\]', entry)
    if not match:
        raise WatchError(f"{entry_file}: not a manifest entry")
    if any(v.name == match[1] for v in load_manifest(manifest)):
        raise WatchError(f"{match[1]} is in {manifest.name} already")
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.rstrip("\n") + "\n\n" + entry, encoding="utf-8")
    load_manifest(manifest)  # still valid
    return match[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen spec-watch", description=__doc__.split("\n")[0])
    parser.add_argument("versions", nargs="*", help="manifest versions to watch (default: all)")
    parser.add_argument("--apply", action="store_true", help="run `make update-spec` for each moved version")
    parser.add_argument("--from", dest="source", type=Path, help="directory of newer spec files (offline)")
    parser.add_argument("--out", type=Path, help="write <version>.md changelogs and moved.json here")
    parser.add_argument("--branch", help="upstream branch (default: the repository's default branch)")
    parser.add_argument(
        "--add-new",
        type=Path,
        metavar="FILE",
        help="append a ready entry (OUT/new-<name>.toml) to the manifest",
    )
    parser.add_argument("--api", default=API, help=argparse.SUPPRESS)
    parser.add_argument("--raw", default=RAW, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.add_new is not None:
            name = add_new(args.add_new)
            print(f"added [versions.{name!r}] to openapi/versions.toml: now `make generate VERSIONS={name}`")
            return 0
        if args.source is not None and not args.source.is_dir():
            parser.error(f"--from {args.source}: not a directory")
        versions = select(load_manifest(), args.versions)
        return watch(
            versions,
            source=args.source,
            do_apply=args.apply,
            out=args.out,
            api=args.api.rstrip("/"),
            raw=args.raw.rstrip("/"),
            branch=args.branch,
        )
    except (WatchError, ManifestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
