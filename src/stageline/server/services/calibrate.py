"""Calibrating a stored blueprint against an uploaded event log (the Calibrate tab).

The upload travels with the form as the journey import's does (`Upload.stash`),
so confirming or changing how its columns are read never asks for the file
again and the server keeps nothing between requests. The calibration itself is
`stageline.analysis.calibration.calibrate`, the use case behind `stageline
calibrate`; saving applies its operations (`calibration_operations`) as one new
version, which only editors and owners may do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from stageline.analysis.calibration import (
    CalibrationError,
    CalibrationResult,
    EventLogError,
    LogSource,
    calibrate,
    calibration_operations,
)
from stageline.formats.eventlog import ROLE_HELP, ROLES, Preview, preview_log
from stageline.server.services.access import Action
from stageline.server.services.base import Actor
from stageline.server.services.blueprints import Blueprints, Change, Opened
from stageline.server.services.errors import Invalid
from stageline.server.services.importing import Upload

MAX_MAPPED = 30  # activities offered for mapping to a card on the page
ROLE_LABELS: dict[str, str] = {
    "case": "Case id",
    "activity": "Activity",
    "timestamp": "Time (one per event)",
    "start": "Start",
    "end": "End",
    "resource": "Resource (who)",
    "status": "Status (failed or not)",
    "lifecycle": "Lifecycle (start / complete)",
}
ROLE_CHOICES: tuple[tuple[str, str, str], ...] = tuple((role, ROLE_LABELS[role], ROLE_HELP[role]) for role in ROLES)


@dataclass(frozen=True)
class LogColumn:
    position: int
    heading: str
    field: str | None  # the role it is read as
    detected: str | None
    sample: str


@dataclass
class LogDraft:
    """An uploaded log: how its columns are read, its first rows, and the calibration when it ran."""

    upload: Upload
    preview: Preview
    columns: list[LogColumn]
    result: CalibrationResult | None = None
    problems: list[str] = field(default_factory=list)
    activity_map: dict[str, str] = field(default_factory=dict)  # activity -> card id, chosen on the page

    @property
    def mappable(self) -> list[tuple[str, str]]:
        """(activity, card id or "") for the activities a person may map: those mapped already and
        those that matched no card."""
        found = list(self.activity_map.items())
        if self.result is not None:
            found += [
                (u.activity, "") for u in self.result.unmatched[:MAX_MAPPED] if u.activity not in self.activity_map
            ]
        return found[:MAX_MAPPED]

    @property
    def overrides(self) -> dict[str, str | None]:
        """Every role, as the columns say: the chosen heading, or none."""
        chosen: dict[str, str | None] = dict.fromkeys(ROLES)
        for column in self.columns:
            if column.field:
                chosen[column.field] = column.heading
        return chosen


def _source(upload: Upload) -> LogSource:
    return LogSource(upload.name, upload.data)


def analyse(upload: Upload, choices: Mapping[int, str] | None = None) -> LogDraft:
    """The log's headings, the role of each (as detected, or as the person chose) and its first rows."""
    try:
        preview = preview_log(_source(upload))
    except EventLogError as error:
        raise Invalid("; ".join(str(problem) for problem in error.problems)) from None
    detected = {position: role for role, position in preview.detected.items()}
    columns = []
    for position, heading in enumerate(preview.headings):
        role = detected.get(position)
        if choices is not None:
            chosen = choices.get(position, "")
            role = chosen if chosen in ROLES else None
        sample = next((row[position] for row in preview.rows if position < len(row) and row[position]), "")
        columns.append(LogColumn(position, heading, role, detected.get(position), sample[:80]))
    return LogDraft(upload, preview, columns)


def run(opened: Opened, draft: LogDraft) -> LogDraft:
    """Calibrate the opened blueprint against the draft's log; problems instead of a result when it cannot."""
    roles = [column.field for column in draft.columns if column.field]
    twice = sorted({role for role in roles if roles.count(role) > 1})
    if twice:
        draft.problems = [f"{ROLE_LABELS[role]} is chosen for more than one column; keep one" for role in twice]
        return draft
    try:
        draft.result = calibrate(
            opened.blueprint, [_source(draft.upload)], columns=draft.overrides, activity_map=draft.activity_map
        )
    except EventLogError as error:
        draft.problems = [str(problem) for problem in error.problems]
    except CalibrationError as error:
        draft.problems = [error.message + (f" ({error.hint})" if error.hint else "")]
    return draft


def save(blueprints: Blueprints, actor: Actor, blueprint_id: int, draft: LogDraft) -> Change:
    """The calibrated blueprint as a new version (editors and owners)."""
    opened = blueprints.open(actor, blueprint_id, Action.EDIT)
    run(opened, draft)
    if draft.result is None:
        raise Invalid("the log cannot be calibrated: " + "; ".join(draft.problems))
    return blueprints.apply(blueprint_id, calibration_operations(opened.blueprint, draft.result), actor)


def heat_of(result: CalibrationResult) -> dict[str, float]:
    """Each observed card's drift as heat: 0 on design, 1 for the card furthest off it."""
    off = {card_id: abs(card.drift - 1.0) for card_id, card in result.cards.items() if card.drift is not None}
    worst = max(off.values(), default=0.0)
    return {card_id: (value / worst if worst > 0 else 0.0) for card_id, value in off.items()}


def tiles(result: CalibrationResult) -> list[tuple[str, str]]:
    share = result.conformance.get("fitting_share")
    drifting = len(result.drifting(0.25))
    return [
        (f"{result.cases:,}", "cases"),
        (f"{result.events:,}", "events"),
        (f"{result.period_from[:10]} – {result.period_to[:10]}", "period"),
        ("–" if share is None else f"{share * 100:.0f}%", "of cases follow the blueprint's order"),
        (f"{drifting}", f"card{'' if drifting == 1 else 's'} more than 25 % off the design"),
    ]
