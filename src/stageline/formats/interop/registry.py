"""Which reader or writer handles a file: by content for imports, by extension
(or an explicit name) for exports.

The writers here are the formats' own; the full export table, with the slide deck
drawn by the render layer, is `stageline.render.exports`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from stageline.formats.errors import FormatError
from stageline.model.blueprint import Blueprint
from stageline.model.integrity import suggest

from . import canvas, drawio, ir, markdown, mermaid, signal, spreadsheet
from .insights import Insights
from .journey import Mapping, Progress, detect_mapping, find_journey_sheet, import_journey
from .tables import decode_text, is_xlsx, read_csv, read_xlsx, read_xlsx_sheets
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


class Source(StrEnum):
    """What an imported file turned out to be."""

    JOURNEY = "journey"
    SPREADSHEET = "spreadsheet"
    SIGNAL = "signal"
    IR = "ir"

    @property
    def label(self) -> str:
        return {
            "journey": "journey map",
            "spreadsheet": "Stageline spreadsheet",
            "signal": "Blueprint Signal project",
            "ir": "agentic-service-blueprinting IR",
        }[self.value]


@dataclass(frozen=True)
class Imported:
    blueprint: Blueprint
    kind: Source
    mapping: Mapping | None = None  # how a journey map's headings were read
    unmapped: tuple[Unmapped, ...] = ()  # what the file holds that the blueprint does not


def _imported(blueprint: Blueprint, unmapped: list[Unmapped], kind: Source) -> Imported:
    return Imported(blueprint, kind, unmapped=tuple(unmapped))


def read_any(
    data: bytes,
    source: str,
    *,
    kind: Source | None = None,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
    title: str | None = None,
    progress: Progress | None = None,
) -> Imported:
    """The blueprint in an XLSX, CSV or JSON file, recognised by content unless `kind` says."""
    if is_xlsx(data):
        if sheet is not None and kind is not Source.SIGNAL:
            table = read_xlsx(data, source, sheet)
        else:
            sheets = read_xlsx_sheets(data, source)
            if kind is Source.SIGNAL or (kind is None and signal.is_signal_workbook(sheets)):
                return _imported(*signal.import_signal_workbook(sheets, source), Source.SIGNAL)
            if kind is Source.SPREADSHEET or (kind is None and spreadsheet.is_stageline_workbook(sheets)):
                return Imported(spreadsheet.read_workbook(sheets, source), Source.SPREADSHEET)
            table, mapping = find_journey_sheet(sheets, overrides)
            return Imported(import_journey(table, mapping, title=title, progress=progress), Source.JOURNEY, mapping)
    else:
        text = decode_text(data, source)
        if text.lstrip().startswith(("{", "[")):
            if kind not in (None, Source.SIGNAL, Source.IR):
                raise FormatError.single(source, f"this is JSON; a {kind.label} is CSV or XLSX")
            document = signal.parse_json(text, source)
            if kind is Source.IR or (kind is None and ir.is_ir(document)):
                return _imported(*ir.import_ir_object(document, source), Source.IR)
            return _imported(*signal.import_signal_object(document, source), Source.SIGNAL)
        table = read_csv(text, source)
        if kind is Source.SPREADSHEET or (kind is None and spreadsheet.is_stageline_csv(table)):
            return Imported(spreadsheet.read_csv_export(table), Source.SPREADSHEET)
        if kind is Source.SIGNAL or (kind is None and signal.is_signal_csv(table)):
            return _imported(*signal.import_signal_csv(table), Source.SIGNAL)
        if sheet is not None:
            raise FormatError.single(source, "--sheet applies to XLSX workbooks; this file is CSV text")
    mapping = detect_mapping(table, overrides)
    return Imported(import_journey(table, mapping, title=title, progress=progress), Source.JOURNEY, mapping)
