"""The service graph: a blueprint compiled into what the engine runs.

Each card becomes a `CardPlan` saying whether the customer waits for it (it is
on the customer's path), which resource it seizes, how long it takes, what it
costs, how often it fails and which branch decides whether it happens. The
rules are explained in docs/simulation.md ("The model of the service").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from stageline.analysis.actors import Roster, near_actor_name, normalise
from stageline.analysis.simulation.clock import DAY, Hours, parse_clock, start_clock
from stageline.analysis.simulation.errors import SimulationError
from stageline.analysis.simulation.variates import Duration
from stageline.analysis.timing import TimeModel
from stageline.model.blueprint import Blueprint
from stageline.model.elements import Simulation
from stageline.model.integrity import suggest

DEFAULT_CUSTOMERS = 1000
# The most units one resource may have: the simulation keeps a slot per unit, and a
# resource larger than this is no longer scarce (every customer is served at once).
MAX_CAPACITY = 10_000


def checked_capacity(capacity: int, where: str, path: tuple[str | int, ...] = ()) -> int:
    """`capacity` when the simulation can model it, else a SimulationError naming `where`."""
    if capacity > MAX_CAPACITY:
        raise SimulationError(
            f"{where}: {capacity:,} units is more than the simulation models ({MAX_CAPACITY:,} at most)",
            hint=f"A resource of more than {MAX_CAPACITY:,} units is not scarce: leave it out of "
            "simulation.resources, or give the units that really serve at once.",
            path=path,
        )
    return capacity


@dataclass(frozen=True)
class CardPlan:
    index: int
    id: str
    text: str
    step: int
    lane: str
    resource: int | None
    duration: Duration | None
    wait: float  # the fixed delay the simulation applies before the card
    observed_wait: float  # the wait written on the card
    cost: float
    fail_text: str | None
    fail_p: float
    recovery_time: float
    recovery_cost: float
    on_path: bool  # the customer spends its time (docs/time-model.md)
    visible: bool  # above the line of visibility: runs alongside the step's other visible lanes
    gates: tuple[int, ...]  # p-links deciding whether the card happens
    feeders: tuple[int, ...]  # earlier cards linked into this one


@dataclass(frozen=True)
class StepPlan:
    index: int
    id: str
    title: str
    stage: str
    cards: tuple[int, ...]
    queued: bool  # a resource on the customer's path: queueing replaces observed waits
    present: bool = True  # False: the customer is not present (elapsed time, not time in service)


@dataclass(frozen=True)
class ResourcePlan:
    name: str
    capacity: int
    hours: Hours | None


@dataclass(frozen=True)
class Gate:
    index: int
    key: str
    source: int
    target: int
    p: float


@dataclass(frozen=True)
class ArrivalPlan:
    """Customers per second, constant or by clock time (a daily pattern)."""

    rate: float | None = None
    schedule: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class Scenario:
    title: str
    tolerance: float | None
    currency: str | None
    cards: tuple[CardPlan, ...]
    steps: tuple[StepPlan, ...]
    resources: tuple[ResourcePlan, ...]
    gates: tuple[Gate, ...]
    arrivals: ArrivalPlan
    start: float  # clock time of the start of the run
    customers: int | None
    horizon: float | None
    staff: tuple[str, ...] = ()  # every actor and department named on a card
    aliases: tuple[tuple[str, str], ...] = ()  # (normalised name or alias, declared actor name)
    notes: tuple[str, ...] = ()

    def card_index(self) -> dict[str, int]:
        return {card.id: card.index for card in self.cards}

    def resource_index(self) -> dict[str, int]:
        return {resource.name: i for i, resource in enumerate(self.resources)}

    def with_capacity(self, resource: int, capacity: int) -> Scenario:
        resources = list(self.resources)
        resources[resource] = replace(resources[resource], capacity=capacity)
        return replace(self, resources=tuple(resources))

    def with_duration(self, card: int, duration: Duration) -> Scenario:
        cards = list(self.cards)
        cards[card] = replace(cards[card], duration=duration)
        return replace(self, cards=tuple(cards))


def missing_block_hint(bp: Blueprint) -> str:
    """A block to paste, naming the people who serve customers face to face first."""
    seen: dict[str, int] = {}
    for place, card in bp.cards():
        if card.actor:
            weight = 2 if place.lane == "frontstage" else 1
            seen[card.actor] = seen.get(card.actor, 0) + weight
    actors = sorted(seen, key=lambda name: (-seen[name], name))[:3]
    lines = [
        "Add a block like this to the file (or pass --rate 10/h):",
        "",
        "simulation:",
        "  arrivals: {rate: 10/h}",
        "  resources:",
    ]
    lines += [f"    {name}: 1" for name in actors] or ["    Front desk clerk: 2"]
    lines += ["  horizon: 8h"]
    return "\n".join(lines)


def compile_scenario(bp: Blueprint, settings: Simulation) -> Scenario:
    """The service graph the engine runs; raises SimulationError naming what to fix."""
    resources = _resources(bp, settings)
    by_name = {plan.name: i for i, plan in enumerate(resources)}
    placed = list(bp.cards())
    order = {card.id: i for i, (_, card) in enumerate(placed)}
    step_ids = [step.id for _, step in bp.steps()]
    step_of = {step_id: i for i, step_id in enumerate(step_ids)}

    time_model = TimeModel(bp)
    on_path = {card.id: time_model.on_path(card.id) for _, card in placed}
    roster = Roster(bp)
    card_resource: dict[str, int | None] = {}
    for _, card in placed:
        actor = roster.canonical(card.actor) if card.actor else None
        if actor in by_name:
            card_resource[card.id] = by_name[actor]
        elif card.department in by_name:
            card_resource[card.id] = by_name[card.department]
        else:
            card_resource[card.id] = None
    _near_misses(bp, roster, [plan.name for plan in resources], card_resource)
    queued_steps = {place.step.id for place, card in placed if on_path[card.id] and card_resource[card.id] is not None}

    gates: list[Gate] = []
    gates_of: dict[str, list[int]] = defaultdict(list)
    feeders_of: dict[str, set[int]] = defaultdict(set)
    for link in bp.links:
        if link.p is not None:
            gates_of[link.target].append(len(gates))
            gates.append(Gate(len(gates), link.key, order[link.source], order[link.target], link.p))
        ends = [(link.source, link.target)] + ([(link.target, link.source)] if link.two_way else [])
        for source, target in ends:
            if order[source] < order[target]:
                feeders_of[target].add(order[source])

    cards: list[CardPlan] = []
    for index, (place, card) in enumerate(placed):
        fail = card.fail
        fail_p = fail.p if fail is not None and fail.p is not None else 0.0
        observed = card.wait or 0.0
        applies_wait = on_path[card.id] and place.step.id not in queued_steps
        cards.append(
            CardPlan(
                index=index,
                id=card.id,
                text=card.text,
                step=step_of[place.step.id],
                lane=place.lane,
                resource=card_resource[card.id],
                duration=Duration.of(card.duration),
                wait=observed if applies_wait else 0.0,
                observed_wait=observed,
                cost=card.cost or 0.0,
                fail_text=fail.text if fail is not None else None,
                fail_p=fail_p,
                recovery_time=(fail.recovery_time or 0.0) if fail is not None else 0.0,
                recovery_cost=(fail.recovery_cost or 0.0) if fail is not None else 0.0,
                on_path=on_path[card.id],
                visible=bp.is_visible(place.lane),
                gates=tuple(gates_of.get(card.id, ())),
                feeders=tuple(sorted(feeders_of.get(card.id, ()))),
            )
        )

    steps = []
    for stage, step in bp.steps():
        members = tuple(i for i, (place, _) in enumerate(placed) if place.step.id == step.id)
        steps.append(
            StepPlan(
                step_of[step.id],
                step.id,
                step.display_title,
                stage.title,
                members,
                step.id in queued_steps,
                step.present,
            )
        )

    arrivals = _arrivals(settings)
    customers, horizon = settings.customers, settings.horizon
    if customers is None and horizon is None:
        customers = DEFAULT_CUSTOMERS
    if horizon is not None and horizon <= 0:
        raise SimulationError(
            "simulation.horizon must be longer than zero; write e.g. 8h", path=("simulation", "horizon")
        )
    schedule_times = [clock for clock, _ in arrivals.schedule]
    return Scenario(
        title=bp.title,
        tolerance=bp.tolerance,
        currency=bp.currency,
        cards=tuple(cards),
        steps=tuple(steps),
        resources=tuple(resources),
        gates=tuple(gates),
        arrivals=arrivals,
        start=start_clock(schedule_times, [r.hours for r in resources if r.hours is not None]),
        customers=customers,
        horizon=horizon,
        staff=tuple(sorted(_staff(bp))),
        aliases=tuple((normalise(name), actor.name) for actor in bp.actors for name in actor.names),
        notes=tuple(_notes(bp, cards)),
    )


def _notes(bp: Blueprint, cards: list[CardPlan]) -> list[str]:
    """What the reader should know about how the blueprint was read."""
    notes = []
    unsimulated = [c.id for c in cards if c.fail_text is not None and c.fail_p == 0]
    if unsimulated:
        notes.append(
            f"{len(unsimulated)} fail point(s) have no probability p and are not simulated: "
            + ", ".join(unsimulated[:5])
            + ("…" if len(unsimulated) > 5 else "")
        )
    replaced = [c.id for c in cards if c.observed_wait > 0 and c.wait == 0 and c.on_path]
    if replaced:
        notes.append(
            "observed waits replaced by simulated queueing (a scarce resource serves the step): "
            + ", ".join(replaced[:5])
            + ("…" if len(replaced) > 5 else "")
        )
    return notes


def _staff(bp: Blueprint) -> set[str]:
    roster = Roster(bp)
    names = {roster.canonical(card.actor) for _, card in bp.cards() if card.actor}
    return names | {card.department for _, card in bp.cards() if card.department} | roster.names()


def _resources(bp: Blueprint, settings: Simulation) -> list[ResourcePlan]:
    """The scarce resources: `simulation.resources` (by actor name, alias or
    department) and every declared actor with a capacity."""
    names = _staff(bp)
    roster = Roster(bp)
    plans: dict[str, ResourcePlan] = {}
    for index, actor in enumerate(bp.actors):
        if actor.capacity is not None:
            where: tuple[str | int, ...] = ("actors", index)
            hours = _hours(actor.hours, f"actors.{actor.name}", where)
            capacity = checked_capacity(actor.capacity, f"actors.{actor.name}.capacity", (*where, "capacity"))
            plans[actor.name] = ResourcePlan(actor.name, capacity, hours)
    for written, resource in settings.resources.items():
        name = roster.canonical(written)
        if name not in names:
            raise SimulationError(
                f"simulation.resources: {written!r} is not the actor or department of any card"
                f"{suggest(written, sorted(names))}.",
                hint="A resource is matched to cards by their `actor` (a name or an alias declared under "
                "`actors:`) or their `department`.",
                path=("simulation", "resources", written),
            )
        at: tuple[str | int, ...] = ("simulation", "resources", written)
        hours = _hours(resource.hours, f"simulation.resources.{written}", at)
        capacity = checked_capacity(resource.capacity, f"simulation.resources.{written}", at)
        plans[name] = ResourcePlan(name, capacity, hours)
    return list(plans.values())


def _hours(text: str | None, where: str, path: tuple[str | int, ...]) -> Hours | None:
    try:
        return Hours.parse(text) if text else None
    except ValueError as error:
        raise SimulationError(f"{where}.hours: {error}", path=(*path, "hours")) from None


def _near_misses(bp: Blueprint, roster: Roster, resources: list[str], card_resource: dict[str, int | None]) -> None:
    """A card whose actor is a near miss of a resource's name would silently fall
    out of the resource and change the bottleneck: an error naming both."""
    if not resources:
        return
    for place, card in bp.cards():
        if card_resource[card.id] is not None or not card.actor or roster.actor(card.actor) is not None:
            continue
        for resource in resources:
            if near_actor_name(card.actor, resource):
                raise SimulationError(
                    f"card {card.id!r} (step {place.step.id!r}) is done by {card.actor!r}, which is nearly the "
                    f"resource {resource!r} but not the same name, so the simulation would leave the card out "
                    "of that resource.",
                    hint=f"If they are one role, write {resource!r} on the card or declare it under `actors:` "
                    f"as `{{name: {resource}, aliases: [{card.actor}]}}`; if they differ, declare "
                    f"{card.actor!r} as its own actor under `actors:`.",
                    card=card.id,
                )


def _arrivals(settings: Simulation) -> ArrivalPlan:
    arrivals = settings.arrivals
    where: tuple[str | int, ...] = ("simulation", "arrivals", "schedule")
    if arrivals.schedule:
        schedule = []
        for clock, rate in arrivals.schedule.items():
            try:
                schedule.append((parse_clock(clock) % DAY, rate / 3600.0))
            except ValueError as error:
                raise SimulationError(f"simulation.arrivals.schedule: {error}", path=(*where, clock)) from None
        if not any(rate > 0 for _, rate in schedule):
            raise SimulationError(
                "simulation.arrivals.schedule: every rate is zero, so no customer ever arrives", path=where
            )
        return ArrivalPlan(schedule=tuple(sorted(schedule)))
    rate = arrivals.rate or 0.0
    if rate <= 0:
        raise SimulationError(
            "simulation.arrivals.rate must be more than zero; write e.g. 10/h", path=("simulation", "arrivals", "rate")
        )
    return ArrivalPlan(rate=rate / 3600.0)
