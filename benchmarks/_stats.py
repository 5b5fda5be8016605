"""Alternating measurement and the summaries the report prints."""

from __future__ import annotations

import gc
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass
class Series:
    """Repeated measurements of one quantity (seconds, bytes...)."""

    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)


def alternate(
    contenders: Mapping[str, Callable[[], float]], reps: int, *, collect: bool = True
) -> dict[str, Series]:
    """Run every contender once per repetition, rotating the order each time (no contender always
    runs first or right after another one). Each callable returns the quantity it measured."""
    names = list(contenders)
    out = {name: Series() for name in names}
    for rep in range(reps):
        order = names[rep % len(names) :] + names[: rep % len(names)]
        for name in order:
            if collect:
                gc.collect()  # every contender starts from the same heap state
            out[name].values.append(contenders[name]())
    return out


def ratio(ours: Series, base: Series) -> Series:
    """Per-repetition ratios (the two were measured back to back in each repetition)."""
    return Series([a / b for a, b in zip(ours.values, base.values, strict=True)])


TIMES = "\u00d7"  # the multiplication sign, for ratios
DASH = "\u2013"  # an en dash, for ranges


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.1f} ms" if seconds >= 0.01 else f"{seconds * 1000:.2f} ms"


def fmt_series(s: Series, unit: Callable[[float], str] = fmt_time) -> str:
    return f"{unit(s.median)} [{unit(s.low)}{DASH}{unit(s.high)}]"


def fmt_ratio(s: Series) -> str:
    return f"{s.median:.2f}{TIMES} [{s.low:.2f}{DASH}{s.high:.2f}]"
