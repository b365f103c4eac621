"""The opportunity board: a blueprint's opportunities on a value/effort
matrix (value 1–5 up, effort 1–5 right), their status and owner, and the
cards each one targets. Changes from the board are model operations applied
through `Blueprints.apply`, so each is a version like any other edit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, get_args

from stageline.model import Blueprint, Opportunity
from stageline.model.operations import Operation, SetProperty
from stageline.server.services.access import Action
from stageline.server.services.base import Actor
from stageline.server.services.blueprints import Blueprints, Change, Opened
from stageline.server.services.errors import Invalid, NotFound

STATUSES: tuple[str, ...] = get_args(Opportunity.model_fields["status"].annotation)
STATUS_LABELS = {"idea": "Idea", "planned": "Planned", "testing": "Testing", "done": "Done", "dropped": "Dropped"}
SCORES = (1, 2, 3, 4, 5)
EDITABLE = ("status", "value", "effort", "owner")
MAX_OWNER = 200

# The corners of the matrix, by (high value, high effort); the middle row and
# column (3) belong to no quadrant.
QUADRANTS = {
    (True, False): ("quick-wins", "Quick wins", "High value, low effort: do these first."),
    (True, True): ("big-bets", "Big bets", "High value, high effort: plan them."),
    (False, False): ("fill-ins", "Fill-ins", "Low value, low effort: when there is time."),
    (False, True): ("money-pits", "Money pits", "Low value, high effort: think twice."),
}


def quadrant(value: int | None, effort: int | None) -> str | None:
    if value is None or effort is None or value == 3 or effort == 3:
        return None
    return QUADRANTS[(value > 3, effort > 3)][0]


@dataclass(frozen=True)
class Target:
    """A card an opportunity targets, described for people."""

    id: str
    text: str
    step: str
    lane: str


@dataclass(frozen=True)
class Item:
    opportunity: Opportunity
    targets: tuple[Target, ...]

    @property
    def id(self) -> str:
        return self.opportunity.id

    @property
    def scored(self) -> bool:
        return self.opportunity.value is not None and self.opportunity.effort is not None

    @property
    def quadrant(self) -> str | None:
        return quadrant(self.opportunity.value, self.opportunity.effort)

    def to_json(self) -> dict[str, Any]:
        o = self.opportunity
        return {
            "id": o.id, "title": o.title, "status": o.status, "owner": o.owner, "value": o.value,
            "effort": o.effort, "quadrant": self.quadrant, "targets": [t.id for t in self.targets],
        }  # fmt: skip


@dataclass
class Board:
    """Every opportunity, where it sits on the matrix, and the status filter."""

    items: list[Item]
    shown: frozenset[str]
    cells: dict[tuple[int, int], list[Item]] = field(default_factory=dict)
    unscored: list[Item] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(item.opportunity.status for item in self.items)

    def visible(self, item: Item) -> bool:
        return item.opportunity.status in self.shown

    def cell(self, value: int, effort: int) -> list[Item]:
        return self.cells.get((value, effort), [])

    def item(self, opportunity_id: str | None) -> Item | None:
        return next((item for item in self.items if item.id == opportunity_id), None)


def _targets(blueprint: Blueprint, opportunity: Opportunity) -> tuple[Target, ...]:
    found = []
    places = {
        card.id: (step, lane) for _, step in blueprint.steps() for lane, cards in step.cells.items() for card in cards
    }
    for card_id in opportunity.targets:
        if card_id not in blueprint.index.cards:
            continue
        step, lane = places.get(card_id, (None, ""))
        lane_title = blueprint.lane(lane).title if lane in blueprint.index.lanes else lane
        found.append(Target(card_id, blueprint.card(card_id).text, step.display_title if step else "", lane_title))
    return tuple(found)


def statuses(chosen: Iterable[str] | None) -> frozenset[str]:
    """The statuses to show: all when none are chosen; unknown ones are an error."""
    picked = [status for status in (chosen or []) if status]
    unknown = [status for status in picked if status not in STATUSES]
    if unknown:
        raise Invalid(f"unknown status {unknown[0]!r}; choose from {', '.join(STATUSES)}", details={"field": "status"})
    return frozenset(picked) if picked else frozenset(STATUSES)


def build_board(blueprint: Blueprint, shown: Iterable[str] | None = None) -> Board:
    board = Board([Item(o, _targets(blueprint, o)) for o in blueprint.opportunities], statuses(shown))
    for item in board.items:
        o = item.opportunity
        if o.value is not None and o.effort is not None:
            board.cells.setdefault((o.value, o.effort), []).append(item)
        else:
            board.unscored.append(item)
    return board


def _score(name: str, raw: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if raw not in {str(n) for n in SCORES}:
        raise Invalid(f"{name} is a score from 1 to 5 (or empty for not scored), not {raw!r}", details={"field": name})
    return int(raw)


def parse_fields(form: Mapping[str, str | None]) -> dict[str, Any]:
    """The board form's values as the model's: scores as numbers, empty as None."""
    parsed: dict[str, Any] = {}
    for name in EDITABLE:
        raw = form.get(name)
        if raw is None:
            continue
        if name == "status":
            if raw not in STATUSES:
                raise Invalid(f"status is one of {', '.join(STATUSES)}, not {raw!r}", details={"field": "status"})
            parsed[name] = raw
        elif name == "owner":
            owner = " ".join(raw.split())
            if len(owner) > MAX_OWNER:
                raise Invalid(f"an owner has at most {MAX_OWNER} characters", details={"field": "owner"})
            parsed[name] = owner or None
        else:
            parsed[name] = _score(name, raw)
    return parsed


class Opportunities:
    def __init__(self, blueprints: Blueprints) -> None:
        self.blueprints = blueprints

    def board(self, actor: Actor, blueprint_id: int, shown: Iterable[str] | None = None) -> tuple[Opened, Board]:
        opened = self.blueprints.open(actor, blueprint_id)
        return opened, build_board(opened.shared, shown)

    def update(
        self,
        actor: Actor,
        blueprint_id: int,
        opportunity_id: str,
        values: Mapping[str, Any],
        was: Mapping[str, Any] | None = None,
    ) -> Change | None:
        """Set the opportunity's fields in `values` (status, value, effort,
        owner) as one new version; None when nothing changes. With `was` (the
        values the person saw), only the fields they changed are written, so a
        change someone else made meanwhile to another field is kept."""
        opened = self.blueprints.open(actor, blueprint_id, Action.EDIT)
        opportunity = opened.shared.index.opportunities.get(opportunity_id)
        if opportunity is None:
            raise NotFound(f"this blueprint has no opportunity {opportunity_id!r}")
        ops: list[Operation] = []
        for name in EDITABLE:
            if name not in values:
                continue
            before = was[name] if was is not None and name in was else getattr(opportunity, name)
            if values[name] != before and values[name] != getattr(opportunity, name):
                ops.append(SetProperty(target=opportunity_id, field=name, value=values[name]))
        if not ops:
            return None
        return self.blueprints.apply(blueprint_id, ops, actor)
