"""What a simulation found: plain, JSON-ready results built from the replications.

`SimulationReport.to_dict()` is the JSON contract of `stageline simulate --format
json` (times in seconds); a web panel renders the same dictionary, including the
per-card `heat` (0-1) for a heat map over the blueprint.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from stageline.analysis.simulation import display
from stageline.analysis.simulation.clock import format_clock
from stageline.analysis.simulation.engine import RunMetrics
from stageline.analysis.simulation.scenario import Scenario
from stageline.analysis.simulation.stats import Stat, interval

HISTOGRAM_BINS = 24


@dataclass(frozen=True)
class FailResult:
    card: str
    text: str
    p: float  # as written on the card
    rate: float  # observed share of the card's executions that failed
    occurrences: float  # per replication
    per_customer: float  # occurrences per customer
    time: float  # recovery seconds added per replication
    cost: float  # recovery cost per replication

    def to_dict(self) -> dict[str, Any]:
        return {
            "card": self.card,
            "text": self.text,
            "p": self.p,
            "rate": self.rate,
            "occurrences": self.occurrences,
            "per_customer": self.per_customer,
            "time": self.time,
            "cost": self.cost,
        }


@dataclass(frozen=True)
class CardResult:
    id: str
    text: str
    step: str
    lane: str
    resource: str | None
    on_path: bool  # the customer waits for it
    share: float  # share of customers for whom the card happened
    wait: Stat
    service: Stat
    fail: FailResult | None
    closed: float = 0.0  # mean seconds of the wait spent before the resource opened
    heat: float = 0.0  # 0-1: the card's mean queue wait per customer against the worst card's

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "step": self.step,
            "lane": self.lane,
            "resource": self.resource,
            "on_path": self.on_path,
            "share": self.share,
            "wait": self.wait.to_dict(),
            "service": self.service.to_dict(),
            "fail": self.fail.to_dict() if self.fail else None,
            "closed": self.closed,
            "heat": self.heat,
        }


@dataclass(frozen=True)
class ResourceResult:
    name: str
    capacity: int
    hours: str | None
    utilization: float
    utilization_ci: float | None
    queue_mean: float  # time-average number waiting
    queue_max: int
    visits: float  # per replication
    wait: Stat  # per visit
    wait_per_customer: float  # mean seconds a customer spends waiting here
    closed_per_customer: float  # the part of it spent waiting for the resource to open
    window: float  # seconds from its first customer to its last finish (utilisation and queue are over this)
    peak_utilization: float | None = None  # the busiest clock hour
    peak_hour: str | None = None  # "15:00-16:00"
    hourly_start: str | None = None  # clock time of the first value of `hourly`
    hourly_by: str = "clock hour"  # or "hour of day": a long run folded into its average day
    hourly: tuple[float | None, ...] = ()  # busy share per clock hour from hourly_start; None while closed
    cards: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "capacity": self.capacity,
            "hours": self.hours,
            "utilization": self.utilization,
            "utilization_ci95": self.utilization_ci,
            "queue": {"mean": self.queue_mean, "max": self.queue_max},
            "visits": self.visits,
            "wait": self.wait.to_dict(),
            "wait_per_customer": self.wait_per_customer,
            "closed_per_customer": self.closed_per_customer,
            "window": self.window,
            "peak": {"utilization": self.peak_utilization, "hour": self.peak_hour},
            "hourly": {"start": self.hourly_start, "by": self.hourly_by, "utilization": list(self.hourly)},
            "cards": list(self.cards),
        }


@dataclass(frozen=True)
class StepResult:
    id: str
    title: str
    stage: str
    wait: float  # mean seconds per customer waiting in this step
    time: float  # mean seconds per customer in this step, waits included
    written_wait: float = 0.0  # the waits written on the step's cards (what was observed)
    queue_wait: float = 0.0  # mean seconds per customer queueing for scarce resources (simulated)
    present: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "stage": self.stage,
            "wait": self.wait,
            "time": self.time,
            "written_wait": self.written_wait,
            "queue_wait": self.queue_wait,
            "present": self.present,
        }


@dataclass(frozen=True)
class Histogram:
    edges: tuple[float, ...]
    counts: tuple[int, ...]
    over: int  # customers beyond the last edge

    def to_dict(self) -> dict[str, Any]:
        return {"edges": list(self.edges), "counts": list(self.counts), "over": self.over}


@dataclass(frozen=True)
class CustomerResult:
    arrived: float  # per replication
    completed: float
    total_time: Stat  # elapsed: from arrival to leaving
    tolerance: float | None
    over_tolerance: float | None  # share of customers whose total time exceeded the tolerance
    over_tolerance_ci: float | None
    cost: Stat
    histogram: Histogram
    time_in_service: Stat | None = None  # total time less the steps the customer is not present for

    def to_dict(self) -> dict[str, Any]:
        return {
            "arrived": self.arrived,
            "completed": self.completed,
            "total_time": self.total_time.to_dict(),
            "time_in_service": (self.time_in_service or self.total_time).to_dict(),
            "tolerance": self.tolerance,
            "over_tolerance": self.over_tolerance,
            "over_tolerance_ci95": self.over_tolerance_ci,
            "cost": self.cost.to_dict(),
            "histogram": self.histogram.to_dict(),
        }


@dataclass(frozen=True)
class Bottleneck:
    resource: str
    utilization: float
    wait_mean: float  # per visit
    wait_per_customer: float
    queue_max: int
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "utilization": self.utilization,
            "wait_mean": self.wait_mean,
            "wait_per_customer": self.wait_per_customer,
            "queue_max": self.queue_max,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Outcome:
    """The results of one configuration, averaged over its replications."""

    cards: dict[str, CardResult]
    resources: dict[str, ResourceResult]
    steps: dict[str, StepResult]
    customers: CustomerResult
    bottlenecks: list[Bottleneck]
    duration: float  # seconds from the start until the last customer left

    def to_dict(self) -> dict[str, Any]:
        return {
            "cards": {key: card.to_dict() for key, card in self.cards.items()},
            "resources": {key: resource.to_dict() for key, resource in self.resources.items()},
            "steps": {key: step.to_dict() for key, step in self.steps.items()},
            "customers": self.customers.to_dict(),
            "bottlenecks": [b.to_dict() for b in self.bottlenecks],
            "fail_points": [card.fail.to_dict() for card in self.cards.values() if card.fail],
            "duration": self.duration,
        }


@dataclass(frozen=True)
class Delta:
    metric: str
    base: float | None
    variant: float | None
    difference: float | None
    ci: float | None  # 95 % half-width of the paired difference over replications
    unit: str  # "s", "share" or "currency"

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "base": self.base,
            "variant": self.variant,
            "difference": self.difference,
            "ci95": self.ci,
            "unit": self.unit,
        }


@dataclass(frozen=True)
class Variant:
    name: str
    changes: tuple[str, ...]
    outcome: Outcome
    deltas: tuple[Delta, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "changes": list(self.changes),
            **self.outcome.to_dict(),
            "deltas": [d.to_dict() for d in self.deltas],
        }


@dataclass(frozen=True)
class Settings:
    seed: int
    replications: int
    customers: int | None
    horizon: float | None
    start: str
    arrivals: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "replications": self.replications,
            "customers": self.customers,
            "horizon": self.horizon,
            "start": self.start,
            "arrivals": self.arrivals,
        }


@dataclass(frozen=True)
class SimulationReport:
    title: str
    currency: str | None
    settings: Settings
    base: Outcome
    variants: tuple[Variant, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def cards(self) -> dict[str, CardResult]:
        return self.base.cards

    @property
    def resources(self) -> dict[str, ResourceResult]:
        return self.base.resources

    @property
    def customers(self) -> CustomerResult:
        return self.base.customers

    @property
    def bottlenecks(self) -> list[Bottleneck]:
        return self.base.bottlenecks

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "currency": self.currency,
            "settings": self.settings.to_dict(),
            **self.base.to_dict(),
            "notes": list(self.notes),
        }
        if self.variants:
            data["variants"] = [v.to_dict() for v in self.variants]
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(finite(self.to_dict()), indent=indent, ensure_ascii=False)


def finite(value: Any) -> Any:
    """JSON has no infinity or NaN; they become null (in nested dicts and lists too)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return value


# -- one replication, boiled down --------------------------------------------------
@dataclass(frozen=True)
class CardSummary:
    executions: int
    failures: int
    wait: Stat
    service: Stat
    closed: float


@dataclass(frozen=True)
class ResourceSummary:
    visits: int
    busy: float
    available: float
    queue_area: float
    queue_max: int
    wait: Stat
    wait_total: float
    closed: float
    window: float
    first_hour: int
    hourly: np.ndarray


@dataclass(frozen=True)
class RunSummary:
    """What `outcome` needs from one replication; the raw samples are let go."""

    cards: tuple[CardSummary, ...]
    resources: tuple[ResourceSummary, ...]
    totals: np.ndarray  # each customer's time from arrival to leaving
    in_service: np.ndarray  # the same, less the steps they are not present for
    cost: Stat
    arrived: int
    end: float
    scalars: dict[str, tuple[float | None, str]]


def summarise(scenario: Scenario, run: RunMetrics) -> RunSummary:
    return RunSummary(
        cards=tuple(
            CardSummary(c.executions, c.failures, Stat.of(c.waits), Stat.of(c.services), c.closed) for c in run.cards
        ),
        resources=tuple(
            ResourceSummary(
                r.visits,
                r.busy,
                r.available,
                r.queue_area,
                r.queue_max,
                Stat.of(r.waits),
                float(r.waits.sum()),
                r.closed,
                r.window,
                r.first_hour,
                r.hourly,
            )
            for r in run.resources
        ),
        totals=run.departures - run.arrivals,
        in_service=run.departures - run.arrivals - (run.away if run.away is not None else 0.0),
        cost=Stat.of(run.costs),
        arrived=int(run.arrivals.size),
        end=run.end,
        scalars=scalars(scenario, run),
    )


# -- building an outcome from replications ---------------------------------------
def outcome(scenario: Scenario, runs: Sequence[RunSummary]) -> Outcome:
    count = len(runs)
    customers = [max(run.arrived, 1) for run in runs]
    cards: dict[str, CardResult] = {}
    for plan in scenario.cards:
        per_run = [run.cards[plan.index] for run in runs]
        fail = None
        if plan.fail_text is not None and plan.fail_p > 0:
            executions = sum(c.executions for c in per_run)
            failures = sum(c.failures for c in per_run)
            fail = FailResult(
                card=plan.id,
                text=plan.fail_text,
                p=plan.fail_p,
                rate=failures / executions if executions else 0.0,
                occurrences=failures / count,
                per_customer=failures / sum(customers),
                time=failures * plan.recovery_time / count,
                cost=failures * plan.recovery_cost / count,
            )
        cards[plan.id] = CardResult(
            id=plan.id,
            text=plan.text,
            step=scenario.steps[plan.step].id,
            lane=plan.lane,
            resource=scenario.resources[plan.resource].name if plan.resource is not None else None,
            on_path=plan.on_path,
            share=sum(c.executions / n for c, n in zip(per_run, customers, strict=True)) / count,
            wait=Stat.average([c.wait for c in per_run]),
            service=Stat.average([c.service for c in per_run]),
            fail=fail,
            closed=sum(c.closed for c in per_run) / max(sum(c.executions for c in per_run), 1),
        )
    resources = _resources(scenario, runs, customers)
    steps = _steps(scenario, cards)

    def queueing(card: CardResult) -> float:
        return card.share * max((card.wait.mean or 0.0) - card.closed, 0.0)

    heat_base = max((queueing(c) for c in cards.values()), default=0.0)
    if heat_base > 0:
        cards = {key: _with_heat(card, queueing(card) / heat_base) for key, card in cards.items()}
    return Outcome(
        cards=cards,
        resources=resources,
        steps=steps,
        customers=_customers(scenario, runs),
        bottlenecks=_bottlenecks(resources, _customers_mean_time(runs)),
        duration=sum(run.end for run in runs) / count,
    )


def _with_heat(card: CardResult, heat: float) -> CardResult:
    return replace(card, heat=round(heat, 4))


def _resources(scenario: Scenario, runs: Sequence[RunSummary], customers: list[int]) -> dict[str, ResourceResult]:
    results = {}
    for index, plan in enumerate(scenario.resources):
        per_run = [run.resources[index] for run in runs]
        utilization = interval([_utilisation(r.busy, r.available) or 0.0 for r in per_run])
        # The time-average queue over the resource's own window (first customer to last finish).
        queue = [r.queue_area / r.window if r.window else 0.0 for r in per_run]
        results[plan.name] = ResourceResult(
            name=plan.name,
            capacity=plan.capacity,
            hours=f"{format_clock(plan.hours.open)}-{format_clock(plan.hours.close)}" if plan.hours else None,
            utilization=utilization.mean,
            utilization_ci=utilization.half_width,
            queue_mean=sum(queue) / len(queue),
            queue_max=max(r.queue_max for r in per_run),
            visits=sum(r.visits for r in per_run) / len(per_run),
            wait=Stat.average([r.wait for r in per_run]),
            wait_per_customer=sum(r.wait_total / n for r, n in zip(per_run, customers, strict=True)) / len(per_run),
            closed_per_customer=sum(r.closed / n for r, n in zip(per_run, customers, strict=True)) / len(per_run),
            window=sum(r.window for r in per_run) / len(per_run),
            **_peak(per_run),
            cards=tuple(c.id for c in scenario.cards if c.resource == index),
        )
    return results


def _utilisation(busy: float, available: float) -> float | None:
    """Busy share of open unit-time; overtime past closing is capped at 100 %."""
    return min(busy / available, 1.0) if available > 0 else None


LONGEST_PROFILE = 7 * 24  # hours; longer runs are folded into an average day


def _peak(per_run: Sequence[ResourceSummary]) -> dict[str, Any]:
    """The hourly profile averaged over replications, and its busiest hour. A run
    longer than a week is folded into its average day (`hourly_by` says which)."""
    length = max(r.hourly.size for r in per_run)
    stacked = np.full((len(per_run), length), np.nan)
    for row, r in enumerate(per_run):
        stacked[row, : r.hourly.size] = r.hourly
    first = per_run[0].first_hour
    by = "clock hour"
    if length > LONGEST_PROFILE:
        of_day = (first + np.arange(length)) % 24
        stacked = np.stack([np.where(of_day == h, stacked, np.nan).reshape(-1) for h in range(24)], axis=1)
        first, length, by = 0, 24, "hour of day"
    seen = ~np.all(np.isnan(stacked), axis=0)
    profile = np.full(length, np.nan)
    profile[seen] = np.nanmean(stacked[:, seen], axis=0)
    result: dict[str, Any] = {
        "hourly_start": format_clock(first * 3600.0),
        "hourly_by": by,
        "hourly": tuple(None if math.isnan(v) else round(float(v), 4) for v in profile),
    }
    if seen.any():
        top = int(np.nanargmax(profile))
        hour = (first + top) * 3600.0
        day = int(hour // 86400.0) + 1
        result["peak_utilization"] = float(profile[top])
        result["peak_hour"] = f"{format_clock(hour)}-{format_clock(hour + 3600.0)}" + (
            f" on day {day}" if day > 1 else ""
        )
    return result


def _steps(scenario: Scenario, cards: dict[str, CardResult]) -> dict[str, StepResult]:
    """Per step, with the time model's reading of the means: waits, plus the
    longest visible lane, plus the hidden work the customer waits for."""
    results = {}
    for step in scenario.steps:
        plans = [scenario.cards[i] for i in step.cards if scenario.cards[i].on_path]
        on_path = [(plan, cards[plan.id]) for plan in plans]
        wait = sum(c.share * (c.wait.mean or 0.0) for _, c in on_path)
        queue = sum(c.share * (c.wait.mean or 0.0) for plan, c in on_path if plan.resource is not None)
        lanes: dict[str, float] = {}
        hidden = 0.0
        for plan, c in on_path:
            busy = c.share * (c.service.mean or 0.0)
            if plan.visible:
                lanes[plan.lane] = lanes.get(plan.lane, 0.0) + busy
            else:
                hidden += busy
        written = sum(plan.observed_wait for plan in plans)
        results[step.id] = StepResult(
            step.id,
            step.title,
            step.stage,
            wait,
            wait + max(lanes.values(), default=0.0) + hidden,
            written_wait=written,
            queue_wait=queue,
            present=step.present,
        )
    return results


def _customers(scenario: Scenario, runs: Sequence[RunSummary]) -> CustomerResult:
    totals = [run.totals for run in runs]
    tolerance = scenario.tolerance
    over = interval([float(np.mean(t > tolerance)) if t.size else 0.0 for t in totals]) if tolerance else None
    pooled = np.concatenate(totals) if totals else np.zeros(0)
    return CustomerResult(
        arrived=sum(run.arrived for run in runs) / len(runs),
        completed=sum(int(np.count_nonzero(np.isfinite(t))) for t in totals) / len(runs),
        total_time=Stat.average([Stat.of(t) for t in totals]),
        time_in_service=Stat.average([Stat.of(run.in_service) for run in runs]),
        tolerance=tolerance,
        over_tolerance=over.mean if over else None,
        over_tolerance_ci=over.half_width if over else None,
        cost=Stat.average([run.cost for run in runs]),
        histogram=_histogram(pooled, tolerance),
    )


def _histogram(values: np.ndarray, tolerance: float | None) -> Histogram:
    if values.size == 0:
        return Histogram((), (), 0)
    top = max(float(np.percentile(values, 99.5)), tolerance or 0.0) * 1.05 or 1.0
    over = int(np.count_nonzero(values > top))
    counts, edges = np.histogram(values[values <= top], bins=HISTOGRAM_BINS, range=(0.0, top))
    return Histogram(tuple(float(e) for e in edges), tuple(int(c) for c in counts), over)


def _customers_mean_time(runs: Sequence[RunSummary]) -> float:
    means = [float(run.totals.mean()) for run in runs if run.totals.size]
    return sum(means) / len(means) if means else 0.0


def _bottlenecks(resources: dict[str, ResourceResult], mean_time: float) -> list[Bottleneck]:
    """Resources that cost customers time, worst first: by the mean time a
    customer spends queueing there (at least a second and 1 % of their time),
    then by utilisation; or that run at 85 % or more."""
    threshold = max(1.0, 0.01 * mean_time)

    def queueing(r: ResourceResult) -> float:
        return max(r.wait_per_customer - r.closed_per_customer, 0.0)

    ranked = sorted(resources.values(), key=lambda r: (-queueing(r), -r.utilization, r.name))
    found = []
    for resource in ranked:
        if queueing(resource) < threshold and resource.utilization < 0.85:
            continue
        found.append(
            Bottleneck(
                resource=resource.name,
                utilization=resource.utilization,
                wait_mean=resource.wait.mean or 0.0,
                wait_per_customer=resource.wait_per_customer,
                queue_max=resource.queue_max,
                explanation=_explain(resource),
            )
        )
    return found


def _explain(resource: ResourceResult) -> str:
    h = display.seconds
    units = f"{resource.capacity} unit{'s' if resource.capacity != 1 else ''}"
    busy = f"{resource.utilization:.0%} busy"
    peak = resource.peak_utilization
    if peak is not None and peak >= resource.utilization + 0.1:
        busy += f" overall and {peak:.0%} at its busiest ({resource.peak_hour})"
    text = (
        f"{resource.name} ({units}) is {busy}; a visit waits "
        f"{h(resource.wait.mean or 0.0)} on average (p90 {h(resource.wait.p90 or 0.0)}), "
        f"up to {resource.queue_max} in the queue"
    )
    if resource.utilization >= 0.97:
        text += "; demand is at or above capacity, so the queue grows for as long as customers keep coming"
    if resource.closed_per_customer > 0 and resource.wait_per_customer > 0:
        part = resource.closed_per_customer / resource.wait_per_customer
        text += f"; {part:.0%} of the waiting is for it to open ({resource.hours})"
    return text + "."


# -- comparing variants ------------------------------------------------------------
def deltas(base: Sequence[RunSummary], variant: Sequence[RunSummary]) -> tuple[Delta, ...]:
    """Paired differences per replication (common random numbers), with 95 % intervals."""
    found = []
    for metric, (_, unit) in base[0].scalars.items():
        pairs = [
            (b.scalars[metric][0], v.scalars.get(metric, (None, unit))[0]) for b, v in zip(base, variant, strict=True)
        ]
        known = [(x, y) for x, y in pairs if x is not None and y is not None]
        if len(known) != len(pairs):
            continue
        diff = interval([y - x for x, y in known])
        found.append(
            Delta(
                metric=metric,
                base=sum(x for x, _ in known) / len(known),
                variant=sum(y for _, y in known) / len(known),
                difference=diff.mean,
                ci=diff.half_width,
                unit=unit,
            )
        )
    return tuple(found)


def scalars(scenario: Scenario, run: RunMetrics) -> dict[str, tuple[float | None, str]]:
    """The headline numbers of one replication, by metric name."""
    total = run.departures - run.arrivals
    found: dict[str, tuple[float | None, str]] = {}
    found["customers: mean total time"] = (float(total.mean()) if total.size else None, "s")
    found["customers: p90 total time"] = (float(np.percentile(total, 90)) if total.size else None, "s")
    if scenario.tolerance:
        found["customers: share over tolerance"] = (
            float(np.mean(total > scenario.tolerance)) if total.size else None,
            "share",
        )
    found["customers: mean cost"] = (float(run.costs.mean()) if run.costs.size else None, "currency")
    for index, plan in enumerate(scenario.resources):
        r = run.resources[index]
        found[f"{plan.name}: utilisation"] = (_utilisation(r.busy, r.available), "share")
        found[f"{plan.name}: mean wait"] = (float(r.waits.mean()) if r.waits.size else 0.0, "s")
        found[f"{plan.name}: mean queue"] = (r.queue_area / r.window if r.window else None, "customers")
    return found
