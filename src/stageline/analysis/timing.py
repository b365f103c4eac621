"""The time model: how long the customer spends in each step, one rule shared by
checks, metrics, the critical path, simulation, diff and the web panels.

docs/time-model.md explains it with examples. In short, within one step (one
column of the blueprint):

* Visible lanes run alongside each other: the customer's own action and the
  frontstage card(s) serving it happen at the same time (the guest checks in
  while the clerk registers them), so the step takes the longest visible lane.
  Cards in one cell follow each other, so a lane's time is the sum of its cards'
  durations.
* Hidden work (backstage, support) runs alongside the customer, out of sight,
  unless a link shows the customer waits for its result: a hidden card whose
  result reaches a visible card of the same step, along one-way links in their
  direction or two-way links either way. Such "waited-for" work adds its
  duration after the visible part.
* Every written `wait` is what was observed: the customer waiting before that
  card. Waits on visible and waited-for cards add up.
* A step marked `present: false` (a follow-up call the next day, an invoice sent
  later) counts in the elapsed time but not in the time in service.

Distributed durations count with their mean. `customer_time_per_step` is the
public entry point other parts (opportunities, team plans) build on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cached_property

from stageline.model import Blueprint, Card, Place, Step, mean_seconds


@dataclass(frozen=True)
class StepTime:
    """The customer's time in one step, in seconds."""

    wait: float  # written waits on visible and waited-for cards
    service: float  # the longest visible lane plus the waited-for hidden work
    backstage: float  # all hidden work of the step (work time, waited for or not)
    step: str = ""
    present: bool = True
    lane: str | None = None  # the visible lane that sets the step's time
    critical: tuple[str, ...] = ()  # the cards the step's time runs through, in order
    waited: tuple[str, ...] = ()  # hidden cards the customer waits for

    @property
    def customer(self) -> float:
        """Elapsed seconds for the customer: waits plus the longest visible lane plus waited-for work."""
        return self.wait + self.service

    @property
    def in_service(self) -> float:
        """Seconds the customer spends in the service: 0 for a step they are not present for."""
        return self.customer if self.present else 0.0


def step_time(step: Step, visible: Callable[[str], bool], waited: Collection[str] = ()) -> StepTime:
    """The time of one step; `waited` are the hidden cards (anywhere) the customer waits for."""
    wait = backstage = hidden = 0.0
    longest, lane_of_longest = -1.0, None
    critical_lane: tuple[str, ...] = ()
    waited_here: list[str] = []
    for lane, cards in step.cells.items():
        lane_seconds = sum(mean_seconds(card.duration) for card in cards)
        if visible(lane):
            wait += sum(card.wait or 0.0 for card in cards)
            if lane_seconds > max(longest, 0.0) or (lane_seconds == 0 and longest < 0):
                longest, lane_of_longest = lane_seconds, lane
                critical_lane = tuple(card.id for card in cards) if lane_seconds > 0 else ()
        else:
            backstage += lane_seconds
            for card in cards:
                if card.id in waited:
                    waited_here.append(card.id)
                    wait += card.wait or 0.0
                    hidden += mean_seconds(card.duration)
    return StepTime(
        wait=wait,
        service=max(longest, 0.0) + hidden,
        backstage=backstage,
        step=step.id,
        present=step.present,
        lane=lane_of_longest,
        critical=critical_lane + tuple(waited_here),
        waited=tuple(waited_here),
    )


def waited_cards(bp: Blueprint) -> set[str]:
    """Hidden cards whose result the customer waits for: a visible card of the same
    step is reached from them along links (one-way in their direction, two-way both)."""
    place_of = bp.index.cards
    visible_lanes = {lane.id for lane in bp.lanes if lane.visible}
    predecessors: dict[str, list[str]] = defaultdict(list)
    for link in bp.links:
        source, target = place_of.get(link.source), place_of.get(link.target)
        if source is None or target is None or source.step.id != target.step.id:
            continue
        predecessors[link.target].append(link.source)
        if link.two_way:
            predecessors[link.source].append(link.target)
    if not predecessors:
        return set()
    found: set[str] = set()
    frontier = [card_id for card_id in predecessors if place_of[card_id].lane in visible_lanes]
    seen = set(frontier)
    while frontier:
        for before in predecessors.get(frontier.pop(), ()):
            if before in seen:
                continue
            seen.add(before)
            if place_of[before].lane not in visible_lanes:
                found.add(before)
                frontier.append(before)
    return found


class TimeModel:
    """The customer's time through a blueprint, step by step."""

    def __init__(self, bp: Blueprint) -> None:
        self.bp = bp

    @cached_property
    def waited(self) -> set[str]:
        return waited_cards(self.bp)

    @cached_property
    def steps(self) -> list[StepTime]:
        visible_lanes = {lane.id for lane in self.bp.lanes if lane.visible}
        visible = visible_lanes.__contains__
        waited = self.waited
        return [step_time(step, visible, waited) for _, step in self.bp.steps()]

    @cached_property
    def by_step(self) -> dict[str, StepTime]:
        return {time.step: time for time in self.steps}

    @property
    def elapsed(self) -> float:
        """From the first step to the last, including steps the customer is not present for."""
        return sum(time.customer for time in self.steps)

    @property
    def in_service(self) -> float:
        """Time the customer spends in the service (steps they are present for)."""
        return sum(time.in_service for time in self.steps)

    @property
    def wait(self) -> float:
        return sum(time.wait for time in self.steps if time.present)

    def on_path(self, card_id: str) -> bool:
        """The customer spends this card's time: it is visible, or hidden work they wait for."""
        place = self.bp.index.cards.get(card_id)
        return place is not None and (self.bp.is_visible(place.lane) or card_id in self.waited)


def customer_time_per_step(bp: Blueprint) -> dict[str, StepTime]:
    """The time model of `bp`: per step id, the customer's wait, service and elapsed time."""
    return TimeModel(bp).by_step


def has_duration(step: Step) -> bool:
    return any(card.duration is not None for cards in step.cells.values() for card in cards)


def team_time(bp: Blueprint, team_of: Callable[[Place, Card], str | None]) -> dict[str, float]:
    """Seconds of work per customer for each team (`team_of` names a card's team,
    None for none): the mean durations of its cards, plus each fail point's
    recovery time weighted by its probability. The one place a team's time per
    customer is worked out (`stageline plan` before and after)."""
    totals: dict[str, float] = {}
    for place, card in bp.cards():
        team = team_of(place, card)
        if team is None:
            continue
        seconds = mean_seconds(card.duration)
        if card.fail is not None and card.fail.p and card.fail.recovery_time:
            seconds += card.fail.p * card.fail.recovery_time
        totals[team] = totals.get(team, 0.0) + seconds
    return totals


def total(times: Iterable[StepTime], *, present_only: bool = True) -> float:
    return sum(time.in_service if present_only else time.customer for time in times)
