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
from codegen.manifest import ROOT, ManifestError, Version, load_manifest, select

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
    query = {"path": pin.path, "per_page": "1"} | ({"sha": branch} if branch else {})
    url = f"{api}/repos/{pin.owner}/{pin.repo}/commits?{urllib.parse.urlencode(query)}"
    commits = json.loads(_get(url))
    if not isinstance(commits, list) or not commits or "sha" not in commits[0]:
        raise WatchError(f"{version.name}: {url} lists no commit touching {pin.path}")
    ref = str(commits[0]["sha"])
    file_url = f"{raw}/{pin.owner}/{pin.repo}/{ref}/{pin.path}"
    dest.write_bytes(_get(file_url))
    return Candidate(dest, ref, file_url)


def from_dir(version: Version, directory: Path) -> Candidate | None:
    """``DIR/<name>-<commit>.yaml`` (newest by name if several) or ``DIR/<name>/api.intercom.io.yaml``."""
    found = sorted(p for p in directory.glob(f"{version.name}-*") if p.suffix in (".yaml", ".yml", ".json"))
    if found:
        path = found[-1]
        ref = path.stem[len(version.name) + 1 :]
        return Candidate(path, ref if re.fullmatch(r"[0-9a-f]{7,40}", ref) else None, str(path))
    nested = directory / version.name / "api.intercom.io.yaml"
    return Candidate(nested, None, str(nested)) if nested.is_file() else None


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
            print(text, end="" if text.endswith("\n") else "\n", flush=True)
            moved.append(version.name)
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                (out / f"{version.name}.md").write_text(text, encoding="utf-8")
            if do_apply:
                apply(version, candidate)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "moved.json").write_text(json.dumps(moved) + "\n", encoding="utf-8")
    print(
        f"spec-watch: {len(moved)} of {len(versions)} version(s) moved"
        + (f": {', '.join(moved)}" if moved else "")
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen spec-watch", description=__doc__.split("\n")[0])
    parser.add_argument("versions", nargs="*", help="manifest versions to watch (default: all)")
    parser.add_argument("--apply", action="store_true", help="run `make update-spec` for each moved version")
    parser.add_argument("--from", dest="source", type=Path, help="directory of newer spec files (offline)")
    parser.add_argument("--out", type=Path, help="write <version>.md changelogs and moved.json here")
    parser.add_argument("--branch", help="upstream branch (default: the repository's default branch)")
    parser.add_argument("--api", default=API, help=argparse.SUPPRESS)
    parser.add_argument("--raw", default=RAW, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
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
