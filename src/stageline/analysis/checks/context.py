"""What every rule needs to know about a blueprint, worked out once per check."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from stageline.analysis.actors import Roster
from stageline.analysis.graph import LinkGraph
from stageline.analysis.timing import TimeModel
from stageline.model import Blueprint, Card, Place, Stage, Step
from stageline.model.elements import CUSTOMER_LANE

if TYPE_CHECKING:
    from stageline.analysis.simulation.errors import SimulationError
    from stageline.analysis.simulation.scenario import Scenario

SUPPORT_LANE = "support"
MANAGEMENT_LANE = "management"
# Contact the customer has without seeing the employee (Bitner, Ostrom & Morgan
# 2008: backstage contact includes invisible contact such as a phone call).
INVISIBLE_CHANNELS = frozenset({"phone", "email", "mail"})


class Context:
    """A blueprint and the derived views rules share (lane roles, link graph, cards by id)."""

    def __init__(self, bp: Blueprint) -> None:
        self.bp = bp
        self.lane_ids = bp.lane_ids()
        self.lane_rank = {lane_id: i for i, lane_id in enumerate(self.lane_ids)}
        self.visible = {lane.id: lane.visible for lane in bp.lanes}
        self.customer_rank = self.lane_rank.get(CUSTOMER_LANE, -1)
        self.support_rank = self.lane_rank.get(SUPPORT_LANE, len(self.lane_ids))

    # -- lane roles --------------------------------------------------------
    def is_customer_side(self, lane: str) -> bool:
        """Above the line of interaction: the customer lane and what sits over it (evidence)."""
        return self.lane_rank.get(lane, len(self.lane_ids)) <= self.customer_rank

    def is_visible(self, lane: str) -> bool:
        return self.visible.get(lane, False)

    def is_frontstage(self, lane: str) -> bool:
        """Visible contact: below the line of interaction, above the line of visibility."""
        return self.is_visible(lane) and not self.is_customer_side(lane)

    def is_backstage(self, lane: str) -> bool:
        """Hidden contact work, above the line of internal interaction."""
        return not self.is_visible(lane) and self.lane_rank.get(lane, 0) < self.support_rank

    def is_support(self, lane: str) -> bool:
        return lane == SUPPORT_LANE

    def is_hidden(self, lane: str) -> bool:
        return not self.is_visible(lane)

    @cached_property
    def frontstage_lanes(self) -> list[str]:
        return [lane for lane in self.lane_ids if self.is_frontstage(lane)]

    # -- the simulation ----------------------------------------------------
    @cached_property
    def scenario(self) -> Scenario | SimulationError | None:
        """The `simulation` section built as `stageline simulate` builds it (no options,
        no customer simulated): None without a section, the SimulationError that stops it
        when it cannot be built. Built once for every rule that needs it; the simulation
        (numpy, simpy) loads only here."""
        if self.bp.simulation is None:
            return None
        from stageline.analysis.simulation import settings_of
        from stageline.analysis.simulation.errors import SimulationError
        from stageline.analysis.simulation.scenario import compile_scenario

        try:
            return compile_scenario(self.bp, settings_of(self.bp, None, None, None, None))
        except SimulationError as error:
            return error

    # -- cards -------------------------------------------------------------
    @cached_property
    def places(self) -> list[tuple[Place, Card]]:
        return list(self.bp.cards())

    @cached_property
    def place_of(self) -> dict[str, Place]:
        return {card.id: place for place, card in self.places}

    @cached_property
    def card_of(self) -> dict[str, Card]:
        return {card.id: card for _, card in self.places}

    def lane_of(self, card_id: str) -> str:
        return self.place_of[card_id].lane

    def step_cards(self, step: Step) -> list[Card]:
        return [card for cards in step.cells.values() for card in cards]

    def steps(self) -> list[tuple[Stage, Step]]:
        return list(self.bp.steps())

    @cached_property
    def graph(self) -> LinkGraph:
        return LinkGraph.of(self.bp)

    @cached_property
    def roster(self) -> Roster:
        """The blueprint's actors: declared ones and the names cards use."""
        return Roster(self.bp)

    @cached_property
    def time(self) -> TimeModel:
        """The customer's time through the blueprint (docs/time-model.md)."""
        return TimeModel(self.bp)

    @cached_property
    def targeted(self) -> set[str]:
        """Cards some opportunity targets."""
        return {target for opportunity in self.bp.opportunities for target in opportunity.targets}

    def linked_lanes(self, card_id: str) -> list[str]:
        """Lanes of the cards linked to this one, in either direction."""
        place_of = self.place_of
        return [place_of[other].lane for other in self.graph.neighbours.get(card_id, ()) if other in place_of]
