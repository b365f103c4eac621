"""Findings for people (text), scripts (JSON) and code-scanning tools (SARIF)."""

from __future__ import annotations

from dataclasses import dataclass, field

from stageline.analysis.checks.finding import Finding, Severity
from stageline.analysis.checks.locate import Locator
from stageline.model import Blueprint

FORMATS = ("text", "json", "sarif")


@dataclass
class CheckedFile:
    """One blueprint file and what the check found in it."""

    path: str
    blueprint: Blueprint
    findings: list[Finding]
    locator: Locator = field(default_factory=Locator.empty)


def summary(files: list[CheckedFile]) -> dict[str, int]:
    counts = {severity.value: 0 for severity in Severity}
    for checked in files:
        for finding in checked.findings:
            counts[finding.severity.value] += 1
    return {**counts, "files": len(files)}


__all__ = ["FORMATS", "CheckedFile", "summary"]
