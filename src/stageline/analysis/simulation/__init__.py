"""Discrete-event simulation of a blueprint: where does the service break under load?

    report = simulate(bp, customers=5000, replications=5, what_if=["Front desk clerk=+1"])
    report.bottlenecks[0].explanation
    report.to_json()

The model of the service is explained in docs/simulation.md.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

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
    settings = settings_of(bp, customers, _seconds(horizon), rate, resources)
    scenario = compile_scenario(bp, settings)
    texts = [what_if] if isinstance(what_if, str) else list(what_if or [])
    variants = [parse_what_if(text, scenario) for text in texts]
    configurations = [scenario] + [v.apply(scenario) for v in variants]
    runs = run_configurations(configurations, seed, replications, progress)

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


def run_configurations(
    configurations: Sequence[Scenario],
    seed: int,
    replications: int,
    progress: Progress | None = None,
    *,
    workers: int = 1,
) -> list[list[RunSummary]]:
    """Every configuration run `replications` times over the same random numbers
    (replication r of each sees the same streams: common random numbers), as
    run summaries by configuration, then replication. With `workers` > 1 the
    runs are spread over that many processes (not from a daemon process, which
    may not have children); the results are the same."""
    tasks = [(index, replication) for replication in range(replications) for index in range(len(configurations))]
    expected = [expected_arrivals(configuration) for configuration in configurations]
    admitted = _Counter(progress, sum(expected) * replications)
    runs: list[list[RunSummary | None]] = [[None] * replications for _ in configurations]
    workers = min(workers, len(tasks))
    can_fork = "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon
    if workers > 1 and can_fork:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {
                pool.submit(_run_summary, configurations[index], seed, replication): (index, replication)
                for index, replication in tasks
            }
            for future in as_completed(futures):
                index, replication = futures[future]
                runs[index][replication] = future.result()
                admitted(math.ceil(expected[index]))
    else:
        for index, replication in tasks:
            configuration = configurations[index]
            runs[index][replication] = summarise(configuration, run_once(configuration, seed, replication, admitted))
    admitted.finish()
    return [[run for run in runs_of if run is not None] for runs_of in runs]


def _run_summary(configuration: Scenario, seed: int, replication: int) -> RunSummary:
    return summarise(configuration, run_once(configuration, seed, replication))


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


def settings_of(
    bp: Blueprint,
    customers: int | None,
    horizon: float | None,
    rate: float | str | None,
    resources: dict[str, int] | None,
) -> Simulation:
    """The simulation section `simulate` runs: the blueprint's own, with the run
    length, arrival rate and resources given as options in its place."""
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
    "run_configurations",
    "settings_of",
    "simulate",
]
