"""The check findings and totals the reports show (XLSX, Markdown, slides), in one place."""

from __future__ import annotations

from typing import Any

from stageline.analysis.checks import check
from stageline.analysis.metrics import Metrics, metrics
from stageline.formats.interop.insights import Insights
from stageline.model.blueprint import Blueprint
from stageline.model.quantities import humanize_duration

# Totals measured in seconds, shown as durations.
_SECONDS = {"customer_time", "wait", "backstage_time", "tolerance", "seconds", "critical_path_time", "wait_time"}


def insights(bp: Blueprint, measured: Metrics | None = None) -> Insights:
    """Every check finding as a dict and the totals of `bp` as readable rows."""
    return Insights([finding.to_json() for finding in check(bp)], totals(measured or metrics(bp)))


def totals(measured: Metrics) -> list[tuple[str, str]]:
    """The totals of measured metrics as (name, readable value) rows."""
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
