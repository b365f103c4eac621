"""Short human summaries of changes, for the history: "Added card 'Check in'
to Check in / Customer actions"."""

from __future__ import annotations

from stageline.model import Blueprint
from stageline.model.operations import (
    AddCard,
    AddLane,
    AddLink,
    AddOpportunity,
    AddStage,
    AddStep,
    Batch,
    MoveCard,
    MoveLane,
    MoveOpportunity,
    MoveStage,
    MoveStep,
    Operation,
    OperationError,
    RemoveCard,
    RemoveLane,
    RemoveLink,
    RemoveOpportunity,
    RemoveStage,
    RemoveStep,
    Rename,
    SetProperty,
)

MAX_PHRASES = 3


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return f"'{text[: limit - 1]}…'" if len(text) > limit else f"'{text}'"


def _step(bp: Blueprint, step_id: str) -> str:
    if step_id in bp.index.steps:
        step = bp.step(step_id)
        return step.title or step.id
    return step_id


def _lane(bp: Blueprint, lane_id: str) -> str:
    return bp.lane(lane_id).title if lane_id in bp.index.lanes else lane_id


def _card(bp: Blueprint, card_id: str) -> str:
    return _quote(bp.card(card_id).text) if card_id in bp.index.cards else _quote(card_id)


def _element(bp: Blueprint, target: str | None) -> str:
    if target is None:
        return "the blueprint"
    kind = bp.index.kind(target)
    if kind == "card":
        return f"card {_card(bp, target)}"
    if kind == "step":
        return f"step {_quote(_step(bp, target))}"
    if kind == "stage":
        return f"stage {_quote(bp.stage(target).title)}"
    if kind == "lane":
        return f"lane {_quote(bp.lane(target).title)}"
    if kind == "opportunity":
        return f"opportunity {_quote(bp.opportunity(target).title)}"
    return f"link {target}"


def describe(op: Operation, bp: Blueprint) -> list[str]:
    """What `op` does to `bp` (which it has not been applied to yet)."""
    match op:
        case AddCard():
            return [f"Added card {_quote(op.card.text)} to {_step(bp, op.step)} / {_lane(bp, op.lane)}"]
        case RemoveCard():
            if op.id in bp.index.cards:
                place = bp.place(op.id)
                return [f"Removed card {_card(bp, op.id)} from {_step(bp, place.step.id)} / {_lane(bp, place.lane)}"]
            return [f"Removed card {_quote(op.id)}"]
        case MoveCard():
            return [f"Moved card {_card(bp, op.id)} to {_step(bp, op.step)} / {_lane(bp, op.lane)}"]
        case AddStep():
            stage = bp.stage(op.stage).title if op.stage in bp.index.stages else op.stage
            return [f"Added step {_quote(op.step.title or op.step.id)} to stage {_quote(stage)}"]
        case RemoveStep():
            return [f"Removed step {_quote(_step(bp, op.id))}"]
        case MoveStep():
            return [f"Moved step {_quote(_step(bp, op.id))}"]
        case AddStage():
            return [f"Added stage {_quote(op.stage.title)}"]
        case RemoveStage() | MoveStage():
            title = bp.stage(op.id).title if op.id in bp.index.stages else op.id
            return [f"{'Removed' if isinstance(op, RemoveStage) else 'Moved'} stage {_quote(title)}"]
        case AddLane():
            return [f"Added lane {_quote(op.lane.title)}"]
        case RemoveLane() | MoveLane():
            return [f"{'Removed' if isinstance(op, RemoveLane) else 'Moved'} lane {_quote(_lane(bp, op.id))}"]
        case AddLink():
            arrow = "↔" if op.link.two_way else "→"
            return [f"Linked {_card(bp, op.link.source)} {arrow} {_card(bp, op.link.target)}"]
        case RemoveLink():
            return [f"Unlinked {_card(bp, op.source)} and {_card(bp, op.target)}"]
        case AddOpportunity():
            return [f"Added opportunity {_quote(op.opportunity.title)}"]
        case RemoveOpportunity() | MoveOpportunity():
            verb = "Removed" if isinstance(op, RemoveOpportunity) else "Moved"
            return [f"{verb} {_element(bp, op.id)}"]
        case SetProperty():
            if op.target is None and op.field == "title":
                return [f"Renamed the blueprint to {_quote(str(op.value))}"]
            if op.value is None:
                return [f"Cleared {op.field} of {_element(bp, op.target)}"]
            return [f"Changed {op.field} of {_element(bp, op.target)}"]
        case Rename():
            return [f"Changed the id of {_element(bp, op.id)} to {_quote(op.new_id)}"]
        case Batch():
            # Each against `bp` as it is now (nothing is applied here): use
            # `apply_summarised` to describe a batch's operations as they apply.
            return [phrase for inner in op.ops for phrase in describe(inner, bp)]
    return [f"Applied {op.op}"]


def phrases_of(op: Operation, bp: Blueprint) -> list[str]:
    """`describe`, or a plain phrase when `op` names what is not there."""
    try:
        return describe(op, bp)
    except (LookupError, OperationError):
        return [f"Applied {op.op}"]


def apply_summarised(ops: list[Operation], bp: Blueprint) -> tuple[Operation, list[str]]:
    """Apply `ops` to `bp` all or none, as `apply_all` does, describing each (the
    operations of a batch one by one) just before it is applied; returns the
    inverse and the phrases."""
    inverses: list[Operation] = []
    phrases: list[str] = []
    try:
        for op in ops:
            if isinstance(op, Batch):
                inverse, inner = apply_summarised(op.ops, bp)
                phrases.extend(inner)
            else:
                phrases.extend(phrases_of(op, bp))
                inverse = op.apply(bp)
            inverses.append(inverse)
    except OperationError:
        for inverse in reversed(inverses):
            inverse.apply(bp)
        raise
    return Batch(ops=list(reversed(inverses))), phrases


def summarise(ops: list[Operation], before: Blueprint) -> str:
    """One line for the history (`before` is changed: pass a copy); the phrases
    up to an operation that does not apply."""
    phrases: list[str] = []
    for op in ops:
        try:
            phrases.extend(apply_summarised([op], before)[1])
        except OperationError:
            break
    return join(phrases) or "No change"


def summary_of(phrases: list[str]) -> str:
    """The history's line for what `apply_summarised` described."""
    return join(phrases) or "No change"


def join(phrases: list[str]) -> str:
    if len(phrases) <= MAX_PHRASES:
        return "; ".join(phrases)
    rest = len(phrases) - MAX_PHRASES + 1
    return "; ".join(phrases[: MAX_PHRASES - 1]) + f"; and {rest} more changes"


def compare(before: Blueprint, after: Blueprint) -> str:
    """A summary of a whole-document replacement."""
    phrases: list[str] = []
    if before.title != after.title:
        phrases.append(f"renamed to {_quote(after.title)}")
    for kind, old, new in (
        ("stage", set(before.index.stages), set(after.index.stages)),
        ("step", set(before.index.steps), set(after.index.steps)),
        ("card", set(before.index.cards), set(after.index.cards)),
        ("link", set(before.index.links), set(after.index.links)),
        ("opportunity", set(before.index.opportunities), set(after.index.opportunities)),
    ):
        added, removed = len(new - old), len(old - new)
        plural = "opportunities" if kind == "opportunity" else f"{kind}s"
        if added:
            phrases.append(f"{added} {kind if added == 1 else plural} added")
        if removed:
            phrases.append(f"{removed} {kind if removed == 1 else plural} removed")
    changed = sum(
        1 for card_id in set(before.index.cards) & set(after.index.cards) if before.card(card_id) != after.card(card_id)
    )
    if changed:
        phrases.append(f"{changed} card{'s' if changed != 1 else ''} changed")
    if not phrases and before != after:
        phrases.append("details changed")
    return ", ".join(phrases) if phrases else "no changes"
