"""SARIF 2.1.0, the format code-scanning dashboards read (GitHub, GitLab, IDEs).

One envelope for every command that reports problems in files: `validate`
(format problems) and `check` (findings) fill in their rules and results.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from stageline.formats.errors import FormatProblem
from stageline.version import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def sarif_log(rules: list[dict[str, Any]], files: list[str], results: list[dict[str, Any]]) -> dict[str, Any]:
    """A SARIF log of one run of Stageline over `files`."""
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
                        "rules": rules,
                    }
                },
                "artifacts": [{"location": {"uri": uri(path)}} for path in files],
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def uri(path: str) -> str:
    pure = PurePath(path)
    return pure.as_uri() if pure.is_absolute() else pure.as_posix()


def region(line: int, column: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": column}


# -- validate: problems with the file's format ------------------------------------------
FORMAT_RULES: list[dict[str, Any]] = [
    {
        "id": "yaml-syntax",
        "name": "YamlSyntax",
        "shortDescription": {"text": "The file is not valid YAML, or is refused as hostile (size, depth, aliases)."},
        "help": {
            "text": "Fix the YAML at the place shown: brackets and quotes closed, spaces after colons, "
            "indentation with spaces."
        },
        "defaultConfiguration": {"level": "error"},
    },
    {
        "id": "blueprint-format",
        "name": "BlueprintFormat",
        "shortDescription": {
            "text": "The YAML is not a valid Stageline blueprint (unknown key, wrong type or value, "
            "duplicate id, broken reference)."
        },
        "help": {"text": "Follow the message; every field is documented in docs/format.md."},
        "defaultConfiguration": {"level": "error"},
    },
]


def format_rule(problem: FormatProblem) -> int:
    """The index in FORMAT_RULES of the rule a problem breaks."""
    return 1 if problem.path else 0


def validation_sarif(results: dict[str, list[FormatProblem]]) -> dict[str, Any]:
    """`stageline validate --format sarif`: every problem of every file, with its place."""
    found = []
    for problems in results.values():
        for problem in problems:
            index = format_rule(problem)
            location: dict[str, Any] = {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(problem.file)},
                    "region": region(problem.line, problem.column),
                }
            }
            if problem.path:
                location["logicalLocations"] = [{"fullyQualifiedName": problem.path, "kind": "member"}]
            entry: dict[str, Any] = {
                "ruleId": FORMAT_RULES[index]["id"],
                "ruleIndex": index,
                "level": "error" if problem.severity == "error" else "warning",
                "message": {"text": problem.message},
                "locations": [location],
            }
            if problem.context_line is not None:
                entry["relatedLocations"] = [
                    {
                        "id": 1,
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri(problem.file)},
                            "region": region(problem.context_line, problem.context_column or 1),
                        },
                        "message": {"text": "related place"},
                    }
                ]
            found.append(entry)
    return sarif_log(FORMAT_RULES, list(results), found)
