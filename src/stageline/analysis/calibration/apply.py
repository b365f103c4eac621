"""The calibrated blueprint: the measured numbers written into the blueprint through
its own operations (so the web app saves them as one new version, and the command
line writes them keeping the file's comments).

Each observed card gets its fitted duration, the mean gap before it as its wait
(when there is one), `basis: observed` and a `source` naming the log, its case
count and period; a fail point gets its observed likelihood; the `simulation:`
section gets the observed arrival schedule and, where the log names resources,
the units (how many work at once, not how many the log names) and hours of each
actor as its capacity and hours. The run length of an existing section stays.
"""

from __future__ import annotations

from typing import Any

from stageline.analysis.calibration.result import CalibrationResult
from stageline.model.blueprint import Blueprint
from stageline.model.elements import Distribution
from stageline.model.operations import Operation, SetProperty

MIN_WAIT = 1.0  # seconds: a smaller mean gap is no wait worth writing


def source_text(result: CalibrationResult) -> str:
    names = ", ".join(_short(name) for name in result.sources)
    first, last = result.period_from[:10], result.period_to[:10]
    period = f"on {first}" if first == last else f"{first} to {last}"
    return f"Measured from {names}: {result.cases:,} case{'' if result.cases == 1 else 's'}, {period}"


def _short(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def calibration_operations(bp: Blueprint, result: CalibrationResult) -> list[Operation]:
    source = source_text(result)
    ops: list[Operation] = []
    for card_id, found in result.cards.items():
        card = bp.card(card_id)
        if found.fit is not None:
            value = found.fit.distribution()
            ops.append(
                SetProperty(
                    target=card_id,
                    field="duration",
                    value=value.model_dump(exclude_none=True) if isinstance(value, Distribution) else float(value),
                )
            )
        gap = found.gap_before
        if gap is not None and (gap.mean >= MIN_WAIT or card.wait is not None):
            wait = round(gap.mean) if gap.mean >= 10 else round(gap.mean, 1)
            ops.append(SetProperty(target=card_id, field="wait", value=float(wait) if wait > 0 else None))
        if found.fail is not None and card.fail is not None:
            fail = {**card.fail.model_dump(exclude_none=True), "p": found.fail["p"]}
            ops.append(SetProperty(target=card_id, field="fail", value=fail))
        ops.append(SetProperty(target=card_id, field="basis", value="observed"))
        ops.append(SetProperty(target=card_id, field="source", value=source))
    section = simulation_section(bp, result)
    if section is not None:
        ops.append(SetProperty(field="simulation", value=section))
    return ops


def simulation_section(bp: Blueprint, result: CalibrationResult) -> dict[str, Any] | None:
    """The `simulation:` section with the observed arrivals and resources, or None when the log
    says nothing about arrivals (a single case)."""
    schedule = result.arrivals.schedule
    if result.arrivals.rate_per_hour is None or not any(rate > 0 for rate in schedule.values()):
        return None
    existing = bp.simulation
    section: dict[str, Any] = existing.model_dump(exclude_none=True) if existing is not None else {}
    section["arrivals"] = {"schedule": schedule}
    resources = dict(section.get("resources") or {})
    for name, found in result.resources.items():
        entry: dict[str, Any] = {"capacity": found.units}
        if found.hours:
            entry["hours"] = found.hours
        resources[name] = entry
    section["resources"] = resources
    return section


def calibrated(bp: Blueprint, result: CalibrationResult) -> Blueprint:
    """A copy of `bp` with the measured numbers in it."""
    copy = bp.copy_deep()
    for op in calibration_operations(copy, result):
        op.apply(copy)
    copy.invalidate()
    return copy
