"""Blueprints from the files people bring: a journey map (CSV or XLSX) read
through a column mapping they can see and change, a Stageline YAML file or
spreadsheet export, or a Blueprint Signal project (JSON or CSV). What a file
is, is told by its content, as `stageline import` does.

`analyse` turns an upload into a `Draft`: what the file is, how its columns
are read, the first steps as they will land, and every problem found. The
import page and the REST API both use it; `create` stores a draft through
`Blueprints.create`, so an import is version 1 like any other blueprint.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from stageline.formats.errors import FormatError, FormatProblem
from stageline.formats.interop import ir, signal, spreadsheet
from stageline.formats.interop.journey import (
    FIELD_NAMES,
    FIELDS,
    Mapping,
    detect_mapping,
    field_for_heading,
    find_journey_sheet,
    import_journey,
    preview,
)
from stageline.formats.interop.tables import Table, decode_text, is_xlsx, read_csv, read_xlsx_sheets
from stageline.formats.interop.unmapped import Unmapped
from stageline.formats.interop.values import items
from stageline.model import Blueprint
from stageline.model.elements import Card
from stageline.model.integrity import suggest
from stageline.model.quantities import humanize_duration
from stageline.server.db.models import BlueprintRecord
from stageline.server.services.base import Actor
from stageline.server.services.blueprints import Blueprints
from stageline.server.services.errors import Invalid, ServiceError

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_STEPS = 10_000
# Rows read from a sheet or CSV file at most, blank and heading rows included:
# reading stops there, so a file of millions of rows is refused at once.
MAX_ROWS = MAX_STEPS + 1_000
PREVIEW_ROWS = 8
# A kept upload travels back with the form (compressed, base64), so that the
# mapping can be changed without choosing the file again and without the server
# holding anything between requests. Base64 of an incompressible 5 MB file:
STASH_CHARS = (MAX_IMPORT_BYTES + 2) // 3 * 4 + 1024

_YAML_HEAD = re.compile(r"^stageline\s*:", re.MULTILINE)

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


FIELD_CHOICES: tuple[tuple[str, str, str], ...] = tuple((f.name, field_label(f.name), f.description) for f in FIELDS)


class TooLarge(ServiceError):
    status = 413
    code = "too_large"


class Kind(StrEnum):
    """What an uploaded file turned out to be."""

    JOURNEY = "journey"
    YAML = "yaml"
    SPREADSHEET = "spreadsheet"
    SIGNAL = "signal"
    IR = "ir"

    @property
    def noun(self) -> str:
        return {
            "journey": "journey map",
            "yaml": "Stageline YAML file",
            "spreadsheet": "Stageline spreadsheet export",
            "signal": "Blueprint Signal project",
            "ir": "agentic-service-blueprinting IR",
        }[self.value]

    @property
    def label(self) -> str:
        return self.noun[:1].upper() + self.noun[1:]


def _other_tool(draft: Draft, imported: tuple[Blueprint, list[Unmapped]], title: str | None) -> Draft:
    """Another tool's file, read by the same importer as `stageline import`, with what it leaves behind."""
    blueprint, unmapped = imported
    draft.blueprint = _title(blueprint, title)
    draft.unmapped = [str(item) for item in unmapped]
    return draft


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


@dataclass(frozen=True)
class Upload:
    """The bytes of an uploaded file and the name it came with."""

    name: str
    data: bytes

    @classmethod
    def of(cls, name: str | None, data: bytes, size: int | None = None) -> Upload:
        """`data` read up to one byte past the limit; `size` is the whole file's, when known."""
        label = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "upload"
        if len(data) > MAX_IMPORT_BYTES:
            limit = MAX_IMPORT_BYTES // 1024 // 1024
            raise TooLarge(
                f"the file {label} is {_megabytes(max(size or 0, len(data)))}; imports are limited to {limit} MB: "
                "split the file, or remove sheets and pictures it does not need",
                details={"limit_bytes": MAX_IMPORT_BYTES},
            )
        if not data.strip():
            raise Invalid(f"the file {label} is empty: choose a file with a journey map or a blueprint in it")
        return cls(label, data)

    def stash(self) -> str:
        """The file as text to keep in a form: compressed, then URL-safe base64."""
        return base64.urlsafe_b64encode(zlib.compress(self.data, 6)).decode("ascii")

    @classmethod
    def unstash(cls, name: str | None, text: str) -> Upload:
        """The upload kept by `stash`; refuses anything damaged or too large."""
        damaged = Invalid("the file kept with this form is damaged; choose the file again", code="bad_upload")
        if len(text) > STASH_CHARS:
            raise damaged
        try:
            packed = base64.urlsafe_b64decode(text.encode("ascii"))
            inflate = zlib.decompressobj()
            data = inflate.decompress(packed, MAX_IMPORT_BYTES + 1)
        except (binascii.Error, zlib.error, UnicodeEncodeError, ValueError):
            raise damaged from None
        if len(data) > MAX_IMPORT_BYTES or inflate.unconsumed_tail or not inflate.eof:
            raise damaged
        return cls.of(name, data)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, placed the way people look for it."""

    where: str
    message: str
    line: int = 1
    column: int = 1
    path: str = ""

    @classmethod
    def of(cls, problem: FormatProblem) -> Problem:
        if problem.path.startswith(("row ", "$", "sheet ")):
            where = problem.path
        elif problem.path.startswith("--"):
            where = "mapping"
        elif not problem.path and (problem.line, problem.column) == (1, 1):
            where = "file"
        else:
            where = f"line {problem.line}, column {problem.column}"
            if problem.path:
                where += f" ({problem.path})"
        return cls(where, problem.message, problem.line, problem.column, problem.path)

    def to_json(self) -> dict[str, Any]:
        return {
            "where": self.where,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "path": self.path,
        }


@dataclass(frozen=True)
class Column:
    """A heading of the journey map and how it is read."""

    position: int
    heading: str
    field: str | None
    detected: str | None
    sample: str


@dataclass(frozen=True)
class Landed:
    """One step of the preview. `landed` is False when the import found problems
    and these are the cells as written, not yet what the blueprint will hold."""

    stage: str
    step: str
    customer: str
    evidence: list[str]
    emotion: int | None
    feeling: str
    pain: str
    opportunities: list[str]
    more: list[tuple[str, str]]
    landed: bool = True


@dataclass
class Draft:
    """What an upload would become. `blueprint` is None while there are problems."""

    upload: Upload
    kind: Kind | None = None
    blueprint: Blueprint | None = None
    problems: list[Problem] = field(default_factory=list)
    note: str | None = None
    mapping: Mapping | None = None
    signature: str = ""
    columns: list[Column] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    rows: list[Landed] = field(default_factory=list)
    records: int = 0
    unmapped: list[str] = field(default_factory=list)  # what the file holds that the blueprint will not

    @property
    def ready(self) -> bool:
        return self.blueprint is not None and not self.problems

    @property
    def mappable(self) -> bool:
        """A journey map whose columns the person can choose."""
        return self.kind is Kind.JOURNEY and self.mapping is not None

    @property
    def default_title(self) -> str:
        return self.blueprint.title if self.blueprint is not None else ""

    def counts(self) -> dict[str, int]:
        bp = self.blueprint
        if bp is None:
            return {}
        return {
            "stages": len(bp.stages),
            "steps": sum(len(stage.steps) for stage in bp.stages),
            "cards": sum(1 for _ in bp.cards()),
            "links": len(bp.links),
            "opportunities": len(bp.opportunities),
        }

    def mapping_json(self) -> dict[str, Any] | None:
        if self.mapping is None:
            return None
        return {
            **self.mapping.to_json(),
            **({"sheet": self.sheet} if self.sheet else {}),
        }

    def problem_details(self) -> dict[str, Any]:
        return {"problems": [p.to_json() for p in self.problems]}

    def fail(self) -> Invalid:
        """The draft's problems as an error: the first in the message, all in the details."""
        first = self.problems[0] if self.problems else Problem("file", self.note or "this file cannot be imported")
        more = f" (and {len(self.problems) - 1} more problems)" if len(self.problems) > 1 else ""
        return Invalid(
            f"{self.upload.name}: {first.where}: {first.message}{more}",
            details=self.problem_details(),
            code="invalid_import",
        )


def _problems(error: FormatError) -> list[Problem]:
    return [Problem.of(p) for p in error.problems]


def _title(blueprint: Blueprint, title: str | None) -> Blueprint:
    if title and title.strip():
        blueprint.title = title.strip()[:300]
    return blueprint


def analyse(
    upload: Upload,
    *,
    title: str | None = None,
    sheet: str | None = None,
    choices: MappingType[int, str] | None = None,
    signature: str | None = None,
    overrides: dict[str, str] | None = None,
    strict: bool = False,
) -> Draft:
    """Read an upload, recognising what it is by content.

    A journey map's columns are detected; `choices` (column position → field,
    "" to ignore) replace the detected fields when `signature` says they were
    made for this same table and header. `overrides` (heading → field, as
    `--map`) instead steer the detection itself. A table whose columns are not
    recognised comes back as a journey map with no columns chosen and a `note`
    for the person to choose them, or, when `strict`, as a problem (as on the
    command line).
    """
    draft = Draft(upload)
    data, name = upload.data, upload.name
    try:
        if is_xlsx(data):
            sheets = read_xlsx_sheets(data, name, max_rows=MAX_ROWS)
            draft.sheets = list(sheets)
            if sheet is None and signal.is_signal_workbook(sheets):
                draft.kind = Kind.SIGNAL
                return _other_tool(draft, signal.import_signal_workbook(sheets, name), title)
            if sheet is None and spreadsheet.is_stageline_workbook(sheets):
                draft.kind = Kind.SPREADSHEET
                draft.blueprint = _title(spreadsheet.read_workbook(sheets, name), title)
                return draft
            return _journey(draft, sheets, sheet, title, choices, signature, overrides, strict)
        text = decode_text(data, name)
        if sheet:
            raise FormatError.single(name, "a sheet applies to XLSX workbooks; this file is text")
        if _is_yaml(name, text):
            from stageline.formats.yaml_format import loads

            draft.kind = Kind.YAML
            draft.blueprint = _title(loads(text, source=name), title)
            return draft
        if text.lstrip().startswith(("{", "[")):
            document = signal.parse_json(text, name)
            if ir.is_ir(document):
                draft.kind = Kind.IR
                return _other_tool(draft, ir.import_ir_object(document, name), title)
            draft.kind = Kind.SIGNAL
            return _other_tool(draft, signal.import_signal_object(document, name), title)
        table = read_csv(text, name, max_rows=MAX_ROWS)
        if spreadsheet.is_stageline_csv(table):
            draft.kind = Kind.SPREADSHEET
            draft.blueprint = _title(spreadsheet.read_csv_export(table), title)
            return draft
        if signal.is_signal_csv(table):
            draft.kind = Kind.SIGNAL
            return _other_tool(draft, signal.import_signal_csv(table), title)
        return _journey(draft, {"": table}, None, title, choices, signature, overrides, strict)
    except FormatError as error:
        draft.blueprint = None
        draft.problems = _problems(error)
        return draft


def _is_yaml(name: str, text: str) -> bool:
    if name.lower().endswith((".yaml", ".yml")) or _YAML_HEAD.search(text[:65536]):
        return True
    # The JSON spelling of a Stageline document is YAML too.
    head = text.lstrip()
    if head.startswith("{") and '"stageline"' in head[:65536]:
        try:
            return isinstance(parsed := json.loads(text), dict) and "stageline" in parsed
        except ValueError:
            return False
    return False


def _blank_mapping(table: Table) -> Mapping:
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
    draft: Draft,
    sheets: dict[str, Table],
    sheet: str | None,
    title: str | None,
    choices: MappingType[int, str] | None,
    signature: str | None,
    overrides: dict[str, str] | None,
    strict: bool,
) -> Draft:
    name = draft.upload.name
    draft.kind = Kind.JOURNEY
    filled = {key: table for key, table in sheets.items() if table.rows}
    if sheet:
        if sheet not in sheets:
            names = [s for s in sheets if s]
            raise FormatError.single(
                name, f"no sheet named {sheet!r}{suggest(sheet, names)}; the workbook has {', '.join(names)}"
            )
        if not sheets[sheet].rows:
            raise FormatError.single(name, f"the sheet {sheet!r} is empty: choose another sheet")
        filled = {sheet: sheets[sheet]}
    if not filled:
        raise FormatError.single(name, "the file is empty: no cells are filled in")
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
        mapping = _blank_mapping(table)
        draft.note = (
            "Stageline could not tell which columns are which. Choose below what each column holds: "
            "a journey map needs at least the customer's action or the step name."
        )
    draft.sheet = table.sheet
    detected = mapping
    draft.signature = _signature(table, detected)
    if choices is not None and signature == draft.signature:
        mapping = _choose(detected, choices, draft)
    draft.mapping = mapping
    shown = dict(mapping.fields)
    if mapping is not detected:
        # Show what the person chose, even a clash that is not applied, so they can see and fix it.
        for position, choice in (choices or {}).items():
            if choice.strip().lower() in FIELD_NAMES:
                shown[position] = choice.strip().lower()
            elif not choice.strip():
                shown.pop(position, None)
    draft.columns = _columns(table, mapping, detected, shown)
    fields = set(mapping.fields.values())
    if "customer" not in fields and "step" not in fields:
        if draft.note is None:
            draft.note = (
                "Choose the column that holds the customer's action (or the step name): "
                "each row of a journey map becomes a step from it."
            )
        draft.rows = _raw_rows(table, mapping)
        return draft
    if draft.problems:
        draft.rows = _raw_rows(table, mapping)
        return draft
    count = len(table.rows) if mapping.layout == "rows" else table.width
    draft.records = max(0, count - mapping.header - 1)
    if draft.records > MAX_STEPS:
        raise FormatError.single(
            name,
            f"this journey map has {draft.records:,} rows; the web app imports up to {MAX_STEPS:,} steps at a time: "
            "split it into several blueprints, or use `stageline import` on the command line",
        )
    try:
        blueprint = import_journey(table, mapping, title=title.strip()[:300] if title and title.strip() else None)
    except FormatError as error:
        draft.problems = _problems(error)
        draft.rows = _raw_rows(table, mapping)
        return draft
    draft.blueprint = blueprint
    draft.rows = _landed(table, mapping, blueprint)
    draft.records = sum(len(stage.steps) for stage in blueprint.stages)
    return draft


def _choose(mapping: Mapping, choices: MappingType[int, str], draft: Draft) -> Mapping:
    """The detected mapping with the person's choices, one field per column."""
    fields: dict[int, str] = {}
    taken: dict[str, int] = {}
    for position, choice in sorted(choices.items()):
        if not 0 <= position < len(mapping.headings) or not mapping.headings[position]:
            continue
        name = choice.strip().lower()
        if not name:
            continue
        heading = mapping.headings[position]
        if name not in FIELD_NAMES:
            draft.problems.append(
                Problem(
                    f'column "{heading}"',
                    f"{choice!r} is not something a column can hold{suggest(name, FIELD_NAMES)}; "
                    f"choose one of {', '.join(FIELD_NAMES)}",
                )
            )
            continue
        if name in taken:
            first = mapping.headings[taken[name]]
            draft.problems.append(
                Problem(
                    f'columns "{first}" and "{heading}"',
                    f"both are read as {field_label(name)}; choose it for one of them and something else "
                    "(or Ignore) for the other",
                )
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


def _columns(table: Table, mapping: Mapping, detected: Mapping, shown: dict[int, str]) -> list[Column]:
    count = len(table.rows) if mapping.layout == "rows" else table.width
    columns = []
    for position, heading in enumerate(mapping.headings):
        if not heading:
            continue
        sample = ""
        for index in range(mapping.header + 1, count):
            cell = (index, position) if mapping.layout == "rows" else (position, index)
            text = table.text(*cell)
            if text:
                sample = text if len(text) <= 80 else text[:79] + "…"
                break
        columns.append(Column(position, heading, shown.get(position), detected.fields.get(position), sample))
    return columns


def _raw_rows(table: Table, mapping: Mapping) -> list[Landed]:
    rows = []
    for raw in preview(table, mapping, PREVIEW_ROWS):
        more = [
            (field_label(name), raw[name])
            for name in ("channel", "thinking", "duration", "wait", "frontstage", "backstage", "support", "source")
            if raw.get(name)
        ]
        rows.append(
            Landed(
                stage=raw.get("stage", ""),
                step=raw.get("step", ""),
                customer=raw.get("customer", ""),
                evidence=items(raw.get("evidence", "")),
                emotion=None,
                feeling=raw.get("emotion", ""),
                pain=raw.get("pain", ""),
                opportunities=items(raw.get("opportunity", "")),
                more=more,
                landed=False,
            )
        )
    return rows


def _texts(cards: list[Card]) -> str:
    return "; ".join(card.text for card in cards)


def _landed(table: Table, mapping: Mapping, blueprint: Blueprint) -> list[Landed]:
    """The first steps of the blueprint next to the cells they came from: an import
    without problems makes exactly one step per record, in order."""
    raws = preview(table, mapping, PREVIEW_ROWS)
    rows = []
    for (stage, step), raw in zip(blueprint.steps(), raws, strict=False):
        customer = step.cards("customer")[0]
        more: list[tuple[str, str]] = []
        if customer.channel:
            more.append((field_label("channel"), customer.channel))
        if raw.get("thinking"):
            more.append((field_label("thinking"), raw["thinking"]))
        if isinstance(customer.duration, (int, float)):
            more.append((field_label("duration"), humanize_duration(customer.duration)))
        if customer.wait is not None:
            more.append((field_label("wait"), humanize_duration(customer.wait)))
        for lane in ("frontstage", "backstage", "support"):
            if step.cards(lane):
                more.append((field_label(lane), _texts(step.cards(lane))))
        if customer.source:
            more.append((field_label("source"), customer.source))
        rows.append(
            Landed(
                stage=stage.title,
                step=step.title or customer.text,
                customer=customer.text,
                evidence=[card.text for card in step.cards("evidence")],
                emotion=customer.emotion,
                feeling=raw.get("emotion", ""),
                pain=customer.pain or "",
                opportunities=[o.title for o in blueprint.opportunities if customer.id in o.targets],
                more=more,
            )
        )
    return rows


def create(blueprints: Blueprints, actor: Actor, workspace_id: int, draft: Draft) -> BlueprintRecord:
    """Store a ready draft as a new blueprint (version 1)."""
    if not draft.ready or draft.blueprint is None or draft.kind is None:
        raise draft.fail()
    how = f"Imported from {draft.upload.name}, a {draft.kind.noun}"
    return blueprints.create(actor, workspace_id, draft.blueprint, how)
