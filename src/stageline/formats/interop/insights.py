"""What the reports show beyond the blueprint itself: check findings and totals.

Computed by the analysis layer (`stageline.analysis.insights.insights`) and handed to the
writers that include them (the XLSX and Markdown exports); the formats never run analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Insights:
    findings: list[dict[str, Any]]  # every check finding: rule, name, severity, message, stage, step, lane, card, fix
    totals: list[tuple[str, str]]  # the blueprint's totals as (name, readable value) rows
