"""Summaries of samples and of replications: percentiles and confidence intervals."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Two-sided 95 % critical values of Student's t for 1..30 degrees of freedom.
_T975 = (
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
)
_Z975 = 1.959964


def t_critical(df: int) -> float:
    """The 97.5 % quantile of Student's t (for a two-sided 95 % interval)."""
    if df < 1:
        raise ValueError("a t interval needs at least two replications")
    if df <= len(_T975):
        return _T975[df - 1]
    # Cornish-Fisher expansion around the normal quantile; error below 1e-4 for df > 30.
    z = _Z975
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


@dataclass(frozen=True)
class Interval:
    mean: float
    half_width: float | None  # None with a single replication

    @property
    def low(self) -> float | None:
        return None if self.half_width is None else self.mean - self.half_width

    @property
    def high(self) -> float | None:
        return None if self.half_width is None else self.mean + self.half_width


def interval(values: Sequence[float]) -> Interval:
    """Mean of independent replications with its 95 % Student t half-width."""
    if not values:
        raise ValueError("no values")
    mean = math.fsum(values) / len(values)
    if len(values) < 2:
        return Interval(mean, None)
    sd = float(np.std(np.asarray(values, dtype=float), ddof=1))
    return Interval(mean, t_critical(len(values) - 1) * sd / math.sqrt(len(values)))


@dataclass(frozen=True)
class Stat:
    """Mean and percentiles of a time (seconds) or an amount; `ci` is the 95 %
    half-width of the mean over replications, when there are several."""

    mean: float | None
    p50: float | None
    p90: float | None
    p99: float | None
    max: float | None
    ci: float | None = None

    @classmethod
    def of(cls, values: np.ndarray) -> Stat:
        if values.size == 0:
            return EMPTY
        low, high = float(values.min()), float(values.max())
        if low == high:  # fixed durations and zero waits: no need to sort
            return cls(low, low, low, low, low)
        p50, p90, p99 = np.percentile(values, [50, 90, 99])
        return cls(float(values.mean()), float(p50), float(p90), float(p99), float(values.max()))

    @classmethod
    def average(cls, stats: Sequence[Stat]) -> Stat:
        """The mean of each field over the replications that saw any value."""
        seen = [s for s in stats if s.mean is not None]
        if not seen:
            return EMPTY
        means = interval([s.mean for s in seen if s.mean is not None])

        def avg(name: str) -> float:
            return math.fsum(getattr(s, name) for s in seen) / len(seen)

        return cls(means.mean, avg("p50"), avg("p90"), avg("p99"), max(s.max or 0.0 for s in seen), means.half_width)

    def to_dict(self) -> dict[str, float | None]:
        data = {"mean": self.mean, "p50": self.p50, "p90": self.p90, "p99": self.p99, "max": self.max}
        if self.ci is not None:
            data["ci95"] = self.ci
        return data


EMPTY = Stat(None, None, None, None, None)
