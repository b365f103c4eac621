"""Blueprint Signal projects, both ways, and its CSV/XLSX spreadsheets.

Reads what Blueprint Signal writes (see `signal_schema` for the format and where
it is published): saved projects (`blueprint-project-v1` envelope), the bare
`data` object of its AI import, its complete project workbook (XLSX) and its
process list (CSV or XLSX: Stage, Service layer, What happens, …). Writes a
saved project Signal opens.

How the two models meet:

- stages follow their `order`; Signal has no step columns, so within a stage a
  customer action opens a step and the actions after it (frontstage, backstage,
  support, evidence) join that step, the way a blueprint reads;
- an action is a card: description → text, owner → actor, minutes → duration,
  basis, source → `source` (the source's title and link), evidence note → notes;
- a link is a one-way link with its description as label;
- a hazard is the fail point of its action's card: failure → text, impact
  low/medium/high → severity 2/3/4, owner;
- an improvement is an opportunity on the hazard's card with its plan: change,
  owner, measure, target, check date → due, status proposed/testing/complete →
  idea/testing/done; its change is the title (first sentence) and description;
- the envelope's origin, its review record and the sources' notes are kept in
  the blueprint's notes.

What does not fit is reported field by field (`Unmapped`), never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

from stageline.formats.errors import FormatError, FormatProblem
from stageline.model.blueprint import Blueprint
from stageline.model.elements import Card, FailPoint, Link, Opportunity, Stage, Step

from . import signal_schema as sig
from .assemble import assemble
from .errors import ProblemList, cell_problem, json_path
from .ids import IdAllocator
from .tables import Cell, Table, cell_text
from .unmapped import ExportRefused, Unmapped, UnmappedLog

MARKER = sig.MARKER
IMPACT_SEVERITY = {"low": 2, "medium": 3, "high": 4}
STATUS_IN = {"proposed": "idea", "testing": "testing", "complete": "done"}
STATUS_OUT = {"idea": "proposed", "planned": "proposed", "testing": "testing", "done": "complete"}
TITLE_LENGTH = 100

# Signal's spreadsheet headings (`input_format.py`, `spreadsheets.py`): one per column.
TABLE_SHEETS = {
    "stages": "Stages",
    "actions": "Service items",
    "links": "Handoffs",
    "hazards": "Failure points",
    "improvements": "Improvement plans",
    "sources": "Sources",
}
HEADINGS = {
    "id": "Reference",
    "name": "Name",
    "source_id": "Source reference",
    "note": "Notes",
    "url": "Source URL",
    "title": "Source title",
    "stage_id": "Stage reference",
    "lane": "Service layer",
    "description": "Description",
    "owner": "Responsible person or team",
    "minutes": "Time in minutes",
    "basis": "Evidence status",
    "evidence_note": "Evidence note",
    "from_action": "From step",
    "to_action": "To step",
    "action_id": "Step reference",
    "hazard_id": "Failure point reference",
    "check_date": "Follow-up date",
}
CASE_SHEET, CASE_HEADING = "Case", "Case brief"
# The process list ("Process steps"): field → (heading, other headings accepted).
PROCESS: dict[str, tuple[str, tuple[str, ...]]] = {
    "stage": ("Stage", ("phase", "stage name", "journey stage")),
    "lane": ("Service layer", ("lane", "layer", "type")),
    "description": ("What happens", ("action", "step", "description", "activity")),
    "owner": ("Responsible person or team", ("owner", "team", "responsible")),
    "minutes": ("Time in minutes", ("minutes", "duration", "time")),
    "basis": ("Evidence status", ("basis", "status")),
    "evidence_note": ("Evidence note", ("evidence", "note", "notes")),
}
LANE_WORDS = {
    "evidence": ("physical / digital evidence", "physical evidence", "digital evidence"),
    "customer": ("customer actions", "customer action"),
    "frontstage": ("visible staff / technology", "visible staff", "front stage", "visible"),
    "backstage": ("backstage actions", "back stage"),
    "support": ("support processes", "support process"),
}


# What maps to what, field by field (docs/interop.md is generated from this; a test
# checks that every field of Signal's schema is listed).
MAPPING: dict[str, tuple[tuple[str, str], ...]] = {
    "project": (
        ("format, origin, review", "the blueprint's `notes` (origin, reviewer, date, note, whether it still matches)"),
        ("schema_version", "checked: `1.0`"),
        ("brief", "`title` (its first sentence) and `scenario` (all of it); written back from them"),
    ),
    "stages": (
        ("id", "not kept: stages get readable ids; written as S1, S2, …"),
        ("name", "stage `title`"),
        ("order", "the order of the stages"),
    ),
    "actions": (
        ("id", "not kept: cards get the ids the YAML format gives them; written as A1, A2, …"),
        ("stage_id", "the stage holding the card; a customer action opens a step, the actions after it join it"),
        ("lane", "the card's lane (the five standard lanes; other lanes are written by visibility)"),
        ("description", "card `text`"),
        ("owner", "card `actor` (blank: none)"),
        ("minutes", "card `duration` (null: none)"),
        ("basis", "card `basis` (observed without a source or note is written as assumed)"),
        ("source_id", "card `source`: the source's title and `<link>`"),
        ("evidence_note", "card `notes`"),
    ),
    "links": (
        ("id", "not kept; written as L1, L2, …"),
        ("from_action, to_action", "link `from`, `to` (a two-way link is written as two links)"),
        ("description", "link `label`"),
    ),
    "hazards": (
        ("id", "not kept; written as F1, F2, …"),
        ("action_id", "the card whose `fail` it is (a second failure point of one action goes to its notes)"),
        ("failure", "fail `text`"),
        ("impact", "fail `severity`: low 2, medium 3, high 4 (written: 1–2 low, 3 medium, 4–5 high)"),
        ("basis", "not kept (reported when observed); written as assumed"),
        ("source_id", "not kept when it differs from the action's source (reported)"),
        ("owner", "fail `owner`"),
    ),
    "improvements": (
        ("id", "not kept; written as I1, I2, …"),
        ("hazard_id", "opportunity `targets`: the card of that failure point"),
        ("change", "opportunity `title` (first sentence) and `description`"),
        ("owner, measure, target", "opportunity `owner`, `measure`, `target`"),
        ("check_date", "opportunity `due`"),
        (
            "status",
            "opportunity `status`: proposed → idea, testing → testing, complete → done (and back; planned → "
            "proposed; dropped is not written)",
        ),
    ),
    "sources": (
        ("id, title, url", "the `source` of the cards citing it"),
        ("note", "the blueprint's `notes` (written back as a short note)"),
    ),
}
NOT_WRITTEN = (
    "persona, goal, tolerance, currency, simulation; step titles; card department, channel, wait, cost, emotion, "
    "pain, tags; fail recovery, likelihood, p, recovery time and cost; link p; opportunity value, effort, change "
    "(what-if) and future: Signal has no place for them, and the export lists each one it leaves out"
)


def heading(field_name: str) -> str:
    return HEADINGS.get(field_name, field_name.replace("_", " ").capitalize())


def normalize(value: object) -> str:
    return re.sub(r"[^a-z0-9]+", "", str(value).casefold())


def _lane_value(text: str) -> str | None:
    key = normalize(text)
    for lane, words in LANE_WORDS.items():
        if key in {normalize(lane), *map(normalize, words)}:
            return lane
    return None


# -- recognising ------------------------------------------------------------------
def is_signal_json(data: Any) -> bool:
    """A saved project (any `…-project-v1` envelope, refused later if not Blueprint Signal's) or its bare data."""
    if not isinstance(data, dict):
        return False
    if isinstance(data.get("format"), str) and "data" in data:
        return True
    return "schema_version" in data and "stages" in data and "actions" in data


def _process_columns(header: list[Cell]) -> dict[str, int]:
    names = [normalize(cell_text(c)) for c in header]
    found: dict[str, int] = {}
    for name, (title, aliases) in PROCESS.items():
        for candidate in (title, name, *aliases):
            matches = [i for i, h in enumerate(names) if h == normalize(candidate)]
            if len(matches) == 1 and matches[0] not in found.values():
                found[name] = matches[0]
                break
    return found


def is_signal_csv(table: Table) -> bool:
    """A process list: Stage, Service layer and What happens columns (or their accepted names)."""
    return bool(table.rows) and {"stage", "lane", "description"} <= set(_process_columns(table.rows[0]))


def is_signal_workbook(sheets: dict[str, Table]) -> bool:
    names = {normalize(n) for n in sheets}
    if {normalize(TABLE_SHEETS["stages"]), normalize(TABLE_SHEETS["actions"])} <= names:
        return True
    return any(normalize(n) == "processsteps" and is_signal_csv(t) for n, t in sheets.items())


# -- problems and places -------------------------------------------------------------
Path = sig.Path


@dataclass
class _Places:
    """Where each value of the `data` came from, to name it in messages: a JSON path or a cell."""

    source: str
    base: Path = ()
    cells: dict[Path, tuple[int, int, str, str | None]] = field(default_factory=dict)  # row, column, heading, sheet
    problems: ProblemList = field(default_factory=ProblemList)

    def report(self, path: Path, message: str) -> None:
        for cut in range(len(path), -1, -1):
            cell = self.cells.get(path[:cut])
            if cell is not None:
                row, column, title, sheet = cell
                where = f"sheet {sheet!r}, " if sheet else ""
                problem = cell_problem(self.source, row, column, title, message)
                self.problems.add(FormatProblem(problem.file, row, column, where + problem.path, message))
                return
        self.problems.add(FormatProblem(self.source, 1, 1, json_path(self.base + path), message))


# -- reading JSON ----------------------------------------------------------------------
def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one JSON object; keep one")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows; write null for an unknown value")


def parse_json(text: str, source: str, *, limit: int = sig.MAX_BYTES) -> Any:
    """JSON as Signal reads it: at most 5 MB, no repeated keys, no NaN or Infinity."""
    size = len(text.encode("utf-8"))
    if size > limit:
        raise FormatError.single(
            source, f"the file is {size / 1_000_000:.1f} MB; these projects are limited to {limit // 1_000_000} MB"
        )
    body = text.strip().lstrip("\ufeff")
    fenced = re.fullmatch(r"```(?:json)?\s*\n(.*?)\n```", body, re.S | re.I)  # an AI reply pasted as is
    if fenced:
        body = fenced.group(1)
    try:
        return json.loads(body, object_pairs_hook=_strict_object, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise FormatError.single(
            source, f"not valid JSON: {error.msg}", line=error.lineno, column=error.colno
        ) from None
    except RecursionError:
        raise FormatError.single(source, "the JSON nests too deeply to be a blueprint") from None
    except ValueError as error:
        raise FormatError.single(source, str(error)) from None


@dataclass
class _Project:
    data: Any  # a dict once checked
    origin: str | None = None
    review: dict[str, Any] | None = None
    title: str | None = None


def _unwrap(raw: Any, places: _Places) -> _Project:
    if not isinstance(raw, dict):
        raise FormatError.single(places.source, "a Blueprint Signal project is one JSON object", path="$")
    if "format" not in raw:
        return _Project(raw)
    fmt = raw["format"]
    if fmt != MARKER:
        app = fmt.removesuffix("-project-v1") if isinstance(fmt, str) else None
        other = f"a saved {app!r} project of another app" if app and app != fmt else f"format {fmt!r}"
        raise FormatError.single(
            places.source, f"this is {other}, not a Blueprint Signal project ({MARKER!r})", path="$.format"
        )
    for key in [k for k in sig.ENVELOPE_KEYS if k not in raw]:
        places.report((key,), f"a saved project has `{key}`; this one lacks it")
    for key in sorted(set(raw) - set(sig.ENVELOPE_KEYS)):
        places.report((key,), f"`{key}` is not part of a saved project; it has only {', '.join(sig.ENVELOPE_KEYS)}")
    origin, review = raw.get("origin"), raw.get("review")
    if origin is not None and (not isinstance(origin, str) or len(origin) > sig.ORIGIN_LENGTH):
        places.report(("origin",), f"the origin is text of at most {sig.ORIGIN_LENGTH} characters")
        origin = None
    if review is not None:
        review_places = _Places(places.source, ("review",), problems=places.problems)
        if not sig.check_schema(review, sig.REVIEW, review_places.report):
            review = None
    places.problems.raise_if_any()
    places.base = ("data",)
    return _Project(raw.get("data"), origin, review)


def _validated(project: _Project, places: _Places) -> None:
    if not sig.check_schema(project.data, sig.data_schema(limited=False), places.report):
        places.problems.raise_if_any()
    sig.check_rules(project.data, places.report)
    places.problems.raise_if_any()


def import_signal_json(text: str, source: str) -> tuple[Blueprint, list[Unmapped]]:
    """A saved project or its bare data → (blueprint, what could not be mapped)."""
    return import_signal_object(parse_json(text, source), source)


def import_signal_object(raw: Any, source: str) -> tuple[Blueprint, list[Unmapped]]:
    if not is_signal_json(raw):
        raise FormatError.single(
            source,
            f'this JSON is neither a Blueprint Signal project (a saved project has "format": "{MARKER}"; its '
            "data has schema_version, brief, stages and actions) nor an agentic-service-blueprinting IR "
            "(schema_version, locales, service)",
            path="$",
        )
    places = _Places(source)
    project = _unwrap(raw, places)
    if not isinstance(project.data, dict):
        raise FormatError.single(
            source, "`data` must be the project object (schema_version, brief, stages, …)", path="$.data"
        )
    _validated(project, places)
    return _build(project, places)


def read_signal_json(text: str, source: str) -> Blueprint:
    return import_signal_json(text, source)[0]


# -- reading spreadsheets -----------------------------------------------------------------
def _kind(spec: dict[str, Any]) -> tuple[str, bool]:
    """('text'|'number'|'integer'|'enum'|'date', nullable) of a column's schema."""
    options = spec.get("anyOf", [spec])
    actual = options[0]
    nullable = any(o.get("type") == "null" for o in options)
    if "enum" in actual:
        return "enum", nullable
    if actual.get("format") == "date":
        return "date", nullable
    return str(actual.get("type", "text")).replace("string", "text"), nullable


def _cell(value: Cell, spec: dict[str, Any], report: sig.Report, path: Path, title: str) -> Any:
    kind, nullable = _kind(spec)
    blank_ok = kind == "text" and "minLength" not in spec.get("anyOf", [spec])[0]
    if value is None or (isinstance(value, str) and not value.strip()):
        if nullable:
            return None
        if blank_ok:
            return ""
        report(path, f"this cell is empty; fill in the {title}")
        return None
    if kind in ("number", "integer"):
        number = _number(value)
        if number is None or (kind == "integer" and not number.is_integer()):
            whole = "a whole number" if kind == "integer" else "a number"
            report(path, f"{cell_text(value)!r} is not {whole}; leave the cell empty when it is unknown")
            return None
        return int(number) if kind == "integer" else (int(number) if number.is_integer() else number)
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return cell_text(value)
    text = _unescape(cell_text(value))
    if kind == "enum":
        choices = spec.get("anyOf", [spec])[0]["enum"]
        match = next((c for c in choices if normalize(c) == normalize(text)), None)
        if match is None and path and path[-1] == "lane":
            match = _lane_value(text)
        if match is None:
            report(path, f"{text!r} is not one of {', '.join(choices)}")
        return match
    return text


def _number(value: Cell) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    try:
        number = float(cell_text(value))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _unescape(text: str) -> str:
    """Signal's CSV writes `'=…` for text that starts like a formula; the apostrophe is not part of it."""
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@") else text


def _sheet_rows(table: Table, name: str, places: _Places) -> list[dict[str, Any]]:
    if not table.rows:
        return []
    columns = FIELDS_OF[name]
    header = [normalize(cell_text(c)) for c in table.rows[0]]
    position: dict[str, int] = {}
    for column_name in columns:
        for candidate in (heading(column_name), column_name):
            if normalize(candidate) in header:
                position[column_name] = header.index(normalize(candidate))
                break
    rows: list[dict[str, Any]] = []
    for index in range(1, len(table.rows)):
        row: dict[str, Any] = {}
        for column_name, spec in columns.items():
            path: Path = (name, len(rows), column_name)
            column = position.get(column_name)
            title = heading(column_name)
            if column is None:
                places.cells[path] = (table.numbers[index], 1, title, table.sheet)
                places.report(path, f"the sheet has no {title!r} column")
                continue
            places.cells[path] = (table.numbers[index], column + 1, title, table.sheet)
            row[column_name] = _cell(table.value(index, column), spec, places.report, path, title)
        places.cells[(name, len(rows))] = (table.numbers[index], 1, table.text(0, 0) or "row", table.sheet)
        rows.append(row)
    return rows


FIELDS_OF = sig.FIELDS


def _from_workbook(sheets: dict[str, Table], source: str) -> tuple[_Project, _Places]:
    places = _Places(source)
    by_name = {normalize(n): t for n, t in sheets.items()}
    process = by_name.get("processsteps")
    if normalize(TABLE_SHEETS["actions"]) not in by_name and process is not None:
        return _from_process(process, places, title=FilePath(source).stem)
    data: dict[str, Any] = {"schema_version": "1.0"}
    case = by_name.get(normalize(CASE_SHEET))
    brief = None
    if case is not None and len(case.rows) > 1:
        header = [normalize(cell_text(c)) for c in case.rows[0]]
        if normalize(CASE_HEADING) in header:
            brief = _unescape(case.text(1, header.index(normalize(CASE_HEADING))))
    data["brief"] = brief or _title_from(source)
    for name, sheet in TABLE_SHEETS.items():
        table = by_name.get(normalize(sheet))
        data[name] = [] if table is None else _sheet_rows(table, name, places)
    places.problems.raise_if_any()
    return _Project(data), places


def _from_process(table: Table, places: _Places, *, title: str) -> tuple[_Project, _Places]:
    """Signal's process list: stages by first appearance, actions A1…, the file as their source."""
    columns = _process_columns(table.rows[0])
    for needed in ("stage", "lane", "description"):
        if needed not in columns:
            places.problems.add(
                cell_problem(places.source, table.numbers[0], 1, PROCESS[needed][0], "this column is missing")
            )
    places.problems.raise_if_any()
    # Without an evidence status a step is assumed, as in Signal.
    specs = {**FIELDS_OF["actions"], "stage": sig.FIELDS["stages"]["name"]}
    specs["basis"] = {"anyOf": [specs["basis"], {"type": "null"}]}
    stages: dict[str, str] = {}
    actions: list[dict[str, Any]] = []
    for index in range(1, len(table.rows)):
        at = len(actions)
        row: dict[str, Any] = {}
        for name, column in columns.items():
            path: Path = ("actions", at, name)
            places.cells[path] = (table.numbers[index], column + 1, table.text(0, column), table.sheet)
            row[name] = _cell(table.value(index, column), specs[name], places.report, path, PROCESS[name][0])
        places.cells[("actions", at)] = (table.numbers[index], 1, table.text(0, 0), table.sheet)
        stage = row.pop("stage", None)
        if stage is None:
            continue
        stage_id = stages.setdefault(stage, f"S{len(stages) + 1}")
        if ("actions", at, "stage") in places.cells:
            places.cells[("actions", at, "stage_id")] = places.cells[("actions", at, "stage")]
        actions.append(
            {
                "id": f"A{at + 1}",
                "stage_id": stage_id,
                "lane": row.get("lane"),
                "description": row.get("description"),
                "owner": row.get("owner") or "",
                "minutes": row.get("minutes"),
                "basis": row.get("basis") or "assumed",
                "source_id": "FILE1",
                "evidence_note": row.get("evidence_note") or "",
            }
        )
    places.problems.raise_if_any()
    if not actions:
        raise FormatError.single(places.source, "the process list has no steps: add a row per step under the headings")
    data = {
        "schema_version": "1.0",
        "brief": title,
        "stages": [{"id": sid, "name": name[:100], "order": i} for i, (name, sid) in enumerate(stages.items(), 1)],
        "actions": actions,
        "links": [],
        "hazards": [],
        "improvements": [],
        "sources": [
            {
                "id": "FILE1",
                "title": FilePath(places.source).name[:300] or "Process list",
                "url": None,
                "note": "User-supplied spreadsheet. Its contents and evidence status require review.",
            }
        ],
    }
    return _Project(data, title=title), places


def import_signal_workbook(sheets: dict[str, Table], source: str) -> tuple[Blueprint, list[Unmapped]]:
    project, places = _from_workbook(sheets, source)
    _validated(project, places)
    return _build(project, places)


def read_signal_workbook(sheets: dict[str, Table], source: str) -> Blueprint:
    return import_signal_workbook(sheets, source)[0]


def import_signal_csv(table: Table) -> tuple[Blueprint, list[Unmapped]]:
    project, places = _from_process(table, _Places(table.source), title=_title_from(table.source))
    _validated(project, places)
    return _build(project, places)


def read_signal_csv(table: Table) -> Blueprint:
    return import_signal_csv(table)[0]


def _title_from(source: str) -> str:
    stem = FilePath(source).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Imported from Blueprint Signal"


# -- building the blueprint ------------------------------------------------------------------
def _steps(actions: list[dict[str, Any]], ids: IdAllocator) -> list[tuple[Step, list[dict[str, Any]]]]:
    """Each customer action opens a step; actions before the first one join it."""
    groups: list[list[dict[str, Any]]] = []
    pending: list[dict[str, Any]] = []
    for action in actions:
        if action["lane"] == "customer":
            groups.append([*pending, action])
            pending = []
        elif groups:
            groups[-1].append(action)
        else:
            pending.append(action)
    if pending:
        groups.append(pending)
    return [
        (
            Step(
                id=ids.new(
                    next((a["description"] for a in group if a["lane"] == "customer"), group[0]["description"]), "step"
                )
            ),
            group,
        )
        for group in groups
    ]


def title_of(text: str) -> str:
    """The first sentence or line of `text`, cut at a word within TITLE_LENGTH characters."""
    first = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)[0].strip()
    if len(first) <= TITLE_LENGTH:
        title = first.rstrip(".") if first.count(".") == 1 and first.endswith(".") else first
    else:
        title = first[:TITLE_LENGTH].rsplit(" ", 1)[0] or first[:TITLE_LENGTH]
    return title or text.strip()[:TITLE_LENGTH] or "Untitled"


def source_text(source: dict[str, Any]) -> str:
    return f"{source['title']} <{source['url']}>" if source.get("url") else str(source["title"])


def _notes(project: _Project, data: dict[str, Any]) -> str:
    lines = ["Imported from Blueprint Signal" + (" (saved project)." if project.origin is not None else ".")]
    if project.origin:
        lines.append(f"Origin: {project.origin}")
    review = project.review
    if review is not None:
        matches = review["data_sha256"] == sig.digest(data)
        lines.append(
            f"Review: checked by {review['reviewer']} on {review['checked_on']}: {review['note']}"
            + ("" if matches else " (the data changed after this review; Blueprint Signal asks for a new review)")
        )
    elif project.origin is not None:
        lines.append("Review: none (an unreviewed draft).")
    if data["sources"]:
        lines.append("Sources:")
        lines += [f"- {s['id']} {source_text(s)}: {s['note']}" for s in data["sources"]]
    return "\n".join(lines)


def _build(project: _Project, places: _Places) -> tuple[Blueprint, list[Unmapped]]:
    data = project.data
    unmapped = UnmappedLog()
    sources = {s["id"]: s for s in data["sources"]}
    ids = IdAllocator({"evidence", "customer", "frontstage", "backstage", "support"})
    cards: dict[str, Card] = {}
    by_stage: dict[str, list[dict[str, Any]]] = {s["id"]: [] for s in data["stages"]}
    for action in data["actions"]:
        by_stage[action["stage_id"]].append(action)
    stages: list[Stage] = []
    for stage_data in sorted(data["stages"], key=lambda s: s["order"]):
        stage = Stage(id=ids.new(stage_data["name"], f"stage-{len(stages) + 1}"), title=stage_data["name"])
        for step, group in _steps(by_stage[stage_data["id"]], ids):
            stage.steps.append(step)
            for action in group:
                cell = step.cells.setdefault(action["lane"], [])
                minutes = action["minutes"]
                card = Card(
                    id=ids.card(step.id, action["lane"], len(cell) + 1),
                    text=action["description"],
                    actor=_blank_none(action["owner"]),
                    duration=None if minutes is None else float(minutes) * 60,
                    basis=action["basis"],
                    source=source_text(sources[action["source_id"]]) if action["source_id"] else None,
                    notes=_blank_none(action["evidence_note"]),
                )
                cell.append(card)
                cards[action["id"]] = card
        stages.append(stage)
    links = [
        Link(source=cards[x["from_action"]].id, target=cards[x["to_action"]].id, label=x["description"])
        for x in data["links"]
    ]
    failing: dict[str, Card] = {}
    for hazard in data["hazards"]:
        card = cards[hazard["action_id"]]
        fail = FailPoint(
            text=hazard["failure"], severity=IMPACT_SEVERITY[hazard["impact"]], owner=_blank_none(hazard["owner"])
        )
        if hazard["basis"] == "observed":
            unmapped.add("$.hazards[*].basis", "fail points carry no basis of their own; 'observed' is not kept")
        if hazard["source_id"] and hazard["source_id"] != cards_source_id(data, hazard["action_id"]):
            unmapped.add("$.hazards[*].source_id", "fail points cite no source; a source other than the card's is lost")
        if card.fail is not None:
            card.notes = "\n".join(
                filter(None, [card.notes, f"Also a failure point ({hazard['impact']} impact): {fail.text}"])
            )
            unmapped.add(
                "$.hazards[*]",
                "a card has one fail point; a second failure point of the same action is kept in its notes",
            )
            continue
        card.fail = fail
        failing[hazard["id"]] = card
    opportunities: list[Opportunity] = []
    for plan in data["improvements"]:
        hazard_card = failing.get(plan["hazard_id"]) or cards[_hazard_action(data, plan["hazard_id"])]
        change, title = plan["change"], title_of(plan["change"])
        opportunities.append(
            Opportunity(
                id=ids.new(title, f"improvement-{len(opportunities) + 1}"),
                title=title,
                description=None if change == title else change,
                targets=[hazard_card.id],
                **_plan_fields(plan),
            )
        )
    properties: dict[str, Any] = {"title": project.title or title_of(data["brief"]) or "Blueprint Signal project"}
    if data["brief"].strip() != properties["title"]:
        properties["scenario"] = data["brief"].strip()
    properties["notes"] = _notes(project, data)
    bp = assemble(places.source, properties, None, stages, links, opportunities)
    return bp, unmapped.items


def _blank_none(text: str) -> str | None:
    return text if text.strip() else None


def _filled(text: str | None) -> str:
    """Blank text as Signal writes it: empty."""
    return text if text and text.strip() else ""


def cards_source_id(data: dict[str, Any], action_id: str) -> str | None:
    return next((a["source_id"] for a in data["actions"] if a["id"] == action_id), None)


def _hazard_action(data: dict[str, Any], hazard_id: str) -> str:
    return next(h["action_id"] for h in data["hazards"] if h["id"] == hazard_id)


def _plan_fields(plan: dict[str, Any]) -> dict[str, Any]:
    """An improvement's plan as the opportunity's fields (its change is the title and description)."""
    return {
        "owner": _blank_none(plan["owner"]),
        "measure": _blank_none(plan["measure"]),
        "target": _blank_none(plan["target"]),
        "due": dt.date.fromisoformat(plan["check_date"]) if plan["check_date"] else None,
        "status": STATUS_IN[plan["status"]],
    }


# -- writing -------------------------------------------------------------------------------
def _cut(text: str, size: int, where: str, unmapped: UnmappedLog) -> str:
    if len(text) <= size:
        return text
    unmapped.add(where, f"longer than Blueprint Signal's {size} characters: cut")
    return text[: size - 1].rstrip() + "…"


def _required(text: str | None, size: int, where: str, unmapped: UnmappedLog, fallback: str) -> str:
    """Text Signal requires (not blank): `fallback` stands in for blank text, and says so."""
    if text is None or not text.strip():
        unmapped.add(where, f"blank, and Blueprint Signal requires it: written as {fallback!r}")
        return fallback
    return _cut(text, size, where, unmapped)


def _minutes(card: Card, unmapped: UnmappedLog) -> int | float | None:
    if card.duration is None:
        return None
    if not isinstance(card.duration, (int, float)):
        unmapped.add("card.duration", "a distributed duration is written as its mean")
    from stageline.model.elements import mean_seconds

    minutes = round(mean_seconds(card.duration) / 60, 4)
    if minutes > 100000:
        unmapped.add("card.duration", "longer than Blueprint Signal's 100,000 minutes: capped")
        minutes = 100000
    return int(minutes) if float(minutes).is_integer() else minutes


def _severity_impact(severity: int | None, unmapped: UnmappedLog) -> str:
    if severity is None:
        unmapped.add("card.fail.severity", "no severity: written as medium impact")
        return "medium"
    return "low" if severity <= 2 else "medium" if severity == 3 else "high"


def _source_of(text: str) -> tuple[str, str | None]:
    match = re.fullmatch(r"(.*?)\s*<(\S+)>", text.strip())
    if match and sig.safe_url(match.group(2)):
        return match.group(1) or match.group(2), match.group(2)
    return text.strip(), None


def to_signal(bp: Blueprint) -> tuple[dict[str, Any], list[Unmapped]]:
    """A saved Blueprint Signal project of `bp`, and what it could not hold. ExportRefused past Signal's limits."""
    unmapped = UnmappedLog()
    counts = {
        "stages": len(bp.stages),
        "actions": sum(1 for _ in bp.cards()),
        "links": sum(2 if link.two_way else 1 for link in bp.links),
    }
    over = [f"{counts[k]} {k} (at most {sig.LIMITS[k]})" for k in counts if counts[k] > sig.LIMITS[k]]
    if over:
        raise ExportRefused(
            f"Blueprint Signal holds at most {sig.LIMITS['stages']} stages, {sig.LIMITS['actions']} actions and "
            f"{sig.LIMITS['links']} links; this blueprint has {', '.join(over)}: export a part of it"
        )
    for name in ("persona", "goal", "tolerance", "currency", "simulation"):
        if getattr(bp, name) is not None:
            unmapped.add(name, "Blueprint Signal has no place for it")
    if bp.notes:
        unmapped.add("notes", "kept only as the project's origin line")
    lanes = {lane.id: lane for lane in bp.lanes}
    sources: dict[str, dict[str, Any]] = {}
    action_of: dict[str, str] = {}
    stages: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    hazards: list[dict[str, Any]] = []
    hazard_of: dict[str, str] = {}
    for order, stage in enumerate(bp.stages, 1):
        stage_id = f"S{order}"
        name = _required(stage.title, 100, "stage.title", unmapped, f"Stage {order}")
        stages.append({"id": stage_id, "name": name, "order": order})
        for step in stage.steps:
            if step.title:
                unmapped.add("step.title", "Blueprint Signal has no steps; the step's title is not kept")
            for lane_id in bp.lane_ids():
                for card in step.cards(lane_id):
                    lane = lane_id
                    if lane not in sig.LANES:
                        lane = "frontstage" if lanes[lane_id].visible else "backstage"
                        unmapped.add("lanes", f"lane {lane_id!r} is not one of Signal's five: written as {lane}")
                    action_id = f"A{len(actions) + 1}"
                    action_of[card.id] = action_id
                    source_id = None
                    if card.source and card.source.strip():
                        title, url = _source_of(card.source)
                        key = card.source.strip()
                        if key not in sources:
                            sources[key] = {
                                "id": f"N{len(sources) + 1}",
                                "title": _cut(title, 300, "card.source", unmapped),
                                "url": url,
                                "note": "Cited in the Stageline blueprint.",
                            }
                        source_id = sources[key]["id"]
                    notes = _filled(card.notes)
                    basis = card.basis
                    if basis == "observed" and (not source_id or not notes.strip()):
                        unmapped.add(
                            "card.basis",
                            "Blueprint Signal needs a source and an evidence note for observed work: "
                            "written as assumed",
                        )
                        basis = "assumed"
                    actions.append(
                        {
                            "id": action_id,
                            "stage_id": stage_id,
                            "lane": lane,
                            "description": _required(card.text, 700, "card.text", unmapped, "Untitled action"),
                            "owner": _cut(_filled(card.actor), 120, "card.actor", unmapped),
                            "minutes": _minutes(card, unmapped),
                            "basis": basis,
                            "source_id": source_id,
                            "evidence_note": _cut(notes, 1000, "card.notes", unmapped),
                        }
                    )
                    for name in ("department", "channel", "wait", "cost", "emotion", "pain"):
                        if getattr(card, name) is not None:
                            unmapped.add(f"card.{name}", "Blueprint Signal has no place for it")
                    if card.tags:
                        unmapped.add("card.tags", "Blueprint Signal has no place for it")
                    fail = card.fail
                    if fail is not None:
                        hazard_id = f"F{len(hazards) + 1}"
                        hazard_of[card.id] = hazard_id
                        hazards.append(
                            {
                                "id": hazard_id,
                                "action_id": action_id,
                                "failure": _required(fail.text, 700, "card.fail.text", unmapped, "Unnamed failure"),
                                "impact": _severity_impact(fail.severity, unmapped),
                                "basis": "assumed",
                                "source_id": None,
                                "owner": _cut(_filled(fail.owner), 120, "card.fail.owner", unmapped),
                            }
                        )
                        for name in ("recovery", "likelihood", "p", "recovery_time", "recovery_cost"):
                            if getattr(fail, name) is not None:
                                unmapped.add(f"card.fail.{name}", "Blueprint Signal has no place for it")
    links: list[dict[str, Any]] = []
    for link in bp.links:
        pairs = [(link.source, link.target)] + ([(link.target, link.source)] if link.two_way else [])
        if link.two_way:
            unmapped.add("link.two_way", "Blueprint Signal links go one way: written as two links")
        if link.p is not None:
            unmapped.add("link.p", "Blueprint Signal has no place for it")
        for a, b in pairs:
            links.append(
                {
                    "id": f"L{len(links) + 1}",
                    "from_action": action_of[a],
                    "to_action": action_of[b],
                    "description": _required(
                        link.label or "Service dependency", 500, "link.label", unmapped, "Service dependency"
                    ),
                }
            )
    improvements = _improvements(bp, hazard_of, unmapped)
    brief = bp.title
    if bp.scenario:
        brief = bp.scenario if bp.scenario.startswith(bp.title) else f"{bp.title}: {bp.scenario}"
    data = {
        "schema_version": "1.0",
        "brief": _required(brief, 2500, "title", unmapped, "Untitled blueprint"),
        "stages": stages or [{"id": "S1", "name": "Start", "order": 1}],
        "actions": actions,
        "links": links,
        "hazards": hazards,
        "improvements": improvements,
        "sources": list(sources.values()),
    }
    for name in ("hazards", "improvements", "sources"):
        if len(data[name]) > sig.LIMITS[name]:
            raise ExportRefused(
                f"Blueprint Signal holds at most {sig.LIMITS[name]} {name}; this blueprint would need {len(data[name])}"
            )
    origin = _cut(f"Exported from Stageline: {bp.title}", sig.ORIGIN_LENGTH, "title", unmapped)
    return {"format": MARKER, "data": data, "origin": origin, "review": None}, unmapped.items


def _improvements(bp: Blueprint, hazard_of: dict[str, str], unmapped: UnmappedLog) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for opportunity in bp.opportunities:
        hazard_ids = [hazard_of[t] for t in opportunity.targets if t in hazard_of]
        if not hazard_ids:
            unmapped.add(
                "opportunities",
                "an improvement in Blueprint Signal answers a failure point; an opportunity on no card with a "
                "fail point is not written",
            )
            continue
        if len(hazard_ids) > 1:
            unmapped.add("opportunity.targets", "an improvement answers one failure point: the first is kept")
        status = STATUS_OUT.get(opportunity.status)
        if status is None:
            unmapped.add("opportunity.status", f"Blueprint Signal has no {opportunity.status!r} status: not written")
            continue
        for name in ("value", "effort", "future", "change"):
            if getattr(opportunity, name) not in (None, []):
                unmapped.add(f"opportunity.{name}", "Blueprint Signal has no place for it")
        change = opportunity.title
        if opportunity.description and opportunity.description.strip():
            description = opportunity.description
            change = description if description.startswith(change) else f"{change}: {description}"
        found.append(
            {
                "id": f"I{len(found) + 1}",
                "hazard_id": hazard_ids[0],
                "change": _required(change, 700, "opportunity.title", unmapped, "Unnamed improvement"),
                "owner": _cut(_filled(opportunity.owner), 120, "opportunity.owner", unmapped),
                "measure": _cut(_filled(opportunity.measure), 400, "opportunity.measure", unmapped),
                "target": _cut(_filled(opportunity.target), 400, "opportunity.target", unmapped),
                "check_date": opportunity.due.isoformat() if opportunity.due else None,
                "status": status,
            }
        )
    return found


def write_signal(bp: Blueprint) -> str:
    project, _ = to_signal(bp)
    return json.dumps(project, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def signal_unmapped(bp: Blueprint) -> list[Unmapped]:
    return to_signal(bp)[1]


__all__ = [
    "MARKER",
    "import_signal_csv",
    "import_signal_json",
    "import_signal_workbook",
    "is_signal_csv",
    "is_signal_json",
    "is_signal_workbook",
    "read_signal_csv",
    "read_signal_json",
    "read_signal_workbook",
    "to_signal",
    "write_signal",
]
