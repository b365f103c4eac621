"""The blueprint a visual diff draws: the new blueprint with what was removed
put back where it used to be, and a status for every element that differs.

The merged blueprint is built from a copy of the new one with the model's
operations, so it is a valid blueprint any renderer can draw. Removed
elements whose id the new blueprint reuses get a fresh id (`<id>.removed`
for cards, `<id>-removed` otherwise).
"""

from __future__ import annotations

from typing import Literal

from stageline.analysis.diff.result import BlueprintDiff
from stageline.model import Blueprint, Card, Lane, Link, Opportunity, Stage, Step
from stageline.model.operations import (
    AddCard,
    AddLane,
    AddLink,
    AddOpportunity,
    AddStage,
    AddStep,
    Operation,
    OperationError,
)

Status = Literal["added", "removed", "changed"]


def merged_blueprint(result: BlueprintDiff) -> tuple[Blueprint, dict[str, str]]:
    """The new blueprint plus the removed elements, and element id → status
    ("added" green, "removed" red, "changed" amber; moved elements count as changed)."""
    if result.old is None or result.new is None:
        raise ValueError("this diff does not carry its blueprints; compute it with stageline.analysis.diff.diff")
    return _Merger(result, result.old, result.new).run()


class _Merger:
    def __init__(self, result: BlueprintDiff, old: Blueprint, new: Blueprint) -> None:
        self.result, self.old = result, old
        self.merged = new.copy_deep()
        self.highlights: dict[str, str] = {}
        matches = result.matches
        # Old id → id in the merged blueprint, for everything that is (or is put back) there.
        self.lanes = dict(matches.get("lane", {}))
        self.stages = dict(matches.get("stage", {}))
        self.steps = dict(matches.get("step", {}))
        self.cards = dict(matches.get("card", {}))
        self.removed = {(entry.kind, entry.id) for entry in result.removed}
        index = self.merged.index
        # Every id in the merged blueprint, kept up to date as elements are put back.
        self.taken = set(index.cards) | set(index.steps) | set(index.stages) | set(index.lanes)
        self.taken |= set(index.opportunities)

    def run(self) -> tuple[Blueprint, dict[str, str]]:
        for entry in self.result.added:
            self.highlights[entry.id] = "added"
        for change in self.result.changed:
            if change.id is not None:
                self.highlights[change.id] = "changed"
        for move in self.result.moved:
            self.highlights.setdefault(move.id, "changed")
        self._lanes()
        self._stages()
        self._steps()
        self._cards()
        self._links()
        self._opportunities()
        return self.merged, self.highlights

    def _fresh(self, element_id: str, separator: str) -> str:
        candidate, n = element_id, 1
        while candidate in self.taken:
            candidate = f"{element_id}{separator}removed" + (f"{n}" if n > 1 else "")
            n += 1
        self.taken.add(candidate)
        return candidate

    def _put_back(self, new_id: str, attempts: list[Operation]) -> bool:
        """Apply the first of `attempts` that the blueprint accepts; mark `new_id` removed."""
        for operation in attempts:
            try:
                operation.apply(self.merged)
            except OperationError:
                continue
            self.highlights[new_id] = "removed"
            return True
        return False

    @staticmethod
    def _after(previous: list[str], present: dict[str, str], positions: dict[str, int]) -> int:
        """Just after the nearest earlier neighbour that is in the merged blueprint, else first."""
        for old_id in reversed(previous):
            merged_id = present.get(old_id)
            if merged_id is not None and merged_id in positions:
                return positions[merged_id] + 1
        return 0

    def _lanes(self) -> None:
        old_ids = self.old.lane_ids()
        for i, lane in enumerate(self.old.lanes):
            if ("lane", lane.id) not in self.removed:
                continue
            lane_id = self._fresh(lane.id, "-")
            start = self._after(old_ids[:i], self.lanes, self.merged.index.lanes)
            copy = Lane(id=lane_id, title=lane.title, visible=lane.visible)
            # Lane order has rules (visible lanes above hidden ones); try the old place first.
            order = [start, *(p for p in range(len(self.merged.lanes) + 1) if p != start)]
            attempts: list[Operation] = [AddLane(lane=copy, index=p) for p in order]
            if self._put_back(lane_id, attempts):
                self.lanes[lane.id] = lane_id

    def _stages(self) -> None:
        old_ids = [stage.id for stage in self.old.stages]
        for i, stage in enumerate(self.old.stages):
            if ("stage", stage.id) not in self.removed:
                continue
            stage_id = self._fresh(stage.id, "-")
            positions = {s.id: n for n, s in enumerate(self.merged.stages)}
            at = self._after(old_ids[:i], self.stages, positions)
            operation = AddStage(stage=Stage(id=stage_id, title=stage.title), index=at)
            if self._put_back(stage_id, [operation]):
                self.stages[stage.id] = stage_id

    def _steps(self) -> None:
        for stage in self.old.stages:
            old_ids = [step.id for step in stage.steps]
            target = self.stages.get(stage.id)
            for i, step in enumerate(stage.steps):
                if ("step", step.id) not in self.removed or target is None:
                    continue
                step_id = self._fresh(step.id, "-")
                positions = {s.id: n for n, s in enumerate(self.merged.stage(target).steps)}
                at = self._after(old_ids[:i], self.steps, positions)
                operation = AddStep(stage=target, step=Step(id=step_id, title=step.title), index=at)
                if self._put_back(step_id, [operation]):
                    self.steps[step.id] = step_id

    def _cards(self) -> None:
        for place, card in self.old.cards():
            if ("card", card.id) not in self.removed:
                continue
            step_id, lane_id = self.steps.get(place.step.id), self.lanes.get(place.lane)
            if step_id is None or lane_id is None:
                continue
            card_id = self._fresh(card.id, ".")
            cell = self.merged.step(step_id).cells.get(lane_id, [])
            positions = {c.id: n for n, c in enumerate(cell)}
            previous = [c.id for c in place.step.cells[place.lane][: place.position]]
            at = self._after(previous, self.cards, positions)
            copy = Card.model_validate({**card.model_dump(), "id": card_id})
            operation = AddCard(step=step_id, lane=lane_id, card=copy, index=at)
            if self._put_back(card_id, [operation]):
                self.cards[card.id] = card_id

    def _links(self) -> None:
        for link in self.old.links:
            if ("link", link.key) not in self.removed:
                continue
            source, target = self.cards.get(link.source), self.cards.get(link.target)
            if source is None or target is None:
                continue
            copy = Link(source=source, target=target, two_way=link.two_way, label=link.label, p=link.p)
            self._put_back(copy.key, [AddLink(link=copy)])

    def _opportunities(self) -> None:
        for i, opportunity in enumerate(self.old.opportunities):
            if ("opportunity", opportunity.id) not in self.removed:
                continue
            opportunity_id = self._fresh(opportunity.id, "-")
            targets = [self.cards[t] for t in opportunity.targets if t in self.cards]
            data = {**opportunity.model_dump(), "id": opportunity_id, "targets": targets}
            operation = AddOpportunity(
                opportunity=Opportunity.model_validate(data), index=min(i, len(self.merged.opportunities))
            )
            self._put_back(opportunity_id, [operation])
