"""Which element of the old blueprint is which element of the new one.

Elements are matched by id first. Elements left over on both sides are then
paired by the similarity of their text (rapidfuzz's normalised Levenshtein
ratio, 0–100), so that renaming an id does not read as "removed + added".
Pairs are chosen greedily, best score first, so every element is matched at
most once. Links have no id of their own: they match when their endpoints
match after the cards have been matched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from stageline.model import Blueprint, Card, Lane, Link, Opportunity, Place, Stage, Step

# A text at least this similar matches wherever it moved to.
TEXT_THRESHOLD = 85.0
# In the same cell (matched step and same lane), a looser resemblance is enough.
SAME_CELL_THRESHOLD = 70.0
# Titles this close, with their contents alike, also match (a renamed step whose cards stayed).
TITLE_FLOOR = 60.0
CONTENT_THRESHOLD = 80.0

T = TypeVar("T")


def normalise(text: str) -> str:
    return default_process(text)


def similarity(a: str, b: str) -> float:
    return float(fuzz.ratio(normalise(a), normalise(b)))


@dataclass
class Matching:
    """Old id → new id for each kind, and which pairs were found by similarity."""

    lanes: dict[str, str] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)
    steps: dict[str, str] = field(default_factory=dict)
    cards: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    opportunities: dict[str, str] = field(default_factory=dict)
    reversed_links: set[str] = field(default_factory=set)

    def card(self, old_id: str) -> str | None:
        return self.cards.get(old_id)


@dataclass(frozen=True)
class _Candidate:
    score: float
    old: int
    new: int


def _greedy(candidates: list[_Candidate]) -> list[tuple[int, int]]:
    """Best pairs first, each side used once; ties go to document order."""
    chosen: list[tuple[int, int]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for candidate in sorted(candidates, key=lambda c: (-c.score, c.old, c.new)):
        if candidate.old in used_old or candidate.new in used_new:
            continue
        used_old.add(candidate.old)
        used_new.add(candidate.new)
        chosen.append((candidate.old, candidate.new))
    return chosen


def _similar_pairs(
    old: Sequence[T],
    new: Sequence[T],
    text: Callable[[T], str],
    cutoff: float,
    score: Callable[[T, T, float], float | None],
) -> list[tuple[T, T]]:
    """Pairs of `old` and `new` whose texts are at least `cutoff` alike and
    which `score` accepts (it returns None to refuse, else a ranking score)."""
    if not old or not new:
        return []
    choices = [normalise(text(item)) for item in new]
    candidates: list[_Candidate] = []
    for i, item in enumerate(old):
        query = normalise(text(item))
        for _, ratio, j in process.extract(
            query, choices, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=None
        ):
            ranked = score(item, new[j], float(ratio))
            if ranked is not None:
                candidates.append(_Candidate(ranked, i, j))
    return [(old[i], new[j]) for i, j in _greedy(candidates)]


def match(old: Blueprint, new: Blueprint) -> Matching:
    matching = Matching()
    _match_lanes(old, new, matching)
    _match_stages(old, new, matching)
    _match_steps(old, new, matching)
    _match_cards(old, new, matching)
    _match_links(old, new, matching)
    _match_opportunities(old, new, matching)
    return matching


def _by_id(old_ids: Sequence[str], new_ids: set[str]) -> dict[str, str]:
    return {element_id: element_id for element_id in old_ids if element_id in new_ids}


def _match_lanes(old: Blueprint, new: Blueprint, matching: Matching) -> None:
    matching.lanes = _by_id(old.lane_ids(), set(new.lane_ids()))
    left_old = [lane for lane in old.lanes if lane.id not in matching.lanes]
    taken = set(matching.lanes.values())
    left_new = [lane for lane in new.lanes if lane.id not in taken]

    def accept(a: Lane, b: Lane, ratio: float) -> float | None:
        # Standard lanes keep their ids, so only custom lanes can have been renamed.
        return ratio if not (a.standard or b.standard) and a.visible == b.visible else None

    for a, b in _similar_pairs(left_old, left_new, lambda lane: lane.title, TEXT_THRESHOLD, accept):
        matching.lanes[a.id] = b.id


def _contents_alike(a: str, b: str) -> bool:
    return bool(a or b) and similarity(a, b) >= CONTENT_THRESHOLD


def _match_stages(old: Blueprint, new: Blueprint, matching: Matching) -> None:
    matching.stages = _by_id([s.id for s in old.stages], set(new.index.stages))
    taken = set(matching.stages.values())
    left_old = [s for s in old.stages if s.id not in matching.stages]
    left_new = [s for s in new.stages if s.id not in taken]

    def contents(stage: Stage) -> str:
        return " | ".join(step.display_title for step in stage.steps)

    def accept(a: Stage, b: Stage, ratio: float) -> float | None:
        if ratio >= TEXT_THRESHOLD or _contents_alike(contents(a), contents(b)):
            return ratio
        return None

    for a, b in _similar_pairs(left_old, left_new, lambda s: s.title, TITLE_FLOOR, accept):
        matching.stages[a.id] = b.id


def _card_texts(step: Step) -> str:
    return " | ".join(card.text for cards in step.cells.values() for card in cards)


def _match_steps(old: Blueprint, new: Blueprint, matching: Matching) -> None:
    old_steps = [(stage, step) for stage, step in old.steps()]
    matching.steps = _by_id([step.id for _, step in old_steps], set(new.index.steps))
    taken = set(matching.steps.values())
    left_old = [pair for pair in old_steps if pair[1].id not in matching.steps]
    left_new = [pair for pair in new.steps() if pair[1].id not in taken]

    def accept(a: tuple[Stage, Step], b: tuple[Stage, Step], ratio: float) -> float | None:
        same_stage = matching.stages.get(a[0].id) == b[0].id
        if ratio >= TEXT_THRESHOLD or _contents_alike(_card_texts(a[1]), _card_texts(b[1])):
            return ratio + (10.0 if same_stage else 0.0)
        return None

    pairs = _similar_pairs(left_old, left_new, lambda pair: pair[1].display_title, TITLE_FLOOR, accept)
    for (_, a), (_, b) in pairs:
        matching.steps[a.id] = b.id


def _is_generated_id(card: Card, place: Place) -> bool:
    """Ids the format made up from the card's position (`step.lane`, `step.lane.2`)
    name a place, not a card: inserting a card above renumbers them."""
    prefix = f"{place.step.id}.{place.lane}"
    if card.id == prefix:
        return True
    return card.id.startswith(prefix + ".") and card.id[len(prefix) + 1 :].isdigit()


def _match_cards(old: Blueprint, new: Blueprint, matching: Matching) -> None:
    new_index = new.index.cards
    released: dict[str, str] = {}
    for place, card in old.cards():
        new_place = new_index.get(card.id)
        if new_place is None:
            continue
        twin = new_place.step.cells[new_place.lane][new_place.position]
        generated = _is_generated_id(card, place) and _is_generated_id(twin, new_place)
        if generated and similarity(card.text, twin.text) < SAME_CELL_THRESHOLD:
            released[card.id] = card.id
        else:
            matching.cards[card.id] = card.id

    taken = set(matching.cards.values())
    left_old = [(place, card) for place, card in old.cards() if card.id not in matching.cards]
    left_new = [(place, card) for place, card in new.cards() if card.id not in taken]

    def accept(a: tuple[Place, Card], b: tuple[Place, Card], ratio: float) -> float | None:
        same_step = matching.steps.get(a[0].step.id) == b[0].step.id
        same_lane = matching.lanes.get(a[0].lane) == b[0].lane
        if ratio < TEXT_THRESHOLD and not (same_step and same_lane):
            return None
        near = abs(a[0].position - b[0].position) == 0
        return ratio + 10.0 * same_step + 5.0 * same_lane + 1.0 * near

    for (_, a), (_, b) in _similar_pairs(left_old, left_new, lambda pair: pair[1].text, SAME_CELL_THRESHOLD, accept):
        matching.cards[a.id] = b.id

    # A generated id whose text changed beyond recognition, with nothing better
    # found for either side, is the same card edited in place.
    taken = set(matching.cards.values())
    for old_id, new_id in released.items():
        if old_id not in matching.cards and new_id not in taken:
            matching.cards[old_id] = new_id
            taken.add(new_id)


def _match_links(old: Blueprint, new: Blueprint, matching: Matching) -> None:
    new_links = {(link.source, link.target): link for link in new.links}
    taken: set[tuple[str, str]] = set()
    waiting: list[tuple[Link, str, str]] = []
    for link in old.links:
        source, target = matching.card(link.source), matching.card(link.target)
        if source is None or target is None:
            continue
        if (source, target) in new_links:
            matching.links[link.key] = new_links[(source, target)].key
            taken.add((source, target))
        else:
            waiting.append((link, source, target))
    # An arrow drawn the other way round is the same link, reversed.
    for link, source, target in waiting:
        if (target, source) in new_links and (target, source) not in taken:
            matching.links[link.key] = new_links[(target, source)].key
            taken.add((target, source))
            matching.reversed_links.add(link.key)


def _match_opportunities(old: Blueprint, new: Blueprint, matching: Matching) -> None:
    matching.opportunities = _by_id([o.id for o in old.opportunities], set(new.index.opportunities))
    taken = set(matching.opportunities.values())
    left_old = [o for o in old.opportunities if o.id not in matching.opportunities]
    left_new = [o for o in new.opportunities if o.id not in taken]

    def targets(opportunity: Opportunity) -> set[str]:
        return {matching.cards.get(t, f"old:{t}") for t in opportunity.targets}

    def accept(a: Opportunity, b: Opportunity, ratio: float) -> float | None:
        same_targets = bool(a.targets) and targets(a) == set(b.targets)
        return ratio if ratio >= TEXT_THRESHOLD or same_targets else None

    for a, b in _similar_pairs(left_old, left_new, lambda o: o.title, TITLE_FLOOR, accept):
        matching.opportunities[a.id] = b.id
