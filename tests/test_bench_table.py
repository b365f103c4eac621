"""`make bench` ends with one table of every benchmark: its median, target,
baseline, ratio and whether the target is met."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("benchmarks_harness", ROOT / "benchmarks" / "harness.py")
assert _spec is not None and _spec.loader is not None
harness = importlib.util.module_from_spec(_spec)
sys.modules["benchmarks_harness"] = harness  # its dataclasses look their module up
_spec.loader.exec_module(harness)


def _result(name: str, median: float, **fields: object) -> object:
    return harness.Result(name, median, median, fields.pop("target", None), [median], **fields)


def test_every_result_is_a_row_with_its_target_baseline_ratio_and_verdict() -> None:
    me = _result("GET /api/me", 0.010)
    rows = [
        _result("fast enough", 0.05, target=0.1, baseline=me),
        _result("too slow", 0.5, target=0.1),
        _result("within 3x", 0.02, baseline=me, ratio_target=3.0),
        _result("render", 0.8, target=1.0, baseline_missing="dot not installed"),
        _result("throughput", 0.02, baseline=me, ratio_target=0.5, higher_is_better=True),
        _result("figure", 1.5),
        harness.Result.failed(harness.Benchmark("broken", lambda _: None, target=0.1), RuntimeError("no browser")),
    ]
    lines = harness.table(rows).splitlines()
    assert lines[0].split() == [
        "benchmark",
        "median",
        "target",
        "baseline",
        "(median,",
        "same",
        "run)",
        "ratio",
        "verdict",
    ]
    assert set(lines[1]) == {"-", " "}
    cells = {row[0]: row[1:] for row in (re.split(r" {2,}", line) for line in lines[2:])}
    assert cells["fast enough"] == ["50.0 ms", "< 100.0 ms", "10.0 ms (GET /api/me)", "5.00x", "met"]
    assert cells["too slow"] == ["500.0 ms", "< 100.0 ms", "-", "-", "not met"]
    assert cells["within 3x"] == ["20.0 ms", "<= 3x baseline", "10.0 ms (GET /api/me)", "2.00x", "met"]
    assert cells["render"] == ["800.0 ms", "< 1.00 s", "n/a (dot not installed)", "n/a (dot not installed)", "met"]
    assert cells["throughput"] == [
        "20.0 ms",
        ">= 50 % of baseline's rate",
        "10.0 ms (GET /api/me)",
        "50 % of its rate",
        "met",
    ]
    assert cells["figure"] == ["1.50 s", "-", "-", "-", "report only"]
    assert cells["broken"] == ["-", "< 100.0 ms", "-", "-", "could not run: RuntimeError: no browser"]
    # Columns line up: each row's verdict starts under the heading.
    column = lines[0].index("verdict")
    assert all(line[column:].startswith(("met", "not met", "report only", "could not run")) for line in lines[2:])


def test_a_benchmark_that_returns_its_figure_is_measured_by_it_not_by_the_clock() -> None:
    """A load test reports its p99 against the target, not how long the load ran."""
    p99s = iter([0.8, 1.2, 0.9])
    bench = harness.Benchmark("load p99", lambda _: next(p99s), target=1.0, repeat=3, warmup=0, returns_figure=True)
    result = harness.measure(bench)
    assert result.samples == [0.8, 1.2, 0.9]
    assert result.median == 0.9 and result.ok
    timed = harness.measure(harness.Benchmark("timed", lambda _: 5.0, target=1.0, repeat=3, warmup=0))
    assert max(timed.samples) < 1.0 and timed.ok  # the returned value is ignored when timed
