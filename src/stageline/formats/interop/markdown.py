"""A Markdown report: summary, the grid as a table, fail points, findings,
metrics and opportunities. Readable on GitHub, in wikis and in pull requests."""

from __future__ import annotations

import re

from stageline.model.blueprint import Blueprint
from stageline.model.elements import Card, mean_seconds
from stageline.model.quantities import humanize_duration

from .insights import Insights

_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell: pipes escaped, line breaks as <br>."""
    escaped = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return _CONTROL.sub(" ", _LINE_BREAKS.sub("<br>", escaped))


def _card(card: Card) -> str:
    text = cell(card.text)
    details = [cell(d) for d in (card.actor, card.channel) if d]
    if card.duration is not None:
        details.append(humanize_duration(mean_seconds(card.duration)))
    if details:
        text += f" <sub>{' · '.join(details)}</sub>"
    if card.fail is not None:
        text += f"<br>⚠ {cell(card.fail.text)}"
    return text


def _table(headings: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headings) + " |", "|" + "|".join(" --- " for _ in headings) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def write_markdown(bp: Blueprint, insights: Insights | None = None) -> str:
    """The report; its Findings and Metrics sections come from `insights`, left out without them."""
    steps = list(bp.steps())
    cards = list(bp.cards())
    out = [f"# {cell(bp.title)}", ""]
    context = [x for x in (bp.scenario, bp.persona and f"Persona: {bp.persona}", bp.goal and f"Goal: {bp.goal}") if x]
    if context:
        out += [f"> {cell(line)}" for line in context] + [""]
    out += [
        "## Summary",
        "",
        f"- {len(bp.stages)} stages, {len(steps)} steps, {len(cards)} cards, {len(bp.links)} links",
        f"- State: {bp.state}",
    ]
    if bp.tolerance is not None:
        out.append(f"- Customer tolerance: {humanize_duration(bp.tolerance)}")
    fails = [(place, card) for place, card in cards if card.fail is not None]
    out += [f"- {len(fails)} fail points, {len(bp.opportunities)} opportunities", ""]

    out += ["## Blueprint", ""]
    headings = ["Lane", *[f"{cell(step.display_title)}<br><sub>{cell(stage.title)}</sub>" for stage, step in steps]]
    rows: list[list[str]] = []
    lines = {line.below: line.title for line in bp.lines()}
    for lane in bp.lanes:
        if lane.id in lines:
            rows.append([f"*— {lines[lane.id].lower()} —*", *["" for _ in steps]])
        rows.append(
            [
                f"**{cell(lane.title)}**",
                *["<br><br>".join(_card(card) for card in step.cards(lane.id)) for _, step in steps],
            ]
        )
    out += [*_table(headings, rows), ""]

    if fails:
        out += ["## Fail points", ""]
        ranked = sorted(fails, key=lambda item: -(item[1].fail.risk if item[1].fail else 0))
        out += _table(
            ["Risk", "Fail point", "Card", "Step", "Recovery"],
            [
                [
                    str(card.fail.risk),
                    cell(card.fail.text),
                    cell(card.text),
                    cell(place.step.display_title),
                    cell(card.fail.recovery or "—"),
                ]
                for place, card in ranked
                if card.fail is not None
            ],
        )
        out.append("")

    if insights is not None:
        found = insights.findings
        out += ["## Findings", ""]
        if found:
            out += _table(
                ["Severity", "Rule", "Where", "Finding", "Fix"],
                [
                    [
                        str(f["severity"]),
                        f"`{f['rule']}`",
                        cell(" / ".join(str(f[k]) for k in ("stage", "step", "lane", "card") if f.get(k))),
                        cell(str(f["message"])),
                        cell(str(f.get("fix") or "")),
                    ]
                    for f in found
                ],
            )
        else:
            out.append("No findings: every check passes.")
        out.append("")

    if insights is not None:
        rows = [[cell(k), cell(v)] for k, v in insights.totals]
        out += ["## Metrics", "", *_table(["Metric", "Value"], rows), ""]

    if bp.opportunities:
        out += ["## Opportunities", ""]
        out += _table(
            ["Opportunity", "Targets", "Value", "Effort", "Status", "Owner"],
            [
                [
                    f"**{cell(o.title)}**" + (f"<br>{cell(o.description)}" if o.description else ""),
                    ", ".join(f"`{t}`" for t in o.targets),
                    str(o.value or "—"),
                    str(o.effort or "—"),
                    o.status,
                    cell(o.owner or "—"),
                ]
                for o in bp.opportunities
            ],
        )
        out.append("")
    return "\n".join(out)
