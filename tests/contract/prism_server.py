"""Start and stop Stoplight Prism mock servers on loopback, one per API version.

Prism (pinned in ``package.json``, installed by ``make install`` with ``npm ci``) mocks the API from
GEN's *repaired* spec (``build/specs/<version>.json``, what the packages were generated from) and,
with ``--errors``, answers 422 to any request that violates it.

Guarantees:

- it only ever listens on ``127.0.0.1``, on a port the OS reported free;
- the repaired spec is (re)written from the pinned upstream spec with ``codegen``'s own repair rules
  when it is missing or stale, so a fresh clone works without ``make generate``; the upstream spec
  comes from the verified cache or the offline copy in ``../shared/openapi``, never the network;
- every Prism runs in its own process group and is stopped on :meth:`PrismServer.stop`, at interpreter
  exit (``atexit``), on SIGTERM/SIGHUP of this process (turned into ``KeyboardInterrupt``, like Ctrl-C)
  and, as a last resort, when this process dies (Linux ``PR_SET_PDEATHSIG``).

Command line (``make demo``)::

    python tests/contract/prism_server.py 2.11 -- python examples/tour.py

starts Prism for 2.11, runs the command with ``INTERCOM_BASE_URL`` set to it and stops Prism.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
for _p in (ROOT, ROOT / "generated"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from codegen.fetch import DEFAULT_SHARED_DIR, SpecFetchError, fetch  # noqa: E402
from codegen.load import load_spec  # noqa: E402
from codegen.manifest import Version, load_manifest  # noqa: E402
from codegen.repairs import repair  # noqa: E402
from intercom_ext.testing import free_port  # noqa: E402

PRISM_BIN = ROOT / "node_modules" / ".bin" / "prism"
LOG_DIR = ROOT / "build" / "contract"
HOST = "127.0.0.1"
#: Prism needs ~5 s for Unstable on the 2-core development machine; leave a wide margin.
START_TIMEOUT = float(os.environ.get("PRISM_START_TIMEOUT", "120"))


class PrismError(RuntimeError):
    """Prism is not installed, did not start, or died."""


def version_named(name: str) -> Version:
    versions = {v.name: v for v in load_manifest()}
    if name not in versions:
        raise PrismError(f"unknown version {name!r}; known: {', '.join(versions)}")
    return versions[name]


def contract_versions() -> list[Version]:
    """The manifest's versions, limited by ``$CONTRACT_VERSIONS`` (space/comma separated) when set."""
    versions = load_manifest()
    wanted = os.environ.get("CONTRACT_VERSIONS", "").replace(",", " ").split()
    unknown = sorted(set(wanted) - {v.name for v in versions})
    if unknown:
        raise PrismError(f"CONTRACT_VERSIONS: unknown version(s) {', '.join(unknown)}")
    return [v for v in versions if not wanted or v.name in wanted]


# -- the repaired spec ------------------------------------------------------------------------------


def _fetch_offline_first(version: Version) -> Path:
    """``codegen.fetch`` without the network: the verified cache, else the offline copy.

    ``INTERCOM_SPEC_DIR`` (set or defaulted to ``../shared/openapi``) makes ``fetch`` skip the
    download, so preparing a spec never leaves the machine; a missing copy is a clear error.
    """
    if "INTERCOM_SPEC_DIR" in os.environ:
        return fetch(version, log=False)
    os.environ["INTERCOM_SPEC_DIR"] = str(DEFAULT_SHARED_DIR)
    try:
        return fetch(version, log=False)
    finally:
        del os.environ["INTERCOM_SPEC_DIR"]


_spec_lock = threading.Lock()


@functools.cache
def repaired_spec_file(version: Version) -> Path:
    """``build/specs/<version>.json`` as ``make generate`` writes it, rewritten when missing or stale.

    The text is produced exactly like ``codegen.pipeline`` does (same repair rules, same
    ``json.dumps`` settings as ``codegen.write_spec``); writing is atomic, so a concurrent
    ``make generate`` writing the same bytes cannot leave a torn file behind. Done once per process.
    """
    with _spec_lock:  # repair() is pure Python: threads would only contend for the GIL
        spec = load_spec(_fetch_offline_first(version))
        repair(spec)
    text = json.dumps(spec, indent=1, ensure_ascii=False) + "\n"
    dest = version.repaired_path
    if dest.is_file() and dest.read_text(encoding="utf-8") == text:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, dest)
    return dest


# -- process management -----------------------------------------------------------------------------

_LIVE: set[PrismServer] = set()
_LIVE_LOCK = threading.Lock()


def _stop_all() -> None:
    with _LIVE_LOCK:
        servers = list(_LIVE)
    for server in servers:
        server.stop()


atexit.register(_stop_all)


def _load_prctl() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()  # looked up here: the child must not load libraries between fork and exec


def _set_pdeathsig() -> None:
    """In the child between fork and exec: receive SIGTERM when the parent (this Python) dies."""
    _PRCTL(1, int(signal.SIGTERM))  # 1 = PR_SET_PDEATHSIG


class PrismServer:
    """One ``prism mock --errors`` process for one version, on ``127.0.0.1:<free port>``."""

    def __init__(self, version: Version, *, errors: bool = True, seed: str | None = None) -> None:
        self.version = version
        self.errors = errors
        self.seed = seed  # makes ``Prefer: dynamic=true`` answers deterministic (cassette recording)
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = LOG_DIR / f"prism-{version.name}.log"
        self.startup_seconds = 0.0
        self._began = 0.0
        self._spec = version.repaired_path

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __repr__(self) -> str:
        return f"<PrismServer {self.version.name} {self.base_url if self.port else '(stopped)'}>"

    # ---------------------------------------------------------------------------------------------
    def start(self, timeout: float = START_TIMEOUT) -> PrismServer:
        """Prepare the spec, spawn Prism and wait until it answers."""
        began = time.monotonic()
        self.spawn()
        self.wait_ready(began + timeout)
        return self

    def spawn(self) -> None:
        if not PRISM_BIN.exists():
            raise PrismError(f"{PRISM_BIN.relative_to(ROOT)} is missing: run `make install` (npm ci)")
        self._began = time.monotonic()
        try:
            self._spec = repaired_spec_file(self.version)
        except SpecFetchError as exc:
            raise PrismError(str(exc)) from exc
        self._spawn(self._spec)

    def wait_ready(self, deadline: float) -> None:
        """Wait until Prism answers; a port lost to another process between probe and bind is retried."""
        for attempt in range(3):
            try:
                self._wait_ready(deadline)
            except PrismError as exc:
                self.stop()
                if "EADDRINUSE" in str(exc) and attempt < 2 and time.monotonic() < deadline:
                    self._spawn(self._spec)
                    continue
                raise
            self.startup_seconds = time.monotonic() - self._began
            return

    def _spawn(self, spec: Path) -> None:
        self.port = free_port(HOST)
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        cmd = [str(PRISM_BIN), "mock", "-h", HOST, "-p", str(self.port)]
        if self.errors:
            cmd.append("--errors")
        if self.seed is not None:
            cmd += ["--seed", self.seed]
        cmd.append(str(spec))
        env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0", "SCARF_ANALYTICS": "false"}
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                cmd,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # own process group: stop() kills Prism and anything it forked
                preexec_fn=_set_pdeathsig if _PRCTL is not None else None,
            )
        with _LIVE_LOCK:
            _LIVE.add(self)

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _wait_ready(self, deadline: float) -> None:
        """Until Prism answers HTTP on its port (any status: an unauthenticated probe gets 401/404)."""
        assert self.proc is not None
        while True:
            if self.proc.poll() is not None:
                raise PrismError(
                    f"Prism for {self.version.name} exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.base_url}/__prism_ready_probe", timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # it answered
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise PrismError(
                    f"Prism for {self.version.name} did not answer on {self.base_url} in time:\n"
                    f"{self.log_tail()}"
                )
            time.sleep(0.1)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        with _LIVE_LOCK:
            _LIVE.discard(self)
        if proc is None or proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def __enter__(self) -> PrismServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_all(
    names: Iterable[str], timeout: float = START_TIMEOUT, *, seed: str | None = None
) -> dict[str, PrismServer]:
    """Start one Prism per version, all at once (spawned from this thread, then awaited together);
    on any failure stop those already started."""
    deadline = time.monotonic() + timeout
    servers = {name: PrismServer(version_named(name), seed=seed) for name in dict.fromkeys(names)}
    try:
        for server in servers.values():
            server.spawn()
        for server in servers.values():
            server.wait_ready(deadline)
    except BaseException:
        for server in servers.values():
            server.stop()
        raise
    return servers


@contextlib.contextmanager
def signals_raise_system_exit() -> Iterator[None]:
    """SIGTERM/SIGHUP -> ``KeyboardInterrupt`` while inside (what Ctrl-C raises): pytest stops the
    session and runs its finalizers, ``finally`` blocks stop Prism."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) in (signal.SIG_DFL, None):
                previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--" not in args or args.index("--") != 1 or len(args) < 3:
        print("usage: prism_server.py VERSION -- COMMAND [ARG ...]", file=sys.stderr)
        return 2
    name, command = args[0], args[2:]
    with signals_raise_system_exit():
        try:
            server = PrismServer(version_named(name)).start()
        except PrismError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        try:
            print(f"Prism {name} mock listening on {server.base_url} ({server.startup_seconds:.1f} s)")
            env = {**os.environ, "INTERCOM_BASE_URL": server.base_url, "INTERCOM_VERSION": name}
            return subprocess.call(command, env=env)
        except KeyboardInterrupt:
            return 130
        finally:
            server.stop()


def load_repaired_spec(version: Version) -> dict[str, Any]:
    """The repaired spec Prism serves, as dicts."""
    return _load(repaired_spec_file(version))


@functools.cache
def _load(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


if __name__ == "__main__":
    sys.exit(main())
