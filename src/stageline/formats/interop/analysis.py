"""Check findings and metrics for the exports that include them.

Imported lazily: exports of the grid work even where analysis cannot run.
"""

from __future__ import annotations

from typing import Any

from stageline.model.blueprint import Blueprint
from stageline.model.quantities import humanize_duration

# Totals measured in seconds, shown as durations.
_SECONDS = {"customer_time", "wait", "backstage_time", "tolerance", "seconds", "critical_path_time", "wait_time"}


def findings(bp: Blueprint) -> list[dict[str, Any]] | None:
    """Every check finding as a dict (rule, name, severity, message, stage, step, lane, card, fix)."""
    import stageline

    try:
        found = stageline.check(bp)
    except ImportError:
        return None
    return [finding.to_json() for finding in found]


def metrics(bp: Blueprint) -> Any | None:
    import stageline

    try:
        return stageline.metrics(bp)
    except ImportError:
        return None


def totals(bp: Blueprint) -> list[tuple[str, str]] | None:
    """The blueprint's totals as (name, readable value) rows."""
    measured = metrics(bp)
    if measured is None:
        return None
    rows: list[tuple[str, str]] = []

    def walk(prefix: str, data: dict[str, Any]) -> None:
        for key, value in data.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                walk(f"{name}.", value)
            else:
                rows.append((name.replace("_", " "), readable(key, value)))

    walk("", measured.totals.model_dump())
    return rows


def readable(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key in _SECONDS and isinstance(value, (int, float)):
        return humanize_duration(float(value))
    if key == "tolerance_share" and isinstance(value, float):
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)
