"""What a spec diff produces: a flat list of classified changes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    """Every kind of change the differ reports. The value is the word used in the changelog."""

    OPERATION_ADDED = "operation added"
    OPERATION_REMOVED = "operation removed"
    OPERATION_RENAMED = "operationId changed"
    OPERATION_RETAGGED = "tags changed"
    OPERATION_DEPRECATED = "deprecated"
    PARAMETER_ADDED = "parameter added"
    PARAMETER_REMOVED = "parameter removed"
    PARAMETER_RENAMED = "path parameter renamed"
    PARAMETER_REQUIRED_CHANGED = "parameter required changed"
    PARAMETER_TYPE_CHANGED = "parameter type changed"
    REQUEST_BODY_ADDED = "request body added"
    REQUEST_BODY_REMOVED = "request body removed"
    REQUEST_BODY_CHANGED = "request body changed"
    RESPONSE_ADDED = "response added"
    RESPONSE_REMOVED = "response removed"
    RESPONSE_CHANGED = "response changed"
    SCHEMA_ADDED = "schema added"
    SCHEMA_REMOVED = "schema removed"
    SCHEMA_TYPE_CHANGED = "schema type changed"
    PROPERTY_ADDED = "property added"
    PROPERTY_REMOVED = "property removed"
    PROPERTY_TYPE_CHANGED = "property type changed"
    PROPERTY_REQUIRED_CHANGED = "property required changed"
    PROPERTY_NULLABLE_CHANGED = "property nullable changed"
    ENUM_VALUE_ADDED = "enum value added"
    ENUM_VALUE_REMOVED = "enum value removed"


# Summary buckets, in display order.
CATEGORIES: dict[str, tuple[Kind, ...]] = {
    "operations": (
        Kind.OPERATION_ADDED,
        Kind.OPERATION_REMOVED,
        Kind.OPERATION_RENAMED,
        Kind.OPERATION_RETAGGED,
        Kind.OPERATION_DEPRECATED,
    ),
    "parameters": (
        Kind.PARAMETER_ADDED,
        Kind.PARAMETER_REMOVED,
        Kind.PARAMETER_RENAMED,
        Kind.PARAMETER_REQUIRED_CHANGED,
        Kind.PARAMETER_TYPE_CHANGED,
    ),
    "request bodies": (Kind.REQUEST_BODY_ADDED, Kind.REQUEST_BODY_REMOVED, Kind.REQUEST_BODY_CHANGED),
    "responses": (Kind.RESPONSE_ADDED, Kind.RESPONSE_REMOVED, Kind.RESPONSE_CHANGED),
    "schemas": (Kind.SCHEMA_ADDED, Kind.SCHEMA_REMOVED, Kind.SCHEMA_TYPE_CHANGED),
    "properties": (
        Kind.PROPERTY_ADDED,
        Kind.PROPERTY_REMOVED,
        Kind.PROPERTY_TYPE_CHANGED,
        Kind.PROPERTY_REQUIRED_CHANGED,
        Kind.PROPERTY_NULLABLE_CHANGED,
    ),
    "enum values": (Kind.ENUM_VALUE_ADDED, Kind.ENUM_VALUE_REMOVED),
}
CATEGORY_OF: dict[Kind, str] = {k: cat for cat, kinds in CATEGORIES.items() for k in kinds}


@dataclass(frozen=True)
class Change:
    """One change, as seen by a user of the generated SDK.

    ``subject`` is the operation (``GET /contacts/{contact_id}``) or component schema (``contact``)
    the change belongs to; ``where`` narrows it down inside the subject (``query parameter
    `per_page```, ``property `location.city```, ``response 200``) and is empty for the subject
    itself; ``name`` is the bare parameter/property/enum value/schema name, for tests and tools.
    """

    kind: Kind
    breaking: bool
    subject: str
    detail: str
    where: str = ""
    name: str = ""
    old: str | None = None
    new: str | None = None
    resource: str = ""
    # Several changes of one subject with the same ``group`` are rendered on one line:
    # "<group>: <item>, <item>, ...".
    group: str = ""
    item: str = ""

    @property
    def is_operation(self) -> bool:
        return " " in self.subject and self.subject.split(" ", 1)[0].isupper()


@dataclass
class Changelog:
    old_title: str = ""
    new_title: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    @property
    def non_breaking(self) -> list[Change]:
        return [c for c in self.changes if not c.breaking]

    def find(self, kind: Kind | None = None, **attrs: object) -> list[Change]:
        """Changes of ``kind`` whose attributes equal ``attrs`` (e.g. ``subject="contact"``)."""
        return [
            c
            for c in self.changes
            if (kind is None or c.kind is kind) and all(getattr(c, k) == v for k, v in attrs.items())
        ]

    def counts(self) -> Counter[Kind]:
        return Counter(c.kind for c in self.changes)

    def summary_line(self) -> str:
        """One line: totals, then per-category counts (``+added -removed ~changed``)."""
        counts = self.counts()
        parts = []
        for category, kinds in CATEGORIES.items():
            added = sum(counts[k] for k in kinds if k.name.endswith("_ADDED"))
            removed = sum(counts[k] for k in kinds if k.name.endswith("_REMOVED"))
            changed = sum(counts[k] for k in kinds) - added - removed
            if added or removed or changed:
                bits = [
                    f"+{added}" if added else "",
                    f"-{removed}" if removed else "",
                    f"~{changed}" if changed else "",
                ]
                parts.append(f"{category} {' '.join(b for b in bits if b)}")
        ops = len({c.subject for c in self.changes if c.is_operation})
        head = f"{len(self.breaking)} breaking, {len(self.non_breaking)} non-breaking changes"
        head += f" in {ops} operation{'s' if ops != 1 else ''}"
        head += f" and {len({c.subject for c in self.changes if not c.is_operation})} schemas"
        return head + (f" ({'; '.join(parts)})" if parts else "")
