"""Words and numbers for people: field values, metric values, the one-line verdict."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from stageline.analysis.diff.fields import DURATION_FIELDS
from stageline.model.quantities import format_rate, humanize_duration

if TYPE_CHECKING:
    from stageline.analysis.diff.result import BlueprintDiff, MetricDelta

_RATE_FIELDS = frozenset({"rate"})


def field_value(name: str, value: Any, *, inner: bool = False) -> str:
    """A field's value as a person would write it: durations as `1h 30m`, text quoted,
    lists as `a, b`, mappings as `capacity: 2, hours: 09:00-17:00` (never raw JSON)."""
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(field_value(name, item, inner=True) for item in value) if value else "none"
    if isinstance(value, dict):
        parts = [f"{key}: {field_value(f'{name}.{key}', item, inner=True)}" for key, item in value.items()]
        return ", ".join(parts) if parts else "none"
    if isinstance(value, str) and inner:
        return value
    last = name.rsplit(".", 1)[-1]
    if last in DURATION_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return humanize_duration(float(value))
    if last in _RATE_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_rate(float(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def metric_value(delta: MetricDelta, value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    sign = ("+" if value > 0 else "−" if value < 0 else "±") if signed else ("−" if value < 0 else "")
    magnitude = abs(value)
    if delta.unit == "seconds":
        return f"{sign}{humanize_duration(magnitude)}"
    if delta.unit == "ratio":
        return f"{sign}{magnitude * 100:.0f}%"
    if delta.unit == "money" or not float(magnitude).is_integer():
        return f"{sign}{magnitude:,.2f}"
    return f"{sign}{magnitude:,.0f}"


def metric_title(name: str) -> str:
    """`customer_time` → `Customer time`, `findings.error` → `Findings: error`."""
    head, _, tail = name.partition(".")
    words = head.replace("_", " ").replace("-", " ").strip()
    title = words[:1].upper() + words[1:]
    return f"{title}: {tail}" if tail else title


def verdict(result: BlueprintDiff) -> str:
    """`7 changes (2 added, 1 removed, 3 changed, 1 moved); 3 metrics better, 1 worse.`"""
    if not result:
        return "No differences."
    counts = result.counts
    total = sum(counts.values())
    parts = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
    line = f"{total} change{'s' if total != 1 else ''} ({parts})"
    better = sum(m.verdict == "better" for m in result.metrics)
    worse = sum(m.verdict == "worse" for m in result.metrics)
    if better or worse:
        scores = [f"{better} metric{'s' if better != 1 else ''} better"] if better else []
        scores += [f"{worse} worse" if better else f"{worse} metric{'s' if worse != 1 else ''} worse"] if worse else []
        line += "; " + ", ".join(scores)
    elif result.metrics:
        line += "; headline metrics unchanged"
    return line + "."
