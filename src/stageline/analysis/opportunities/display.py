"""Opportunity reports for people: the text table of `stageline opportunities`,
its HTML page, and the effect strings the web app shows."""

from __future__ import annotations

from html import escape
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from stageline.analysis.opportunities.costing import EFFECTS, OpportunityReport
from stageline.analysis.simulation import display as d
from stageline.analysis.simulation.format_html import _STYLE


def amount(unit: str, value: float | None, currency: str | None, *, delta: bool = False) -> str:
    """A value of an effect in its unit: `4m 05s`, `12%`, `3.20 EUR`, `0.15`; a
    `delta` of a share is in percentage points."""
    if value is None:
        return "–"
    if unit == "s":
        return d.seconds(value)
    if unit == "share":
        return f"{value * 100:.1f} pts" if delta else d.share(value)
    if unit == "currency":
        return d.money(value, currency)
    return d.number(value, 2)


def effect_text(key: str, effect: dict[str, Any] | None, currency: str | None) -> str:
    """`−1h 56m (±47m 08s)`: the difference with the half-width of its 95 % interval."""
    if not effect or effect.get("difference") is None:
        return "–"
    unit = EFFECTS[key][1]
    difference, ci = effect["difference"], effect.get("ci95")
    if difference == 0 and not ci:
        return "none"
    sign = "+" if difference > 0 else "−" if difference < 0 else "±"
    text = f"{sign}{amount(unit, abs(difference), currency, delta=True)}"
    return f"{text} (±{amount(unit, ci, currency, delta=True)})" if ci is not None else text


def print_report(report: OpportunityReport, console: Console) -> None:
    data = report.to_dict()
    s = data["settings"]
    length = f"{s['customers']:,} customers" if s["customers"] else f"a {d.seconds(s['horizon'])} horizon"
    console.print(Text(f"Opportunities of {report.title}", style="bold"))
    console.print(
        f"Each change simulated against the current state: {length}, {s['replications']} replications "
        f"with common random numbers, seed {s['seed']}; differences with 95 % intervals. "
        f"Bottleneck: {report.bottleneck or 'none'}.",
        highlight=False,
    )
    for item, row in zip(report.costed, data["opportunities"], strict=False):
        console.print()
        effort = f"effort {row['effort']}" if row["effort"] else "no effort given"
        head = Text(f"{row['rank']}. {row['title']} ({row['id']})", style="bold")
        head.append(f" · {effort} · {'future state' if row['simulated'] == 'future' else 'change'}: ", style="")
        head.append("; ".join(row["changes"]), style="")
        console.print(head)
        table = Table(box=None, padding=(0, 2), show_edge=False)
        for title, justify in (("", "left"), ("Now", "right"), ("With it", "right"), ("Difference (95 % CI)", "right")):
            table.add_column(title, justify=justify)  # type: ignore[arg-type]
        for key, (title, unit) in EFFECTS.items():
            effect = item.effects[key]
            if effect.base is None and effect.variant is None:
                continue
            table.add_row(
                title,
                amount(unit, effect.base, report.currency),
                amount(unit, effect.variant, report.currency),
                effect_text(key, effect.to_dict(), report.currency),
            )
        console.print(table)
    if report.not_costed:
        console.print()
    for row in data["opportunities"]:
        if not row["costed"]:
            console.print(Text(f"Not costed: {row['title']} ({row['id']}): {row['reason']}."), highlight=False)


def html_report(report: OpportunityReport) -> str:
    data = report.to_dict()
    s = data["settings"]
    length = f"{s['customers']:,} customers" if s["customers"] else f"a {d.seconds(s['horizon'])} horizon"
    head = "".join(f'<th class="n">{escape(title)}</th>' for title, _ in EFFECTS.values())
    rows = []
    for row in data["opportunities"]:
        if row["costed"]:
            cells = "".join(
                f'<td class="n">{escape(effect_text(key, row["effect"][key], report.currency))}</td>' for key in EFFECTS
            )
            changes = escape("; ".join(row["changes"]))
            rows.append(
                f'<tr><td class="n">{row["rank"]}</td><td><b>{escape(row["title"])}</b><br>'
                f'<span class="note">{changes}</span></td><td class="n">{row["effort"] or "–"}</td>{cells}</tr>'
            )
    skipped = [
        f"<li><b>{escape(row['title'])}</b> ({escape(row['id'])}): {escape(row['reason'])}</li>"
        for row in data["opportunities"]
        if not row["costed"]
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>Opportunities of {escape(report.title)}</title><style>{_STYLE}</style></head><body><main>",
        f"<h1>Opportunities of {escape(report.title)}</h1>",
        f'<p class="lead">Each change simulated against the current state: {escape(length)}, '
        f"{s['replications']} replications with common random numbers, seed {s['seed']}. "
        f"Differences (with the opportunity minus without) with their 95 % intervals; ranked by customer time "
        f"saved per point of effort. Bottleneck: {escape(report.bottleneck or 'none')}.</p>",
        f'<table><thead><tr><th class="n">Rank</th><th>Opportunity</th><th class="n">Effort</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else "<p>No opportunity says what it changes.</p>",
        f"<h2>Not costed</h2><ul>{''.join(skipped)}</ul>" if skipped else "",
        "</main></body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"
