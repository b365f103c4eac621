"""Journey maps (CSV or XLSX) to blueprints.

A journey map holds what the customer does, thinks and feels, step by step;
a blueprint adds what the organisation does to deliver it (Bitner, Ostrom &
Morgan 2008 build a blueprint in that order: customer actions first). The
import fills the customer lane, physical evidence, emotions, pain points and
opportunities, and leaves frontstage, backstage and support to the team;
`stageline check` then lists what each step still needs.

Two layouts are recognised: one row per step (the headings in a row) and the
transposed grid people draw in Excel (the headings down the first column, one
column per step). For the web app, `detect_mapping` returns the mapping for a
preview and `import_journey` imports with a mapping the person confirmed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from stageline.formats.errors import FormatError, FormatProblem
from stageline.model.blueprint import Blueprint
from stageline.model.elements import Card, Opportunity, Stage, Step
from stageline.model.integrity import suggest

from . import values
from .assemble import assemble
from .errors import ProblemList, cell_problem
from .ids import IdAllocator
from .tables import Cell, Table, cell_text, is_xlsx, read_bytes, read_table, read_xlsx_sheets


@dataclass(frozen=True)
class JourneyField:
    name: str
    description: str
    headings: tuple[str, ...]


# The recognised headings of each field, matched case-insensitively after
# punctuation is removed. docs/interop.md is generated from this table.
FIELDS: tuple[JourneyField, ...] = (
    JourneyField(
        "stage",
        "Stage the step belongs to; consecutive rows with the same stage form one stage",
        ("stage", "stages", "phase", "phases", "journey stage", "journey phase", "stage name", "phase name"),
    ),
    JourneyField(
        "step",
        "Name of the step (the column title in the blueprint)",
        (
            "step",
            "steps",
            "step name",
            "touchpoint name",
            "moment",
            "moments",
            "task",
            "activity",
            "title",
            "name",
            "event",
            "journey step",
        ),
    ),
    JourneyField(
        "customer",
        "What the customer does: the card in the customer lane",
        (
            "customer action",
            "customer actions",
            "action",
            "actions",
            "doing",
            "does",
            "what they do",
            "user action",
            "user actions",
            "customer",
            "behaviour",
            "behavior",
            "what the customer does",
            "activities",
            "customer activity",
        ),
    ),
    JourneyField(
        "channel",
        "Touchpoint or channel of the customer action (web, phone, in person, …)",
        ("touchpoint", "touchpoints", "channel", "channels", "medium", "where", "touch point"),
    ),
    JourneyField(
        "thinking",
        "What the customer thinks; kept in the customer card's notes",
        ("thinking", "thoughts", "thinks", "think", "what they think", "questions", "says", "saying"),
    ),
    JourneyField(
        "emotion",
        "How the customer feels: words, emoji or a number (-2..2, 1..5 or 1..10)",
        (
            "feeling",
            "feelings",
            "emotion",
            "emotions",
            "mood",
            "sentiment",
            "feels",
            "emotional state",
            "what they feel",
            "emotional response",
            "satisfaction",
        ),
    ),
    JourneyField(
        "pain",
        "Pain points of the step",
        ("pain point", "pain points", "pains", "pain", "frustrations", "problems", "issues", "friction", "painpoints"),
    ),
    JourneyField(
        "opportunity",
        "Ideas to improve the step; each line becomes an opportunity",
        ("opportunity", "opportunities", "ideas", "idea", "improvements", "improvement", "how might we", "hmw"),
    ),
    JourneyField(
        "evidence",
        "Physical evidence the customer sees or handles; each line becomes a card",
        ("evidence", "physical evidence", "props", "artefacts", "artifacts", "physical"),
    ),
    JourneyField(
        "duration",
        "How long the step takes (5m, 1h30m, '10 minutes'; a bare number is minutes)",
        ("duration", "time", "time spent", "how long", "minutes", "length"),
    ),
    JourneyField(
        "wait",
        "How long the customer waits before the step",
        ("wait", "waiting", "wait time", "waiting time", "delay", "queue", "queue time"),
    ),
    JourneyField(
        "frontstage",
        "Frontstage actions, if the map already has them; each line becomes a card",
        (
            "frontstage",
            "front stage",
            "onstage",
            "on stage",
            "frontstage actions",
            "employee actions",
            "staff actions",
            "contact staff",
            "front office",
        ),
    ),
    JourneyField(
        "backstage",
        "Backstage actions, if present; each line becomes a card",
        ("backstage", "back stage", "backstage actions", "back office", "behind the scenes"),
    ),
    JourneyField(
        "support",
        "Support processes and systems, if present; each line becomes a card",
        ("support", "support processes", "support process", "systems", "tools", "technology", "support systems"),
    ),
    JourneyField(
        "source",
        "Where the step's knowledge comes from (research, quote); marks the step as observed",
        ("source", "sources", "research", "quote", "quotes", "verbatim", "data source", "research source"),
    ),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)


def _normalise(heading: str) -> str:
    return " ".join(re.sub(r"[^\w\s]+", " ", heading.lower().replace("&", " and ")).split())


HEADINGS: dict[str, str] = {}
for _field in FIELDS:
    for _heading in _field.headings:
        if _normalise(_heading) in HEADINGS:  # pragma: no cover - guarded by a test
            raise RuntimeError(f"heading {_heading!r} is listed for two fields")
        HEADINGS[_normalise(_heading)] = _field.name


def field_for_heading(heading: str) -> str | None:
    """The field a heading names: `Pain points` → `pain`, `Customer actions (doing)` → `customer`."""
    text = _normalise(heading)
    if not text:
        return None
    if text in HEADINGS:
        return HEADINGS[text]
    parts = [_normalise(p) for p in re.split(r"[()\[\]/:|]", heading) if _normalise(p)]
    for part in parts:
        if part in HEADINGS:
            return HEADINGS[part]
        if part.endswith("s") and part[:-1] in HEADINGS:
            return HEADINGS[part[:-1]]
    return None


Layout = Literal["rows", "columns"]


@dataclass(frozen=True)
class Mapping:
    """How a table maps onto journey fields.

    `layout` "rows": one row per step, headings in row `header`; "columns": one
    column per step, headings down column `header`. `fields` maps the position
    of a heading (a column, or a row in the transposed layout) to a field.
    """

    layout: Layout
    header: int
    headings: tuple[str, ...]
    fields: dict[int, str] = field(default_factory=dict)

    @property
    def unmapped(self) -> list[str]:
        return [h for i, h in enumerate(self.headings) if h and i not in self.fields]

    def position_of(self, field_name: str) -> int | None:
        return next((i for i, name in self.fields.items() if name == field_name), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "layout": self.layout,
            "header": self.header,
            "columns": [{"heading": h, "field": self.fields.get(i)} for i, h in enumerate(self.headings)],
        }

    def with_overrides(self, overrides: dict[str, str], source: str) -> Mapping:
        """Apply `heading=field` choices (`--map`); an empty field ignores that heading."""
        fields = dict(self.fields)
        problems: list[FormatProblem] = []
        lowered = {h.lower(): i for i, h in enumerate(self.headings) if h}
        for heading, field_name in overrides.items():
            position = lowered.get(heading.strip().lower())
            if position is None:
                problems.append(
                    FormatProblem(
                        source,
                        1,
                        1,
                        "--map",
                        f"no heading {heading!r} in the table"
                        f"{suggest(heading, [h for h in self.headings if h])}; headings are: "
                        f"{', '.join(h for h in self.headings if h)}",
                    )
                )
                continue
            name = field_name.strip().lower()
            if not name:
                fields.pop(position, None)
                continue
            if name not in FIELD_NAMES:
                problems.append(
                    FormatProblem(
                        source,
                        1,
                        1,
                        "--map",
                        f"unknown field {field_name!r}"
                        f"{suggest(name, FIELD_NAMES)}; fields are: {', '.join(FIELD_NAMES)}",
                    )
                )
                continue
            for other, other_name in list(fields.items()):
                if other_name == name and other != position:
                    del fields[other]
            fields[position] = name
        if problems:
            raise FormatError(problems)
        return replace(self, fields=fields)


_SCAN_LINES = 15


def _score(texts: list[str], overrides: dict[str, str]) -> tuple[int, dict[int, str]]:
    found: dict[int, str] = {}
    for i, text in enumerate(texts):
        key = _normalise(text)
        name = overrides[key] if key and key in overrides else field_for_heading(text)
        if name and name in FIELD_NAMES and name not in found.values():
            found[i] = name
    return len(found), found


def detect_mapping(table: Table, overrides: dict[str, str] | None = None) -> Mapping:
    """The most likely layout and field of each heading, with `heading=field`
    overrides applied; raises FormatError when the table does not look like a
    journey map, saying which headings it knows."""
    chosen = {_normalise(h): f.strip().lower() for h, f in (overrides or {}).items()}
    best: Mapping | None = None
    best_score = 0
    for r in range(min(_SCAN_LINES, len(table.rows))):
        texts = [table.text(r, c) for c in range(len(table.rows[r]))]
        score, fields = _score(texts, chosen)
        if score > best_score:
            best, best_score = Mapping("rows", r, tuple(texts), fields), score
    for c in range(min(3, table.width)):
        texts = [table.text(r, c) for r in range(len(table.rows))]
        score, fields = _score(texts, chosen)
        if score > best_score:
            best, best_score = Mapping("columns", c, tuple(texts), fields), score
    if best is not None and overrides:
        best = best.with_overrides(overrides, table.source)
    found = set(best.fields.values()) if best is not None else set()
    # A lone "Name" column is any list of things; a journey map says what the customer does.
    if best is None or not ("customer" in found or ("step" in found and len(found) > 1)):
        known = ", ".join(f.headings[0] for f in FIELDS)
        raise FormatError.single(
            table.source,
            "this does not look like a journey map: no heading for the customer's steps or actions "
            f"was found. Name the columns (or the first column, one step per column) with headings such as {known}, "
            "or map yours with --map 'Your heading=customer'",
        )
    return best


def preview(table: Table, mapping: Mapping, limit: int = 5) -> list[dict[str, str]]:
    """The first records as field → text, for a person to confirm the mapping."""
    rows = []
    for record in _records(table, mapping):
        rows.append({name: table.text(*record.cell(position)) for position, name in mapping.fields.items()})
        if len(rows) >= limit:
            break
    return rows


@dataclass(frozen=True)
class _Record:
    """One step of the map: a row (or a column in the transposed layout)."""

    table: Table
    mapping: Mapping
    index: int

    def cell(self, position: int) -> tuple[int, int]:
        if self.mapping.layout == "rows":
            return self.index, position
        return position, self.index

    def get(self, field_name: str) -> Cell:
        position = self.mapping.position_of(field_name)
        return None if position is None else self.table.value(*self.cell(position))

    def text(self, field_name: str) -> str:
        position = self.mapping.position_of(field_name)
        return "" if position is None else self.table.text(*self.cell(position))

    def problem(self, field_name: str, message: str) -> FormatProblem:
        position = self.mapping.position_of(field_name) or 0
        r, c = self.cell(position)
        return cell_problem(
            self.table.source,
            self.table.numbers[r],
            c + 1,
            self.mapping.headings[position],
            message,
            transposed=self.mapping.layout == "columns",
        )


def _records(table: Table, mapping: Mapping) -> Iterator[_Record]:
    count = len(table.rows) if mapping.layout == "rows" else table.width
    for index in range(mapping.header + 1, count):
        record = _Record(table, mapping, index)
        if any(record.text(name) for name in mapping.fields.values()):
            yield record


Progress = Callable[[int, int], None]


def import_journey(
    table: Table, mapping: Mapping, *, title: str | None = None, progress: Progress | None = None
) -> Blueprint:
    """A blueprint from a journey map: customer lane, evidence, emotions, pains and
    opportunities filled; raises FormatError listing every unreadable cell."""
    records = list(_records(table, mapping))
    if not records:
        raise FormatError.single(table.source, "the journey map has headings but no steps under them")
    mapped = set(mapping.fields.values())
    problems = ProblemList()
    scale = values.EmotionScale.of(r.get("emotion") for r in records) if "emotion" in mapped else None
    ids = IdAllocator({"evidence", "customer", "frontstage", "backstage", "support"})
    stages: list[Stage] = []
    opportunities: list[Opportunity] = []
    current_stage: str | None = None
    for n, record in enumerate(records, start=1):
        stage_title = record.text("stage")
        if not stages or (stage_title and stage_title != current_stage):
            label = stage_title or "Journey"
            stages.append(Stage(id=ids.new(label, f"stage-{len(stages) + 1}"), title=label))
            current_stage = label
        step = _step(record, n, ids, scale, problems, opportunities)
        if step is not None:
            stages[-1].steps.append(step)
        if progress is not None and (n % 500 == 0 or n == len(records)):
            progress(n, len(records))
    problems.raise_if_any()
    name = title or _title_in(table) or _title_from(table.source)
    return assemble(table.source, {"title": name}, None, [s for s in stages if s.steps], [], opportunities)


def _title_in(table: Table) -> str | None:
    """A title row above the map: one filled cell that is not a heading."""
    if not table.rows:
        return None
    filled = [cell for cell in table.rows[0] if cell_text(cell)]
    if len(filled) == 1 and field_for_heading(cell_text(filled[0])) is None:
        return cell_text(filled[0])
    return None


def _title_from(source: str) -> str:
    stem = Path(source).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Imported journey"


def _step(
    record: _Record,
    n: int,
    ids: IdAllocator,
    scale: values.EmotionScale | None,
    problems: ProblemList,
    opportunities: list[Opportunity],
) -> Step | None:
    name = record.text("step")
    action = record.text("customer") or name
    if not action:
        problems.add(
            record.problem(
                "customer" if record.mapping.position_of("customer") is not None else "step",
                "this step has no customer action or step name: write what the customer does",
            )
        )
        return None
    step_id = ids.new(name or action, f"step-{n}")
    customer: dict[str, Any] = {"id": ids.card(step_id, "customer", 1), "text": action}
    channel = record.text("channel")
    if channel:
        customer["channel"] = values.channel(channel)
    thinking = record.text("thinking")
    if thinking:
        customer["notes"] = f"Thinking: {thinking}"
    pain = record.text("pain")
    if pain:
        customer["pain"] = pain
    source = record.text("source")
    if source:
        customer["source"], customer["basis"] = source, "observed"
    for field_name in ("duration", "wait"):
        try:
            seconds = values.duration(record.get(field_name))
        except values.ValueProblem as problem:
            problems.add(record.problem(field_name, str(problem)))
            continue
        if seconds is not None:
            customer[field_name] = seconds
    if scale is not None:
        try:
            feeling = values.emotion(record.get("emotion"), scale)
        except values.ValueProblem as problem:
            problems.add(record.problem("emotion", str(problem)))
        else:
            if feeling is not None:
                customer["emotion"] = feeling
    cells: dict[str, list[Card]] = {}
    try:
        cells["customer"] = [Card.model_validate(customer)]
        for lane in ("evidence", "frontstage", "backstage", "support"):
            texts = values.items(record.text(lane))
            if texts:
                cells[lane] = [Card(id=ids.card(step_id, lane, i), text=t) for i, t in enumerate(texts, start=1)]
    except ValidationError as error:  # pragma: no cover - every value above is checked first
        problems.add(record.problem("customer", str(error)))
        return None
    for idea in values.items(record.text("opportunity")):
        opportunities.append(
            Opportunity(id=ids.new(idea, f"opportunity-{len(opportunities) + 1}"), title=idea, targets=[customer["id"]])
        )
    return Step(id=step_id, title=name if name and name != action else None, cells=cells)


def parse_overrides(items: list[str], source: str) -> dict[str, str]:
    """`["What they do=customer"]` → {"What they do": "customer"}."""
    overrides: dict[str, str] = {}
    for item in items:
        heading, sep, field_name = item.rpartition("=")
        if not sep or not heading.strip():
            raise FormatError.single(
                source,
                f"--map {item!r} must be written HEADING=FIELD, for example --map 'What they do=customer'",
                path="--map",
            )
        overrides[heading.strip()] = field_name.strip()
    return overrides


def read_journey(
    data: bytes | str | Path,
    *,
    source: str | None = None,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
    title: str | None = None,
    progress: Progress | None = None,
) -> Blueprint:
    """Read a journey-map file (a path, or its bytes with `source` naming it) into a blueprint."""
    if not isinstance(data, bytes):
        source = source or str(data)
        data = read_bytes(data)
    name = source or "<journey>"
    if is_xlsx(data) and sheet is None:
        table, mapping = find_journey_sheet(read_xlsx_sheets(data, name), overrides)
    else:
        table = read_table(data, name, sheet=sheet)
        mapping = detect_mapping(table, overrides)
    return import_journey(table, mapping, title=title, progress=progress)


def find_journey_sheet(sheets: dict[str, Table], overrides: dict[str, str] | None = None) -> tuple[Table, Mapping]:
    """The first sheet of a workbook that reads as a journey map, and its mapping."""
    first: FormatError | None = None
    for table in sheets.values():
        if not table.rows:
            continue
        try:
            return table, detect_mapping(table, overrides)
        except FormatError as error:
            first = first or error
    if first is None:
        source = next(iter(sheets.values())).source if sheets else "<workbook>"
        raise FormatError.single(source, "the workbook is empty: no sheet has any cells filled in")
    problem = first.problems[0]
    raise FormatError.single(
        problem.file,
        f"no sheet ({', '.join(sheets)}) reads as a journey map: "
        + problem.message.removeprefix("this does not look like a journey map: ")
        + "; or name the sheet with --sheet",
    )
