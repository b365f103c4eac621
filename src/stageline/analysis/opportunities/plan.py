"""What a future state means for each team: their cards added, removed and
changed, the handoffs they gain and lose, the fail points they now own, and
their time per customer before and after.

Cards are matched by the diff engine (`stageline.analysis.diff`), so a card
whose id changed but whose text is alike counts as changed, not as removed and
added. A card's team is its department, or its actor where it names no
department; customer actions belong to "Customer", other cards without either
to "Unassigned", so nothing in the change is left out. docs/opportunities.md
explains it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from stageline.analysis.diff import diff
from stageline.analysis.diff.summary import field_value
from stageline.analysis.simulation import display
from stageline.analysis.timing import team_time
from stageline.model import Blueprint, Card, Link, Place
from stageline.model.elements import CUSTOMER_LANE

CUSTOMER_TEAM = "Customer"
UNASSIGNED_TEAM = "Unassigned"
# Cards without a department or actor: a link to them is no handoff between teams.
NOT_TEAMS = frozenset({CUSTOMER_TEAM, UNASSIGNED_TEAM})
CSV_COLUMNS = ("Summary", "Description", "Component/Team", "Labels", "Due")


def team_of(place: Place, card: Card) -> str:
    """The team a card belongs to: department, else actor, else Customer/Unassigned."""
    if card.department:
        return card.department
    if card.actor:
        return card.actor
    return CUSTOMER_TEAM if place.lane == CUSTOMER_LANE else UNASSIGNED_TEAM


@dataclass(frozen=True)
class CardItem:
    id: str
    text: str
    step: str


@dataclass(frozen=True)
class ChangedCard:
    id: str
    text: str
    step: str
    fields: dict[str, tuple[Any, Any]]


@dataclass(frozen=True)
class Handoff:
    source: str
    target: str
    other: str  # the team at the other end
    label: str | None
    description: str  # `Check in → Register guest`


@dataclass(frozen=True)
class OwnedFailPoint:
    card: str
    text: str
    recovery: str | None
    card_text: str


@dataclass
class TeamPlan:
    name: str
    department: str | None
    added: list[CardItem] = field(default_factory=list)
    removed: list[CardItem] = field(default_factory=list)
    changed: list[ChangedCard] = field(default_factory=list)
    handoffs_added: list[Handoff] = field(default_factory=list)
    handoffs_removed: list[Handoff] = field(default_factory=list)
    fail_points: list[OwnedFailPoint] = field(default_factory=list)
    before: float = 0.0
    after: float = 0.0

    @property
    def affected(self) -> bool:
        return bool(
            self.added
            or self.removed
            or self.changed
            or self.handoffs_added
            or self.handoffs_removed
            or self.fail_points
            or abs(self.after - self.before) > 1e-9
        )

    def to_dict(self) -> dict[str, Any]:
        def handoff(h: Handoff) -> dict[str, Any]:
            return {"from": h.source, "to": h.target, "with": h.other, "label": h.label}

        return {
            "department": self.department,
            "added": [c.id for c in self.added],
            "removed": [c.id for c in self.removed],
            "changed": [
                {"id": c.id, "fields": {k: [old, new] for k, (old, new) in c.fields.items()}} for c in self.changed
            ],
            "handoffs": {
                "added": [handoff(h) for h in self.handoffs_added],
                "removed": [handoff(h) for h in self.handoffs_removed],
            },
            "fail_points": [
                {"card": f.card, "text": f.text, "recovery": f.recovery} for f in self.fail_points
            ],
            "time_per_customer": {"before": self.before, "after": self.after},
        }  # fmt: skip

    def work_items(self) -> list[tuple[str, str, str]]:
        """(summary, description, label) of each thing the team has to do."""
        items: list[tuple[str, str, str]] = []
        for added in self.added:
            items.append((f"Start: {added.text}", f"New card {added.id!r} in step {added.step!r}.", "add-card"))
        for gone in self.removed:
            where = f"Card {gone.id!r} in step {gone.step!r} is gone in the future state."
            items.append((f"Stop: {gone.text}", where, "remove-card"))
        for changed in self.changed:
            what = "; ".join(
                f"{name}: {field_value(name, old)} → {field_value(name, new)}"
                for name, (old, new) in changed.fields.items()
            )
            where = f"Card {changed.id!r} in step {changed.step!r}: {what}."
            items.append((f"Change: {changed.text}", where, "change-card"))
        for h in self.handoffs_added:
            label = f" ({h.label})" if h.label else ""
            agree = f"Agree the handoff{label} with {h.other}."
            items.append((f"New handoff with {h.other}: {h.description}", agree, "new-handoff"))
        for h in self.handoffs_removed:
            ends = f"No longer handed over between {self.name} and {h.other}."
            items.append((f"Handoff with {h.other} ends: {h.description}", ends, "removed-handoff"))
        for f in self.fail_points:
            recovery = f" Recovery: {f.recovery}." if f.recovery else " Decide how the service recovers."
            items.append((f"Own fail point: {f.text}", f"On {f.card_text!r} ({f.card}).{recovery}", "fail-point"))
        return items


@dataclass
class Plan:
    current: str
    future: str
    teams: dict[str, TeamPlan]
    unaffected: list[str]
    due: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of `stageline plan --format json` (docs/opportunities.md)."""
        return {
            "current": self.current,
            "future": self.future,
            "due": self.due.isoformat() if self.due else None,
            "teams": {name: team.to_dict() for name, team in self.teams.items()},
            "unaffected": list(self.unaffected),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def only(self, team: str) -> Plan:
        """The plan of one team."""
        return Plan(self.current, self.future, {team: self.teams[team]}, [], self.due)

    def to_csv(self, team: str | None = None) -> str:
        """One row per work item, in the columns issue trackers import."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        due = self.due.isoformat() if self.due else ""
        for name, plan in self.teams.items():
            if team is not None and name != team:
                continue
            for summary, description, label in plan.work_items():
                writer.writerow([summary, description, name, label, due])
        return out.getvalue()

    def to_markdown(self, team: str | None = None) -> str:
        """A brief per team."""
        lines = [f"# What the future state means for each team: {self.future}", ""]
        due = f", due {self.due.isoformat()}." if self.due else "."
        lines.append(f"Changes from the current state ({self.current}){due}")
        lines.append("")
        for name, plan in self.teams.items():
            if team is not None and name != team:
                continue
            lines += [f"## {name}", ""]
            lines.append(
                f"Time per customer: {time_text(plan.before)} before, {time_text(plan.after)} after "
                f"({_signedtime_text(plan.after - plan.before)})."
            )
            lines.append("")
            for summary, description, _ in plan.work_items():
                lines.append(f"- **{_md(summary)}** — {_md(description)}")
            lines.append("")
        if self.unaffected and team is None:
            lines += ["## Unaffected", "", ", ".join(self.unaffected), ""]
        return "\n".join(lines).rstrip("\n") + "\n"


def time_text(seconds: float) -> str:
    """A team's time per customer as people read it: `19m 03s`, `none`."""
    return display.seconds(seconds) if seconds else "none"


def _signedtime_text(seconds: float) -> str:
    if abs(seconds) < 1e-9:
        return "no change"
    return ("+" if seconds > 0 else "−") + time_text(abs(seconds))


def _md(text: str) -> str:
    return text.replace("*", "\\*").replace("_", "\\_").replace("\n", " ")


def team_plan(current: Blueprint, future: Blueprint, *, due: date | None = None) -> Plan:
    """What changes for each team from `current` to `future`."""
    result = diff(current, future, metrics=False)
    old_places = {card.id: (place, card) for place, card in current.cards()}
    new_places = {card.id: (place, card) for place, card in future.cards()}
    teams: dict[str, TeamPlan] = {}
    departments = {card.department for _, card in [*old_places.values(), *new_places.values()] if card.department}

    def team(name: str) -> TeamPlan:
        if name not in teams:
            teams[name] = TeamPlan(name, name if name in departments else None)
        return teams[name]

    def item(places: dict[str, tuple[Place, Card]], card_id: str) -> tuple[str, CardItem]:
        place, card = places[card_id]
        return team_of(place, card), CardItem(card.id, card.text, place.step.id)

    for entry in result.added:
        if entry.kind == "card":
            name, card_item = item(new_places, entry.id)
            team(name).added.append(card_item)
    for entry in result.removed:
        if entry.kind == "card":
            name, card_item = item(old_places, entry.id)
            team(name).removed.append(card_item)

    changed: dict[str, dict[str, tuple[Any, Any]]] = {}
    old_ids: dict[str, str] = {}
    for change in result.changed:
        if change.kind == "card" and change.id is not None and change.old_id is not None:
            changed.setdefault(change.id, {}).update(change.fields)
            old_ids[change.id] = change.old_id
    for move in result.moved:
        if move.kind == "card":
            changed.setdefault(move.id, {})["place"] = (str(move.source), str(move.target))
            old_ids[move.id] = move.old_id
    for new_id, fields in changed.items():
        new_place, new_card = new_places[new_id]
        old_place, old_card = old_places[old_ids[new_id]]
        changed_card = ChangedCard(new_id, new_card.text, new_place.step.id, fields)
        for name in dict.fromkeys([team_of(new_place, new_card), team_of(old_place, old_card)]):
            team(name).changed.append(changed_card)

    _handoffs(current, future, result.matches.get("card", {}), old_places, new_places, team)
    _fail_points(result.matches.get("card", {}), old_places, new_places, team)

    before = team_time(current, team_of)
    after = team_time(future, team_of)
    for name in {*before, *after}:
        plan = team(name)
        plan.before, plan.after = before.get(name, 0.0), after.get(name, 0.0)

    order = _order(future, current)
    affected = {name: plan for name, plan in teams.items() if plan.affected}
    ordered = dict(sorted(affected.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
    unaffected = sorted((name for name, plan in teams.items() if not plan.affected), key=lambda n: (order.get(n, 0), n))
    return Plan(current.title, future.title, ordered, unaffected, due)


def _order(*bps: Blueprint) -> dict[str, int]:
    """Teams in the order the journey meets them (the future state first); the
    customer and unassigned cards last."""
    found: dict[str, int] = {}
    for bp in bps:
        for place, card in bp.cards():
            found.setdefault(team_of(place, card), len(found))
    found[CUSTOMER_TEAM] = len(found) + 1
    found[UNASSIGNED_TEAM] = len(found) + 2
    return found


def _handoff_set(
    bp: Blueprint, places: dict[str, tuple[Place, Card]], translate: dict[str, str] | None = None
) -> dict[tuple[str, str], Link]:
    """Links between cards of two different teams (the customer and unowned cards
    such as systems are no team), by (source, target) in new ids."""
    found: dict[tuple[str, str], Link] = {}
    for link in bp.links:
        source_team = team_of(*places[link.source])
        target_team = team_of(*places[link.target])
        if source_team == target_team or {source_team, target_team} & NOT_TEAMS:
            continue
        key = (link.source, link.target)
        if translate is not None:
            key = (translate.get(link.source, f"\0{link.source}"), translate.get(link.target, f"\0{link.target}"))
        found[key] = link
    return found


def _handoffs(
    current: Blueprint,
    future: Blueprint,
    cards: dict[str, str],
    old_places: dict[str, tuple[Place, Card]],
    new_places: dict[str, tuple[Place, Card]],
    team: Any,
) -> None:
    old = _handoff_set(current, old_places, cards)
    new = _handoff_set(future, new_places)

    def record(link: Link, places: dict[str, tuple[Place, Card]], added: bool) -> None:
        source_place, source = places[link.source]
        target_place, target = places[link.target]
        ends = (team_of(source_place, source), team_of(target_place, target))
        arrow = "↔" if link.two_way else "→"
        description = f"{source.text} {arrow} {target.text}"
        for mine, other in (ends, ends[::-1]):
            handoff = Handoff(link.source, link.target, other, link.label, description)
            (team(mine).handoffs_added if added else team(mine).handoffs_removed).append(handoff)

    for key, link in new.items():
        if key not in old:
            record(link, new_places, added=True)
    for key, link in old.items():
        if key not in new:
            record(link, old_places, added=False)


def _fail_points(
    cards: dict[str, str],
    old_places: dict[str, tuple[Place, Card]],
    new_places: dict[str, tuple[Place, Card]],
    team: Any,
) -> None:
    """Fail points a team owns in the future that it did not own before: on new
    cards, new or different on a kept card, or on a card that came to the team."""
    previous = {new_id: old_places[old_id] for old_id, new_id in cards.items()}
    for card_id, (place, card) in new_places.items():
        if card.fail is None:
            continue
        name = team_of(place, card)
        before = previous.get(card_id)
        if before is not None:
            old_place, old_card = before
            same = old_card.fail is not None and old_card.fail.text == card.fail.text
            if same and team_of(old_place, old_card) == name:
                continue
        team(name).fail_points.append(OwnedFailPoint(card.id, card.fail.text, card.fail.recovery, card.text))
