"""Metrics: the numbers a blueprint answers for, per step, per stage and in total.

    from stageline.analysis.metrics import metrics
    m = metrics(bp)
    m.totals.customer_time       # seconds the customer spends, against m.totals.tolerance
    m.headline()                 # flat numbers for diffs and dashboards

docs/metrics.md defines every number and the rule behind it.
"""

from stageline.analysis.metrics.compute import metrics
from stageline.analysis.metrics.results import (
    CriticalPath,
    Dependency,
    EmotionPoint,
    FailPointEntry,
    Handoffs,
    Metrics,
    PathCard,
    Responsibility,
    StageMetrics,
    StepMetrics,
    Totals,
)

__all__ = [
    "CriticalPath",
    "Dependency",
    "EmotionPoint",
    "FailPointEntry",
    "Handoffs",
    "Metrics",
    "PathCard",
    "Responsibility",
    "StageMetrics",
    "StepMetrics",
    "Totals",
    "metrics",
]
