"""``intercom-sdk``: export resources to JSON Lines / CSV, and call any operation.

::

    intercom-sdk export contacts --version 2.11 [--region eu | --base-url URL] [--since DATE]
                 --out contacts.jsonl [--format csv --fields id,email] [--concurrency 8]
    intercom-sdk call contacts get contact_id=abc --version 2.11
    intercom-sdk call contacts list per_page:=2 max_items:=5

The token comes from ``$INTERCOM_ACCESS_TOKEN`` or ``--token-file`` (never a flag: flags land in
shell history). ``export`` writes one ``to_dict()`` per line and keeps a checkpoint beside the output
(``FILE.state``): a run that is killed and started again with the same arguments resumes, and the
file ends with every item exactly once. A progress line is drawn on a TTY (items, rate, ETA from the
server's ``total_count``), plain log lines are written otherwise (both on stderr).

``call`` arguments: ``key=value`` passes a string, ``key:=json`` a JSON value (numbers, booleans,
objects). The operation is looked up in the version's ``OPERATIONS`` table; a list operation prints
a JSON array of its items (bound it with ``max_items:=N``), any other prints its JSON result.

Exit codes: 0 done; 1 API error (the message names the status and the request id); 2 usage.
"""

from __future__ import annotations

import argparse
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
from ._constants import ENV_ACCESS_TOKEN
from ._exceptions import IntercomConfigError, IntercomError

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
STATE_FORMAT = 1


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


def _jsonable(value: Any) -> Any:
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    return value


def _dumps(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


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


def _state_path(out: Path) -> Path:
    return out.with_name(out.name + ".state")


def _write_state(path: Path, state: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(state, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _row(item: dict[str, Any], fields: list[str]) -> list[str]:
    row = []
    for name in fields:
        value = item.get(name)
        if value is None:
            row.append("")
        elif isinstance(value, (dict, list)):
            row.append(_dumps(value))
        else:
            row.append(str(value))
    return row


def _export(args: argparse.Namespace) -> int:
    fields = [f.strip() for f in args.fields.split(",") if f.strip()] if args.fields else None
    if args.format == "csv" and not fields:
        raise UsageError("--format csv needs --fields (the columns)")
    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    if args.since is not None and args.resource == "companies":
        raise UsageError("--since does not apply to companies (the scroll exports them all)")
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
    state_path = _state_path(out)
    previous: dict[str, Any] | None = None
    if state_path.exists():
        try:
            previous = json.loads(state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise UsageError(f"{state_path} is unreadable; delete it to start over") from None
        if previous.get("args") != identity:
            raise UsageError(
                f"{state_path} belongs to an export with other arguments; delete it to start over"
            )
        if previous.get("complete"):
            previous = None  # the last run finished: this is a new export

    resource = getattr(client, args.resource)
    options: dict[str, Any] = {}
    if args.resource != "companies":
        options = {"updated_since": since, "concurrency": args.concurrency}
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
            _write_state(state_path, state)

        checkpoint()
        last = time.monotonic()
        try:
            for item in export:
                data = _jsonable(item)
                if writer is not None and fields is not None:
                    writer.writerow(_row(data, fields))
                else:
                    if fields:
                        data = {name: data.get(name) for name in fields}
                    text.write(_dumps(data) + "\n")
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
        try:
            result = method(**kwargs)
            if paged:
                result = [_jsonable(item) for item in result]
        except TypeError as exc:
            raise UsageError(f"{args.resource} {args.verb}: {exc}") from None
    print(_dumps(_jsonable(result)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
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
