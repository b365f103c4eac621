"""Findings as SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, IDEs).

Each result carries a physical location (file, line, column) when the file's
text was available, and always a logical location: the id path
`stage/step/lane/card` of the element it is about.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from stageline import __version__
from stageline.analysis.checks.finding import Finding, Severity
from stageline.analysis.checks.formatters import CheckedFile
from stageline.analysis.checks.registry import Rule, all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def to_sarif(files: list[CheckedFile]) -> dict[str, Any]:
    rules = all_rules()
    rule_index = {rule.code: i for i, rule in enumerate(rules)}
    results = [_result(checked, finding, rule_index[finding.rule]) for checked in files for finding in checked.findings]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "stageline",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_descriptor(rule) for rule in rules],
                    }
                },
                "artifacts": [{"location": {"uri": _uri(checked.path)}} for checked in files],
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def _descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(rule.rationale.split())},
        "help": {"text": rule.fix, "markdown": f"**How to fix:** {rule.fix}\n\n```yaml\n{rule.example}```"},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.group]},
    }


def _result(checked: CheckedFile, finding: Finding, index: int) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": _uri(checked.path)}},
    }
    position = checked.locator.find(finding)
    if position is not None:
        location["physicalLocation"]["region"] = {"startLine": position[0], "startColumn": position[1]}
    logical = _logical(finding)
    if logical is not None:
        location["logicalLocations"] = [logical]
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.message}. Fix: {finding.fix}"},
        "locations": [location],
    }


def _logical(finding: Finding) -> dict[str, Any] | None:
    parts = [part for part in (finding.stage, finding.step, finding.lane, finding.card) if part is not None]
    if not parts:
        return None
    return {"name": parts[-1], "fullyQualifiedName": "/".join(parts), "kind": "element"}


def _uri(path: str) -> str:
    pure = PurePath(path)
    return pure.as_uri() if pure.is_absolute() else pure.as_posix()
