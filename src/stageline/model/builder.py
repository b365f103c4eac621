"""Write a blueprint in code: a thin layer over the operations.

bp = (
    BlueprintBuilder("Overnight hotel stay", tolerance="2h")
    .stage("arrival", "Arrival")
    .step("check-in", customer="Check in", frontstage={"text": "Register guest", "actor": "Clerk"})
    .link("check-in.customer", "check-in.frontstage", two_way=True)
    .build()
)
"""

from __future__ import annotations

from typing import Any

from stageline.model.blueprint import Blueprint
from stageline.model.elements import Card, Lane, Link, Opportunity, Stage, Step
from stageline.model.ids import auto_card_id
from stageline.model.operations import (
    AddCard,
    AddLane,
    AddLink,
    AddOpportunity,
    AddStage,
    AddStep,
    SetProperty,
)

CardSpec = str | dict[str, Any] | Card


class BlueprintBuilder:
    def __init__(self, title: str, **properties: Any) -> None:
        self._bp = Blueprint(title=title)
        for name, value in properties.items():
            SetProperty(field=name, value=value).apply(self._bp)
        self._stage: str | None = None

    def lane(self, lane_id: str, title: str, *, visible: bool, index: int | None = None) -> BlueprintBuilder:
        AddLane(lane=Lane(id=lane_id, title=title, visible=visible), index=index).apply(self._bp)
        return self

    def stage(self, stage_id: str, title: str) -> BlueprintBuilder:
        AddStage(stage=Stage(id=stage_id, title=title)).apply(self._bp)
        self._stage = stage_id
        return self

    def step(self, step_id: str, title: str | None = None, **lanes: CardSpec | list[CardSpec]) -> BlueprintBuilder:
        """Add a step to the last stage; each keyword is a lane holding a card or a list of cards."""
        if self._stage is None:
            raise ValueError("add a stage before its steps")
        AddStep(stage=self._stage, step=Step(id=step_id, title=title)).apply(self._bp)
        for lane_id, specs in lanes.items():
            for spec in specs if isinstance(specs, list) else [specs]:
                self.card(step_id, lane_id, spec)
        return self

    def card(self, step_id: str, lane_id: str, spec: CardSpec) -> BlueprintBuilder:
        cell = self._bp.step(step_id).cells.get(lane_id, [])
        if isinstance(spec, Card):
            card = spec
        else:
            data = {"text": spec} if isinstance(spec, str) else dict(spec)
            data.setdefault("id", auto_card_id(step_id, lane_id, len(cell) + 1))
            card = Card.model_validate(data)
        AddCard(step=step_id, lane=lane_id, card=card).apply(self._bp)
        return self

    def link(
        self, source: str, target: str, *, two_way: bool = False, label: str | None = None, p: float | None = None
    ) -> BlueprintBuilder:
        AddLink(link=Link(source=source, target=target, two_way=two_way, label=label, p=p)).apply(self._bp)
        return self

    def opportunity(self, opportunity_id: str, title: str, **fields: Any) -> BlueprintBuilder:
        AddOpportunity(opportunity=Opportunity(id=opportunity_id, title=title, **fields)).apply(self._bp)
        return self

    def build(self) -> Blueprint:
        return self._bp.copy_deep()
