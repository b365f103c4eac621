"""Headline numbers before and after, and which way is better."""

from __future__ import annotations

import pytest

from helpers.blueprints import small_blueprint
from stageline.analysis.diff import MetricDelta, diff
from stageline.analysis.diff.deltas import direction
from stageline.model import FailPoint
from stageline.model.operations import SetProperty, apply_all


def test_time_cost_and_risk_deltas_follow_the_edit() -> None:
    old = small_blueprint()
    new = old.copy_deep()
    apply_all(
        new,
        [
            SetProperty(target="check-in.customer", field="wait", value="10m"),  # was 8m
            SetProperty(target="registration", field="cost", value=5),
            SetProperty(
                target="registration", field="fail", value=FailPoint(text="Room not ready", severity=2, likelihood=2)
            ),
        ],
    )
    result = diff(old, new)
    wait, customer, cost, risk = (result.metric(n) for n in ("wait_time", "customer_time", "cost", "fail_point_risk"))
    assert wait is not None and (wait.old, wait.new, wait.delta) == (480.0, 600.0, 120.0)
    assert customer is not None and customer.delta == 120.0 and customer.verdict == "worse"
    assert cost is not None and (cost.old, cost.new, cost.verdict) == (0.0, 5.0, "worse")
    assert risk is not None and (risk.old, risk.new, risk.verdict) == (8.0, 4.0, "better")
    assert result.to_json()["metrics"]["wait_time"] == [480.0, 600.0]


def test_findings_are_counted_by_severity() -> None:
    result = diff(small_blueprint(), small_blueprint())
    names = {m.name for m in result.metrics}
    assert {"findings_error", "findings_warning", "findings_info"} <= names
    assert all(m.verdict == "same" for m in result.metrics)


def test_without_metrics_nothing_is_computed() -> None:
    assert diff(small_blueprint(), small_blueprint(), metrics=False).metrics == []


@pytest.mark.parametrize(
    ("name", "better"),
    [
        ("customer_time", "lower"), ("cost", "lower"), ("fail_point_risk", "lower"), ("handoffs", "lower"),
        ("findings_error", "lower"), ("tolerance_margin", "higher"), ("emotion_mean", "higher"),
        ("moments_of_truth", None), ("cards", None), ("average_wait_seconds", "lower"), ("mystery", None),
    ],
)  # fmt: skip
def test_which_way_is_better(name: str, better: str | None) -> None:
    assert direction(name) == better


def test_verdicts() -> None:
    assert MetricDelta("cost", 10, 8, "lower").verdict == "better"
    assert MetricDelta("cost", 8, 10, "lower").verdict == "worse"
    assert MetricDelta("emotion_mean", 0, 1, "higher").verdict == "better"
    assert MetricDelta("cards", 3, 4, None).verdict == "neutral"
    assert MetricDelta("cost", 3, 3, "lower").verdict == "same"
    assert MetricDelta("tolerance_margin", None, 3, "higher").verdict == "neutral"
