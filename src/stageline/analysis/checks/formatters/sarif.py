"""Findings as SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, IDEs).

Each result carries a physical location (file, line, column) when the file's
text was available, and always a logical location: the id path
`stage/step/lane/card` of the element it is about.
"""

from __future__ import annotations

from typing import Any

from stageline.analysis.checks.finding import Finding, Severity
from stageline.analysis.checks.formatters import CheckedFile
from stageline.analysis.checks.registry import Rule, all_rules
from stageline.formats.sarif import region, sarif_log, uri

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def to_sarif(files: list[CheckedFile]) -> dict[str, Any]:
    rules = all_rules()
    rule_index = {rule.code: i for i, rule in enumerate(rules)}
    results = [_result(checked, finding, rule_index[finding.rule]) for checked in files for finding in checked.findings]
    return sarif_log([_descriptor(rule) for rule in rules], [checked.path for checked in files], results)


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
        "physicalLocation": {"artifactLocation": {"uri": uri(checked.path)}},
    }
    position = checked.locator.find(finding)
    if position is not None:
        location["physicalLocation"]["region"] = region(*position)
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
