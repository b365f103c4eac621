"""Stageline's own spreadsheets: XLSX and CSV exports that import back exactly.

XLSX: a "Blueprint" sheet laid out as people draw blueprints in Excel (stages
as merged headers, steps as columns, lanes as coloured rows, the lines as thick
borders), views for people ("Fail points", "Findings", "Metrics") and the
sheets a re-import reads: "Cards", "Links", "Opportunities", "Steps", "Stages",
"Lanes" and "About". CSV: one file, one record per row, its `kind` column
saying what the row is (property, lane, stage, step, card, link, opportunity).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from stageline.formats.errors import FormatError, FormatProblem
from stageline.model.blueprint import Blueprint
from stageline.model.elements import Card
from stageline.model.quantities import humanize_duration

from .cells import decode_xlsx, encode_xlsx, protect_csv, starts_formula, unprotect_csv
from .errors import cell_problem
from .insights import Insights
from .records import COLUMNS, KINDS, MARKER, Located, Record, from_records, to_records
from .tables import Cell, Table, read_csv, read_xlsx_sheets

# Sheets a re-import reads, by record kind, and the headings of the About sheet.
SHEETS = {
    "card": "Cards",
    "link": "Links",
    "opportunity": "Opportunities",
    "step": "Steps",
    "stage": "Stages",
    "lane": "Lanes",
    "property": "About",
}
_ABOUT_HEADINGS = {"id": "property", "text": "value"}
CSV_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(
        ["kind", "id", "stage", "step", "lane", "position", "text", "title", *(c for k in KINDS for c in COLUMNS[k])]
    )
)

LANE_COLOURS = {
    "evidence": "EDE7F6",
    "customer": "FFF3C4",
    "frontstage": "DCEEFB",
    "backstage": "E3F4E1",
    "support": "F1F1F1",
    "management": "FBE3E3",
}
CUSTOM_LANE_COLOUR = "F6F0E6"
LINE_COLOURS = {
    "interaction": "1F6FB2",
    "visibility": "C0392B",
    "internal-interaction": "6B6B6B",
    "implementation": "8E44AD",
}
_HEADER_FILL = PatternFill("solid", fgColor="2F3B52")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_WRAP = Alignment(wrap_text=True, vertical="top")
_THIN = Side(style="thin", color="C8C8C8")


# -- writing -------------------------------------------------------------------
def _set(sheet: Worksheet, row: int, column: int, value: Cell) -> Any:
    """Write a value; text stays text even when it looks like a formula."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, float) and float(f"{value:.15g}") != value:
        # Spreadsheets keep 15 significant digits; keep the exact number as text instead.
        value = repr(value)
    if isinstance(value, str):
        cell.value = encode_xlsx(value)
        cell.data_type = "s"
        if starts_formula(value):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def _table_sheet(
    workbook: Workbook,
    title: str,
    headings: list[str],
    rows: Iterable[list[Cell]],
    widths: dict[int, float] | None = None,
) -> Worksheet:
    sheet = workbook.create_sheet(title)
    for column, heading in enumerate(headings, start=1):
        cell = _set(sheet, 1, column, heading)
        cell.fill, cell.font = _HEADER_FILL, _HEADER_FONT
    for r, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            _set(sheet, r, column, value)
    sheet.freeze_panes = "A2"
    if headings:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{max(sheet.max_row, 1)}"
    for column in range(1, len(headings) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = (widths or {}).get(column, 16)
    return sheet


def _card_summary(card: Card) -> str:
    lines = [card.text]
    details = [d for d in (card.actor, card.channel) if d]
    if card.duration is not None:
        from stageline.model.elements import mean_seconds

        details.append(humanize_duration(mean_seconds(card.duration)))
    if card.wait:
        details.append(f"wait {humanize_duration(card.wait)}")
    if details:
        lines.append(" · ".join(details))
    if card.fail is not None:
        lines.append(f"⚠ {card.fail.text}" + (f" → {card.fail.recovery}" if card.fail.recovery else ""))
    if card.pain:
        lines.append(f"Pain: {card.pain}")
    return "\n".join(lines)


def _style(workbook: Workbook, name: str, **parts: Any) -> None:
    style = NamedStyle(name=name)
    for key, value in parts.items():
        setattr(style, key, value)
    workbook.add_named_style(style)


def _styled(sheet: Worksheet, row: int, column: int, value: Cell, style: str) -> None:
    # The style first: a named style resets the quote-prefix flag that `_set` may add.
    sheet.cell(row=row, column=column).style = style
    if value is not None:
        _set(sheet, row, column, value)


def _grid_sheet(workbook: Workbook, bp: Blueprint) -> None:
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Blueprint"
    steps = list(bp.steps())
    last = max(len(steps) + 1, 2)
    _set(sheet, 1, 1, bp.title).font = Font(bold=True, size=16)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    subtitle = " · ".join(x for x in (bp.scenario, bp.persona, f"{bp.state} state") if x)
    _set(sheet, 2, 1, subtitle).font = Font(italic=True, color="555555")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    for row, label in ((3, "Stage"), (4, "Step")):
        cell = _set(sheet, row, 1, label)
        cell.fill, cell.font = _HEADER_FILL, _HEADER_FONT
    # One named style per kind of cell: assigning a shared style is far cheaper in
    # openpyxl than setting fill, border and alignment on every cell.
    _style(
        workbook,
        "sl-stage",
        fill=_HEADER_FILL,
        font=_HEADER_FONT,
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    _style(workbook, "sl-step", fill=PatternFill("solid", fgColor="D9DEE8"), font=Font(bold=True), alignment=_WRAP)
    column = 2
    for stage in bp.stages:
        if not stage.steps:
            continue
        _styled(sheet, 3, column, stage.title, "sl-stage")
        if len(stage.steps) > 1:
            sheet.merge_cells(start_row=3, start_column=column, end_row=3, end_column=column + len(stage.steps) - 1)
        for step in stage.steps:
            _styled(sheet, 4, column, step.display_title, "sl-step")
            column += 1
    lines = {line.above: line.name for line in bp.lines()}
    for i, lane in enumerate(bp.lanes):
        row = 5 + i
        fill = PatternFill("solid", fgColor=LANE_COLOURS.get(lane.id, CUSTOM_LANE_COLOUR))
        below = Side(style="thick", color=LINE_COLOURS[lines[lane.id]]) if lane.id in lines else _THIN
        border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=below)
        _style(workbook, f"sl-lane-{i}", fill=fill, font=Font(bold=True), alignment=_WRAP, border=border)
        _style(workbook, f"sl-cell-{i}", fill=fill, alignment=_WRAP, border=border)
        _styled(sheet, row, 1, lane.title, f"sl-lane-{i}")
        for c, (_, step) in enumerate(steps, start=2):
            text = "\n\n".join(_card_summary(card) for card in step.cards(lane.id))
            _styled(sheet, row, c, text or None, f"sl-cell-{i}")
        cards = max((len(step.cards(lane.id)) for _, step in steps), default=0)
        sheet.row_dimensions[row].height = max(45, 60 * cards)
    row = 5 + len(bp.lanes) + 1
    extra = {
        "Emotion": lambda step: _emotion_text(step),
        "Pain points": lambda step: "\n".join(card.pain for card in step.cards("customer") if card.pain),
    }
    for label, text_of in extra.items():
        _set(sheet, row, 1, label).font = Font(bold=True)
        for c, (_, step) in enumerate(steps, start=2):
            text = text_of(step)
            if text:
                _set(sheet, row, c, text).alignment = _WRAP
        row += 1
    row += 1
    for line in bp.lines():
        key = _set(sheet, row, 1, line.title)
        key.border = Border(bottom=Side(style="thick", color=LINE_COLOURS[line.name]))
        _set(sheet, row, 2, f"between {bp.lane(line.above).title} and {bp.lane(line.below).title}")
        row += 1
    sheet.freeze_panes = "B5"
    sheet.column_dimensions["A"].width = 22
    for c in range(2, len(steps) + 2):
        sheet.column_dimensions[get_column_letter(c)].width = 30


_FACES = {-2: "😠", -1: "🙁", 0: "😐", 1: "🙂", 2: "😀"}


def _emotion_text(step: Any) -> str:
    feelings = [card.emotion for card in step.cards("customer") if card.emotion is not None]
    if not feelings:
        return ""
    mean = sum(feelings) / len(feelings)
    return f"{_FACES[round(mean)]} {mean:+.0f}" if mean.is_integer() else f"{_FACES[round(mean)]} {mean:+.1f}"


def _record_rows(records: list[Record], columns: tuple[str, ...]) -> list[list[Cell]]:
    return [[record.get(column) for column in columns] for record in records]


def write_xlsx(bp: Blueprint, insights: Insights | None = None) -> bytes:
    """The workbook described in the module docstring, as bytes; the Findings and Metrics
    sheets come from `insights`, left out without them."""
    workbook = Workbook()
    _grid_sheet(workbook, bp)
    records = to_records(bp)
    _table_sheet(
        workbook, "Cards", list(COLUMNS["card"]), _record_rows(records["card"], COLUMNS["card"]), {1: 22, 6: 40, 17: 30}
    )
    _table_sheet(
        workbook, "Links", list(COLUMNS["link"]), _record_rows(records["link"], COLUMNS["link"]), {1: 22, 2: 22, 4: 30}
    )
    failing = sorted(
        ((place, card) for place, card in bp.cards() if card.fail is not None),
        key=lambda item: -item[1].fail.risk if item[1].fail else 0,
    )
    fail_rows: list[list[Cell]] = [
        [
            place.step.id,
            place.lane,
            card.id,
            card.text,
            card.fail.text,
            card.fail.recovery,
            card.fail.severity,
            card.fail.likelihood,
            card.fail.risk,
        ]
        for place, card in failing
        if card.fail is not None
    ]
    _table_sheet(
        workbook,
        "Fail points",
        ["step", "lane", "card", "card text", "fail point", "recovery", "severity", "likelihood", "risk"],
        fail_rows,
        {4: 30, 5: 36, 6: 36},
    )
    _table_sheet(
        workbook,
        "Opportunities",
        list(COLUMNS["opportunity"]),
        _record_rows(records["opportunity"], COLUMNS["opportunity"]),
        {2: 36, 3: 40, 4: 30},
    )
    if insights is not None:
        columns = ("severity", "rule", "name", "message", "stage", "step", "lane", "card", "fix")
        rows = [[f.get(c) for c in columns] for f in insights.findings]
        _table_sheet(workbook, "Findings", list(columns), rows, {3: 24, 4: 60, 9: 50})
        _table_sheet(workbook, "Metrics", ["metric", "value"], [list(row) for row in insights.totals], {1: 40, 2: 20})
    for kind in ("step", "stage", "lane"):
        _table_sheet(
            workbook,
            SHEETS[kind],
            list(COLUMNS[kind]),
            _record_rows(records[kind], COLUMNS[kind]),
            {3: 30} if kind == "step" else {2: 30},
        )
    _table_sheet(
        workbook, "About", ["property", "value"], _record_rows(records["property"], ("id", "text")), {1: 16, 2: 60}
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return protect_csv(value)
    return str(value)


def write_csv(bp: Blueprint) -> str:
    """One CSV of every record, a `kind` column first."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    records = to_records(bp)
    for kind in KINDS:
        for record in records[kind]:
            writer.writerow([kind if column == "kind" else _csv_cell(record.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()


# -- reading -------------------------------------------------------------------
def is_stageline_csv(table: Table) -> bool:
    if not table.rows:
        return False
    header = [str(cell).strip().lower() for cell in table.rows[0]]
    return (
        header[:1] == ["kind"]
        and {"id", "step", "lane", "text"} <= set(header)
        and any(len(row) > 1 and row[0] == "property" and row[header.index("id")] == MARKER for row in table.rows[1:4])
    )


def is_stageline_workbook(sheets: dict[str, Table]) -> bool:
    about = sheets.get(SHEETS["property"])
    return (
        about is not None
        and "Cards" in sheets
        and any(row and str(row[0]).strip() == MARKER for row in about.rows[1:4])
    )


def _located(table: Table, index: int, values: Record, headings: dict[str, tuple[int, str]]) -> Located:
    number = table.numbers[index]
    where = f"sheet {table.sheet}, " if table.sheet else ""

    def problem(column: str, message: str) -> FormatProblem:
        position, heading = headings.get(column, (0, column))
        located = cell_problem(table.source, number, position + 1, heading, message)
        return FormatProblem(located.file, located.line, located.column, where + located.path, located.message)

    return Located(values, problem)


def _header(table: Table, rename: dict[str, str] | None = None) -> dict[str, tuple[int, str]]:
    back = {v: k for k, v in (rename or {}).items()}
    headings: dict[str, tuple[int, str]] = {}
    for i, cell in enumerate(table.rows[0] if table.rows else []):
        heading = str(cell).strip() if cell is not None else ""
        if heading:
            headings[back.get(heading.lower(), heading.lower())] = (i, heading)
    return headings


def read_workbook(sheets: dict[str, Table], source: str) -> Blueprint:
    records: dict[str, list[Located]] = {}
    for kind, name in SHEETS.items():
        table = sheets.get(name)
        if table is None:
            raise FormatError.single(
                source,
                f"this Stageline workbook has no {name!r} sheet; export it again or restore the sheet",
                path=f"sheet {name}",
            )
        headings = _header(table, _ABOUT_HEADINGS if kind == "property" else None)
        missing = [c for c in COLUMNS[kind] if c not in headings and c not in ("stage", "position")]
        if missing:
            raise FormatError.single(
                source, f"the {name!r} sheet lacks the column(s) {', '.join(missing)}", path=f"sheet {name}"
            )
        found = []
        for index in range(1, len(table.rows)):
            row = table.rows[index]
            values: Record = {}
            for column, (position, _) in headings.items():
                value = row[position] if position < len(row) else None
                values[column] = decode_xlsx(value) if isinstance(value, str) else value
            found.append(_located(table, index, values, headings))
        records[kind] = found
    return from_records(records, source)


def read_xlsx_export(data: bytes, source: str) -> Blueprint:
    return read_workbook(read_xlsx_sheets(data, source), source)


def read_csv_export(table: Table) -> Blueprint:
    headings = _header(table)
    if "kind" not in headings:
        raise FormatError.single(
            table.source,
            "this is not a Stageline spreadsheet export: its first row has no 'kind' column; "
            "export the blueprint again with stageline export, or import the file as a journey map",
        )
    records: dict[str, list[Located]] = {kind: [] for kind in KINDS}
    kind_at = headings["kind"][0]
    for index in range(1, len(table.rows)):
        row = table.rows[index]
        kind = str(row[kind_at]).strip() if kind_at < len(row) else ""
        if not kind and not any(row):
            continue
        values: Record = {}
        for column, (position, _) in headings.items():
            value = row[position] if position < len(row) else ""
            values[column] = unprotect_csv(value) if isinstance(value, str) else value
        located = _located(table, index, values, headings)
        if kind not in records:
            from stageline.model.integrity import suggest

            raise FormatError(
                [located.problem("kind", f"unknown kind {kind!r}{suggest(kind, KINDS)}; kinds are {', '.join(KINDS)}")]
            )
        records[kind].append(located)
    return from_records(records, table.source)


def read_csv_text(text: str, source: str) -> Blueprint:
    return read_csv_export(read_csv(text, source))
