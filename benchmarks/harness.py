"""A tiny benchmark harness: each `benchmarks/bench_*.py` module exposes
`BENCHMARKS`, a list of `Benchmark`; `make bench` runs them all, printing a
line for each as it finishes, then one table of every figure: its median, its
target, the baseline measured beside it, the ratio and whether the target is
met. Targets are reported, never asserted in tests."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import statistics
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class Benchmark:
    name: str
    run: Callable[[Any], object]
    setup: Callable[[], Any] = lambda: None
    target: float | None = None  # seconds; None means "report only"
    repeat: int = 7
    warmup: int = 1
    unit: str = "s"
    extra: dict[str, str] = field(default_factory=dict)
    # A side-by-side figure: `baseline` is measured in the same run, its samples
    # interleaved with these (so a busy machine slows both alike), and the result
    # is the ratio of the medians, with `ratio` as its target (at most, or at least
    # when `higher_is_better`, e.g. throughput measured as time per request).
    baseline: Benchmark | None = None
    ratio: float | None = None
    higher_is_better: bool = False
    # Why there is no baseline to measure here (e.g. "dot not installed"): shown in its place.
    baseline_missing: str | None = None
    # `run` returns the figure itself, in seconds (a latency percentile of a load
    # test, say), rather than being timed.
    returns_figure: bool = False


@dataclass
class Result:
    name: str
    median: float
    best: float
    target: float | None
    samples: list[float]
    baseline: Result | None = None
    ratio_target: float | None = None
    higher_is_better: bool = False
    baseline_missing: str | None = None
    error: str | None = None  # the benchmark could not run: why

    @classmethod
    def failed(cls, bench: Benchmark, error: BaseException) -> Result:
        message = f"{type(error).__name__}: {error}".strip().splitlines()[0][:120]
        return cls(bench.name, float("nan"), float("nan"), bench.target, [], error=message)

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline.median <= 0:
            return None
        return self.median / self.baseline.median

    @property
    def ok(self) -> bool:
        if self.error is not None:
            return False
        timed = self.target is None or self.median <= self.target
        if self.ratio is None or self.ratio_target is None:
            return timed
        if self.higher_is_better:  # ratio of times: the baseline's time over ours
            return timed and 1 / self.ratio >= self.ratio_target
        return timed and self.ratio <= self.ratio_target

    def line(self) -> str:
        if self.error is not None:
            return f"{self.name:<58} could not run: {self.error}"
        target = f"  target < {self.target:g} s  {'OK' if self.ok else 'MISSED'}" if self.target else ""
        line = f"{self.name:<58} median {self.median:8.4f} s  best {self.best:8.4f} s  (n={len(self.samples)}){target}"
        if self.baseline is not None and self.ratio is not None:
            if self.higher_is_better:
                figure = f"{100 / self.ratio:.0f} % of"
                goal = f"target >= {100 * self.ratio_target:.0f} %" if self.ratio_target else ""
            else:
                figure = f"{self.ratio:.2f}x"
                goal = f"target <= {self.ratio_target:g}x" if self.ratio_target else ""
            verdict = f"  {goal}  {'OK' if self.ok else 'MISSED'}" if goal else ""
            line += f"\n{'':<4}{figure} {self.baseline.name} (median {self.baseline.median:.4f} s, same run){verdict}"
        elif self.baseline_missing:
            line += f"\n{'':<4}baseline n/a ({self.baseline_missing})"
        return line

    @property
    def has_target(self) -> bool:
        return self.target is not None or (self.ratio_target is not None and self.ratio is not None)

    def row(self) -> tuple[str, str, str, str, str, str]:
        """name, median, target, baseline, ratio, verdict: this result's row of `table`."""
        if self.error is not None:
            return (self.name, "-", self._target_text(), "-", "-", f"could not run: {self.error}")
        baseline = "-"
        ratio = "-"
        if self.baseline is not None:
            baseline = f"{_seconds(self.baseline.median)} ({self.baseline.name})"
            if self.ratio is not None:
                ratio = f"{100 / self.ratio:.0f} % of its rate" if self.higher_is_better else f"{self.ratio:.2f}x"
        elif self.baseline_missing:
            baseline = ratio = f"n/a ({self.baseline_missing})"
        verdict = ("met" if self.ok else "not met") if self.has_target else "report only"
        return (self.name, _seconds(self.median), self._target_text(), baseline, ratio, verdict)

    def _target_text(self) -> str:
        parts = []
        if self.target is not None:
            parts.append(f"< {_seconds(self.target)}")
        if self.ratio_target is not None:
            if self.higher_is_better:
                parts.append(f">= {100 * self.ratio_target:.0f} % of baseline's rate")
            else:
                parts.append(f"<= {self.ratio_target:g}x baseline")
        return ", ".join(parts) or "-"


def _seconds(value: float) -> str:
    if value != value:  # nan
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


HEADINGS = ("benchmark", "median", "target", "baseline (median, same run)", "ratio", "verdict")


def table(results: list[Result]) -> str:
    """Every result as one plain-text table, columns aligned."""
    rows = [HEADINGS, *(result.row() for result in results)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADINGS))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine `make()` returns to its end on an event loop of its own, in a
    thread of its own: a benchmark before may have left a loop running in this thread
    (Playwright's sync API does)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def _sample(bench: Benchmark, state: Any) -> float:
    gc.collect()
    start = time.perf_counter()
    figure = bench.run(state)
    took = time.perf_counter() - start
    return float(figure) if bench.returns_figure else took  # type: ignore[arg-type]


def measure(bench: Benchmark) -> Result:
    state = bench.setup()
    base = bench.baseline
    base_state = base.setup() if base is not None else None
    for _ in range(bench.warmup):
        bench.run(state)
        if base is not None:
            base.run(base_state)
    samples: list[float] = []
    base_samples: list[float] = []
    for _ in range(bench.repeat):
        if base is not None:
            base_samples.append(_sample(base, base_state))
        samples.append(_sample(bench, state))
    baseline = None
    if base is not None:
        baseline = Result(base.name, statistics.median(base_samples), min(base_samples), None, base_samples)
    return Result(
        bench.name,
        statistics.median(samples),
        min(samples),
        bench.target,
        samples,
        baseline,
        bench.ratio,
        bench.higher_is_better,
        bench.baseline_missing if base is None else None,
    )
