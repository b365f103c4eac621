"""The changes of a diff arranged for reading: grouped by stage and step in
blueprint order, then links and opportunities. Text and HTML reports both
draw these sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from stageline.analysis.diff.result import BlueprintDiff, Change, Entry, Location, Move
from stageline.analysis.diff.summary import field_value
from stageline.model import Blueprint

Status = Literal["added", "removed", "changed", "moved"]


@dataclass(frozen=True)
class FieldLine:
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class Item:
    """One line of the report: an element and what happened to it."""

    status: Status
    kind: str
    label: str
    id: str | None
    note: str = ""
    fields: tuple[FieldLine, ...] = ()


@dataclass
class Section:
    title: str
    order: tuple[float, ...]
    items: list[Item] = field(default_factory=list)


def sections(result: BlueprintDiff) -> list[Section]:
    found: dict[str, Section] = {}
    new = result.new

    def section(kind: str, at: Location | None, bp: Blueprint | None, removed: bool) -> Section:
        if kind == "link":
            return found.setdefault("links", Section("Links", (2,)))
        if kind == "opportunity":
            return found.setdefault("opportunities", Section("Opportunities", (3,)))
        if kind in ("blueprint", "lane") or at is None or bp is None:
            return found.setdefault("blueprint", Section("Blueprint", (0,)))
        if kind in ("stage", "step"):
            stage = bp.stages[at.index] if kind == "stage" else bp.stage(at.stage or "")
            key = f"{'old' if removed else 'new'}-stage:{stage.id}"
            order = (1, bp.stages.index(stage) + 0.5 * removed, 0)
            return found.setdefault(key, Section(f"Stage: {stage.title}", order))
        stage, step = bp.index.steps[at.step or ""]
        key = f"{'old' if removed else 'new'}:{step.id}"
        order = (1, bp.stages.index(stage) + 0.5 * removed, stage.steps.index(step) + 1)
        return found.setdefault(key, Section(f"{stage.title} › {step.display_title}", order))

    for entry in result.removed:
        at, bp, removed = _survivor(result, entry)
        section(entry.kind, at, bp, removed).items.append(_entry("removed", entry))
    for entry in result.added:
        section(entry.kind, entry.at, new, False).items.append(_entry("added", entry))
    for change in result.changed:
        section(change.kind, change.at, new, False).items.append(_change(change))
    for move in result.moved:
        section(move.kind, move.target, new, False).items.append(_move(move))
    return sorted(found.values(), key=lambda s: s.order)


def _survivor(result: BlueprintDiff, entry: Entry) -> tuple[Location | None, Blueprint | None, bool]:
    """Where to list a removed element: under its stage or step in the new
    blueprint when that still exists, else under the old one."""
    at = entry.at
    if at is None or result.new is None:
        return at, result.old, True
    stage = result.matches.get("stage", {}).get(at.stage or "")
    step = result.matches.get("step", {}).get(at.step or "")
    if entry.kind == "card" and step is not None:
        stage = result.new.index.steps[step][0].id
        return Location(at.kind, at.index, stage, step, at.lane), result.new, False
    if entry.kind == "step" and stage is not None:
        return Location(at.kind, at.index, stage), result.new, False
    return at, result.old, True


def _entry(status: Status, entry: Entry) -> Item:
    note = f"in {entry.at.lane}" if entry.kind == "card" and entry.at is not None else ""
    return Item(status, entry.kind, entry.label, entry.id, note)


def _change(change: Change) -> Item:
    lines = tuple(
        FieldLine(name, field_value(name, old), field_value(name, new)) for name, (old, new) in change.fields.items()
    )
    label = "properties" if change.kind == "blueprint" else change.label
    return Item("changed", change.kind, label, change.id, "", lines)


def _move(move: Move) -> Item:
    return Item("moved", move.kind, move.label, move.id, f"{move.source} → {move.target}")
