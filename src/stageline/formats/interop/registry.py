"""Which writer handles a file: by extension (or an explicit name) for exports.
Which reader handles an import is told by content, in `stageline.formats.ingest`.

The writers here are the formats' own; the full export table, with the slide deck
drawn by the render layer, is `stageline.render.exports`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stageline.model.blueprint import Blueprint
from stageline.model.integrity import suggest

from . import canvas, drawio, ir, markdown, mermaid, signal, spreadsheet
from .insights import Insights
from .unmapped import Unmapped


@dataclass(frozen=True)
class Writer:
    name: str
    extensions: tuple[str, ...]
    label: str
    description: str
    write: Callable[[Blueprint], str | bytes]
    unmapped: Callable[[Blueprint], list[Unmapped]] | None = None  # what the format cannot hold
    # The writer for reports that show check findings and totals, handed in by the caller.
    with_insights: Callable[[Blueprint, Insights], str | bytes] | None = None

    @property
    def binary(self) -> bool:
        return self.name in ("xlsx", "pptx")


WRITERS: tuple[Writer, ...] = (
    Writer(
        "xlsx",
        (".xlsx",),
        "Excel workbook",
        "the grid as drawn in Excel, plus sheets that import back exactly",
        spreadsheet.write_xlsx,
        with_insights=spreadsheet.write_xlsx,
    ),
    Writer(
        "csv",
        (".csv",),
        "CSV",
        "one CSV of every element, a `kind` column per row; imports back exactly",
        spreadsheet.write_csv,
    ),
    Writer(
        "drawio",
        (".drawio", ".drawio.xml"),
        "draw.io diagram",
        "draw.io / diagrams.net diagram with swimlanes, editable",
        drawio.write_drawio,
    ),
    Writer(
        "canvas", (".canvas",), "JSON Canvas", "JSON Canvas 1.0 for Obsidian and other canvas apps", canvas.write_canvas
    ),
    Writer(
        "mermaid",
        (".mmd", ".mermaid"),
        "Mermaid flowchart",
        "Mermaid flowchart with a subgraph per lane",
        mermaid.write_mermaid,
    ),
    Writer(
        "markdown",
        (".md", ".markdown"),
        "Markdown report",
        "summary, grid, fail points, findings, metrics and opportunities",
        markdown.write_markdown,
        with_insights=markdown.write_markdown,
    ),
    Writer(
        "blueprint-signal",
        (".signal.json",),
        "Blueprint Signal project",
        "a saved Blueprint Signal project (blueprint-project-v1) that Signal opens and validates",
        signal.write_signal,
        signal.signal_unmapped,
    ),
    Writer(
        "asb-ir",
        (".ir.json",),
        "agentic-service-blueprinting IR",
        "the IR of agentic-service-blueprinting (references/ir-schema.json), validated against its schema",
        ir.write_ir,
        ir.ir_unmapped,
    ),
)
_ALIASES = {"mmd": "mermaid", "md": "markdown", "signal": "blueprint-signal", "ir": "asb-ir"}


def writer_named(name: str, writers: tuple[Writer, ...] = WRITERS) -> Writer:
    key = name.strip().lower().lstrip(".")
    by_name = {w.name: w for w in writers}
    by_name |= {alias: by_name[target] for alias, target in _ALIASES.items() if target in by_name}
    if key not in by_name:
        raise ValueError(
            f"unknown export format {name!r}{suggest(key, list(by_name))}; "
            f"formats are {', '.join(w.name for w in writers)}"
        )
    return by_name[key]


def writer_for(path: str | Path, writers: tuple[Writer, ...] = WRITERS) -> Writer:
    name = str(path).lower()
    for writer in writers:
        if name.endswith(writer.extensions):
            return writer
    extensions = ", ".join(e for w in writers for e in w.extensions)
    if name.endswith(".json"):
        raise ValueError(
            f"{str(path)!r}: several formats are JSON; say which with --to "
            f"({', '.join(w.name for w in writers if any(e.endswith('.json') for e in w.extensions))})"
        )
    raise ValueError(f"cannot tell the export format from {str(path)!r}: use one of {extensions}, or --to")
