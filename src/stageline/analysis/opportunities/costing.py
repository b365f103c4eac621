"""The business case of each opportunity, simulated: what its change does to
customers' time, their share over tolerance, the cost per customer, the
bottleneck's utilisation and the fail points customers meet.

Every opportunity with a `change` (what-if specs) or a `future` (a future-state
blueprint) is one variant, run against the current state over the same random
numbers (replication r of every variant sees the streams of replication r of
the base), so each difference is paired and its 95 % interval is the t interval
of the per-replication differences. Opportunities are ranked by the mean
customer time they save per point of effort. docs/opportunities.md explains it.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stageline.analysis.diff.matching import match
from stageline.analysis.simulation import Progress, run_configurations, settings_of
from stageline.analysis.simulation.errors import SimulationError
from stageline.analysis.simulation.report import RunSummary, finite, outcome
from stageline.analysis.simulation.scenario import Scenario, compile_scenario, missing_block_hint
from stageline.analysis.simulation.stats import interval
from stageline.analysis.simulation.whatif import as_change, parse_what_if
from stageline.formats.errors import FormatError
from stageline.formats.yaml_format import load
from stageline.model import Blueprint, Opportunity

# The effects reported for every costed opportunity, by JSON key: (what, unit).
EFFECTS: dict[str, tuple[str, str]] = {
    "total_time_mean": ("Mean customer time", "s"),
    "total_time_p90": ("p90 customer time", "s"),
    "over_tolerance": ("Share over tolerance", "share"),
    "cost": ("Cost per customer", "currency"),
    "bottleneck_utilisation": ("Bottleneck utilisation", "share"),
    "fail_risk": ("Fail points met per customer", "count"),
}
DEFAULT_REPLICATIONS = 5

FutureLoader = Callable[[Opportunity], Blueprint]
"""The future-state blueprint an opportunity's `future` names (raises OpportunityError)."""


class OpportunityError(ValueError):
    """Opportunities that cannot be costed; every problem names its opportunity."""

    def __init__(self, problems: Sequence[str], *, hint: str | None = None) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)
        self.hint = hint


@dataclass(frozen=True)
class Effect:
    """One metric for the current state and with the opportunity, and the paired
    difference (variant − base) with the half-width of its 95 % interval."""

    base: float | None
    variant: float | None
    difference: float | None
    ci95: float | None

    def to_dict(self) -> dict[str, float | None]:
        return {"base": self.base, "variant": self.variant, "difference": self.difference, "ci95": self.ci95}

    @property
    def clear(self) -> bool:
        """The interval excludes zero: the change is more than noise."""
        if self.difference is None or self.ci95 is None:
            return False
        return abs(self.difference) > self.ci95


@dataclass(frozen=True)
class Costed:
    opportunity: Opportunity
    simulated: str  # "change" or "future"
    changes: tuple[str, ...]  # the what-if specs, or the future file
    effects: dict[str, Effect]
    rank: int = 0

    @property
    def saving(self) -> float:
        """Mean seconds of customer time saved per customer (negative: it costs time)."""
        difference = self.effects["total_time_mean"].difference
        return -(difference or 0.0)

    @property
    def per_effort(self) -> float | None:
        effort = self.opportunity.effort
        return self.saving / effort if effort else None


@dataclass(frozen=True)
class NotCosted:
    opportunity: Opportunity
    reason: str


@dataclass
class OpportunityReport:
    title: str
    currency: str | None
    seed: int
    replications: int
    customers: int | None
    horizon: float | None
    bottleneck: str | None
    costed: list[Costed] = field(default_factory=list)
    not_costed: list[NotCosted] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of `stageline opportunities --format json` (docs/opportunities.md)."""
        rows: list[dict[str, Any]] = []
        for item in self.costed:
            rows.append(
                {
                    **_identity(item.opportunity),
                    "costed": True,
                    "simulated": item.simulated,
                    "changes": list(item.changes),
                    "effect": {key: effect.to_dict() for key, effect in item.effects.items()},
                    "saving": item.saving,
                    "effect_per_effort": item.per_effort,
                    "rank": item.rank,
                    "reason": None,
                }
            )
        for skipped in self.not_costed:
            rows.append(
                {
                    **_identity(skipped.opportunity),
                    "costed": False,
                    "simulated": None,
                    "changes": list(skipped.opportunity.change),
                    "effect": None,
                    "saving": None,
                    "effect_per_effort": None,
                    "rank": None,
                    "reason": skipped.reason,
                }
            )
        return {
            "title": self.title,
            "currency": self.currency,
            "settings": {
                "seed": self.seed,
                "replications": self.replications,
                "customers": self.customers,
                "horizon": self.horizon,
            },
            "bottleneck": self.bottleneck,
            "opportunities": rows,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(finite(self.to_dict()), indent=indent, ensure_ascii=False)


def _identity(o: Opportunity) -> dict[str, Any]:
    return {
        "id": o.id,
        "title": o.title,
        "effort": o.effort,
        "value": o.value,
        "status": o.status,
        "owner": o.owner,
        "measure": o.measure,
        "target": o.target,
        "due": o.due.isoformat() if o.due else None,
        "future": o.future,
    }


def future_loader(base_file: str | os.PathLike[str] | None) -> FutureLoader:
    """Loads an opportunity's `future` file, relative to the folder of `base_file`."""
    folder = Path(base_file).parent if base_file is not None else Path.cwd()

    def load_future(opportunity: Opportunity) -> Blueprint:
        assert opportunity.future is not None
        path = folder / opportunity.future
        try:
            return load(path)
        except OSError as error:
            raise OpportunityError(
                [f"opportunity {opportunity.id!r}: cannot read its future state {str(path)!r}: "
                 f"{error.strerror or error}"]
            ) from None  # fmt: skip
        except FormatError as error:
            first = error.problems[0]
            raise OpportunityError(
                [f"opportunity {opportunity.id!r}: its future state is not a valid blueprint: {first}"]
            ) from None

    return load_future


def same_service(current: Blueprint, future: Blueprint) -> bool:
    """Whether `future` redesigns the service of `current`: the diff engine's
    matching finds at least a third of the current state's steps in it."""
    steps = sum(1 for _ in current.steps())
    return len(match(current, future).steps) >= max(1, math.ceil(steps / 3))


def cost_opportunities(
    bp: Blueprint,
    *,
    seed: int = 0,
    replications: int = DEFAULT_REPLICATIONS,
    customers: int | None = None,
    load_future: FutureLoader | None = None,
    strict: bool = True,
    progress: Progress | None = None,
    workers: int = 1,
) -> OpportunityReport:
    """Simulate every opportunity of `bp` that says what it changes against `bp`.

    `strict` raises OpportunityError listing every opportunity whose change
    cannot be simulated; otherwise they are listed as not costed, with why.
    `load_future` reads a `future` file (None: futures are not costed)."""
    if replications < 2:
        raise OpportunityError(["replications must be at least 2 for a 95 % interval"])
    wanting = [o for o in bp.opportunities if o.change or o.future]
    not_costed: list[NotCosted] = [
        NotCosted(o, "it says neither what it changes (`change`) nor which future state realises it (`future`)")
        for o in bp.opportunities
        if not (o.change or o.future)
    ]
    report = OpportunityReport(bp.title, bp.currency, seed, replications, customers, None, None)
    if not wanting:
        report.not_costed = not_costed
        return report
    if bp.simulation is None:
        names = ", ".join(repr(o.id) for o in wanting)
        raise OpportunityError(
            [f"opportunities {names} say what they change, but {bp.title!r} has no simulation section to run them "
             "against (arrivals and scarce resources)"],
            hint=missing_block_hint(bp),
        )  # fmt: skip
    try:
        settings = settings_of(bp, customers, None, None, None)
        base = compile_scenario(bp, settings)
    except SimulationError as error:
        raise OpportunityError([f"the current state cannot be simulated: {error.message}"], hint=error.hint) from None
    report.customers, report.horizon = base.customers, base.horizon

    configurations: list[Scenario] = [base]
    variants: list[tuple[Opportunity, str, tuple[str, ...]]] = []
    problems: list[str] = []
    for opportunity in wanting:
        try:
            configuration, simulated, changes = _variant(bp, base, opportunity, load_future)
        except OpportunityError as error:
            problems.extend(error.problems)
            not_costed.append(NotCosted(opportunity, "; ".join(error.problems)))
            continue
        configurations.append(configuration)
        variants.append((opportunity, simulated, changes))
    if problems and strict:
        raise OpportunityError(problems)

    runs = run_configurations(configurations, seed, replications, progress, workers=workers)
    bottleneck = _bottleneck(base, runs[0])
    report.bottleneck = bottleneck
    costed = [
        Costed(opportunity, simulated, changes, _effects(base, runs[0], configuration, runs_of, bottleneck))
        for (opportunity, simulated, changes), configuration, runs_of in zip(
            variants, configurations[1:], runs[1:], strict=True
        )
    ]
    report.costed = _ranked(costed)
    report.not_costed = not_costed
    return report


def _variant(
    bp: Blueprint, base: Scenario, opportunity: Opportunity, load_future: FutureLoader | None
) -> tuple[Scenario, str, tuple[str, ...]]:
    name = f"opportunity {opportunity.id!r}"
    if opportunity.change:
        try:
            what_if = parse_what_if("; ".join(opportunity.change), base)
            return what_if.apply(base), "change", tuple(opportunity.change)
        except SimulationError as error:
            raise OpportunityError([f"{name}: {as_change(error.message)}"]) from None
    assert opportunity.future is not None
    if load_future is None:
        raise OpportunityError([f"{name}: its future state {opportunity.future!r} is not available here"])
    future = load_future(opportunity)
    if not same_service(bp, future):
        raise OpportunityError(
            [f"{name}: its future state {opportunity.future!r} ({future.title!r}) shares too few steps "
             f"with {bp.title!r} to be a future state of the same service"]
        )  # fmt: skip
    # The same customers arrive (the current state's arrivals and run length);
    # the future state's own resources, when it has a simulation section.
    settings = settings_of(bp, base.customers, base.horizon, None, None)
    if future.simulation is not None:
        settings = settings.model_copy(update={"resources": future.simulation.resources})
    try:
        return compile_scenario(future, settings), "future", (opportunity.future,)
    except SimulationError as error:
        raise OpportunityError([f"{name}: its future state cannot be simulated: {error.message}"]) from None


def _bottleneck(base: Scenario, runs: Sequence[RunSummary]) -> str | None:
    """The current state's bottleneck; the busiest resource when none stands out."""
    found = outcome(base, runs)
    if found.bottlenecks:
        return found.bottlenecks[0].resource
    busiest = sorted(found.resources.values(), key=lambda r: (-r.utilization, r.name))
    return busiest[0].name if busiest else None


def _effects(
    base: Scenario,
    base_runs: Sequence[RunSummary],
    variant: Scenario,
    variant_runs: Sequence[RunSummary],
    bottleneck: str | None,
) -> dict[str, Effect]:
    return {
        key: _paired([measure(base, run) for run in base_runs], [measure(variant, run) for run in variant_runs])
        for key, measure in _measures(bottleneck).items()
    }


Measure = Callable[[Scenario, RunSummary], float | None]


def _measures(bottleneck: str | None) -> dict[str, Measure]:
    def mean_time(_: Scenario, run: RunSummary) -> float | None:
        return run.scalars["customers: mean total time"][0]

    def p90_time(_: Scenario, run: RunSummary) -> float | None:
        return run.scalars["customers: p90 total time"][0]

    def over(scenario: Scenario, run: RunSummary) -> float | None:
        value = run.scalars.get("customers: share over tolerance")
        return value[0] if value else None

    def cost(_: Scenario, run: RunSummary) -> float | None:
        return run.scalars["customers: mean cost"][0]

    def utilisation(_: Scenario, run: RunSummary) -> float | None:
        value = run.scalars.get(f"{bottleneck}: utilisation") if bottleneck else None
        return value[0] if value else None

    def fail_risk(_: Scenario, run: RunSummary) -> float | None:
        return sum(card.failures for card in run.cards) / max(run.arrived, 1)

    measures: dict[str, Measure] = {
        "total_time_mean": mean_time,
        "total_time_p90": p90_time,
        "over_tolerance": over,
        "cost": cost,
        "bottleneck_utilisation": utilisation,
        "fail_risk": fail_risk,
    }
    assert list(measures) == list(EFFECTS)
    return measures


def _paired(base: list[float | None], variant: list[float | None]) -> Effect:
    known = [(b, v) for b, v in zip(base, variant, strict=True) if b is not None and v is not None]
    if len(known) != len(base) or not known:
        b = [x for x in base if x is not None]
        v = [x for x in variant if x is not None]
        return Effect(sum(b) / len(b) if b else None, sum(v) / len(v) if v else None, None, None)
    difference = interval([v - b for b, v in known])
    return Effect(
        base=sum(b for b, _ in known) / len(known),
        variant=sum(v for _, v in known) / len(known),
        difference=difference.mean,
        ci95=difference.half_width,
    )


def _ranked(costed: list[Costed]) -> list[Costed]:
    """Most customer time saved per point of effort first; opportunities without
    an effort follow, by time saved."""

    def key(item: Costed) -> tuple[int, float, str]:
        per_effort = item.per_effort
        if per_effort is not None:
            return (0, -per_effort, item.opportunity.id)
        return (1, -item.saving, item.opportunity.id)

    ordered = sorted(costed, key=key)
    return [
        Costed(item.opportunity, item.simulated, item.changes, item.effects, rank)
        for rank, item in enumerate(ordered, start=1)
    ]
