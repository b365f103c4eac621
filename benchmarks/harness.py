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


@dataclass
class Result:
    name: str
    median: float
    best: float
    target: float | None
    samples: list[float]

    @property
    def ok(self) -> bool:
        return self.target is None or self.median <= self.target

    def line(self) -> str:
        target = f"  target < {self.target:g} s  {'OK' if self.ok else 'MISSED'}" if self.target else ""
        return f"{self.name:<58} median {self.median:8.4f} s  best {self.best:8.4f} s  (n={len(self.samples)}){target}"


def measure(bench: Benchmark) -> Result:
    state = bench.setup()
    for _ in range(bench.warmup):
        bench.run(state)
    samples = []
    for _ in range(bench.repeat):
        gc.collect()
        start = time.perf_counter()
        bench.run(state)
        samples.append(time.perf_counter() - start)
    return Result(bench.name, statistics.median(samples), min(samples), bench.target, samples)
