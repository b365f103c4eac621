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
    away: bool = False  # in a step the customer is not present for


@dataclass(frozen=True)
class Term:
    """The customer's time in one step beyond its queues (docs/time-model.md):
    the longest visible lane plus the waited-for hidden work, less what the
    step's blocking visits already hold the customer for (never below zero)."""

    lanes: tuple[tuple[int, ...], ...]
    plus: tuple[int, ...]
    minus: tuple[int, ...]


Segment = tuple[tuple[Term, ...], float]


@dataclass(frozen=True)
class Route:
    executed: tuple[bool, ...]
    visits: tuple[Visit, ...]
    # Before each visit and after the last: the steps' terms and the fixed
    # (written) waits the customer goes through, in seconds.
    segments: tuple[Segment, ...]
    # The part of the walk in steps the customer is not present for.
    away: Segment = ((), 0.0)


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
    segments: list[Segment] = []
    terms: list[Term] = []
    fixed = 0.0
    away_terms: list[Term] = []
    away_fixed = 0.0

    def close() -> None:
        nonlocal terms, fixed
        segments.append((tuple(terms), fixed))
        terms, fixed = [], 0.0

    cards = scenario.cards
    for step in scenario.steps:
        away = not step.present
        for index in step.cards:
            card = cards[index]
            if executed[index] and not card.on_path and card.resource is not None:
                close()
                visits.append(Visit(card.resource, (index,), blocking=False))
        taken = [index for index in step.cards if executed[index] and cards[index].on_path]
        waits = sum(cards[index].wait for index in taken)
        fixed += waits
        if away:
            away_fixed += waits
        lanes: dict[str, list[int]] = {}
        plus: list[int] = []
        minus: list[int] = []
        merging: int | None = None  # the visit the next card of the same resource joins
        for index in taken:
            card = cards[index]
            if card.visible:
                lanes.setdefault(card.lane, []).append(index)
            else:
                plus.append(index)
            if card.resource is None:
                continue
            minus.append(index)
            if merging is not None and visits[merging].resource == card.resource:
                # The unit that served the customer carries on with the next card.
                visit = visits[merging]
                visits[merging] = Visit(visit.resource, (*visit.cards, index), blocking=True, away=away)
                continue
            close()
            visits.append(Visit(card.resource, (index,), blocking=True, away=away))
            merging = len(visits) - 1
        if lanes or plus:
            term = Term(tuple(tuple(members) for members in lanes.values()), tuple(plus), tuple(minus))
            terms.append(term)
            if away:
                away_terms.append(term)
    close()
    return Route(executed, tuple(visits), tuple(segments), (tuple(away_terms), away_fixed))
