"""A new Intercom version is one manifest entry plus its spec file: proved end to end in a scratch copy.

The scratch copy (every file git tracks) gets one more ``[versions."2.99"]`` table, a pseudo-version
made of the real 2.11 revision ``history/2.11-54a014d.yaml``. Then, as a maintainer would:
``python -m codegen generate 2.99`` (only the new version is generated), a wheel is built, installed
into a fresh virtualenv, ``from intercom_ext import v2_99`` is imported from that install, and mypy
type-checks a call through it against the installed wheel (a right call passes, a wrong one is the
one error reported). Nothing else in the copy is edited.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from codegen.fetch import sha256_of, spec_dir
from codegen.manifest import ROOT

HISTORY = "history/2.11-54a014d.yaml"
ENTRY = """
[versions."2.99"]
package = "intercom_v2_99"
header = "2.11"
url = "https://raw.githubusercontent.com/intercom/Intercom-OpenAPI/54a014d1f65d30e1709c9f5c6807b3f3778f9f49/descriptions/2.11/api.intercom.io.yaml"
sha256 = "{sha}"
shared = "{shared}"
"""

USAGE = """\
from intercom_ext import v2_99

client = v2_99.Intercom(token="dG9r")
contact: v2_99.models.Contact = client.contacts.get("c-1")
reveal_type(client.contacts.get)
client.contacts.get(42)
"""


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{cmd}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def _scratch_copy(dest: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        src = ROOT / os.fsdecode(name)
        if src.is_file():
            (dest / os.fsdecode(name)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / os.fsdecode(name))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(scratch repo, python of a fresh venv with the scratch repo's wheel installed)."""
    tmp = tmp_path_factory.mktemp("new-version")
    repo = tmp / "repo"
    _scratch_copy(repo)
    shared = spec_dir()
    manifest = repo / "openapi" / "versions.toml"
    entry = ENTRY.format(sha=sha256_of(shared / HISTORY), shared=HISTORY)
    manifest.write_text(manifest.read_text() + entry)

    env = {**os.environ, "INTERCOM_SPEC_DIR": str(shared)}  # offline: the copy in ../shared
    out = _run([sys.executable, "-m", "codegen", "generate", "2.99"], repo, env)
    assert "2.99: operations 108/108," in out and out.count("warnings 0") == 1, out

    dist = tmp / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(repo)], tmp)
    (wheel,) = dist.glob("intercom_sdk-*.whl")
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp)
    python = venv / "bin" / "python"
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)], tmp
    )
    # The runtime dependencies (httpx, attrs, ...) come from this environment; intercom_ext does not
    # (only a .pth line: this environment's editable-install hook is not run there).
    purelib = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp).strip()
    )
    (purelib / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return repo, python


def test_the_new_version_is_importable_from_the_installed_wheel(installed: tuple[Path, Path]) -> None:
    repo, python = installed
    probe = (
        "import intercom_ext, intercom_v2_99\n"
        "from intercom_ext import v2_99\n"
        "from intercom_v2_99 import _metadata\n"
        "client = v2_99.Intercom(token='dG9r')\n"
        "print(intercom_ext.__file__, intercom_v2_99.__file__, sep='\\n')\n"
        "print(_metadata.API_VERSION, _metadata.VERSION_HEADER, len(intercom_v2_99.facade.OPERATIONS))\n"
        "print(type(client.contacts).__name__)\n"
    )
    lines = _run([str(python), "-I", "-c", probe], repo.parent).splitlines()
    venv = python.parent.parent
    assert all(Path(p).is_relative_to(venv) for p in lines[:2]), lines  # the wheel, not a checkout
    assert lines[2:] == ["2.99 2.11 108", "ContactsResource"]


def test_everything_that_lists_versions_lists_the_new_one(installed: tuple[Path, Path]) -> None:
    repo, _ = installed
    shim = (repo / "intercom_ext" / "v2_99.py").read_text()
    assert "from intercom_v2_99.facade import AsyncIntercom, Intercom, models" in shim
    assert '"intercom_v2_99*"' in (repo / "pyproject.toml").read_text()
    assert "| `intercom_ext.v2_99` | `intercom_v2_99` | 2.99 | `2.11` |" in (repo / "README.md").read_text()
    packages = _run([sys.executable, "-m", "codegen", "packages"], repo).split()
    assert packages[-2:] == ["-p", "intercom_v2_99"]
    stale = "from codegen import derived, manifest; print(derived.check(manifest.load_manifest()))"
    assert _run([sys.executable, "-c", stale], repo).strip() == "[]"


def test_mypy_sees_the_new_version_through_intercom_ext(installed: tuple[Path, Path]) -> None:
    repo, python = installed
    work = repo.parent / "usage"
    work.mkdir(exist_ok=True)
    (work / "usage.py").write_text(USAGE)
    mypy = Path(sys.executable).parent / "mypy"
    done = subprocess.run(
        [str(mypy), "--strict", "--no-incremental", "--python-executable", str(python), "usage.py"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("usage.py:")]
    assert len(lines) == 2, done.stdout + done.stderr
    assert lines[0].startswith("usage.py:5: note: Revealed type is") and "intercom_v2_99.models" in lines[0]
    assert lines[1].startswith("usage.py:6: error: Argument 1 to") and "[arg-type]" in lines[1], lines
    assert done.returncode == 1


def test_the_shims_are_what_the_manifest_gives() -> None:
    """In this checkout: the version modules, pyproject lists and README table are current."""
    from codegen import derived
    from codegen.manifest import load_manifest

    assert derived.check(load_manifest()) == []
    names = {p.stem for p in (ROOT / "intercom_ext").glob("*.py") if p.read_text().startswith(derived.MARK)}
    aliases = {module for v in load_manifest() for module in v.alias_modules.values()}
    assert names == {v.module for v in load_manifest()} | aliases | {"_versions"}
    assert "unstable" in aliases  # Preview's earlier name (openapi/versions.toml)
