"""The built distributions (``dist/``, ``make dist``): their contents, and the wheel in a fresh venv.

Marker ``dist``: ``make dist`` runs this after ``python -m build`` and ``twine check --strict``.
The wheel is installed into a new virtualenv, offline (its dependencies come from
``build/wheelhouse``, which ``make dist`` fills with ``pip wheel``), and the README quickstart runs
with that venv's Python from a temporary directory outside the repository, against FakeIntercom
(run by this test, as for ``tests/test_readme.py``); a project with only that venv gets the
``intercom_fake`` fixture.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

from codegen.manifest import load_manifest
from intercom_ext.testing import FakeIntercom
from tests.test_readme import CONTACTS, REQUEST_ID, quickstart

pytestmark = pytest.mark.dist

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
WHEELHOUSE = ROOT / "build" / "wheelhouse"
VERSION = "0.1.0"
# Every version in openapi/versions.toml ships in the one distribution.
GENERATED = {v.package for v in load_manifest()}


def _one(pattern: str) -> Path:
    found = sorted(DIST.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in dist/ (run `make dist`), found {found}"
    return found[0]


def test_sdist_contents_are_intentional() -> None:
    with tarfile.open(_one("intercom_sdk-*.tar.gz")) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    top = {n.split("/", 1)[0] for n in names}
    assert top == {
        "PKG-INFO", "README.md", "LICENSE", "CHANGELOG.md", "MANIFEST.in", "pyproject.toml", "setup.cfg",
        "intercom_ext", "generated", "intercom_sdk.egg-info",
    }  # fmt: skip
    assert not any(n.startswith(("tests", "codegen", "benchmarks", "docs", "examples")) for n in names)
    assert not any(n.endswith((".pyc", "/__pycache__")) for n in names)
    assert {f"generated/{p}/facade.py" for p in GENERATED} <= names


def test_wheel_has_the_packages_the_license_and_the_metadata() -> None:
    with zipfile.ZipFile(_one("intercom_sdk-*-py3-none-any.whl")) as whl:
        names = set(whl.namelist())
        metadata = whl.read(f"intercom_sdk-{VERSION}.dist-info/METADATA").decode()
    packages = {"intercom_ext"} | GENERATED
    assert {n.split("/", 1)[0] for n in names} == packages | {f"intercom_sdk-{VERSION}.dist-info"}
    assert f"intercom_sdk-{VERSION}.dist-info/licenses/LICENSE" in names
    assert "intercom_ext/py.typed" in names
    for needle in ("License-Expression: MIT", "Requires-Python: >=3.10", "Classifier: Typing :: Typed",
                   "Keywords: intercom", "Author: The intercom-sdk authors", "Project-URL: ",
                   "Description-Content-Type: text/markdown", "pip install intercom-sdk"):  # fmt: skip
        assert needle in metadata, needle


CLEAN = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the wheel (and pytest, for the plugin test), installed offline."""
    wheel = _one("intercom_sdk-*-py3-none-any.whl")
    env_dir = tmp_path_factory.mktemp("dist") / "venv"
    venv.create(env_dir, with_pip=True)
    subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "--no-index", "--find-links", str(WHEELHOUSE), str(wheel), "pytest"],
        check=True, env=CLEAN, timeout=600,
    )  # fmt: skip
    return env_dir


def test_wheel_runs_the_readme_quickstart_outside_the_repository(installed: Path, tmp_path: Path) -> None:
    env_dir = installed
    python = env_dir / "bin" / "python"
    clean = CLEAN
    work = tmp_path / "outside"
    work.mkdir()
    script = work / "quickstart.py"
    # The quickstart as written; only the regions are pointed at the fake first (the
    # README test does the same), so nothing leaves the machine whatever the environment says.
    script.write_text(
        textwrap.dedent(
            """\
            import sys
            from intercom_ext import _regions
            _regions.REGIONS = dict.fromkeys(_regions.REGIONS, sys.argv[1])
            import intercom_ext
            print("from", intercom_ext.__file__)
            """
        )
        + quickstart()
        + textwrap.dedent(
            """
            from intercom_ext import preview, unstable, v2_16
            for module in (preview, unstable, v2_16):
                facade = sys.modules[module.Intercom.__module__]
                header = module.Intercom(token="placeholder-token").version_header
                print("version", module.__name__, header, len(facade.OPERATIONS))
            print("alias", unstable.Intercom is preview.Intercom)
            """
        ),
        encoding="utf-8",
    )
    with FakeIntercom(version="2.11") as fake:
        fake.seed(contacts=CONTACTS)
        url = fake.url
        env = {**clean, "INTERCOM_ACCESS_TOKEN": "placeholder-token-for-loopback"}
        env.pop("INTERCOM_BASE_URL", None)
        env.pop("INTERCOM_REGION", None)
        done = subprocess.run(
            [str(python), "-I", str(script), url],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("from " + str(env_dir)) and str(ROOT) not in lines[0]  # the installed copy
    assert "c-1 user1@example.com" in lines and "c-5 user5@example.com" in lines
    not_found = re.escape("[('not_found', 'User Not Found: does-not-exist')]")
    assert any(re.fullmatch(f"404 {REQUEST_ID} {not_found}", line) for line in lines)
    # the beta channel as Preview (256 operations), its alias, and 2.16 (231), from the installed wheel
    assert "version intercom_ext.preview Preview 256" in lines
    assert "version intercom_ext.unstable Preview 256" in lines and "alias True" in lines
    assert "version intercom_ext.v2_16 2.16 231" in lines
    assert sys.version_info >= (3, 10)


def test_the_wheels_pytest_plugin_gives_a_fresh_project_the_fake(installed: Path, tmp_path: Path) -> None:
    """TESTKIT: a project that only installed the wheel gets the intercom_fake fixtures."""
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """\
            from intercom_ext import v2_16


            def test_signup(intercom_fake):
                client = v2_16.Intercom(token="t", base_url=intercom_fake.url)
                client.contacts.create(email="ada@example.com")
                assert [r.operation for r in intercom_fake.requests] == ["contacts.create"]
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [str(installed / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
        cwd=tmp_path,
        env=CLEAN,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
