"""A customer's way through the service, compiled once per kind of customer.

Customers differ only in which optional branches they take; everyone taking the
same branches follows the same route, so routes are compiled once per set of
branches and the engine walks flat tuples.
"""

from __future__ import annotations

from dataclasses import dataclass

from stageline.analysis.simulation.scenario import Scenario


@dataclass(frozen=True)
class Visit:
    """A stay at a resource: one or more cards served in one go by one unit."""

    resource: int
    cards: tuple[int, ...]  # the first card records the queue wait
    blocking: bool  # the customer waits for it; off-path work runs alongside


@dataclass(frozen=True)
class Route:
    executed: tuple[bool, ...]
    visits: tuple[Visit, ...]
    # Before each visit and after the last: the unconstrained cards the customer
    # waits for (their durations) and the fixed waits of the cards, in seconds.
    segments: tuple[tuple[tuple[int, ...], float], ...]


def executed_cards(scenario: Scenario, fired: tuple[bool, ...]) -> tuple[bool, ...]:
    """Which cards happen for a customer whose branches (`fired`, one per gate) went this way.

    A card behind links with `p` happens when one of those branches is taken from a
    card that happened; a card fed only by links from cards that did not happen
    does not happen either; every other card happens.
    """
    done = [True] * len(scenario.cards)
    gates = scenario.gates
    for card in scenario.cards:
        if card.gates:
            done[card.index] = any(fired[g] and done[gates[g].source] for g in card.gates)
        elif card.feeders:
            done[card.index] = any(done[f] for f in card.feeders)
    return tuple(done)


def compile_route(scenario: Scenario, executed: tuple[bool, ...]) -> Route:
    visits: list[Visit] = []
    segments: list[tuple[tuple[int, ...], float]] = []
    pending: list[int] = []
    fixed = 0.0

    def close() -> None:
        nonlocal pending, fixed
        segments.append((tuple(pending), fixed))
        pending, fixed = [], 0.0

    cards = scenario.cards
    for step in scenario.steps:
        for index in step.cards:
            card = cards[index]
            if executed[index] and not card.on_path and card.resource is not None:
                close()
                visits.append(Visit(card.resource, (index,), blocking=False))
        merging: int | None = None  # the visit the next card of the same resource joins
        for index in step.cards:
            card = cards[index]
            if not executed[index] or not card.on_path:
                continue
            if card.resource is None:
                takes_time = card.duration is not None or card.fail_p > 0 or card.wait > 0
                if takes_time:
                    pending.append(index)
                    fixed += card.wait
                    merging = None
                continue
            if merging is not None and visits[merging].resource == card.resource:
                # The unit that served the customer carries on with the next card.
                visit = visits[merging]
                visits[merging] = Visit(visit.resource, (*visit.cards, index), blocking=True)
                continue
            close()
            visits.append(Visit(card.resource, (index,), blocking=True))
            merging = len(visits) - 1
    close()
    return Route(executed, tuple(visits), tuple(segments))
