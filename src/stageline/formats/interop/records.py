"""A blueprint as flat records: the tables of Stageline's CSV and XLSX exports.

Every element is one record of one kind: the blueprint's properties, lanes,
stages, steps, cards, links and opportunities, in document order. Records carry
ids, so a spreadsheet exported by Stageline comes back as exactly the blueprint
it came from, and edits made in the spreadsheet (a card's text, a new row with
no id) are read back too. Values are typed cells (text, numbers, booleans);
each writer decides how to store them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from stageline.formats.errors import FormatProblem
from stageline.model.blueprint import FORMAT_VERSION, Blueprint
from stageline.model.elements import Card, ChecksConfig, Distribution, Lane, Link, Opportunity, Stage, Step
from stageline.model.quantities import format_duration, parse_duration

from .assemble import assemble
from .errors import ProblemList
from .ids import IdAllocator
from .tables import Cell, cell_text

Record = dict[str, Cell]

# A card's fields as its columns: its own under their names, its fail point's with a fail_ prefix.
_CARD_SCALARS = (
    "text",
    "actor",
    "department",
    "channel",
    "duration",
    "wait",
    "cost",
    "emotion",
    "pain",
    "basis",
    "source",
    "notes",
    "tags",
    "ignore",
)
_FAIL_COLUMNS = {
    "fail": "fail",
    "recovery": "fail_recovery",
    "severity": "fail_severity",
    "likelihood": "fail_likelihood",
    "p": "fail_p",
    "recovery_time": "fail_recovery_time",
    "recovery_cost": "fail_recovery_cost",
    "owner": "fail_owner",
}
_CARD_FIELDS = {name: name for name in ("id", *_CARD_SCALARS)} | _FAIL_COLUMNS

KINDS = ("property", "lane", "stage", "step", "card", "link", "opportunity")
COLUMNS: dict[str, tuple[str, ...]] = {
    "property": ("id", "text"),
    "lane": ("id", "title", "visible"),
    "stage": ("id", "title"),
    "step": ("id", "stage", "title"),
    "card": ("id", "stage", "step", "lane", "position", *_CARD_SCALARS, *_FAIL_COLUMNS.values()),
    "link": ("from", "to", "two_way", "label", "p"),
    "opportunity": (
        "id",
        "title",
        "description",
        "targets",
        "change",
        "future",
        "owner",
        "measure",
        "target",
        "due",
        "value",
        "effort",
        "status",
    ),
}
# Columns holding free text: protected against formula injection on export.
TEXT_COLUMNS = frozenset(
    {
        "text",
        "title",
        "actor",
        "department",
        "channel",
        "pain",
        "source",
        "notes",
        "tags",
        "ignore",
        "fail",
        "fail_recovery",
        "fail_owner",
        "label",
        "description",
        "owner",
        "targets",
        "change",
        "future",
        "measure",
        "target",
    }
)
# Properties whose value is JSON (nested settings), not a single value.
_JSON_PROPERTIES = ("checks", "simulation")
_TEXT_PROPERTIES = ("title", "scenario", "persona", "state", "goal", "currency", "notes")
MARKER = "stageline"


# -- cell codecs ---------------------------------------------------------------
def duration_cell(value: float | Distribution | None) -> Cell:
    """`4m`, `1h30m`; seconds that the compact form cannot carry exactly as `12.5s`;
    a distribution as its JSON."""
    if value is None:
        return None
    if isinstance(value, Distribution):
        return json.dumps(value.model_dump(mode="json", exclude_none=True), ensure_ascii=False)
    compact = format_duration(value)
    try:
        exact = parse_duration(compact) == value
    except ValueError:  # `1e+06s`: the compact form of some fractions is not readable back
        exact = False
    return compact if exact else f"{value!r}s"


def parse_duration_cell(value: Cell) -> float | Distribution | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return parse_duration(value)  # a number typed into the sheet means minutes, as in YAML
    text = cell_text(value)
    if text.startswith("{"):
        return Distribution.model_validate_json(text)
    try:
        return parse_duration(text)
    except ValueError:
        if text.endswith("s"):
            try:
                seconds = float(text[:-1])
            except ValueError:
                pass
            else:
                if math.isfinite(seconds) and seconds >= 0:
                    return seconds
        raise


def list_cell(items: list[str]) -> Cell:
    """`a, b` when that reads back the same; otherwise a JSON list."""
    joined = ", ".join(items)
    plain = all(item and item == item.strip() and "," not in item for item in items) and not joined.startswith("[")
    if not items:
        return None
    return joined if plain else json.dumps(items, ensure_ascii=False)


def parse_list_cell(value: Cell) -> list[str]:
    text = "" if value is None else (value if isinstance(value, str) else cell_text(value))
    if not text.strip():
        return []
    if text.startswith("["):
        items = json.loads(text)
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ValueError("a JSON list here must hold text only")
        return items
    return [item.strip() for item in text.split(",") if item.strip()]


def _bool_cell(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text in {"true", "yes", "1", "y", "x"}:
        return True
    if text in {"", "false", "no", "0", "n"}:
        return False
    raise ValueError(f"{cell_text(value)!r} is not yes or no: write TRUE or FALSE")


def _number(value: Cell) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("expected a number")
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(cell_text(value))
    except ValueError:
        raise ValueError(f"{cell_text(value)!r} is not a number") from None


def _integer(value: Cell) -> int | None:
    number = _number(value)
    if number is None:
        return None
    if not number.is_integer():
        raise ValueError(f"{number:g} is not a whole number")
    return int(number)


def _date(value: Cell) -> str | None:
    """A due date: spreadsheets may hand back a date cell for `2027-03-31`."""
    if isinstance(value, (date, datetime)):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    return _text(value)


def _text(value: Cell) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else cell_text(value)


# -- blueprint → records -------------------------------------------------------
def to_records(bp: Blueprint) -> dict[str, list[Record]]:
    records: dict[str, list[Record]] = {kind: [] for kind in KINDS}
    props = records["property"]
    props.append({"id": MARKER, "text": FORMAT_VERSION})
    for name in _TEXT_PROPERTIES:
        value = getattr(bp, name)
        if value is not None:
            props.append({"id": name, "text": value})
    if bp.tolerance is not None:
        props.append({"id": "tolerance", "text": duration_cell(bp.tolerance)})
    for name in _JSON_PROPERTIES:
        value = getattr(bp, name)
        if value is not None and value != ChecksConfig():
            props.append(
                {"id": name, "text": json.dumps(value.model_dump(mode="json", exclude_none=True), ensure_ascii=False)}
            )
    records["lane"] = [{"id": lane.id, "title": lane.title, "visible": lane.visible} for lane in bp.lanes]
    for stage in bp.stages:
        records["stage"].append({"id": stage.id, "title": stage.title})
        for step in stage.steps:
            records["step"].append({"id": step.id, "stage": stage.id, "title": step.title})
    for place, card in bp.cards():
        records["card"].append(card_record(card, place.stage.id, place.step.id, place.lane, place.position + 1))
    records["link"] = [
        {"from": link.source, "to": link.target, "two_way": link.two_way, "label": link.label, "p": link.p}
        for link in bp.links
    ]
    records["opportunity"] = [
        {
            "id": o.id,
            "title": o.title,
            "description": o.description,
            "targets": list_cell(o.targets),
            "change": list_cell(o.change),
            "future": o.future,
            "owner": o.owner,
            "measure": o.measure,
            "target": o.target,
            "due": o.due.isoformat() if o.due else None,
            "value": o.value,
            "effort": o.effort,
            "status": o.status,
        }
        for o in bp.opportunities
    ]
    return records


def card_record(card: Card, stage: str, step: str, lane: str, position: int) -> Record:
    fail = card.fail
    return {
        "id": card.id,
        "stage": stage,
        "step": step,
        "lane": lane,
        "position": position,
        "text": card.text,
        "actor": card.actor,
        "department": card.department,
        "channel": card.channel,
        "duration": duration_cell(card.duration),
        "wait": duration_cell(card.wait),
        "cost": card.cost,
        "emotion": card.emotion,
        "pain": card.pain,
        "basis": card.basis,
        "source": card.source,
        "notes": card.notes,
        "tags": list_cell(card.tags),
        "ignore": list_cell(card.ignore),
        "fail": fail.text if fail else None,
        "fail_recovery": fail.recovery if fail else None,
        "fail_severity": fail.severity if fail else None,
        "fail_likelihood": fail.likelihood if fail else None,
        "fail_p": fail.p if fail else None,
        "fail_recovery_time": duration_cell(fail.recovery_time) if fail else None,
        "fail_recovery_cost": fail.recovery_cost if fail else None,
        "fail_owner": fail.owner if fail else None,
    }


# -- records → blueprint -------------------------------------------------------
@dataclass(frozen=True)
class Located:
    """A record with where it came from, to name the place of a problem."""

    values: Record
    problem: Callable[[str, str], FormatProblem]  # (column, message) → problem

    def get(self, column: str) -> Cell:
        return self.values.get(column)


class _Reader:
    def __init__(self, source: str, problems: ProblemList) -> None:
        self.source = source
        self.problems = problems

    def value(self, record: Located, column: str, parse: Callable[[Cell], Any]) -> Any:
        try:
            return parse(record.get(column))
        except (ValueError, ValidationError) as error:
            message = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
            self.problems.add(record.problem(column, message.removeprefix("Value error, ")))
            return None

    def element(self, record: Located, model: Any, data: dict[str, Any], columns: dict[str, str]) -> Any:
        """Validate `data` as `model`; a field error is reported at its column."""
        try:
            return model.model_validate(data)
        except ValidationError as error:
            for detail in error.errors():
                loc = [str(part) for part in detail["loc"]]
                column = next((columns[part] for part in loc if part in columns), loc[0] if loc else "id")
                self.problems.add(record.problem(column, str(detail["msg"]).removeprefix("Value error, ")))
            return None


def from_records(records: dict[str, list[Located]], source: str) -> Blueprint:
    """The blueprint of exported (and perhaps edited) records; FormatError naming
    the sheet, row and column of every problem."""
    problems = ProblemList()
    read = _Reader(source, problems)
    properties: dict[str, Any] = {}
    for record in records.get("property", []):
        name = _text(record.get("id")) or ""
        raw = record.get("text")
        if name == MARKER:
            continue
        if name in _TEXT_PROPERTIES:
            properties[name] = _text(raw)
        elif name == "tolerance":
            properties[name] = read.value(record, "text", parse_duration_cell)
        elif name in _JSON_PROPERTIES:
            properties[name] = read.value(record, "text", lambda v: json.loads(cell_text(v)) if v else None)
        else:
            from stageline.model.integrity import suggest

            known = [*_TEXT_PROPERTIES, "tolerance", *_JSON_PROPERTIES]
            problems.add(record.problem("id", f"unknown property {name!r}{suggest(name, known)}"))
    if not properties.get("title"):
        problems.add(FormatProblem(source, 1, 1, "sheet About", "the blueprint needs a title: add a row `title`"))
    lanes = [
        read.element(
            r,
            Lane,
            {"id": _text(r.get("id")), "title": _text(r.get("title")), "visible": read.value(r, "visible", _bool_cell)},
            {"id": "id", "title": "title", "visible": "visible"},
        )
        for r in records.get("lane", [])
    ]
    stages: dict[str, Stage] = {}
    for r in records.get("stage", []):
        stage = read.element(
            r, Stage, {"id": _text(r.get("id")), "title": _text(r.get("title"))}, {"id": "id", "title": "title"}
        )
        if stage is not None:
            stages[stage.id] = stage
    steps: dict[str, Step] = {}
    for r in records.get("step", []):
        stage_id = _text(r.get("stage")) or ""
        step = read.element(
            r, Step, {"id": _text(r.get("id")), "title": _text(r.get("title"))}, {"id": "id", "title": "title"}
        )
        if step is None:
            continue
        if stage_id not in stages:
            from stageline.model.integrity import suggest

            problems.add(r.problem("stage", f"no stage has id {stage_id!r}{suggest(stage_id, list(stages))}"))
            continue
        stages[stage_id].steps.append(step)
        steps[step.id] = step
    _read_cards(records.get("card", []), read, steps, {lane.id for lane in lanes if lane is not None})
    links = [
        read.element(
            r,
            Link,
            {
                "from": _text(r.get("from")),
                "to": _text(r.get("to")),
                "two_way": read.value(r, "two_way", _bool_cell),
                "label": _text(r.get("label")),
                "p": read.value(r, "p", _number),
            },
            {"from": "from", "source": "from", "to": "to", "target": "to", "label": "label", "p": "p"},
        )
        for r in records.get("link", [])
    ]
    opportunities = [
        read.element(
            r,
            Opportunity,
            {
                "id": _text(r.get("id")),
                "title": _text(r.get("title")),
                "description": _text(r.get("description")),
                "targets": read.value(r, "targets", parse_list_cell),
                "change": read.value(r, "change", parse_list_cell),
                "future": _text(r.get("future")),
                "owner": _text(r.get("owner")),
                "measure": _text(r.get("measure")),
                "target": _text(r.get("target")),
                "due": _date(r.get("due")),
                "value": read.value(r, "value", _integer),
                "effort": read.value(r, "effort", _integer),
                "status": _text(r.get("status")) or "idea",
            },
            {c: c for c in COLUMNS["opportunity"]},
        )
        for r in records.get("opportunity", [])
    ]
    problems.raise_if_any()
    properties = {k: v for k, v in properties.items() if v is not None}
    return assemble(
        source,
        properties,
        [lane for lane in lanes if lane is not None],
        list(stages.values()),
        [link for link in links if link is not None],
        [o for o in opportunities if o is not None],
    )


def _read_cards(records: list[Located], read: _Reader, steps: dict[str, Step], lanes: set[str]) -> None:
    taken = {str(cell_text(r.get("id"))) for r in records if r.get("id") not in (None, "")}
    ids = IdAllocator(taken)
    placed: list[tuple[int, float, int, str, str, Card]] = []
    for order, r in enumerate(records):
        step_id = _text(r.get("step")) or ""
        lane_id = _text(r.get("lane")) or ""
        if step_id not in steps:
            from stageline.model.integrity import suggest

            read.problems.add(r.problem("step", f"no step has id {step_id!r}{suggest(step_id, list(steps))}"))
            continue
        if lane_id not in lanes:
            from stageline.model.integrity import suggest

            read.problems.add(r.problem("lane", f"no lane has id {lane_id!r}{suggest(lane_id, list(lanes))}"))
            continue
        card_id = _text(r.get("id"))
        if card_id is None:  # a row added in the spreadsheet: give it the id the YAML format would
            n = 1
            while f"{step_id}.{lane_id}" + (f".{n}" if n > 1 else "") in ids.taken:
                n += 1
            card_id = ids.card(step_id, lane_id, n)
        fail_text = _text(r.get("fail"))
        fail = (
            None
            if fail_text is None
            else {
                "text": fail_text,
                "recovery": _text(r.get("fail_recovery")),
                "severity": read.value(r, "fail_severity", _integer),
                "likelihood": read.value(r, "fail_likelihood", _integer),
                "p": read.value(r, "fail_p", _number),
                "recovery_time": read.value(r, "fail_recovery_time", parse_duration_cell),
                "recovery_cost": read.value(r, "fail_recovery_cost", _number),
                "owner": _text(r.get("fail_owner")),
            }
        )
        data: dict[str, Any] = {
            "id": card_id,
            "text": _text(r.get("text")),
            "actor": _text(r.get("actor")),
            "department": _text(r.get("department")),
            "channel": _text(r.get("channel")),
            "duration": read.value(r, "duration", parse_duration_cell),
            "wait": read.value(r, "wait", parse_duration_cell),
            "cost": read.value(r, "cost", _number),
            "emotion": read.value(r, "emotion", _integer),
            "pain": _text(r.get("pain")),
            "basis": _text(r.get("basis")) or "assumed",
            "source": _text(r.get("source")),
            "notes": _text(r.get("notes")),
            "tags": read.value(r, "tags", parse_list_cell) or [],
            "ignore": read.value(r, "ignore", parse_list_cell) or [],
            "fail": fail,
        }
        card = read.element(r, Card, data, _CARD_FIELDS)
        if card is None:
            continue
        position = read.value(r, "position", _number)
        placed.append((order, position if position is not None else math.inf, order, step_id, lane_id, card))
    cells: dict[tuple[str, str], list[tuple[float, int, Card]]] = {}
    for _, position, order, step_id, lane_id, card in placed:
        cells.setdefault((step_id, lane_id), []).append((position, order, card))
    lane_order = {lane: i for i, lane in enumerate(sorted(lanes))}
    for (step_id, lane_id), cards in sorted(cells.items(), key=lambda item: lane_order[item[0][1]]):
        steps[step_id].cells[lane_id] = [card for _, _, card in sorted(cards, key=lambda c: (c[0], c[1]))]
