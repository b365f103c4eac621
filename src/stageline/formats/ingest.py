"""The one way in for the files people bring: `ingest` tells what a file is by
its content (sniff), reads it into a blueprint (draft) and lists every problem
with its place and what to do. `stageline import` and the web app's import both
call it, so they recognise the same files, make the same blueprint from them
and report the same problems; each adds only its own concerns (the command
line writes a YAML file, the server stores a blueprint and shows a preview).

Files recognised:

- a Stageline YAML blueprint (or its JSON spelling): already a blueprint, so the
  command line sends people to `stageline validate`, and the web app stores it;
- a Stageline spreadsheet export (XLSX, or the CSV of every element);
- a Blueprint Signal project (JSON or XLSX) or process list (CSV);
- an agentic-service-blueprinting IR document (JSON);
- a journey map (CSV or XLSX), read through a column mapping people can see and
  change: detected from the headings, steered by `overrides` (`--map`), or
  replaced by a person's `choices` in the web form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from stageline.formats.errors import FormatError, FormatProblem
from stageline.formats.files import unreadable
from stageline.formats.interop import ir, signal, spreadsheet
from stageline.formats.interop.journey import (
    FIELD_NAMES,
    Mapping,
    Progress,
    detect_mapping,
    field_for_heading,
    find_journey_sheet,
    import_journey,
)
from stageline.formats.interop.tables import (
    MAX_BYTES,
    WORKBOOK,
    Table,
    decode_text,
    read_csv,
    read_xlsx_sheets,
    zip_names,
)
from stageline.formats.interop.unmapped import Unmapped
from stageline.model.blueprint import Blueprint
from stageline.model.integrity import suggest

_YAML_HEAD = re.compile(r"^stageline\s*:", re.MULTILINE)
_HEAD_CHARS = 65536
_SNIFF_BYTES = 8192
_ZIP = b"PK\x03\x04"
TITLE_CHARS = 300


class Kind(StrEnum):
    """What a file turned out to be."""

    YAML = "yaml"
    JOURNEY = "journey"
    SPREADSHEET = "spreadsheet"
    SIGNAL = "signal"
    IR = "ir"

    @property
    def noun(self) -> str:
        return {
            "yaml": "Stageline YAML file",
            "journey": "journey map",
            "spreadsheet": "Stageline spreadsheet export",
            "signal": "Blueprint Signal project",
            "ir": "agentic-service-blueprinting IR",
        }[self.value]

    @property
    def label(self) -> str:
        return self.noun[:1].upper() + self.noun[1:]


@dataclass(frozen=True)
class Limits:
    """How much one import may hold. `max_rows` counts rows read from a sheet or
    CSV file, blank and heading rows included: reading stops there, so a file of
    millions of rows is refused at once. `advice` ends the message of a journey
    map with more than `max_steps` rows (where else it can be imported)."""

    max_bytes: int = MAX_BYTES
    max_rows: int | None = None
    max_steps: int | None = None
    advice: str = ""


COMMAND_LINE = Limits()

FIELD_LABELS: dict[str, str] = {
    "stage": "Stage",
    "step": "Step name",
    "customer": "Customer action",
    "channel": "Touchpoint / channel",
    "thinking": "Thinking",
    "emotion": "Emotion",
    "pain": "Pain points",
    "opportunity": "Opportunities",
    "evidence": "Evidence",
    "duration": "Duration",
    "wait": "Wait",
    "frontstage": "Frontstage",
    "backstage": "Backstage",
    "support": "Support",
    "source": "Source / research",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.capitalize())


@dataclass
class Ingested:
    """What a file would become. `blueprint` is None while there are problems.

    For a journey map, `table` is the sheet read, `detected` the mapping found
    from its headings and `mapping` the one applied (the person's choices, when
    they were made for this table: `signature` says which table that is)."""

    source: str
    kind: Kind | None = None
    blueprint: Blueprint | None = None
    problems: list[FormatProblem] = field(default_factory=list)
    note: str | None = None  # what the person should do next when nothing is wrong yet nothing is ready
    unmapped: list[Unmapped] = field(default_factory=list)  # what the file holds that the blueprint will not
    table: Table | None = None
    detected: Mapping | None = None
    mapping: Mapping | None = None
    signature: str = ""
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    records: int = 0

    @property
    def ready(self) -> bool:
        return self.blueprint is not None and not self.problems

    def error(self) -> FormatError:
        """The problems as an error (a note stands in when a mapping is still to be chosen)."""
        if self.problems:
            return FormatError(self.problems)
        return FormatError.single(self.source, self.note or "this file cannot be imported")


def name_of(filename: str | None) -> str:
    """The file name people know an upload by: no folders (of either kind of slash), at most 200 characters."""
    return (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "upload"


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"


def limit_text(limit: int) -> str:
    """A size limit as people write it: `5 MB`, `512 KB`, `1.5 MB`."""
    for unit, name in ((1024 * 1024, "MB"), (1024, "KB")):
        if limit >= unit and limit % unit == 0:
            return f"{limit // unit} {name}"
    return _size(limit)


def refusal(source: str, data: bytes, limits: Limits, size: int | None = None) -> FormatProblem | None:
    """Why a file is refused before it is read: larger than the limit, or empty.
    `size` is the whole file's when `data` was read only up to just past the limit."""
    whole = max(size or 0, len(data))
    name = name_of(source)
    if whole > limits.max_bytes:
        return FormatProblem(
            source,
            0,
            0,
            "",
            f"the file {name} is {_size(whole)}; imports are limited to {limit_text(limits.max_bytes)}: "
            "split the file, or remove sheets and pictures it does not need",
        )
    if not data.strip():
        return FormatProblem(
            source, 0, 0, "", f"the file {name} is empty: choose a file with a journey map or a blueprint in it"
        )
    return None


def read_file(path: str | Path, limits: Limits = COMMAND_LINE) -> bytes:
    """The bytes of a file to import; FormatError when it cannot be read or is over the limit
    (refused before it is read into memory)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            refused = refusal(str(path), b"", limits, size)
            assert refused is not None
            raise FormatError([refused])
        return path.read_bytes()
    except OSError as error:
        raise FormatError([unreadable(path, error, wanted="a file to import")]) from None


def is_yaml(name: str, text: str) -> bool:
    """A Stageline YAML file: by its extension, its `stageline:` key, or the JSON spelling of one."""
    if name.lower().endswith((".yaml", ".yml")) or _YAML_HEAD.search(text[:_HEAD_CHARS]):
        return True
    head = text.lstrip()
    if head.startswith("{") and '"stageline"' in head[:_HEAD_CHARS]:
        try:
            return isinstance(parsed := json.loads(text), dict) and "stageline" in parsed
        except ValueError:
            return False
    return False


def _zip_problem(names: list[str] | None) -> str:
    """Why a ZIP archive is not read, from its member names (None: it could not be opened)."""
    if names is None:
        return (
            "this is a damaged or incomplete ZIP file (an XLSX workbook cut short?): save it again from your "
            "spreadsheet program as .xlsx, or copy it again"
        )
    return "this is a ZIP archive but not an XLSX workbook: save the sheet from your spreadsheet program as .xlsx"


# Bytes that no text file holds (NUL and the C0 controls other than tab, newlines, form feed and escape).
_CONTROL = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32), 127])


def _binary(data: bytes) -> bool:
    """Whether the start of the file is binary: more than 5% control bytes, and no BOM of UTF-16 (whose text
    is half NULs)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    sample = data[:_SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls * 20 > len(sample)


def _title(blueprint: Blueprint, title: str | None) -> Blueprint:
    if title and title.strip():
        blueprint.title = title.strip()[:TITLE_CHARS]
    return blueprint


def _other_tool(found: Ingested, kind: Kind, imported: tuple[Blueprint, list[Unmapped]], title: str | None) -> None:
    blueprint, unmapped = imported
    found.kind = kind
    found.blueprint = _title(blueprint, title)
    found.unmapped = list(unmapped)


def ingest(
    data: bytes,
    filename: str | None,
    limits: Limits = COMMAND_LINE,
    *,
    kind: Kind | None = None,
    title: str | None = None,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
    choices: MappingType[int, str] | None = None,
    signature: str | None = None,
    strict: bool = True,
    size: int | None = None,
    progress: Progress | None = None,
) -> Ingested:
    """Read a file, recognising what it is by content unless `kind` says.

    A journey map's columns are detected; `choices` (column position → field,
    "" to ignore) replace the detected fields when `signature` says they were
    made for this same table and header. `overrides` (heading → field, as
    `--map`) instead steer the detection itself. A table whose columns are not
    recognised is a problem when `strict` (as on the command line), else a
    journey map with no columns chosen and a `note` for the person to choose
    them. Never raises FormatError: every problem is in `problems`."""
    source = filename or "upload"
    found = Ingested(source)
    refused = refusal(source, data, limits, size)
    if refused is not None:
        found.problems = [refused]
        return found
    try:
        _read(found, data, limits, kind, title, sheet, overrides, choices, signature, strict, progress)
    except FormatError as error:
        found.blueprint = None
        found.problems = error.problems
    return found


def read_any(data: bytes, filename: str | None, limits: Limits = COMMAND_LINE, **options: Any) -> Ingested:
    """`ingest` for scripts and commands that need the blueprint: FormatError with every
    problem unless the file became one (a journey map whose columns are not recognised included)."""
    found = ingest(data, filename, limits, **options)
    if not found.ready:
        raise found.error()
    return found


def _read(
    found: Ingested,
    data: bytes,
    limits: Limits,
    kind: Kind | None,
    title: str | None,
    sheet: str | None,
    overrides: dict[str, str] | None,
    choices: MappingType[int, str] | None,
    signature: str | None,
    strict: bool,
    progress: Progress | None,
) -> None:
    source = found.source
    names = zip_names(data)
    workbook = names is not None and WORKBOOK in names
    if data.startswith(_ZIP) and not workbook:
        raise FormatError.single(source, _zip_problem(names))
    if workbook:
        if kind in (Kind.YAML, Kind.IR):
            raise FormatError.single(source, f"this is an XLSX workbook; a {kind.noun} is a text file")
        sheets = read_xlsx_sheets(data, source, max_rows=limits.max_rows)
        found.sheets = list(sheets)
        if kind is Kind.SIGNAL or (kind is None and sheet is None and signal.is_signal_workbook(sheets)):
            return _other_tool(found, Kind.SIGNAL, signal.import_signal_workbook(sheets, source), title)
        if kind is Kind.SPREADSHEET or (kind is None and sheet is None and spreadsheet.is_stageline_workbook(sheets)):
            found.kind = Kind.SPREADSHEET
            found.blueprint = _title(spreadsheet.read_workbook(sheets, source), title)
            return None
        return _journey(found, sheets, sheet, limits, title, choices, signature, overrides, strict, progress)
    if _binary(data):
        raise FormatError.single(
            source,
            "this is a binary file, not text: import a journey map (CSV or XLSX), a Stageline YAML file or "
            "spreadsheet export, or a Blueprint Signal project (JSON)",
        )
    text = decode_text(data, source)
    if sheet:
        raise FormatError.single(source, "a sheet applies to XLSX workbooks; this file is text")
    if kind is Kind.YAML or (kind is None and is_yaml(source, text)):
        from stageline.formats.yaml_format import loads

        found.kind = Kind.YAML
        found.blueprint = _title(loads(text, source), title)
        return None
    if text.lstrip().startswith(("{", "[")):
        if kind not in (None, Kind.SIGNAL, Kind.IR):
            raise FormatError.single(source, f"this is JSON; a {kind.noun} is CSV or XLSX")
        document = signal.parse_json(text, source)
        if kind is Kind.IR or (kind is None and ir.is_ir(document)):
            return _other_tool(found, Kind.IR, ir.import_ir_object(document, source), title)
        return _other_tool(found, Kind.SIGNAL, signal.import_signal_object(document, source), title)
    if kind is Kind.IR:
        raise FormatError.single(source, f"a {kind.noun} is JSON; this file is not")
    table = read_csv(text, source, max_rows=limits.max_rows)
    if kind is Kind.SPREADSHEET or (kind is None and spreadsheet.is_stageline_csv(table)):
        found.kind = Kind.SPREADSHEET
        found.blueprint = _title(spreadsheet.read_csv_export(table), title)
        return None
    if kind is Kind.SIGNAL or (kind is None and signal.is_signal_csv(table)):
        return _other_tool(found, Kind.SIGNAL, signal.import_signal_csv(table), title)
    return _journey(found, {"": table}, None, limits, title, choices, signature, overrides, strict, progress)


def blank_mapping(table: Table) -> Mapping:
    """A table not recognised as a journey map, for the person to map by hand: the
    headings are the first row with two or more cells, the few known ones chosen."""
    header = next(
        (r for r in range(min(15, len(table.rows))) if sum(1 for c in range(table.width) if table.text(r, c)) >= 2),
        0,
    )
    headings = tuple(table.text(header, c) for c in range(table.width))
    fields: dict[int, str] = {}
    for position, heading in enumerate(headings):
        name = field_for_heading(heading) if heading else None
        if name is not None and name not in fields.values():
            fields[position] = name
    return Mapping("rows", header, headings, fields)


def _signature(table: Table, mapping: Mapping) -> str:
    return f"{table.sheet or ''}|{mapping.layout}|{mapping.header}|{len(mapping.headings)}"


def _journey(
    found: Ingested,
    sheets: dict[str, Table],
    sheet: str | None,
    limits: Limits,
    title: str | None,
    choices: MappingType[int, str] | None,
    signature: str | None,
    overrides: dict[str, str] | None,
    strict: bool,
    progress: Progress | None,
) -> None:
    source = found.source
    found.kind = Kind.JOURNEY
    filled = {key: table for key, table in sheets.items() if table.rows}
    if sheet:
        if sheet not in sheets:
            names = [s for s in sheets if s]
            raise FormatError.single(
                source, f"no sheet named {sheet!r}{suggest(sheet, names)}; the workbook has {', '.join(names)}"
            )
        if not sheets[sheet].rows:
            raise FormatError.single(source, f"the sheet {sheet!r} is empty: choose another sheet")
        filled = {sheet: sheets[sheet]}
    if not filled:
        raise FormatError.single(source, "the file is empty: no cells are filled in")
    try:
        if len(filled) > 1:
            table, mapping = find_journey_sheet(filled, overrides)
        else:
            table = next(iter(filled.values()))
            mapping = detect_mapping(table, overrides)
    except FormatError:
        if strict:
            raise
        table = next(iter(filled.values()))
        mapping = blank_mapping(table)
        found.note = (
            "Stageline could not tell which columns are which. Choose below what each column holds: "
            "a journey map needs at least the customer's action or the step name."
        )
    found.table = table
    found.sheet = table.sheet
    found.detected = mapping
    found.signature = _signature(table, mapping)
    if choices is not None and signature == found.signature:
        mapping = _choose(found, table, mapping, choices)
    found.mapping = mapping
    fields = set(mapping.fields.values())
    if "customer" not in fields and "step" not in fields:
        if found.note is None:
            found.note = (
                "Choose the column that holds the customer's action (or the step name): "
                "each row of a journey map becomes a step from it."
            )
        return
    if found.problems:
        return
    count = len(table.rows) if mapping.layout == "rows" else table.width
    found.records = max(0, count - mapping.header - 1)
    if limits.max_steps is not None and found.records > limits.max_steps:
        raise FormatError.single(
            source,
            f"this journey map has {found.records:,} rows; imports are limited to {limits.max_steps:,} steps at a "
            f"time: split it into several blueprints{limits.advice}",
        )
    named = title.strip()[:TITLE_CHARS] if title and title.strip() else None
    blueprint = import_journey(table, mapping, title=named, progress=progress)
    found.blueprint = blueprint
    found.records = sum(len(stage.steps) for stage in blueprint.stages)


def _choose(found: Ingested, table: Table, mapping: Mapping, choices: MappingType[int, str]) -> Mapping:
    """The detected mapping with the person's choices, one field per column; a
    choice that is not a field, or a field chosen twice, is a problem."""
    fields: dict[int, str] = {}
    taken: dict[str, int] = {}
    header_line = table.numbers[mapping.header] if mapping.header < len(table.numbers) else 1

    def problem(place: str, position: int, message: str) -> None:
        line, column = (header_line, position + 1) if mapping.layout == "rows" else (position + 1, 1)
        found.problems.append(FormatProblem(found.source, line, column, place, message))

    for position, choice in sorted(choices.items()):
        if not 0 <= position < len(mapping.headings) or not mapping.headings[position]:
            continue
        name = choice.strip().lower()
        if not name:
            continue
        heading = mapping.headings[position]
        if name not in FIELD_NAMES:
            problem(
                f'column "{heading}"',
                position,
                f"{choice!r} is not something a column can hold{suggest(name, FIELD_NAMES)}; "
                f"choose one of {', '.join(FIELD_NAMES)}",
            )
            continue
        if name in taken:
            first = mapping.headings[taken[name]]
            problem(
                f'columns "{first}" and "{heading}"',
                position,
                f"both are read as {field_label(name)}; choose it for one of them and something else "
                "(or Ignore) for the other",
            )
            continue
        taken[name] = position
        fields[position] = name
    # Columns the form did not mention keep what was detected.
    for position, name in mapping.fields.items():
        if position not in choices and name not in taken:
            fields[position] = name
            taken[name] = position
    return replace(mapping, fields=fields)
