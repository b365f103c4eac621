"""Discrete-event simulation of a blueprint: where does the service break under load?

    report = simulate(bp, customers=5000, replications=5, what_if=["Front desk clerk=+1"])
    report.bottlenecks[0].explanation
    report.to_json()

The model of the service is explained in docs/simulation.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from stageline.analysis.simulation.arrivals import expected_arrivals
from stageline.analysis.simulation.clock import format_clock
from stageline.analysis.simulation.engine import run_once
from stageline.analysis.simulation.errors import SimulationError
from stageline.analysis.simulation.report import (
    Bottleneck,
    CardResult,
    CustomerResult,
    Delta,
    Outcome,
    ResourceResult,
    RunSummary,
    Settings,
    SimulationReport,
    Variant,
    deltas,
    outcome,
    summarise,
)
from stageline.analysis.simulation.scenario import Scenario, compile_scenario, missing_block_hint
from stageline.analysis.simulation.whatif import WhatIf, parse_what_if
from stageline.model.blueprint import Blueprint
from stageline.model.elements import Arrivals, Resource, Simulation
from stageline.model.quantities import format_rate, parse_duration, parse_rate

Progress = Callable[[int, int], None]
"""Called with (customers admitted so far, customers expected in all runs)."""


def simulate(
    bp: Blueprint,
    *,
    customers: int | None = None,
    horizon: float | str | None = None,
    seed: int = 0,
    replications: int = 1,
    what_if: str | Sequence[str] | None = None,
    progress: Progress | None = None,
    rate: float | str | None = None,
    resources: dict[str, int] | None = None,
) -> SimulationReport:
    """Simulate customers through the blueprint and report waits, utilisation,
    time against tolerance, fail points and bottlenecks.

    `customers` or `horizon` (seconds or text such as `8h`) replace the run length
    of the blueprint's `simulation:` block; `rate` (per hour or `10/h`) and
    `resources` (name to capacity) fill in or override the block, so a blueprint
    without one can be simulated too. Each what-if is one variant compared with the
    base over the same random numbers.
    """
    if replications < 1:
        raise SimulationError("replications must be at least 1")
    if customers is not None and customers < 1:
        raise SimulationError("customers must be at least 1")
    settings = _settings(bp, customers, _seconds(horizon), rate, resources)
    scenario = compile_scenario(bp, settings)
    texts = [what_if] if isinstance(what_if, str) else list(what_if or [])
    variants = [parse_what_if(text, scenario) for text in texts]
    configurations = [scenario] + [v.apply(scenario) for v in variants]

    admitted = _Counter(progress, expected_arrivals(scenario) * replications * len(configurations))
    runs: list[list[RunSummary]] = [[] for _ in configurations]
    for replication in range(replications):
        for runs_of, configuration in zip(runs, configurations, strict=True):
            metrics = run_once(configuration, seed, replication, admitted)
            runs_of.append(summarise(configuration, metrics))
    admitted.finish()

    base = outcome(scenario, runs[0])
    return SimulationReport(
        title=bp.title,
        currency=bp.currency,
        settings=Settings(
            seed=seed,
            replications=replications,
            customers=scenario.customers,
            horizon=scenario.horizon,
            start=format_clock(scenario.start),
            arrivals=_describe_arrivals(scenario),
        ),
        base=base,
        variants=tuple(
            Variant(v.name, tuple(c.text for c in v.changes), outcome(configuration, runs_of), deltas(runs[0], runs_of))
            for v, configuration, runs_of in zip(variants, configurations[1:], runs[1:], strict=True)
        ),
        notes=scenario.notes,
    )


class _Counter:
    def __init__(self, progress: Progress | None, total: float) -> None:
        self.progress = progress
        self.total = max(1, math.ceil(total))
        self.done = 0

    def __call__(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


def _seconds(value: float | str | None) -> float | None:
    if value is None or isinstance(value, (int, float)):
        return value
    try:
        return parse_duration(value)
    except ValueError as error:
        raise SimulationError(f"horizon: {error}") from None


def _settings(
    bp: Blueprint,
    customers: int | None,
    horizon: float | None,
    rate: float | str | None,
    resources: dict[str, int] | None,
) -> Simulation:
    if bp.simulation is None and rate is None:
        raise SimulationError(
            f"{bp.title!r} has no simulation block, so nothing says how many customers arrive "
            "or which staff are scarce.",
            hint=missing_block_hint(bp),
        )
    base = bp.simulation or Simulation(arrivals=Arrivals(rate=1.0))
    update: dict[str, object] = {}
    if rate is not None:
        try:
            update["arrivals"] = Arrivals(rate=parse_rate(rate))
        except ValueError as error:
            raise SimulationError(f"rate: {error}") from None
    if resources:
        merged = dict(base.resources)
        for name, capacity in resources.items():
            if capacity < 1:
                raise SimulationError(f"resource {name!r}: capacity must be at least 1")
            merged[name] = (
                merged[name].model_copy(update={"capacity": capacity})
                if name in merged
                else Resource(capacity=capacity)
            )
        update["resources"] = merged
    if customers is not None or horizon is not None:
        update["customers"] = customers
        update["horizon"] = horizon
    return base.model_copy(update=update)


def _describe_arrivals(scenario: Scenario) -> str:
    plan = scenario.arrivals
    if plan.rate is not None:
        return format_rate(plan.rate * 3600)
    return ", ".join(f"{format_clock(clock)} {format_rate(rate * 3600)}" for clock, rate in plan.schedule)


__all__ = [
    "Bottleneck",
    "CardResult",
    "CustomerResult",
    "Delta",
    "Outcome",
    "Progress",
    "ResourceResult",
    "SimulationError",
    "SimulationReport",
    "Variant",
    "WhatIf",
    "settings_of",
    "simulate",
]
