"""The report as one self-contained HTML page: tables and inline SVG charts,
no scripts, fonts or images from elsewhere; every text escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from stageline.analysis.simulation import display as d
from stageline.analysis.simulation.report import Histogram, Outcome, SimulationReport, Variant

_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;margin:0;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:28px 24px 48px}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.15em;margin:32px 0 10px}
.lead{color:#5a6478;margin:0 0 20px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px}
.tile{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:12px 14px}
.tile b{display:block;font-size:1.35em}.tile span{color:#5a6478;font-size:.9em}
.bad{color:#b42318}.good{color:#067647}
ol.bottlenecks li{margin:4px 0}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde1e8;font-size:.92em}
th,td{padding:6px 9px;border-bottom:1px solid #eceef2;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:0;background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:12px}
figcaption{font-weight:600;margin-bottom:6px}figure.wide{grid-column:1/-1}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:14px}
svg text{font:12px system-ui,sans-serif;fill:#1d2433}
.note{color:#5a6478;font-size:.9em}
"""


def html_report(report: SimulationReport) -> str:
    s = report.settings
    length = f"{s.customers:,} customers" if s.customers is not None else f"a {d.seconds(s.horizon)} horizon"
    runs = f"{s.replications} replication{'s' if s.replications != 1 else ''}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>Simulation of {escape(report.title)}</title><style>{_STYLE}</style></head><body><main>",
        f"<h1>Simulation of {escape(report.title)}</h1>",
        f'<p class="lead">{escape(length)}, arrivals {escape(s.arrivals)}, from {escape(s.start)}; '
        f"seed {s.seed}, {escape(runs)}</p>",
        _tiles(report),
        _bottlenecks(report.base),
        '<div class="charts">',
        _utilisation_chart(report.base),
        _step_chart(report.base),
        _histogram_chart(report.customers.histogram, report.customers.tolerance),
        _hourly_chart(report.base),
        "</div>",
        _resources(report.base),
        _cards(report.base),
        _fail_points(report),
        *(_variant(report, variant) for variant in report.variants),
        *(f'<p class="note">{escape(note)}</p>' for note in report.notes),
        "</main></body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _tiles(report: SimulationReport) -> str:
    c = report.customers
    tiles = [
        (f"{c.completed:,.0f}", "customers served"),
        (d.seconds(c.total_time.mean), "mean time, arrival to leaving"),
        (d.seconds(c.total_time.p90), "90 % leave within"),
    ]
    if c.tolerance is not None:
        tiles.append((d.share(c.over_tolerance), f"over the tolerance of {d.seconds(c.tolerance)}"))
    if c.cost.mean:
        tiles.append((d.money(c.cost.mean, report.currency), "cost per customer"))
    cells = "".join(
        f'<div class="tile"><b>{escape(value)}</b><span>{escape(label)}</span></div>' for value, label in tiles
    )
    return f'<div class="tiles">{cells}</div>'


def _bottlenecks(outcome: Outcome) -> str:
    if not outcome.bottlenecks:
        return "<h2>Bottlenecks</h2><p>None: no resource keeps customers waiting or runs above 85 % busy.</p>"
    items = "".join(f"<li>{escape(b.explanation)}</li>" for b in outcome.bottlenecks)
    return f'<h2>Bottlenecks</h2><ol class="bottlenecks">{items}</ol>'


def _bars(title: str, rows: Sequence[tuple[str, float, str, bool]], top: float) -> str:
    """A horizontal bar chart: (label, value, value text, alarming) per row."""
    if not rows:
        return ""
    label_width, bar_width, row_height = 170, 230, 22
    height = row_height * len(rows) + 8
    top = top or 1.0
    bars = []
    for i, (label, value, text, alarming) in enumerate(rows):
        y = 4 + i * row_height
        width = max(0.0, min(value / top, 1.0)) * bar_width
        colour = "#d92d20" if alarming else "#2e6fd8"
        short = label if len(label) <= 26 else label[:25] + "…"
        bars.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{escape(short)}<title>{escape(label)}</title>'
            f'</text><rect x="{label_width}" y="{y + 3}" width="{width:.1f}" height="14" fill="{colour}" rx="2"/>'
            f'<text x="{label_width + width + 5:.1f}" y="{y + 14}">{escape(text)}</text>'
        )
    width_total = label_width + bar_width + 130
    return (
        f"<figure><figcaption>{escape(title)}</figcaption>"
        f'<svg viewBox="0 0 {width_total} {height}" width="100%" role="img" aria-label="{escape(title)}">'
        + "".join(bars)
        + "</svg></figure>"
    )


def _utilisation_chart(outcome: Outcome) -> str:
    rows = [
        (
            r.name,
            r.utilization,
            d.share(r.utilization) + (f" (peak {d.share(r.peak_utilization)})" if r.peak_utilization else ""),
            r.utilization >= 0.85,
        )
        for r in outcome.resources.values()
    ]
    return _bars("Utilisation per resource, overall and in the busiest hour", rows, 1.0)


def _step_chart(outcome: Outcome) -> str:
    steps = [s for s in outcome.steps.values() if s.wait > 0]
    top = max((s.wait for s in steps), default=0.0)
    rows = [(s.title, s.wait, d.seconds(s.wait), s.wait >= 0.5 * top) for s in steps]
    return _bars("Mean wait per customer, by step", rows, top)


def _histogram_chart(histogram: Histogram, tolerance: float | None) -> str:
    if not histogram.counts:
        return ""
    width, height, left, bottom = 420, 190, 36, 30
    plot_w, plot_h = width - left - 10, height - bottom - 10
    top_count = max(histogram.counts) or 1
    span = histogram.edges[-1] - histogram.edges[0] or 1.0
    bar_w = plot_w / len(histogram.counts)
    shapes = []
    for i, count in enumerate(histogram.counts):
        h = count / top_count * plot_h
        over = tolerance is not None and histogram.edges[i] >= tolerance
        colour = "#d92d20" if over else "#2e6fd8"
        shapes.append(
            f'<rect x="{left + i * bar_w:.1f}" y="{10 + plot_h - h:.1f}" width="{max(bar_w - 1, 1):.1f}" '
            f'height="{h:.1f}" fill="{colour}"><title>{escape(d.seconds(histogram.edges[i]))}–'
            f"{escape(d.seconds(histogram.edges[i + 1]))}: {count}</title></rect>"
        )
    shapes.append(f'<line x1="{left}" y1="{10 + plot_h}" x2="{left + plot_w}" y2="{10 + plot_h}" stroke="#5a6478"/>')
    for at in d.round_ticks(histogram.edges[0], histogram.edges[-1], most=5):  # round times: 10m, 20m, 1h …
        x = left + (at - histogram.edges[0]) / span * plot_w
        anchor = "start" if x - left < 20 else "end" if left + plot_w - x < 20 else "middle"
        shapes.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="{anchor}">{escape(d.tick(at))}</text>')
    if tolerance is not None and tolerance <= histogram.edges[-1]:
        x = left + (tolerance - histogram.edges[0]) / span * plot_w
        shapes.append(
            f'<line x1="{x:.1f}" y1="6" x2="{x:.1f}" y2="{10 + plot_h}" stroke="#1d2433" stroke-dasharray="4 3"/>'
            f'<text x="{x + 4:.1f}" y="16">tolerance {escape(d.seconds(tolerance))}</text>'
        )
    note = f" ({histogram.over} beyond the chart)" if histogram.over else ""
    title = f"Time from arrival to leaving, customers per bar{note}"
    return (
        f"<figure><figcaption>{escape(title)}</figcaption>"
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(title)}">'
        + "".join(shapes)
        + "</svg></figure>"
    )


def _hourly_chart(outcome: Outcome) -> str:
    """Resources by clock hour, each cell shaded by how busy the resource was."""
    rows = [r for r in outcome.resources.values() if r.hourly]
    if not rows:
        return ""
    hours = max(len(r.hourly) for r in rows)
    first = rows[0].hourly_start or "00:00"
    start_hour = int(first[:2])
    label_width, cell, row_height = 170, max(4.0, min(24.0, 880 / hours)), 20
    width = label_width + cell * hours + 10
    height = row_height * len(rows) + 24
    shapes = []
    for i, resource in enumerate(rows):
        y = 4 + i * row_height
        name = resource.name if len(resource.name) <= 26 else resource.name[:25] + "…"
        shapes.append(f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end">{escape(name)}</text>')
        for k, value in enumerate(resource.hourly):
            clock = f"{(start_hour + k) % 24:02d}:00"
            if value is None:
                fill, text = "#eceef2", "closed"
            else:
                level = max(0.0, min(value, 1.0))
                fill = f"rgb({int(255 - 38 * level)},{int(245 - 200 * level)},{int(240 - 208 * level)})"
                text = d.share(value)
            shapes.append(
                f'<rect x="{label_width + k * cell:.1f}" y="{y}" width="{cell - 1:.1f}" height="{row_height - 4}" '
                f'fill="{fill}"><title>{escape(resource.name)}, {clock}: {escape(text)}</title></rect>'
            )
    for k in range(0, hours, max(1, hours // 8)):
        x = label_width + k * cell
        shapes.append(f'<text x="{x:.1f}" y="{height - 6}">{(start_hour + k) % 24:02d}h</text>')
    title = (
        "Utilisation by hour of day, averaged over the run's days (darker is busier)"
        if rows[0].hourly_by == "hour of day"
        else "Utilisation by clock hour (darker is busier)"
    )
    return (
        f'<figure class="wide"><figcaption>{escape(title)}</figcaption>'
        f'<svg viewBox="0 0 {width:.0f} {height}" width="100%" role="img" aria-label="{escape(title)}">'
        + "".join(shapes)
        + "</svg></figure>"
    )


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int) -> str:
    head = "".join(
        f'<th class="n">{escape(h)}</th>' if i >= numeric_from else f"<th>{escape(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{escape(cell)}</td>' if i >= numeric_from else f"<td>{escape(cell)}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _resources(outcome: Outcome) -> str:
    if not outcome.resources:
        return ""
    rows = [
        (
            r.name,
            str(r.capacity),
            r.hours or "always",
            d.share(r.utilization),
            d.number(r.queue_mean, 2),
            str(r.queue_max),
            d.seconds(r.wait.mean),
            d.seconds(r.wait.p90),
            d.number(r.visits, 0),
        )
        for r in outcome.resources.values()
    ]
    headers = ("Resource", "Units", "Hours", "Busy", "Queue mean", "Queue max", "Wait mean", "Wait p90", "Visits")
    return "<h2>Resources</h2>" + _table(headers, rows, 3)


def _cards(outcome: Outcome) -> str:
    cards = [c for c in outcome.cards.values() if c.resource or (c.wait.mean or 0) > 0 or (c.service.mean or 0) > 0]
    if not cards:
        return ""
    rows = [
        (
            c.id if c.on_path else f"{c.id} (off path)",
            c.text,
            c.resource or "",
            d.share(c.share),
            d.seconds(c.wait.mean),
            d.seconds(c.wait.p50),
            d.seconds(c.wait.p90),
            d.seconds(c.wait.p99),
            d.seconds(c.service.mean),
            d.seconds(c.service.p90),
        )
        for c in cards
    ]
    headers = ("Card", "Text", "Resource", "Served", "Wait mean", "p50", "p90", "p99", "Service mean", "p90")
    return "<h2>Cards</h2>" + _table(headers, rows, 3)


def _fail_points(report: SimulationReport) -> str:
    fails = [c.fail for c in report.cards.values() if c.fail is not None]
    if not fails:
        return ""
    rows = [
        (
            f.card,
            f.text,
            d.share(f.p),
            d.share(f.rate),
            d.number(f.occurrences, 1),
            d.seconds(f.time),
            d.money(f.cost, report.currency),
        )
        for f in fails
    ]
    headers = ("Card", "Fails when", "p", "Observed", "Times per run", "Recovery time", "Recovery cost")
    return "<h2>Fail points</h2>" + _table(headers, rows, 2)


def _variant(report: SimulationReport, variant: Variant) -> str:
    rows = []
    for delta in variant.deltas:
        if delta.difference == 0 and delta.base == 0:
            continue
        interval = "–" if delta.ci is None else f"± {d.spread(delta.ci, delta.unit, report.currency)}"
        rows.append(
            (
                delta.metric,
                d.amount(delta.base, delta.unit, report.currency),
                d.amount(delta.variant, delta.unit, report.currency),
                d.signed(delta.difference, delta.unit, report.currency),
                interval,
            )
        )
    headers = ("Metric", "Base", "What if", "Change", "95 % interval")
    return f"<h2>What if {escape(variant.name)}</h2>" + _table(headers, rows, 1)
