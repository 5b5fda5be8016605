"""``intercom-sdk``: export resources to JSON Lines / CSV, and call any operation.

::

    intercom-sdk export contacts --version 2.11 [--region eu | --base-url URL] [--since DATE]
                 --out contacts.jsonl [--format csv --fields id,email] [--concurrency 8]
    intercom-sdk call contacts get contact_id=abc --version 2.11
    intercom-sdk call contacts list per_page:=2 max_items:=5
    intercom-sdk mock [--version 2.11] [--port 4010] [--rate-limit 100/10] [--seed N]

The token comes from ``$INTERCOM_ACCESS_TOKEN`` or ``--token-file`` (never a flag: flags land in
shell history). ``export`` writes one ``to_dict()`` per line and keeps a checkpoint beside the output
(``FILE.state``): a run that is killed and started again with the same arguments resumes, and the
file ends with every item exactly once. A progress line is drawn on a TTY (items, rate, ETA from the
server's ``total_count``), plain log lines are written otherwise (both on stderr).

``call`` arguments: ``key=value`` passes a string, ``key:=json`` a JSON value (numbers, booleans,
objects). The operation is looked up in the version's ``OPERATIONS`` table; a list operation prints
a JSON array of its items (bound it with ``max_items:=N``), any other prints its JSON result.

``mock`` serves :class:`intercom_ext.testing.FakeIntercom` (a stateful fake Intercom) on loopback
until interrupted and prints the two ``export`` lines that point the SDK (and this command) at it.

Exit codes: 0 done; 1 API error (the message names the status and the request id); 2 usage.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from . import _versions
from ._constants import ENV_ACCESS_TOKEN, ENV_BASE_URL
from ._exceptions import IntercomConfigError, IntercomError
from ._export_file import STATE_FORMAT, dumps, jsonable, state_path, write_state

__all__ = ["main"]

#: ``--version`` value -> module under ``intercom_ext``, from the manifest (``_versions.py`` is generated);
#: an alias (``unstable``) names its version's module (``preview``).
_MODULES = {v.name: v.module for v in _versions.VERSIONS}
VERSIONS = {v.name.lower(): v.module for v in _versions.VERSIONS} | {
    a.name.lower(): _MODULES[a.version] for a in _versions.ALIASES
}
EXPORTABLE = ("contacts", "companies", "conversations", "tickets")
#: How often the checkpoint is written (seconds), at the latest.
CHECKPOINT_SECONDS = 1.0


class UsageError(Exception):
    """Bad arguments: exit code 2."""


def _parser() -> argparse.ArgumentParser:
    # No abbreviations: ``--token SECRET`` must be an error, not ``--token-file SECRET``.
    parser = argparse.ArgumentParser(
        prog="intercom-sdk", description="Intercom REST API from the command line.", allow_abbrev=False
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--version", default="2.11", choices=sorted(VERSIONS), help="API version (default 2.11)"
        )
        where = p.add_mutually_exclusive_group()
        where.add_argument(
            "--region", choices=["us", "eu", "au"], help="Intercom region (default $INTERCOM_REGION or us)"
        )
        where.add_argument("--base-url", help="another server (a mock)")
        p.add_argument(
            "--token-file", type=Path, help=f"file holding the access token (default ${ENV_ACCESS_TOKEN})"
        )
        p.add_argument("--max-requests-per-minute", type=float, help="a rate ceiling of your own")

    export = sub.add_parser("export", help="export every item of a resource", allow_abbrev=False)
    export.add_argument("resource", choices=EXPORTABLE)
    common(export)
    export.add_argument("--since", help="only items updated at or after this date / ISO time / epoch")
    export.add_argument("--out", required=True, type=Path, help="output file (.jsonl or .csv)")
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("--fields", help="comma-separated top-level fields (csv: the columns)")
    export.add_argument("--concurrency", type=int, default=8, help="concurrent searches (default 8)")

    call = sub.add_parser("call", help="call one operation and print its JSON result", allow_abbrev=False)
    call.add_argument("resource")
    call.add_argument("verb")
    call.add_argument("params", nargs="*", help="key=string or key:=json")
    common(call)

    mock = sub.add_parser(
        "mock", help="serve a stateful fake Intercom on loopback until interrupted", allow_abbrev=False
    )
    mock.add_argument(
        "--version", default="2.11", choices=sorted(VERSIONS), help="API version (default 2.11)"
    )
    mock.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    mock.add_argument("--port", type=int, default=4010, help="port (default 4010; 0 picks a free one)")
    mock.add_argument(
        "--rate-limit", help="LIMIT/SECONDS: answer 429 past LIMIT requests a window, e.g. 100/10"
    )
    mock.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="N",
        help="start with N contacts (and companies, conversations, tickets)",
    )
    return parser


def _token(args: argparse.Namespace) -> str:
    if args.token_file is not None:
        try:
            token = str(args.token_file.read_text(encoding="utf-8")).strip()
        except OSError as exc:
            raise UsageError(f"cannot read --token-file: {exc.strerror}") from None
        if not token:
            raise UsageError("--token-file is empty")
        return token
    token = str(os.environ.get(ENV_ACCESS_TOKEN, "")).strip()
    if not token:
        raise UsageError(f"no access token: set {ENV_ACCESS_TOKEN} or pass --token-file")
    return token


def _client(args: argparse.Namespace) -> Any:
    import importlib

    module = importlib.import_module(f"intercom_ext.{VERSIONS[args.version]}")
    try:
        return module.Intercom(
            token=_token(args),
            region=args.region,
            base_url=args.base_url,
            max_requests_per_minute=args.max_requests_per_minute,
        )
    except IntercomConfigError as exc:
        raise UsageError(str(exc)) from None


# -- export -----------------------------------------------------------------------------------------


class _Progress:
    """A redrawn line on a TTY, a log line every few seconds otherwise (stderr)."""

    def __init__(self, resource: str, stream: IO[str]) -> None:
        self.resource = resource
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, done: int, total: int | None, *, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        if total and total >= done:
            eta = (total - done) / rate if rate > 0 else 0.0
            share = done / total
            bar = "#" * int(share * 30)
            text = f"{self.resource}: [{bar:<30}] {done}/{total} {rate:,.0f}/s ETA {eta:,.0f}s"
        else:
            text = f"{self.resource}: {done} {rate:,.0f}/s"
        if self.tty:
            self.stream.write("\r" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def _row(item: dict[str, Any], fields: list[str]) -> list[str]:
    row = []
    for name in fields:
        value = item.get(name)
        if value is None:
            row.append("")
        elif isinstance(value, (dict, list)):
            row.append(dumps(value))
        else:
            row.append(str(value))
    return row


def _export(args: argparse.Namespace) -> int:
    fields = [f.strip() for f in args.fields.split(",") if f.strip()] if args.fields else None
    if args.format == "csv" and not fields:
        raise UsageError("--format csv needs --fields (the columns)")
    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    from ._export import to_epoch

    try:
        since = to_epoch(args.since)
    except (TypeError, ValueError):
        raise UsageError(f"--since: not a date, ISO time or epoch seconds: {args.since!r}") from None
    client = _client(args)
    identity = {
        "resource": args.resource,
        "version": args.version,
        "base_url": client.base_url,
        "since": since,
        "format": args.format,
        "fields": fields,
    }
    out: Path = args.out
    state_file = state_path(out)
    previous: dict[str, Any] | None = None
    if state_file.exists():
        try:
            previous = json.loads(state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise UsageError(f"{state_file} is unreadable; delete it to start over") from None
        if previous.get("args") != identity:
            raise UsageError(
                f"{state_file} belongs to an export with other arguments; delete it to start over"
            )
        if previous.get("complete"):
            previous = None  # the last run finished: this is a new export

    resource = getattr(client, args.resource)
    options: dict[str, Any] = {"updated_since": since, "concurrency": args.concurrency}
    if previous is not None:
        options["resume"] = previous["checkpoint"]
        offset = int(previous["offset"])
        total = previous.get("total")
        mode = "r+b" if out.exists() else "wb"
        log = f"resuming: {previous['checkpoint'].get('yielded', 0)} {args.resource} already in {out}"
        print(log, file=sys.stderr)
    else:
        offset, total, mode = 0, None, "wb"
    export = resource.export(**options)
    progress = _Progress(args.resource, sys.stderr)

    with client, open(out, mode) as raw:
        raw.seek(offset)
        raw.truncate()
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(text) if args.format == "csv" else None
        if writer is not None and offset == 0 and fields is not None:
            writer.writerow(fields)

        def checkpoint(complete: bool = False) -> None:
            text.flush()
            raw.flush()
            os.fsync(raw.fileno())
            state = {
                "format": STATE_FORMAT,
                "args": identity,
                "offset": raw.tell(),
                "total": total if total is not None else export.total_count,
                "checkpoint": export.checkpoint(),
                "complete": complete,
            }
            write_state(state_file, state)

        checkpoint()
        last = time.monotonic()
        try:
            for item in export:
                data = jsonable(item)
                if writer is not None and fields is not None:
                    writer.writerow(_row(data, fields))
                else:
                    if fields:
                        data = {name: data.get(name) for name in fields}
                    text.write(dumps(data) + "\n")
                if total is None and export.total_count is not None:
                    total = export.total_count
                progress.update(export.yielded, total)
                now = time.monotonic()
                if now - last >= CHECKPOINT_SECONDS:
                    checkpoint()
                    last = now
        except BaseException:
            export.close()
            raise
        checkpoint(complete=True)
        text.detach()
    progress.update(export.yielded, max(total or 0, export.yielded), final=True)
    print(f"exported {export.yielded} {args.resource} to {out}", file=sys.stderr)
    return 0


# -- call -------------------------------------------------------------------------------------------


def _call(args: argparse.Namespace) -> int:
    import importlib

    facade = importlib.import_module(f"intercom_{VERSIONS[args.version]}.facade")
    operations = {(op.resource, op.verb): op for op in facade.OPERATIONS}
    if (args.resource, args.verb) not in operations:
        verbs = sorted(v for r, v in operations if r == args.resource)
        hint = f"; {args.resource} has: {', '.join(verbs)}" if verbs else ""
        raise UsageError(f"no operation {args.resource} {args.verb} in API {args.version}{hint}")
    kwargs: dict[str, Any] = {}
    for param in args.params:
        if ":=" in param and param.index(":=") < param.index("=") + 1:
            key, value = param.split(":=", 1)
            try:
                kwargs[key] = json.loads(value)
            except ValueError:
                raise UsageError(f"{key}:= needs a JSON value, got {value!r}") from None
        elif "=" in param:
            key, value = param.split("=", 1)
            kwargs[key] = value
        else:
            raise UsageError(f"arguments are key=value or key:=json, got {param!r}")
    client = _client(args)
    with client:
        method = getattr(getattr(client, args.resource), args.verb)
        paged = operations[(args.resource, args.verb)].style is not None
        import inspect

        positional = [  # path ids a body field shares the name of are positional-only
            kwargs.pop(p.name)
            for p in inspect.signature(method).parameters.values()
            if p.kind is p.POSITIONAL_ONLY and p.name in kwargs
        ]
        try:
            result = method(*positional, **kwargs)
            if paged:
                result = [jsonable(item) for item in result]
        except (TypeError, ValueError) as exc:  # refused before sending: RequestValidationError, ...
            raise UsageError(f"{args.resource} {args.verb}: {exc}") from None
    print(dumps(jsonable(result)))
    return 0


# -- mock -------------------------------------------------------------------------------------------

#: The token ``mock`` suggests (the fake takes any non-empty bearer token).
MOCK_TOKEN = "fake-token"


def _rate_limit(text: str | None) -> tuple[int, float] | None:
    if text is None:
        return None
    limit, _, seconds = text.partition("/")
    try:
        parsed = (int(limit), float(seconds))
    except ValueError:
        raise UsageError(f"--rate-limit is LIMIT/SECONDS (e.g. 100/10), got {text!r}") from None
    if parsed[0] < 1 or parsed[1] <= 0:
        raise UsageError("--rate-limit needs LIMIT >= 1 and SECONDS > 0")
    return parsed


def _mock(args: argparse.Namespace, wait: Any = None) -> int:
    from .testing import FakeIntercom

    if args.seed < 0:
        raise UsageError("--seed must be >= 0")
    fake = FakeIntercom(args.version, host=args.host, port=args.port, rate_limit=_rate_limit(args.rate_limit))
    try:
        fake.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    n = args.seed
    fake.seed(contacts=n, companies=(n + 9) // 10, conversations=n // 5, tickets=n // 10)
    with fake:
        print(f"FakeIntercom (API {fake.version}) serving on {fake.url}; Ctrl-C stops it. To use it:")
        print(f"  export {ENV_BASE_URL}={fake.url}")
        print(f"  export {ENV_ACCESS_TOKEN}={MOCK_TOKEN}")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            (wait or _forever)()
    print("intercom-sdk: mock stopped", file=sys.stderr)
    return 0


def _forever() -> None:
    while True:
        time.sleep(3600)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "mock":
            return _mock(args)
        return _export(args) if args.command == "export" else _call(args)
    except UsageError as exc:
        print(f"intercom-sdk: error: {exc}", file=sys.stderr)
        return 2
    except IntercomError as exc:
        print(f"intercom-sdk: API error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("intercom-sdk: interrupted (run the same command again to resume)", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
