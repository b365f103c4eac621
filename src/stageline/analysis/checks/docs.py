"""docs/rules.md, generated from the rule registry so the two cannot drift apart.

python -m stageline.analysis.checks.docs > docs/rules.md
"""

from __future__ import annotations

import sys
from itertools import groupby

from stageline.analysis.checks.registry import GROUPS, Rule, all_rules

REGENERATE = "python -m stageline.analysis.checks.docs > docs/rules.md"


def rules_markdown() -> str:
    rules = all_rules()
    lines = [
        "# Check rules",
        "",
        f"<!-- Generated from the rule registry by `{REGENERATE}`; do not edit by hand. -->",
        "",
        "`stageline check` finds the gaps, fail points and waste that service blueprinting is for. "
        "Each rule has a stable code and a name; both work in `--select`, `--ignore`, in the file's "
        "`checks: {ignore: [...]}` and in a card's `ignore: [...]`. A group prefix such as `SL3` "
        "stands for every rule of its group.",
        "",
        "Severities: **error** is a defect in the service design (the check fails by default), "
        "**warning** is very likely a gap worth fixing, **info** is a suggestion for a richer blueprint. "
        "`--fail-on warning` makes warnings fail the check too.",
        "",
        "The report is one line per finding, at the line of the card, step or stage it concerns (the "
        "title's line for findings about the whole blueprint), with what to do after the message, "
        "then a summary line:",
        "",
        "```",
        "hotel.yaml:12:9: error: SL301 fail point 'Milk runs out' on 'Take the order' has no recovery; "
        "fix: Write the recovery under `fail.recovery`: what staff or systems do when this fails "
        "(and, better, how the failure is prevented).",
        "1 error in 1 file",
        "```",
        "",
        "The lines are never wrapped, so a redirected or piped report keeps one finding per line for "
        "`grep` and editors; on a terminal, what to do is printed under each finding instead. "
        "`--format json` and `--format sarif` are for tools.",
        "",
        "| Code | Name | Severity | Summary |",
        "| --- | --- | --- | --- |",
    ]
    for rule in rules:
        lines.append(f"| [{rule.code}](#{_anchor(rule)}) | `{rule.name}` | {rule.severity.value} | {rule.summary} |")
    lines.append("")
    for prefix, members in groupby(rules, key=lambda r: r.code[:3]):
        lines += [f"## {prefix}xx: {GROUPS[prefix]}", ""]
        for rule in members:
            lines += _section(rule)
    return "\n".join(lines).rstrip("\n") + "\n"


def _anchor(rule: Rule) -> str:
    return f"{rule.code}-{rule.name}".lower()


def _section(rule: Rule) -> list[str]:
    return [
        f"### {rule.code} {rule.name}",
        "",
        f"**{rule.severity.value}**: {rule.summary}",
        "",
        "\n\n".join(" ".join(paragraph.split()) for paragraph in rule.rationale.split("\n\n")),
        "",
        f"**How to fix:** {rule.fix}",
        "",
        "Example that triggers it:",
        "",
        "```yaml",
        rule.example.rstrip("\n"),
        "```",
        "",
    ]


if __name__ == "__main__":
    sys.stdout.write(rules_markdown())
