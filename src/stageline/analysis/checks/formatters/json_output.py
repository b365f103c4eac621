"""Findings as JSON: `{"findings": [...], "summary": {...}}`, stable for scripts."""

from __future__ import annotations

from typing import Any

from stageline.analysis.checks.formatters import CheckedFile, summary


def to_json(files: list[CheckedFile]) -> dict[str, Any]:
    """One file: findings as they are. Several: each finding also names its `file`."""
    several = len(files) > 1
    findings: list[dict[str, Any]] = []
    for checked in files:
        for finding in checked.findings:
            entry: dict[str, Any] = finding.to_json()
            if several:
                entry = {"file": checked.path, **entry}
            findings.append(entry)
    return {"findings": findings, "summary": summary(files)}
