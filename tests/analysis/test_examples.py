"""The example blueprints are what people copy: they must check clean of errors."""

from __future__ import annotations

import stageline
from conftest import EXAMPLES
from stageline.analysis.checks import Severity, check
from stageline.analysis.metrics import metrics


def test_examples_have_no_errors_and_measure() -> None:
    paths = sorted(EXAMPLES.glob("*.yaml"))
    assert paths, "examples/*.yaml should exist"
    for path in paths:
        bp = stageline.load(path)
        errors = [f"{f.rule} {f.message}" for f in check(bp) if f.severity is Severity.ERROR]
        assert errors == [], path.name
        m = metrics(bp)
        assert m.totals.cards > 0 and m.totals.customer_time > 0, path.name
