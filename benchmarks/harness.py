"""A tiny benchmark harness: each `benchmarks/bench_*.py` module exposes
`BENCHMARKS`, a list of `Benchmark`; `make bench` runs them all and prints
medians against their targets. Targets are reported, never asserted in tests."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


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

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline.median <= 0:
            return None
        return self.median / self.baseline.median

    @property
    def ok(self) -> bool:
        timed = self.target is None or self.median <= self.target
        if self.ratio is None or self.ratio_target is None:
            return timed
        if self.higher_is_better:  # ratio of times: the baseline's time over ours
            return timed and 1 / self.ratio >= self.ratio_target
        return timed and self.ratio <= self.ratio_target

    def line(self) -> str:
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
        return line


def _sample(bench: Benchmark, state: Any) -> float:
    gc.collect()
    start = time.perf_counter()
    bench.run(state)
    return time.perf_counter() - start


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
    )
