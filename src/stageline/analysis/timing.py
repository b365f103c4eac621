"""How long a step takes for the customer, one rule shared by checks and metrics.

Shostack (1984) sets a standard execution time per step and compares the
whole with the customer's tolerance. Within one step (one column):

* customer-facing time = the waits on customer-visible cards, added up, plus
  the longest visible lane, where a lane's time is the sum of its cards'
  durations. Cards in one cell follow each other; visible lanes run alongside
  each other (the clerk registers the guest while the guest checks in), so
  they are not double counted. Every wait is the customer waiting before that
  card, so waits add up.
* backstage time = the sum of the durations of cards below the line of
  visibility: work time, whether or not the customer waits for it.

Distributed durations count with their mean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from stageline.model import Blueprint, Card, Place, Step, mean_seconds


@dataclass(frozen=True)
class StepTime:
    wait: float
    service: float
    backstage: float

    @property
    def customer(self) -> float:
        """Customer-facing seconds: waits plus the longest visible lane."""
        return self.wait + self.service


def step_time(step: Step, visible: Callable[[str], bool]) -> StepTime:
    wait = service = backstage = 0.0
    for lane, cards in step.cells.items():
        lane_seconds = sum(mean_seconds(card.duration) for card in cards)
        if visible(lane):
            wait += sum(card.wait or 0.0 for card in cards)
            service = max(service, lane_seconds)
        else:
            backstage += lane_seconds
    return StepTime(wait, service, backstage)


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
