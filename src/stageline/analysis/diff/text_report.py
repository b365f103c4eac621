"""The diff for a terminal: changes grouped by stage and step, the metric
deltas, and a one-line verdict."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from stageline.analysis.diff.result import BlueprintDiff, MetricDelta
from stageline.analysis.diff.sections import Item, sections
from stageline.analysis.diff.summary import metric_title, metric_value

SYMBOLS = {"added": ("+", "green"), "removed": ("−", "red"), "changed": ("~", "yellow"), "moved": ("↕", "cyan")}
VERDICT_STYLE = {"better": "green", "worse": "red", "same": "dim", "neutral": ""}


def report(result: BlueprintDiff) -> Group:
    """Everything `stageline diff` prints, as one rich renderable."""
    parts: list[RenderableType] = [_heading(result)]
    found = sections(result)
    if not found and all(m.verdict == "same" for m in result.metrics):
        return Group(*parts, Text(result.verdict(), style="bold"))
    if not found:
        parts.append(Text("No differences in content.", style="dim"))
    for section in found:
        parts.append(Text(section.title, style="bold"))
        for item in section.items:
            parts.extend(_item_lines(item))
    moved = [m for m in result.metrics if m.verdict != "same"]
    if moved:
        parts.append(Text(""))
        parts.append(metrics_table(moved))
    still = [metric_title(m.name) for m in result.metrics if m.verdict == "same"]
    if still:
        parts.append(Text(("\n" if not moved else "") + "Unchanged: " + ", ".join(still), style="dim"))
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


def _item_lines(item: Item) -> list[Text]:
    symbol, style = SYMBOLS[item.status]
    if item.kind == "blueprint":
        lines: list[Text] = []
        indent = ("  ~ ", "bold yellow")
    else:
        head = Text.assemble(("  " + symbol + " ", f"bold {style}"), (f"{item.kind:<11} ", style), (item.label, style))
        if item.note:
            head.append(f"  ({item.note})" if item.status != "moved" else f"  {item.note}", style="dim")
        if item.id and item.id != item.label:
            head.append(f"  {item.id}", style="dim")
        lines = [head]
        indent = ("      ", "")
    for line in item.fields:
        lines.append(
            Text.assemble(indent, (f"{line.name}: ", "yellow"), (line.old, "red"), (" → ", "dim"), (line.new, "green"))
        )
    return lines


def metrics_table(deltas: list[MetricDelta]) -> Table:
    table = Table(show_edge=False, box=None, pad_edge=False, header_style="bold")
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
