"""Workload per actor: who spends how much time on each customer.

Time comes from the time model's card durations (means), weighted by the share
of customers a card happens for (links with `p`). People (persons and teams)
and systems are reported apart: a share of the work means a share among
people, or among systems. Utilisation is worked out analytically at the
blueprint's arrival rate (`simulation.arrivals`; the peak of a schedule):
arrivals per second × seconds per customer ÷ capacity, with the capacity of
the declared actor or its simulation resource (no utilisation when neither says).

`actor_time_per_customer` is the public entry point other parts (opportunities,
team plans) build on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from stageline.analysis.actors import Kind, Roster
from stageline.model import Blueprint, mean_seconds


@dataclass(frozen=True)
class ActorLoad:
    actor: str
    kind: Kind
    seconds: float  # per customer
    share: float  # of the work of its group (people or systems)
    cards: int
    steps: list[str]
    departments: list[str]
    capacity: int
    utilisation: float | None  # at the arrival rate; None without one

    @property
    def is_system(self) -> bool:
        return self.kind == "system"


@dataclass(frozen=True)
class Workload:
    people: list[ActorLoad] = field(default_factory=list)
    systems: list[ActorLoad] = field(default_factory=list)
    rate: float | None = None  # customers per second the utilisation is computed at

    def all(self) -> list[ActorLoad]:
        return self.people + self.systems


def arrival_rate(bp: Blueprint) -> float | None:
    """Customers per second: the written rate, or a schedule's average over the day."""
    if bp.simulation is None:
        return None
    arrivals = bp.simulation.arrivals
    if arrivals.rate is not None:
        return arrivals.rate / 3600.0
    if not arrivals.schedule:
        return None
    points = sorted((_clock(clock), rate) for clock, rate in arrivals.schedule.items())
    total = 0.0
    for i, (start, rate) in enumerate(points):
        end = points[i + 1][0] if i + 1 < len(points) else points[0][0] + 86400.0
        total += rate * (end - start)
    return total / 86400.0 / 3600.0


def _clock(text: str) -> float:
    hours, minutes = text.split(":")
    return int(hours) * 3600.0 + int(minutes) * 60.0


def _happens(bp: Blueprint) -> dict[str, float]:
    """Share of customers each card happens for: links with `p` decide branches."""
    gated: dict[str, float] = {}
    for link in bp.links:
        if link.p is not None:
            gated[link.target] = max(gated.get(link.target, 0.0), link.p)
    return gated


def actor_time_per_customer(bp: Blueprint, roster: Roster | None = None) -> dict[str, float]:
    """Seconds of work per customer by actor (declared name, or department when a card names no actor)."""
    roster = roster or Roster(bp)
    gated = _happens(bp)
    seconds: dict[str, float] = {}
    for _, card in bp.cards():
        owner = roster.of_card(card)
        if owner is None or card.duration is None:
            continue
        seconds[owner] = seconds.get(owner, 0.0) + mean_seconds(card.duration) * gated.get(card.id, 1.0)
    return seconds


@dataclass
class _Tally:
    kind: Kind
    seconds: float = 0.0
    cards: int = 0
    steps: dict[str, None] = field(default_factory=dict)
    departments: dict[str, None] = field(default_factory=dict)


def workload(bp: Blueprint, roster: Roster | None = None) -> Workload:
    """Per actor: time per customer, share of the work, steps and departments, utilisation."""
    roster = roster or Roster(bp)
    rate = arrival_rate(bp)
    gated = _happens(bp)
    tallies: dict[str, _Tally] = {}
    for place, card in bp.cards():
        if place.lane == "customer":
            continue  # the customer's own actions are not the service's work
        owner = roster.of_card(card)
        if owner is None:
            continue
        tally = tallies.setdefault(owner, _Tally(roster.kind(owner, place.lane)))
        tally.seconds += mean_seconds(card.duration) * gated.get(card.id, 1.0)
        tally.cards += 1
        tally.steps.setdefault(place.step.id, None)
        department = roster.department(owner, card)
        if department:
            tally.departments.setdefault(department, None)
    resources = bp.simulation.resources if bp.simulation else {}
    loads: list[ActorLoad] = []
    for owner, tally in tallies.items():
        declared = roster.actor(owner)
        known = (declared.capacity if declared and declared.capacity else None) or (
            resources[owner].capacity if owner in resources else None
        )
        capacity = known or 1
        loads.append(
            ActorLoad(
                actor=owner,
                kind=tally.kind,
                seconds=tally.seconds,
                share=0.0,
                cards=tally.cards,
                steps=list(tally.steps),
                departments=list(tally.departments),
                capacity=capacity,
                # Only an actor whose capacity is known (declared, or a simulated resource) has a utilisation.
                utilisation=rate * tally.seconds / capacity if rate is not None and known else None,
            )
        )
    people = [load for load in loads if not load.is_system]
    systems = [load for load in loads if load.is_system]
    return Workload(_shared(people), _shared(systems), rate)


def _shared(loads: list[ActorLoad]) -> list[ActorLoad]:
    total = sum(load.seconds for load in loads)
    result = [replace(load, share=load.seconds / total if total else 0.0) for load in loads]
    return sorted(result, key=lambda load: (-load.seconds, -load.cards, load.actor))
