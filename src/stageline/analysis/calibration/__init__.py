"""Calibration: a blueprint measured against the event logs of the service it describes.

    import stageline
    result = stageline.calibrate(stageline.load("hotel.yaml"), ["checkins.csv"])
    result.to_dict()                    # the JSON contract (see result.py)
    better = calibrated(bp, result)     # the blueprint with the measured numbers

`calibrate` is the one use case behind `stageline calibrate` and the web app's
Calibrate tab. docs/calibration.md explains what is measured and how.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from stageline.analysis.calibration.apply import calibrated, calibration_operations, source_text
from stageline.analysis.calibration.compute import compute
from stageline.analysis.calibration.matching import (
    CalibrationError,
    Match,
    match_activities,
    parse_map,
    unknown_map_entries,
)
from stageline.analysis.calibration.result import CalibrationResult
from stageline.formats.eventlog import (
    EventLogError,
    LogInput,
    LogProblem,
    LogSource,
    parse_column_overrides,
    read_logs,
)
from stageline.model.blueprint import Blueprint

__all__ = [
    "CalibrationError",
    "CalibrationResult",
    "EventLogError",
    "LogProblem",
    "LogSource",
    "calibrate",
    "calibrated",
    "calibration_operations",
    "parse_column_overrides",
    "parse_map",
    "source_text",
]


def _inputs(logs: LogInput | Sequence[LogInput]) -> list[LogInput]:
    if isinstance(logs, (str, os.PathLike, LogSource, Mapping)) or hasattr(logs, "itertuples"):
        return [logs]
    return list(logs)


def calibrate(
    blueprint: Blueprint | str | os.PathLike[str],
    logs: LogInput | Sequence[LogInput],
    *,
    activity_map: Mapping[str, str] | None = None,
    columns: Mapping[str, str | None] | None = None,
) -> CalibrationResult:
    """Measure `blueprint` against event logs: paths (CSV, XLSX, XES, JSON lines), LogSource
    uploads, data frames or mappings of column to values. `activity_map` maps an activity to a
    card id (it overrules the matching by id and text); `columns` names the heading of a role
    (`{"case": "Ticket"}`; None ignores a detected column). Raises EventLogError for a log that
    cannot be read and CalibrationError when nothing can be measured."""
    from stageline.formats.yaml_format import load

    bp = blueprint if isinstance(blueprint, Blueprint) else load(blueprint)
    items = _inputs(logs)
    log = read_logs(items, columns)
    explicit = dict(activity_map or {})
    matches: dict[str, Match] = match_activities(bp, log.activities, explicit)
    if not matches:
        shown = ", ".join(repr(a) for a in log.activities[:8]) + ("…" if len(log.activities) > 8 else "")
        raise CalibrationError(
            f"no activity of the log matches a card of {bp.title!r}: the activities are {shown}",
            hint="match them by card id or card text, or map them: --map 'ACTIVITY=CARD-ID'",
        )
    result = compute(bp, log, matches, [f.name for f in log.files])
    for activity in unknown_map_entries(explicit, log.activities):
        result.warnings.append(
            LogProblem("--map", f"no activity {activity!r} is in the log; the mapping was not used", severity="warning")
        )
    return result
