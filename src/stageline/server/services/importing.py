"""Blueprints from the files people bring: a journey map (CSV or XLSX) read
through a column mapping they can see and change, a Stageline YAML file or
spreadsheet export, a Blueprint Signal project (JSON or CSV) or an
agentic-service-blueprinting IR document.

What a file is and what it becomes is `stageline.formats.ingest`'s answer, the
same `stageline import` gets; this module adds what only the web app needs:
its limits, the upload kept with the form (`Upload.stash`), the columns and
first steps the preview shows, and storing. `analyse` turns an upload into a
`Draft`; the import page and the REST API both use it; `create` stores a draft
through `Blueprints.create`, so an import is version 1 like any other blueprint.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from typing import Any

from stageline.formats.errors import FormatProblem
from stageline.formats.ingest import Ingested, Kind, Limits, field_label, ingest, name_of, refusal
from stageline.formats.interop.journey import FIELD_NAMES, FIELDS, Mapping, preview
from stageline.formats.interop.tables import Table
from stageline.formats.interop.values import items
from stageline.model import Blueprint
from stageline.model.elements import Card
from stageline.model.quantities import humanize_duration
from stageline.server.db.models import BlueprintRecord
from stageline.server.services.base import Actor
from stageline.server.services.blueprints import Blueprints
from stageline.server.services.errors import Invalid, ServiceError
from stageline.server.settings import DEFAULT_MAX_IMPORT, MAX_IMPORT_CEILING

# The web app's default import limit (`STAGELINE_MAX_IMPORT_MB` sets a server's own).
MAX_IMPORT_BYTES = DEFAULT_MAX_IMPORT
MAX_STEPS = 10_000
# Rows read from a sheet or CSV file at most, blank and heading rows included:
# reading stops there, so a file of millions of rows is refused at once.
MAX_ROWS = MAX_STEPS + 1_000


def import_limits(max_bytes: int = MAX_IMPORT_BYTES) -> Limits:
    """What the web app imports at a time; `stageline import` reads larger files."""
    return Limits(
        max_bytes=max_bytes,
        max_rows=MAX_ROWS,
        max_steps=MAX_STEPS,
        advice=", or use `stageline import` on the command line",
    )


LIMITS = import_limits()
PREVIEW_ROWS = 8


def stash_chars(max_bytes: int) -> int:
    """A kept upload travels back with the form (compressed, base64), so that the
    mapping can be changed without choosing the file again and without the server
    holding anything between requests: the base64 of an incompressible file of
    `max_bytes`, and room to spare."""
    return (max_bytes + 2) // 3 * 4 + 1024


# The most a kept upload's form field may hold on any server (the largest limit it may be set to).
STASH_CHARS = stash_chars(MAX_IMPORT_CEILING)

FIELD_CHOICES: tuple[tuple[str, str, str], ...] = tuple((f.name, field_label(f.name), f.description) for f in FIELDS)


class TooLarge(ServiceError):
    status = 413
    code = "too_large"


@dataclass(frozen=True)
class Upload:
    """The bytes of an uploaded file and the name it came with."""

    name: str
    data: bytes
    limits: Limits = LIMITS  # the server's, which `analyse` reads it with

    @classmethod
    def of(cls, name: str | None, data: bytes, size: int | None = None, limits: Limits = LIMITS) -> Upload:
        """`data` read up to one byte past the limit; `size` is the whole file's, when known.
        Too large (413) or empty, it is refused with the problem `ingest` would report."""
        label = name_of(name)
        refused = refusal(label, data, limits, size)
        if refused is not None:
            details: dict[str, Any] = {"problems": [Problem.of(refused).to_json()]}
            if len(data) > limits.max_bytes or (size or 0) > limits.max_bytes:
                raise TooLarge(refused.message, details={"limit_bytes": limits.max_bytes, **details})
            raise Invalid(refused.message, details=details, code="invalid_import")
        return cls(label, data, limits)

    def stash(self) -> str:
        """The file as text to keep in a form: compressed, then URL-safe base64."""
        return base64.urlsafe_b64encode(zlib.compress(self.data, 6)).decode("ascii")

    @classmethod
    def unstash(cls, name: str | None, text: str, limits: Limits = LIMITS) -> Upload:
        """The upload kept by `stash`; refuses anything damaged or too large."""
        damaged = Invalid("the file kept with this form is damaged; choose the file again", code="bad_upload")
        if len(text) > stash_chars(limits.max_bytes):
            raise damaged
        try:
            packed = base64.urlsafe_b64decode(text.encode("ascii"))
            inflate = zlib.decompressobj()
            data = inflate.decompress(packed, limits.max_bytes + 1)
        except (binascii.Error, zlib.error, UnicodeEncodeError, ValueError):
            raise damaged from None
        if len(data) > limits.max_bytes or inflate.unconsumed_tail or not inflate.eof:
            raise damaged
        return cls.of(name, data, limits=limits)


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
        if problem.path.startswith(("row ", "$", "sheet ", "column ", "columns ")):
            where = problem.path
        elif problem.path.startswith("--"):
            where = "mapping"
        elif not problem.path and (problem.line, problem.column) in ((1, 1), (0, 0)):
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
    ingested: Ingested | None = None  # what `ingest` made of the file

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
        """Every problem, and what the file was recognised as (null when it was not)."""
        return {"problems": [p.to_json() for p in self.problems], "kind": self.kind.value if self.kind else None}

    def fail(self) -> Invalid:
        """The draft's problems as an error: the first in the message, all in the details."""
        first = self.problems[0] if self.problems else Problem("file", self.note or "this file cannot be imported")
        more = f" (and {len(self.problems) - 1} more problems)" if len(self.problems) > 1 else ""
        return Invalid(
            f"{self.upload.name}: {first.where}: {first.message}{more}",
            details=self.problem_details(),
            code="invalid_import",
        )


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
    """Read an upload through `ingest` (as `stageline import` does), with the web
    app's limits, then lay out what the page shows: the columns and how each is
    read, and the first steps as they will land (or the cells as written, while
    there are problems). `strict` as on the command line: a table whose columns
    are not recognised is a problem instead of a mapping to choose by hand."""
    found = ingest(
        upload.data,
        upload.name,
        upload.limits,
        title=title,
        sheet=sheet,
        overrides=overrides,
        choices=choices,
        signature=signature,
        strict=strict,
    )
    draft = Draft(
        upload,
        kind=found.kind,
        blueprint=found.blueprint if not found.problems else None,
        problems=[Problem.of(p) for p in found.problems],
        note=found.note,
        mapping=found.mapping,
        signature=found.signature,
        sheets=found.sheets,
        sheet=found.sheet,
        records=found.records,
        unmapped=[str(item) for item in found.unmapped],
        ingested=found,
    )
    table, mapping, detected = found.table, found.mapping, found.detected
    if table is not None and mapping is not None and detected is not None:
        draft.columns = _columns(table, mapping, detected, _shown(mapping, detected, choices))
        if draft.blueprint is not None:
            draft.rows = _landed(table, mapping, draft.blueprint)
        else:
            draft.rows = _raw_rows(table, mapping)
    return draft


def _shown(mapping: Mapping, detected: Mapping, choices: MappingType[int, str] | None) -> dict[int, str]:
    """What each column shows as chosen: the person's choices, even a clash that is
    not applied, so they can see and fix it."""
    shown = dict(mapping.fields)
    if mapping is not detected:
        for position, choice in (choices or {}).items():
            if choice.strip().lower() in FIELD_NAMES:
                shown[position] = choice.strip().lower()
            elif not choice.strip():
                shown.pop(position, None)
    return shown


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
