"""Checks and metrics on a large blueprint: 1,000 cards and 2,000 links in under 0.5 s."""

from __future__ import annotations

from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark
from stageline.analysis.checks import check
from stageline.analysis.metrics import metrics
from stageline.model import Blueprint


def _large() -> Blueprint:
    return generate_blueprint(cards=1000, links=2000, seed=0)


def _check_and_metrics(bp: Blueprint) -> object:
    return check(bp), metrics(bp)


BENCHMARKS = [
    Benchmark("analysis: check + metrics, 1,000 cards / 2,000 links", _check_and_metrics, setup=_large, target=0.5),
    Benchmark("analysis: check, 1,000 cards / 2,000 links", check, setup=_large),
    Benchmark("analysis: metrics (with its checks), 1,000 cards / 2,000 links", metrics, setup=_large),
]
