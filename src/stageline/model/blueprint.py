"""The blueprint: one customer scenario, its grid, links and opportunities."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, PrivateAttr, model_validator

from stageline.model.elements import (
    CUSTOMER_LANE,
    DEFAULT_LANES,
    STANDARD_LANES,
    Actor,
    Card,
    ChecksConfig,
    Element,
    Lane,
    Link,
    Opportunity,
    Simulation,
    Stage,
    Step,
    Text,
)
from stageline.model.quantities import Seconds
from stageline.model.text import find_bad_text

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Place:
    """Where a card sits: its stage, step, lane and position in the cell."""

    stage: Stage
    step: Step
    lane: str
    position: int


@dataclass(frozen=True)
class Line:
    """A line of the blueprint, derived from the order of the lanes."""

    name: Literal["interaction", "visibility", "internal-interaction", "implementation"]
    above: str
    below: str

    @property
    def title(self) -> str:
        return f"Line of {self.name.replace('-', ' ')}"


class Index:
    """Lookup tables over a blueprint, rebuilt after every change."""

    def __init__(self, blueprint: Blueprint) -> None:
        self.stages: dict[str, Stage] = {}
        self.steps: dict[str, tuple[Stage, Step]] = {}
        self.cards: dict[str, Place] = {}
        self.lanes: dict[str, int] = {lane.id: i for i, lane in enumerate(blueprint.lanes)}
        self.opportunities = {o.id: o for o in blueprint.opportunities}
        self.links = {link.key: link for link in blueprint.links}
        self.step_order: dict[str, int] = {}
        for stage in blueprint.stages:
            self.stages[stage.id] = stage
            for step in stage.steps:
                self.step_order[step.id] = len(self.step_order)
                self.steps[step.id] = (stage, step)
                for lane_id, cards in step.cells.items():
                    for position, card in enumerate(cards):
                        self.cards[card.id] = Place(stage, step, lane_id, position)

    def kind(self, element_id: str) -> str | None:
        for kind, table in (
            ("card", self.cards),
            ("step", self.steps),
            ("stage", self.stages),
            ("opportunity", self.opportunities),
            ("lane", self.lanes),
            ("link", self.links),
        ):
            if element_id in table:
                return kind
        return None


class Blueprint(Element):
    """A service blueprint. Change it through `stageline.model.operations` so that
    every change is validated and can be undone."""

    stageline: Literal[1] = 1
    title: Text
    scenario: str | None = None
    persona: str | None = None
    state: Literal["current", "future"] = "current"
    goal: str | None = None
    tolerance: Seconds | None = Field(None, description="Total time the customer will accept.")
    currency: str | None = None
    notes: str | None = Field(None, description="About the blueprint as a whole: where it came from, who reviewed it.")
    lanes: list[Lane] = Field(default_factory=lambda: [Lane.standard_lane(i) for i in DEFAULT_LANES])
    stages: list[Stage] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    opportunities: list[Opportunity] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    checks: ChecksConfig = Field(default_factory=ChecksConfig)
    simulation: Simulation | None = None

    _index: Index | None = PrivateAttr(None)

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        """Refuse text nothing can store (NUL, control characters, lone surrogates), naming the field."""
        if isinstance(data, dict):
            bad = find_bad_text(data)
            if bad is not None:
                raise ValueError(f"{bad[0]} {bad[1]}")
        return data

    def __eq__(self, other: object) -> bool:
        # Compare content only: the cached index is not part of a blueprint.
        return isinstance(other, Blueprint) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]

    # -- lookups ---------------------------------------------------------
    @property
    def index(self) -> Index:
        if self._index is None:
            self._index = Index(self)
        return self._index

    def invalidate(self) -> None:
        """Forget cached lookups; call after changing the blueprint by hand."""
        self._index = None

    def lane(self, lane_id: str) -> Lane:
        return self.lanes[self.index.lanes[lane_id]]

    def lane_ids(self) -> list[str]:
        return [lane.id for lane in self.lanes]

    def stage(self, stage_id: str) -> Stage:
        return self.index.stages[stage_id]

    def step(self, step_id: str) -> Step:
        return self.index.steps[step_id][1]

    def card(self, card_id: str) -> Card:
        place = self.index.cards[card_id]
        return place.step.cells[place.lane][place.position]

    def place(self, card_id: str) -> Place:
        return self.index.cards[card_id]

    def opportunity(self, opportunity_id: str) -> Opportunity:
        return self.index.opportunities[opportunity_id]

    def steps(self) -> Iterator[tuple[Stage, Step]]:
        for stage in self.stages:
            for step in stage.steps:
                yield stage, step

    def cards(self) -> Iterator[tuple[Place, Card]]:
        """Every card, column by column, lanes in their order within a column."""
        order = self.lane_ids()
        for stage in self.stages:
            for step in stage.steps:
                for lane_id in order:
                    for position, card in enumerate(step.cells.get(lane_id, ())):
                        yield Place(stage, step, lane_id, position), card

    def is_visible(self, lane_id: str) -> bool:
        return self.lane(lane_id).visible

    def links_of(self, card_id: str) -> list[Link]:
        return [link for link in self.links if card_id in (link.source, link.target)]

    # -- derived lines ---------------------------------------------------
    def lines(self) -> list[Line]:
        """The lines of interaction, visibility, internal interaction and
        implementation, each between the two lanes it separates."""
        ids = self.lane_ids()
        found: list[Line] = []

        def between(name: Any, upper: int, lower: int) -> None:
            if 0 <= upper < lower < len(ids):
                found.append(Line(name, ids[upper], ids[lower]))

        if CUSTOMER_LANE in ids:
            at = ids.index(CUSTOMER_LANE)
            between("interaction", at, at + 1)
        visible = [lane.visible for lane in self.lanes]
        if True in visible and False in visible:
            first_hidden = visible.index(False)
            between("visibility", first_hidden - 1, first_hidden)
        if "support" in ids:
            at = ids.index("support")
            between("internal-interaction", at - 1, at)
        if "management" in ids:
            at = ids.index("management")
            between("implementation", at - 1, at)
        return found

    # -- conveniences ------------------------------------------------------
    def copy_deep(self) -> Blueprint:
        return self.model_copy(deep=True)

    def copy_structure(self, elements: Collection[str] = (), *, links: bool = False) -> Blueprint:
        """A copy with containers of its own (the lists of lanes, stages, links,
        opportunities and actors; every stage, step and cell; every lane and
        opportunity) that shares the other elements with this blueprint: cards,
        links, actors, checks and the simulation. Those named in `elements` (by
        id, a link by its key `from->to`) are copied too, and every link when
        `links`. Operations that change only those in place leave this blueprint
        as it was (`stageline.model.operations.copy_for` works out which); a
        fraction of `copy_deep` on a large blueprint."""
        copied = set(elements)
        copy = self.model_copy()
        copy._index = None
        copy.lanes = [lane.model_copy() for lane in self.lanes]
        copy.stages = [_copy_stage(stage, copied) for stage in self.stages]
        copy.links = [link.model_copy() if links or link.key in copied else link for link in self.links]
        copy.opportunities = [opportunity.model_copy() for opportunity in self.opportunities]
        copy.actors = list(self.actors)
        return copy


def _copy_stage(stage: Stage, copied: set[str]) -> Stage:
    return stage.model_copy(update={"steps": [_copy_step(step, copied) for step in stage.steps]})


def _copy_step(step: Step, copied: set[str]) -> Step:
    cells = {
        lane: [card.model_copy(deep=True) if card.id in copied else card for card in cards]
        for lane, cards in step.cells.items()
    }
    return step.model_copy(update={"cells": cells})


def standard_lane_ids() -> list[str]:
    return list(STANDARD_LANES)
