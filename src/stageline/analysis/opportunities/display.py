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


def amount(unit: str, value: float | None, currency: str | None, *, signed: bool = False) -> str:
    """A value of an effect in its unit: `4m 05s`, `12%`, `EUR 3.20`, `0.15`."""
    if value is None:
        return "–"
    sign = ""
    if signed:
        sign = "+" if value > 0 else "−" if value < 0 else "±"
        value = abs(value)
    if unit == "s":
        text = d.seconds(value)
    elif unit == "share":
        text = f"{value * 100:.1f} pts" if signed else d.share(value)
    elif unit == "currency":
        text = d.money(value, currency)
    else:
        text = d.number(value, 2)
    return f"{sign}{text}" if signed and sign != "±" else (f"±{text}" if signed else text)


def effect_text(key: str, effect: dict[str, Any] | None, currency: str | None) -> str:
    """`−1h 56m (95 % CI ±47m 08s)`: the difference with its interval."""
    if not effect or effect.get("difference") is None:
        return "–"
    unit = EFFECTS[key][1]
    difference = amount(unit, effect["difference"], currency, signed=True)
    ci = effect.get("ci95")
    return f"{difference} (±{amount(unit, ci, currency)})" if ci is not None else difference


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
    keys = [
        key
        for key in EFFECTS
        if any(item.effects[key].difference is not None for item in report.costed) or key == "total_time_mean"
    ]
    table = Table(show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("Opportunity")
    table.add_column("Effort", justify="right")
    for key in keys:
        table.add_column(EFFECTS[key][0], justify="right")
    for row in data["opportunities"]:
        if row["costed"]:
            cells = [str(row["rank"]), f"{row['title']} ({row['id']})", str(row["effort"] or "–")]
            table.add_row(*cells, *(effect_text(key, row["effect"][key], report.currency) for key in keys))
    if report.costed:
        console.print(table)
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
