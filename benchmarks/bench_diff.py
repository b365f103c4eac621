"""Diff of two 1,000-card blueprints, one derived from the other by ~10 %
changes (edits, moves, removals, additions, id renames): under 1 s."""

from __future__ import annotations

import random

from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark
from stageline.analysis.diff import diff
from stageline.analysis.diff.visual import merged_blueprint
from stageline.model import Blueprint, Card
from stageline.model.operations import AddCard, MoveCard, Operation, RemoveCard, Rename, SetProperty, apply_all


def derived(old: Blueprint, share: float = 0.1, seed: int = 1) -> Blueprint:
    """A copy of `old` with about `share` of its cards edited, moved, removed,
    renamed or added, all through the model's operations."""
    rng = random.Random(seed)
    new = old.copy_deep()
    cards = [card.id for _, card in new.cards()]
    steps = [step.id for _, step in new.steps()]
    lanes = new.lane_ids()
    chosen = rng.sample(cards, int(len(cards) * share))
    ops: list[Operation] = []
    for n, card_id in enumerate(chosen):
        action = n % 5
        if action == 0:
            ops.append(SetProperty(target=card_id, field="text", value=new.card(card_id).text + " again"))
        elif action == 1:
            ops.append(SetProperty(target=card_id, field="duration", value=rng.choice([30, 120, 600])))
        elif action == 2:
            ops.append(MoveCard(id=card_id, step=rng.choice(steps), lane=rng.choice(lanes)))
        elif action == 3:
            ops.append(RemoveCard(id=card_id))
        else:
            ops.append(Rename(id=card_id, new_id=f"renamed-{n}"))
    for n in range(len(chosen) // 5):
        card = Card(id=f"added-{n}", text=f"New touchpoint number {n}")
        ops.append(AddCard(step=rng.choice(steps), lane=rng.choice(lanes), card=card))
    apply_all(new, ops)
    return new


def _pair() -> tuple[Blueprint, Blueprint]:
    old = generate_blueprint(cards=1000, links=2000, seed=0)
    return old, derived(old)


BENCHMARKS = [
    Benchmark("diff: 1,000 cards, 10 % changed (structure only)", lambda p: diff(*p, metrics=False), _pair, 1.0),
    Benchmark("diff: 1,000 cards, 10 % changed, with metric deltas", lambda p: diff(*p), _pair, repeat=3),
    Benchmark("diff: merged blueprint for the visual diff", lambda p: merged_blueprint(diff(*p, metrics=False)), _pair),
]
