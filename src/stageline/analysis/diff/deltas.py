"""Headline numbers before and after, from the metrics and checks engines."""

from __future__ import annotations

from collections import Counter
from typing import Any

from stageline.analysis.checks import check
from stageline.analysis.diff.result import Direction, MetricDelta
from stageline.analysis.metrics import metrics
from stageline.model import Blueprint

SEVERITIES = ("error", "warning", "info")

# Which way is good, by the words in a metric's name. Less time, cost, risk,
# handoffs and findings is better (Shostack 1984: execution time against the
# customer's tolerance; service FMEA: severity × likelihood). Moments of
# truth are neither: each is a chance to win or lose the customer.
_LOWER_IS_BETTER = ("time", "wait", "duration", "cost", "risk", "handoff", "fail", "finding", "over_tolerance", "pain")
_HIGHER_IS_BETTER = ("margin", "slack", "emotion", "recovered", "coverage", "with_recovery", "profit")
_NEUTRAL = ("moments_of_truth", "moment", "cards", "steps", "stages", "count_")


# The metrics engine's headline numbers (`Metrics.headline()`), by name.
_KNOWN: dict[str, tuple[Direction | None, str]] = {
    "customer_time": ("lower", "seconds"),
    "elapsed_time": ("lower", "seconds"),
    "wait_time": ("lower", "seconds"),
    "backstage_time": ("lower", "seconds"),
    "critical_path_time": ("lower", "seconds"),
    "tolerance_margin": ("higher", "seconds"),
    "cost": ("lower", "money"),
    "steps": (None, "count"),
    "cards": (None, "count"),
    "moments_of_truth": (None, "count"),
    "handoffs": ("lower", "count"),
    "fail_points": ("lower", "count"),
    "fail_point_risk": ("lower", "number"),
    "fail_points_without_recovery": ("lower", "count"),
    "pain_points": ("lower", "count"),
    "single_points_of_failure": ("lower", "count"),
    "findings_error": ("lower", "count"),
    "findings_warning": ("lower", "count"),
    "findings_info": ("lower", "count"),
    "emotion_mean": ("higher", "number"),
    "emotion_min": ("higher", "number"),
}


def direction(name: str) -> Direction | None:
    if name in _KNOWN:
        return _KNOWN[name][0]
    words = name.lower().replace("-", "_").replace(" ", "_")
    if any(word in words for word in _NEUTRAL):
        return None
    if any(word in words for word in _HIGHER_IS_BETTER):
        return "higher"
    if any(word in words for word in _LOWER_IS_BETTER):
        return "lower"
    return None


def unit(name: str) -> Any:
    if name in _KNOWN:
        return _KNOWN[name][1]
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
    """The metrics engine's headline numbers."""
    numbers = metrics(bp).headline()
    return {name: float(value) for name, value in numbers.items() if value is not None}


def findings(bp: Blueprint) -> dict[str, float]:
    """Check findings counted by severity."""
    counts = Counter(str(getattr(f.severity, "value", f.severity)) for f in check(bp))
    return {f"findings_{severity}": float(counts.get(severity, 0)) for severity in SEVERITIES}


def metric_deltas(old: Blueprint, new: Blueprint) -> list[MetricDelta]:
    before, after = headline(old), headline(new)
    if not any(name.startswith("findings_") for name in (*before, *after)):
        # The metrics engine counts findings itself; without it, ask the checks.
        before, after = {**before, **findings(old)}, {**after, **findings(new)}
    names = [*before, *(key for key in after if key not in before)]
    return [MetricDelta(name, before.get(name), after.get(name), direction(name), unit(name)) for name in names]
