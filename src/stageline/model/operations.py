"""Every change to a blueprint, as data.

The editor, the server, the importers and the builder all change blueprints
through these operations. Each one is validated before it touches the
blueprint (which is left unchanged when it fails) and returns its inverse,
so that undo is `op.apply(bp).apply(bp)`. Operations serialise to JSON
(`to_json` / `parse_operation`) to travel over the wire and into history.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from stageline.model.blueprint import Blueprint
from stageline.model.elements import (
    CARD_ID_PATTERN,
    CUSTOMER_LANE,
    ID_HELP,
    ID_PATTERN,
    STANDARD_LANES,
    Card,
    Lane,
    Link,
    Opportunity,
    Stage,
    Step,
    link_key,
)
from stageline.model.integrity import RESERVED_STEP_KEYS, lane_order_problems, suggest
from stageline.model.text import find_bad_text


class OperationError(ValueError):
    """An operation that cannot be applied; the blueprint is unchanged."""


def _fail(message: str) -> OperationError:
    return OperationError(message)


def _position(index: int | None, length: int, what: str) -> int:
    if index is None:
        return length
    if not 0 <= index <= length:
        raise _fail(f"{what} position {index} is out of range 0..{length}")
    return index


def _reorder(items: list[Any], item: Any, index: int, what: str) -> int:
    """Move `item` to `index` within `items`; return where it was."""
    old = items.index(item)
    _position(index, len(items) - 1, what)
    items.insert(index, items.pop(old))
    return old


def _ids_of_stage(stage: Stage) -> list[str]:
    ids = [stage.id]
    for step in stage.steps:
        ids.extend(_ids_of_step(step))
    return ids


def _ids_of_step(step: Step) -> list[str]:
    return [step.id] + [card.id for cards in step.cells.values() for card in cards]


def _all_ids(bp: Blueprint) -> set[str]:
    index = bp.index
    return set(index.stages) | set(index.steps) | set(index.cards) | set(index.opportunities) | set(index.lanes)


def _require_new_ids(bp: Blueprint, ids: list[str]) -> None:
    taken = _all_ids(bp)
    seen: set[str] = set()
    for element_id in ids:
        if element_id in taken or element_id in seen:
            raise _fail(f"id {element_id!r} is already used in this blueprint; choose another")
        seen.add(element_id)


def _require_lanes(bp: Blueprint, step: Step) -> None:
    lanes = bp.index.lanes
    for lane_id in step.cells:
        if lane_id not in lanes:
            raise _fail(f"lane {lane_id!r} does not exist{suggest(lane_id, list(lanes))}")


def _lookup(table: dict[str, Any], element_id: str, what: str) -> Any:
    if element_id not in table:
        raise _fail(f"no {what} has id {element_id!r}{suggest(element_id, list(table))}")
    return table[element_id]


def _detach_cards(bp: Blueprint, card_ids: set[str]) -> list[Operation]:
    """Remove links and opportunity targets that name these cards; return the
    operations that put them back."""
    restore: list[Operation] = []
    kept: list[Link] = []
    for position, link in enumerate(bp.links):
        if link.source in card_ids or link.target in card_ids:
            restore.append(AddLink(link=link, index=position))
        else:
            kept.append(link)
    bp.links[:] = kept
    for opportunity in bp.opportunities:
        if any(target in card_ids for target in opportunity.targets):
            restore.append(SetProperty(target=opportunity.id, field="targets", value=list(opportunity.targets)))
            opportunity.targets = [t for t in opportunity.targets if t not in card_ids]
    return restore


class BaseOperation(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def apply(self, bp: Blueprint) -> Operation:
        """Apply to `bp` in place; return the inverse operation."""
        try:
            inverse = self._apply(bp)
        finally:
            bp.invalidate()
        return inverse

    def _apply(self, bp: Blueprint) -> Operation:
        raise NotImplementedError  # every concrete operation overrides this

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


# -- stages ----------------------------------------------------------------
class AddStage(BaseOperation):
    op: Literal["add_stage"] = "add_stage"
    stage: Stage
    index: int | None = None

    def _apply(self, bp: Blueprint) -> Operation:
        position = _position(self.index, len(bp.stages), "stage")
        _require_new_ids(bp, _ids_of_stage(self.stage))
        for step in self.stage.steps:
            _require_lanes(bp, step)
        bp.stages.insert(position, self.stage.model_copy(deep=True))
        return RemoveStage(id=self.stage.id)


class RemoveStage(BaseOperation):
    op: Literal["remove_stage"] = "remove_stage"
    id: str

    def _apply(self, bp: Blueprint) -> Operation:
        stage = _lookup(bp.index.stages, self.id, "stage")
        position = bp.stages.index(stage)
        cards = {card.id for step in stage.steps for cards in step.cells.values() for card in cards}
        bp.stages.pop(position)
        restore = _detach_cards(bp, cards)
        return _batch([AddStage(stage=stage, index=position), *restore])


class MoveStage(BaseOperation):
    op: Literal["move_stage"] = "move_stage"
    id: str
    index: int

    def _apply(self, bp: Blueprint) -> Operation:
        old = _reorder(bp.stages, _lookup(bp.index.stages, self.id, "stage"), self.index, "stage")
        return MoveStage(id=self.id, index=old)


# -- steps -----------------------------------------------------------------
class AddStep(BaseOperation):
    op: Literal["add_step"] = "add_step"
    stage: str
    step: Step
    index: int | None = None

    def _apply(self, bp: Blueprint) -> Operation:
        stage = _lookup(bp.index.stages, self.stage, "stage")
        position = _position(self.index, len(stage.steps), "step")
        _require_new_ids(bp, _ids_of_step(self.step))
        _require_lanes(bp, self.step)
        stage.steps.insert(position, self.step.model_copy(deep=True))
        return RemoveStep(id=self.step.id)


class RemoveStep(BaseOperation):
    op: Literal["remove_step"] = "remove_step"
    id: str

    def _apply(self, bp: Blueprint) -> Operation:
        stage, step = _lookup(bp.index.steps, self.id, "step")
        position = stage.steps.index(step)
        stage.steps.pop(position)
        restore = _detach_cards(bp, {card.id for cards in step.cells.values() for card in cards})
        return _batch([AddStep(stage=stage.id, step=step, index=position), *restore])


class MoveStep(BaseOperation):
    op: Literal["move_step"] = "move_step"
    id: str
    stage: str
    index: int

    def _apply(self, bp: Blueprint) -> Operation:
        old_stage, step = _lookup(bp.index.steps, self.id, "step")
        new_stage = _lookup(bp.index.stages, self.stage, "stage")
        old = old_stage.steps.index(step)
        limit = len(new_stage.steps) - (1 if new_stage is old_stage else 0)
        _position(self.index, limit, "step")
        old_stage.steps.pop(old)
        new_stage.steps.insert(self.index, step)
        return MoveStep(id=self.id, stage=old_stage.id, index=old)


# -- lanes -----------------------------------------------------------------
def _check_lane_order(lanes: list[Lane]) -> None:
    problems = lane_order_problems(lanes)
    if problems:
        raise _fail(problems[0])


class AddLane(BaseOperation):
    op: Literal["add_lane"] = "add_lane"
    lane: Lane
    index: int | None = None

    def _apply(self, bp: Blueprint) -> Operation:
        position = _position(self.index, len(bp.lanes), "lane")
        if self.lane.id in RESERVED_STEP_KEYS:
            raise _fail(f"{self.lane.id!r} cannot be a lane id: steps use that key")
        _require_new_ids(bp, [self.lane.id])
        lanes = [*bp.lanes]
        lanes.insert(position, self.lane.model_copy())
        _check_lane_order(lanes)
        bp.lanes[:] = lanes
        return RemoveLane(id=self.lane.id)


class RemoveLane(BaseOperation):
    op: Literal["remove_lane"] = "remove_lane"
    id: str

    def _apply(self, bp: Blueprint) -> Operation:
        position = _lookup(bp.index.lanes, self.id, "lane")
        if self.id == CUSTOMER_LANE:
            raise _fail("the customer lane cannot be removed: a blueprint maps what a customer does")
        lane = bp.lanes[position]
        restore: list[Operation] = [AddLane(lane=lane, index=position)]
        removed: set[str] = set()
        for _, step in bp.steps():
            cards = step.cells.pop(self.id, [])
            restore.extend(AddCard(step=step.id, lane=self.id, card=card, index=i) for i, card in enumerate(cards))
            removed.update(card.id for card in cards)
        bp.lanes.pop(position)
        restore.extend(_detach_cards(bp, removed))
        return _batch(restore)


class MoveLane(BaseOperation):
    op: Literal["move_lane"] = "move_lane"
    id: str
    index: int

    def _apply(self, bp: Blueprint) -> Operation:
        old = _lookup(bp.index.lanes, self.id, "lane")
        _position(self.index, len(bp.lanes) - 1, "lane")
        lanes = [*bp.lanes]
        lanes.insert(self.index, lanes.pop(old))
        _check_lane_order(lanes)
        bp.lanes[:] = lanes
        return MoveLane(id=self.id, index=old)


# -- cards -----------------------------------------------------------------
class AddCard(BaseOperation):
    op: Literal["add_card"] = "add_card"
    step: str
    lane: str
    card: Card
    index: int | None = None

    def _apply(self, bp: Blueprint) -> Operation:
        _, step = _lookup(bp.index.steps, self.step, "step")
        _lookup(bp.index.lanes, self.lane, "lane")
        cell = step.cells.get(self.lane, [])
        position = _position(self.index, len(cell), "card")
        _require_new_ids(bp, [self.card.id])
        cell.insert(position, self.card.model_copy(deep=True))
        step.cells[self.lane] = cell
        return RemoveCard(id=self.card.id)


class RemoveCard(BaseOperation):
    op: Literal["remove_card"] = "remove_card"
    id: str

    def _apply(self, bp: Blueprint) -> Operation:
        place = _lookup(bp.index.cards, self.id, "card")
        cell = place.step.cells[place.lane]
        card = cell.pop(place.position)
        if not cell:
            del place.step.cells[place.lane]
        restore = _detach_cards(bp, {card.id})
        return _batch([AddCard(step=place.step.id, lane=place.lane, card=card, index=place.position), *restore])


class MoveCard(BaseOperation):
    op: Literal["move_card"] = "move_card"
    id: str
    step: str
    lane: str
    index: int | None = None

    def _apply(self, bp: Blueprint) -> Operation:
        place = _lookup(bp.index.cards, self.id, "card")
        _, target = _lookup(bp.index.steps, self.step, "step")
        _lookup(bp.index.lanes, self.lane, "lane")
        same_cell = target is place.step and self.lane == place.lane
        length = len(target.cells.get(self.lane, [])) - (1 if same_cell else 0)
        position = _position(self.index, length, "card")
        source = place.step.cells[place.lane]
        card = source.pop(place.position)
        if not source:
            del place.step.cells[place.lane]
        target.cells.setdefault(self.lane, []).insert(position, card)
        return MoveCard(id=self.id, step=place.step.id, lane=place.lane, index=place.position)


# -- links -----------------------------------------------------------------
class AddLink(BaseOperation):
    op: Literal["add_link"] = "add_link"
    link: Link
    index: int | None = None

    def _apply(self, bp: Blueprint) -> Operation:
        link = self.link
        cards = bp.index.cards
        for end in (link.source, link.target):
            _lookup(cards, end, "card")
        if link.source == link.target:
            raise _fail("a link cannot join a card to itself")
        if link.key in bp.index.links:
            raise _fail(f"cards {link.source!r} and {link.target!r} are already linked")
        reverse = bp.index.links.get(link_key(link.target, link.source))
        if reverse is not None and (reverse.two_way or link.two_way):
            raise _fail(f"cards {link.source!r} and {link.target!r} are already linked both ways")
        position = _position(self.index, len(bp.links), "link")
        bp.links.insert(position, link.model_copy())
        return RemoveLink(source=link.source, target=link.target)


class RemoveLink(BaseOperation):
    op: Literal["remove_link"] = "remove_link"
    source: str = Field(alias="from")
    target: str = Field(alias="to")

    def _apply(self, bp: Blueprint) -> Operation:
        link = _lookup(bp.index.links, link_key(self.source, self.target), "link")
        position = bp.links.index(link)
        bp.links.pop(position)
        return AddLink(link=link, index=position)


# -- opportunities ------------------------------------------------------------
class AddOpportunity(BaseOperation):
    op: Literal["add_opportunity"] = "add_opportunity"
    opportunity: Opportunity
    index: int | None = None

    def _apply(self, bp: Blueprint) -> Operation:
        position = _position(self.index, len(bp.opportunities), "opportunity")
        _require_new_ids(bp, [self.opportunity.id])
        for target in self.opportunity.targets:
            _lookup(bp.index.cards, target, "card")
        bp.opportunities.insert(position, self.opportunity.model_copy(deep=True))
        return RemoveOpportunity(id=self.opportunity.id)


class RemoveOpportunity(BaseOperation):
    op: Literal["remove_opportunity"] = "remove_opportunity"
    id: str

    def _apply(self, bp: Blueprint) -> Operation:
        opportunity = _lookup(bp.index.opportunities, self.id, "opportunity")
        position = bp.opportunities.index(opportunity)
        bp.opportunities.pop(position)
        return AddOpportunity(opportunity=opportunity, index=position)


class MoveOpportunity(BaseOperation):
    op: Literal["move_opportunity"] = "move_opportunity"
    id: str
    index: int

    def _apply(self, bp: Blueprint) -> Operation:
        opportunity = _lookup(bp.index.opportunities, self.id, "opportunity")
        old = _reorder(bp.opportunities, opportunity, self.index, "opportunity")
        return MoveOpportunity(id=self.id, index=old)


# -- properties and ids ----------------------------------------------------------
# Fields that only change through their own operations.
_STRUCTURAL = {
    "blueprint": {"stageline", "lanes", "stages", "links", "opportunities"},
    "stage": {"id", "steps"},
    "step": {"id", "cells"},
    "card": {"id"},
    "lane": {"id"},
    "opportunity": {"id"},
    "link": {"source", "target"},
}


def _element(bp: Blueprint, target: str | None) -> tuple[str, BaseModel]:
    if target is None:
        return "blueprint", bp
    index = bp.index
    kind = index.kind(target)
    if kind == "card":
        return kind, bp.card(target)
    if kind == "step":
        return kind, index.steps[target][1]
    if kind == "stage":
        return kind, index.stages[target]
    if kind == "lane":
        return kind, bp.lanes[index.lanes[target]]
    if kind == "opportunity":
        return kind, index.opportunities[target]
    if kind == "link":
        return kind, index.links[target]
    everything = [*index.cards, *index.steps, *index.stages, *index.opportunities, *index.lanes, *index.links]
    raise _fail(f"nothing in this blueprint has id {target!r}{suggest(target, everything)}")


def _validation_message(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


class SetProperty(BaseOperation):
    """Set one field of the blueprint (target None) or of the element whose id
    is `target` (a link's id is `from->to`). `None` clears an optional field.
    Applying it normalises `field` and `value` in place."""

    op: Literal["set"] = "set"
    target: str | None = None
    field: str
    value: Any = None

    def apply(self, bp: Blueprint) -> Operation:
        # Only a field of an element changes, in place: ids, positions and the
        # elements themselves stay (structural fields are refused), so the
        # blueprint's lookups stay valid and a stream of edits to a large
        # blueprint does not rebuild them every time.
        return self._apply(bp)

    def _apply(self, bp: Blueprint) -> Operation:
        kind, element = _element(bp, self.target)
        fields = type(element).model_fields
        name = self.field
        if name not in fields:
            aliases = {info.alias: key for key, info in fields.items() if info.alias}
            name = aliases.get(name, name)
        if name not in fields:
            raise _fail(f"a {kind} has no field {self.field!r}{suggest(self.field, list(fields))}")
        if name in _STRUCTURAL[kind]:
            raise _fail(f"{kind} field {self.field!r} changes through its own operation, not 'set'")
        trial = element.model_copy()
        try:
            type(element).__pydantic_validator__.validate_assignment(trial, name, self.value)
        except ValidationError as error:
            raise _fail(f"{kind} {self.target or ''} {_validation_message(error)}".replace("  ", " ")) from None
        new_value = getattr(trial, name)
        if kind == "opportunity" and name == "targets":
            for target in new_value:
                _lookup(bp.index.cards, target, "card")
        if kind == "lane" and name == "visible":
            lanes = [lane if lane is not element else trial for lane in bp.lanes]
            assert isinstance(trial, Lane)
            _check_lane_order(lanes)  # type: ignore[arg-type]
        old_value = getattr(element, name)
        setattr(element, name, new_value)
        # Applying normalises the operation ("5m" becomes 300.0, an alias its
        # field name), so that what the server broadcasts replays identically
        # on every client.
        self.field, self.value = name, new_value
        return SetProperty(target=self.target, field=name, value=old_value)


class Rename(BaseOperation):
    """Give an element a new id, updating every reference to it."""

    op: Literal["rename"] = "rename"
    id: str
    new_id: str

    def _apply(self, bp: Blueprint) -> Operation:
        import re

        index = bp.index
        kind = index.kind(self.id)
        if kind is None or kind == "link":
            raise _fail(f"nothing renameable has id {self.id!r}")
        pattern = CARD_ID_PATTERN if kind == "card" else ID_PATTERN
        if not re.match(pattern, self.new_id):
            raise _fail(f"{self.new_id!r} is not a valid id: {ID_HELP}")
        if self.new_id == self.id:
            return Rename(id=self.id, new_id=self.id)
        _require_new_ids(bp, [self.new_id])
        if kind == "lane":
            if self.id in STANDARD_LANES or self.new_id in STANDARD_LANES or self.new_id in RESERVED_STEP_KEYS:
                raise _fail("standard lanes keep their ids, and custom lanes cannot take a standard or reserved id")
            bp.lanes[index.lanes[self.id]].id = self.new_id
            for _, step in bp.steps():
                if self.id in step.cells:
                    step.cells = {self.new_id if k == self.id else k: v for k, v in step.cells.items()}
        elif kind == "card":
            bp.card(self.id).id = self.new_id
            for link in bp.links:
                link.source = self.new_id if link.source == self.id else link.source
                link.target = self.new_id if link.target == self.id else link.target
            for opportunity in bp.opportunities:
                opportunity.targets = [self.new_id if t == self.id else t for t in opportunity.targets]
        elif kind == "step":
            index.steps[self.id][1].id = self.new_id
        elif kind == "stage":
            index.stages[self.id].id = self.new_id
        else:
            index.opportunities[self.id].id = self.new_id
        return Rename(id=self.new_id, new_id=self.id)


class Batch(BaseOperation):
    """Several operations applied together: all of them, or none."""

    op: Literal["batch"] = "batch"
    ops: list[Operation]

    def _apply(self, bp: Blueprint) -> Operation:
        inverses: list[Operation] = []
        try:
            for operation in self.ops:
                inverses.append(operation.apply(bp))
        except OperationError:
            for inverse in reversed(inverses):
                inverse.apply(bp)
            raise
        return Batch(ops=list(reversed(inverses)))


def _batch(ops: list[Operation]) -> Operation:
    return ops[0] if len(ops) == 1 else Batch(ops=ops)


Operation = Annotated[
    AddStage
    | RemoveStage
    | MoveStage
    | AddStep
    | RemoveStep
    | MoveStep
    | AddLane
    | RemoveLane
    | MoveLane
    | AddCard
    | RemoveCard
    | MoveCard
    | AddLink
    | RemoveLink
    | AddOpportunity
    | RemoveOpportunity
    | MoveOpportunity
    | SetProperty
    | Rename
    | Batch,
    Field(discriminator="op"),
]
Batch.model_rebuild()

_ADAPTER: TypeAdapter[Operation] = TypeAdapter(Operation)


def parse_operation(data: dict[str, Any] | str | bytes) -> Operation:
    """An operation from its JSON form; raises OperationError with a clear message."""
    try:
        if isinstance(data, (str, bytes)):
            data = json.loads(data)
        bad = find_bad_text(data)
        if bad is not None:
            raise OperationError(f"invalid operation: {bad[0]} {bad[1]}")
        return _ADAPTER.validate_python(data)
    except json.JSONDecodeError as error:
        raise OperationError(f"invalid operation: not JSON ({error.msg})") from None
    except ValidationError as error:
        raise OperationError(f"invalid operation: {_validation_message(error)}") from None


def _flat(ops: list[Operation]) -> Iterator[Operation]:
    for op in ops:
        if isinstance(op, Batch):
            yield from _flat(op.ops)
        else:
            yield op


def copy_for(bp: Blueprint, ops: list[Operation]) -> Blueprint:
    """A copy of `bp` to apply `ops` to, leaving `bp` as it is: its structure
    (`Blueprint.copy_structure`) and the elements the operations change in place,
    the targets of `set` and `rename` (and every link, when a card is renamed)."""
    elements: set[str] = set()
    links = False
    for op in _flat(ops):
        if isinstance(op, SetProperty) and op.target is not None:
            elements.add(op.target)
        elif isinstance(op, Rename):
            elements.add(op.id)
            links = links or op.id in bp.index.cards
    return bp.copy_structure(elements, links=links)


def apply_all(bp: Blueprint, ops: list[Operation]) -> Operation:
    """Apply `ops` atomically; return the single operation that undoes them all."""
    return Batch(ops=ops).apply(bp)
