"""The diff for a terminal: changes grouped by stage and step, the metric
deltas, and a one-line verdict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from stageline.analysis.diff.result import BlueprintDiff, Change, Entry, Location, MetricDelta, Move
from stageline.analysis.diff.summary import field_value, metric_title, metric_value
from stageline.model import Blueprint

SYMBOLS = {"added": ("+", "green"), "removed": ("−", "red"), "changed": ("~", "yellow"), "moved": ("↕", "cyan")}
VERDICT_STYLE = {"better": "green", "worse": "red", "same": "dim", "neutral": ""}


@dataclass
class _Group:
    title: str
    order: tuple[float, ...]
    lines: list[RenderableType] = field(default_factory=list)


def report(result: BlueprintDiff) -> Group:
    """Everything `stageline diff` prints, as one rich renderable."""
    parts: list[RenderableType] = [_heading(result)]
    groups = _grouped(result)
    if not groups:
        parts.append(Text("No differences in content.", style="dim"))
    for group in sorted(groups.values(), key=lambda g: g.order):
        parts.append(Text(group.title, style="bold"))
        parts.extend(group.lines)
    if result.metrics:
        parts.append(Text(""))
        parts.append(metrics_table(result.metrics))
    parts.append(Text(""))
    parts.append(Text(result.verdict(), style="bold"))
    return Group(*parts)


def print_report(result: BlueprintDiff, console: Console) -> None:
    console.print(report(result))


def _heading(result: BlueprintDiff) -> Text:
    if result.old is None or result.new is None:
        return Text("")
    old, new = result.old, result.new
    return Text.assemble(
        ("Comparing ", "dim"), (old.title, "bold"), (f" ({old.state})", "dim"), ("  →  ", "dim"),
        (new.title, "bold"), (f" ({new.state})", "dim"), "\n",
    )  # fmt: skip


def _grouped(result: BlueprintDiff) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    new = result.new

    def group_for(kind: str, at: Location | None, bp: Blueprint | None, removed: bool) -> _Group:
        if kind == "step" and at is not None and bp is not None:
            # A step is listed under its stage: find the stage's index.
            at = Location("stage", bp.stages.index(bp.stage(at.stage or "")))
            kind = "stage"
        if kind in ("blueprint", "lane") or at is None or bp is None:
            return groups.setdefault("blueprint", _Group("Blueprint", (0,)))
        if kind == "link":
            return groups.setdefault("links", _Group("Links", (2,)))
        if kind == "opportunity":
            return groups.setdefault("opportunities", _Group("Opportunities", (3,)))
        if kind == "stage":
            return _stage_group(groups, bp, at.index, removed)
        stage_id = at.stage or ""
        stage = bp.index.stages.get(stage_id)
        if stage is None:
            return groups.setdefault("blueprint", _Group("Blueprint", (0,)))
        stage_index = bp.stages.index(stage)
        step = bp.step(at.step or "")
        key = f"{'old' if removed else 'new'}:{step.id}"
        title = f"{stage.title} › {step.display_title}"
        return groups.setdefault(key, _Group(title, (1, stage_index + 0.5 * removed, stage.steps.index(step) + 1)))

    for entry in result.removed:
        group_for(entry.kind, *_survivor(result, entry)).lines.append(_entry_line("removed", entry))
    for entry in result.added:
        group_for(entry.kind, entry.at, new, False).lines.append(_entry_line("added", entry))
    for change in result.changed:
        group_for(change.kind, change.at, new, False).lines.extend(_change_lines(change))
    for move in result.moved:
        group_for(move.kind, move.target, new, False).lines.append(_move_line(move))
    return groups


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


def _stage_group(groups: dict[str, _Group], bp: Blueprint, index: int, removed: bool) -> _Group:
    stage = bp.stages[index]
    key = f"{'old' if removed else 'new'}-stage:{stage.id}"
    return groups.setdefault(key, _Group(f"Stage {stage.title}", (1, index + 0.5 * removed, 0)))


def _lead(status: str, kind: str, label: str) -> Text:
    symbol, style = SYMBOLS[status]
    return Text.assemble(("  " + symbol + " ", f"bold {style}"), (f"{kind:<11} ", style), (label, style))


def _entry_line(status: str, entry: Entry) -> Text:
    line = _lead(status, entry.kind, entry.label)
    if entry.kind == "card" and entry.at is not None:
        line.append(f"  ({entry.at.lane})", style="dim")
    if entry.id != entry.label:
        line.append(f"  {entry.id}", style="dim")
    return line


def _change_lines(change: Change) -> Iterable[Text]:
    if change.kind == "blueprint":
        lines = []
    else:
        head = _lead("changed", change.kind, change.label)
        head.append(f"  {change.id}", style="dim")
        lines = [head]
    indent = "      " if change.kind != "blueprint" else "  ~ "
    for name, (before, after) in change.fields.items():
        lines.append(
            Text.assemble(
                (indent, "bold yellow"),
                (f"{name}: ", "yellow"),
                (field_value(name, before), "red"),
                (" → ", "dim"),
                (field_value(name, after), "green"),
            )
        )
    return lines


def _move_line(move: Move) -> Text:
    line = _lead("moved", move.kind, move.label)
    line.append(f"  {move.source} → {move.target}", style="dim")
    return line


def metrics_table(deltas: list[MetricDelta]) -> Table:
    table = Table(title=None, show_edge=False, box=None, pad_edge=False, header_style="bold")
    table.add_column("Metric")
    table.add_column("Before", justify="right")
    table.add_column("After", justify="right")
    table.add_column("Change", justify="right")
    table.add_column("")
    for delta in deltas:
        verdict = delta.verdict
        change = delta.delta
        arrow = "" if not change else ("▲ " if change > 0 else "▼ ")
        table.add_row(
            metric_title(delta.name),
            metric_value(delta, delta.old),
            metric_value(delta, delta.new),
            Text(arrow + (metric_value(delta, change, signed=True) if change else "="), style=VERDICT_STYLE[verdict]),
            Text(verdict if verdict in ("better", "worse") else "", style=VERDICT_STYLE[verdict]),
        )
    return table
