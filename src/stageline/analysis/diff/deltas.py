"""Headline numbers before and after, from the metrics and checks engines."""

from __future__ import annotations

from collections import Counter
from typing import Any

from stageline.analysis.diff.result import Direction, MetricDelta
from stageline.model import Blueprint

SEVERITIES = ("error", "warning", "info")

# Which way is good, by the words in a metric's name. Less time, cost, risk,
# handoffs and findings is better (Shostack 1984: execution time against the
# customer's tolerance; service FMEA: severity × likelihood). Moments of
# truth are neither: each is a chance to win or lose the customer.
_LOWER_IS_BETTER = ("time", "wait", "duration", "cost", "risk", "handoff", "fail", "finding", "over_tolerance", "pain")
_HIGHER_IS_BETTER = ("margin", "slack", "emotion", "recovered", "coverage", "with_recovery", "profit")
_NEUTRAL = ("moments_of_truth", "moment", "cards", "steps", "stages", "count_")


def direction(name: str) -> Direction | None:
    words = name.lower().replace("-", "_").replace(" ", "_")
    if any(word in words for word in _NEUTRAL):
        return None
    if any(word in words for word in _HIGHER_IS_BETTER):
        return "higher"
    if any(word in words for word in _LOWER_IS_BETTER):
        return "lower"
    return None


def unit(name: str) -> Any:
    words = name.lower()
    if any(word in words for word in ("time", "wait", "duration", "seconds", "tolerance", "margin")):
        return "seconds"
    if "cost" in words or "profit" in words:
        return "money"
    if any(word in words for word in ("share", "ratio", "rate", "fraction")):
        return "ratio"
    if any(word in words for word in ("count", "handoff", "moments", "finding", "fail_points", "steps", "cards")):
        return "count"
    return "number"


def headline(bp: Blueprint) -> dict[str, float]:
    """The metrics engine's headline numbers, or nothing if it is not installed."""
    try:
        from stageline.analysis.metrics import metrics
    except ImportError:
        return {}
    numbers = metrics(bp).headline()
    return {name: float(value) for name, value in numbers.items() if value is not None}


def findings(bp: Blueprint) -> dict[str, float]:
    """Check findings counted by severity, or nothing if checks are not installed."""
    try:
        from stageline.analysis.checks import check
    except ImportError:
        return {}
    counts = Counter(str(getattr(f.severity, "value", f.severity)) for f in check(bp))
    return {f"findings.{severity}": float(counts.get(severity, 0)) for severity in SEVERITIES}


def metric_deltas(old: Blueprint, new: Blueprint) -> list[MetricDelta]:
    deltas: list[MetricDelta] = []
    for before, after in ((headline(old), headline(new)), (findings(old), findings(new))):
        for name in [*before, *(key for key in after if key not in before)]:
            deltas.append(MetricDelta(name, before.get(name), after.get(name), direction(name), unit(name)))
    return deltas
