"""When customers arrive: a Poisson process, constant or piecewise constant by
clock time (a schedule repeats every day).

Arrival times are the unit-rate Poisson process mapped through the inverse of
the cumulative arrival intensity, which is exact for piecewise-constant rates
and draws the same random numbers whatever the rates, for common random numbers.
"""

from __future__ import annotations

import math

import numpy as np

from stageline.analysis.simulation.clock import DAY
from stageline.analysis.simulation.scenario import ArrivalPlan, Scenario

_BLOCK = 8192


def arrival_times(
    plan: ArrivalPlan, start: float, customers: int | None, horizon: float | None, rng: np.random.Generator
) -> np.ndarray:
    """Arrival times in seconds since the start; stops at `customers` or at `horizon`, whichever comes first."""
    intensity = _Intensity(plan, start)
    limit = intensity.cumulative(horizon) if horizon is not None else math.inf
    wanted = customers if customers is not None else math.inf
    blocks: list[np.ndarray] = []
    total, last = 0, 0.0
    while total < wanted and last <= limit:
        block = last + np.cumsum(rng.standard_exponential(_BLOCK))
        blocks.append(block)
        total += _BLOCK
        last = float(block[-1])
    unit = np.concatenate(blocks) if blocks else np.zeros(0)
    unit = unit[unit <= limit]
    if customers is not None:
        unit = unit[:customers]
    return intensity.invert(unit)


class _Intensity:
    """The cumulative number of expected arrivals Λ(t) and its inverse."""

    def __init__(self, plan: ArrivalPlan, start: float) -> None:
        self.rate = plan.rate
        self.start = start
        if plan.schedule:
            clocks = [(clock - start) % DAY for clock, _ in plan.schedule]
            ordered = sorted(zip(clocks, (rate for _, rate in plan.schedule), strict=True))
            self.offsets = np.array([offset for offset, _ in ordered])
            self.rates = np.array([rate for _, rate in ordered])
            widths = np.diff(np.append(self.offsets, DAY))
            # A schedule that does not begin at the start of the day carries
            # the last rate of the previous day until its first time.
            if self.offsets[0] > 0:
                self.offsets = np.insert(self.offsets, 0, 0.0)
                self.rates = np.insert(self.rates, 0, self.rates[-1])
                widths = np.diff(np.append(self.offsets, DAY))
            self.widths = widths
            self.per_day = float(np.sum(self.rates * widths))

    def cumulative(self, t: float) -> float:
        if self.rate is not None:
            return self.rate * t
        days, rest = divmod(t, DAY)
        covered = np.clip(rest - self.offsets, 0.0, self.widths)
        return days * self.per_day + float(np.sum(self.rates * covered))

    def invert(self, unit: np.ndarray) -> np.ndarray:
        if self.rate is not None:
            return unit / self.rate
        if unit.size == 0:
            return unit
        days = int(unit[-1] // self.per_day) + 2
        starts = (np.arange(days)[:, None] * DAY + self.offsets[None, :]).ravel()
        rates = np.tile(self.rates, days)
        masses = np.tile(self.rates * self.widths, days)
        before = np.concatenate(([0.0], np.cumsum(masses)[:-1]))
        # The segment k with before[k] < u <= before[k + 1]; a segment with
        # zero rate has no such u, so no arrival falls while nobody comes.
        segment = np.maximum(np.searchsorted(before, unit, side="left") - 1, 0)
        return starts[segment] + (unit - before[segment]) / rates[segment]


def expected_arrivals(scenario: Scenario) -> float:
    """How many customers a run is expected to admit (for progress bars)."""
    if scenario.horizon is None:
        return float(scenario.customers or 0)
    expected = _Intensity(scenario.arrivals, scenario.start).cumulative(scenario.horizon)
    return min(expected, scenario.customers) if scenario.customers is not None else expected
