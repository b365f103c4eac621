"""The charts of the Simulate page, drawn on the server as inline SVG.

Each chart is a `<figure>`: a caption, an SVG with a title and a description
for screen readers, a `<title>` on every bar for pointers, values written next
to the bars, and the same numbers as a table under a disclosure. They read the
report dictionary (`SimulationReport.to_dict()`, the JSON the API returns), so
the page shows exactly what the API gives. No scripts: they print as drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from stageline.analysis.simulation import display

BLUE = "#2457c5"
AMBER = "#b7791f"
RED = "#b3261e"
INK = "#172033"
MUTED = "#526079"
GRID = "#dbe1ea"
BUSY = 0.85  # a resource this busy is a bottleneck (the report's threshold)
LABEL_CHARS = 26
CHAR_WIDTH = 6.6  # of a 12 px system-ui character, on average


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # drawn against the chart's top value
    text: str  # the value as people read it
    colour: str
    marker: float | None = None  # a tick at this value (a resource's busiest hour)
    marker_text: str | None = None


def _a(value: object) -> str:
    return escape(str(value), quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _svg(key: str, width: float, height: float, title: str, description: str, body: list[str]) -> str:
    return (
        f'<svg class="chart-svg" viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
        f'role="img" '
        f'aria-labelledby="{key}-title {key}-desc" font-family="system-ui, sans-serif" font-size="12">'
        f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{escape(cell)}</th>' if i == 0 else f'<td class="num">{escape(cell)}</td>'
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<details class="chart-data"><summary>{escape(caption)}</summary>'
        f'<table class="table compact"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>'
    )


def _figure(key: str, caption: str, note: str, svg: str, table: str) -> Markup:
    lead = f'<p class="chart-note">{escape(note)}</p>' if note else ""
    return Markup(
        f'<figure class="chart" id="{key}"><figcaption>{escape(caption)}</figcaption>{lead}{svg}{table}</figure>'
    )


def _bars(key: str, title: str, description: str, bars: Sequence[Bar], top: float, line: float | None) -> str:
    """Horizontal bars, one per row, the value written after each; `line` marks a threshold."""
    longest = max((len(_short(bar.label)) for bar in bars), default=4)
    label_w = min(max(longest * CHAR_WIDTH + 12, 60.0), LABEL_CHARS * CHAR_WIDTH + 12)
    longest_value = max((len(bar.text) for bar in bars), default=4)
    bar_w, value_w, row_h, pad = 210.0, max(longest_value * CHAR_WIDTH + 14, 60.0), 26.0, 22.0
    width = round(label_w + bar_w + value_w)
    height = pad + row_h * len(bars) + 6
    top = top or 1.0
    body: list[str] = []
    for fraction in (0.0, 0.5, 1.0):
        x = label_w + fraction * bar_w
        body.append(f'<line x1="{_n(x)}" y1="{_n(pad - 4)}" x2="{_n(x)}" y2="{_n(height - 4)}" stroke="{GRID}"/>')
    if line is not None and top:  # under the bars and their values
        x = label_w + min(line / top, 1.0) * bar_w
        body.append(
            f'<line class="threshold" x1="{_n(x)}" y1="{_n(pad - 8)}" x2="{_n(x)}" y2="{_n(height - 4)}" '
            f'stroke="{RED}" stroke-dasharray="4 3"/>'
        )
    for i, bar in enumerate(bars):
        y = pad + i * row_h
        width_of = max(0.0, min(bar.value / top, 1.0)) * bar_w
        tip = f"{bar.label}: {bar.text}" + (f", {bar.marker_text}" if bar.marker_text else "")
        body.append(
            f'<g class="bar" role="presentation"><title>{escape(tip)}</title>'
            f'<text x="{_n(label_w - 8)}" y="{_n(y + 13)}" text-anchor="end" fill="{INK}">{escape(_short(bar.label))}'
            f"</text>"
            f'<rect x="{_n(label_w)}" y="{_n(y + 2)}" width="{_n(max(width_of, 1.5))}" height="16" rx="2" '
            f'fill="{bar.colour}" data-value="{bar.value:.6g}"/>'
        )
        end = width_of
        if bar.marker is not None:
            mx = label_w + max(0.0, min(bar.marker / top, 1.0)) * bar_w
            end = max(end, mx - label_w + 1)
            body.append(
                f'<line class="marker" x1="{_n(mx)}" y1="{_n(y)}" x2="{_n(mx)}" y2="{_n(y + 20)}" '
                f'stroke="{INK}" stroke-width="2"/>'
            )
        body.append(f'<text x="{_n(label_w + end + 6)}" y="{_n(y + 13)}" fill="{INK}">{escape(bar.text)}</text></g>')
    return _svg(key, width, height, title, description, body)


# -- utilisation per resource --------------------------------------------------------
def utilisation_chart(resources: Mapping[str, Mapping[str, Any]]) -> Markup:
    key = "chart-utilisation"
    caption = "Utilisation per resource"
    if not resources:
        return _figure(
            key,
            caption,
            "No resources: nobody is scarce, so nobody queues. Give staff a number of units to see how busy they are.",
            "",
            "",
        )
    bars = []
    rows = []
    for name, r in resources.items():
        busy = float(r.get("utilization") or 0.0)
        peak = r.get("peak") or {}
        peak_value = peak.get("utilization")
        colour = RED if busy >= BUSY else AMBER if busy >= 0.7 else BLUE
        peak_text = f"busiest hour {display.share(peak_value)} ({peak['hour']})" if peak_value is not None else None
        units = int(r.get("capacity") or 0)
        bars.append(
            Bar(
                f"{name} ({units})",
                busy,
                display.share(busy) + (f" · peak {display.share(peak_value)}" if peak_value is not None else ""),
                colour,
                float(peak_value) if peak_value is not None else None,
                peak_text,
            )
        )
        rows.append(
            (
                name,
                str(units),
                display.share(busy),
                f"{display.share(peak_value)} ({peak.get('hour')})" if peak_value is not None else "–",
                display.number((r.get("queue") or {}).get("mean"), 2),
                str((r.get("queue") or {}).get("max", "–")),
                display.seconds((r.get("wait") or {}).get("mean")),
            )
        )
    busiest = max(resources.items(), key=lambda item: float(item[1].get("utilization") or 0.0))
    description = (
        f"Bars from 0 to 100 %, one per resource; the dashed line is {BUSY:.0%}, where queues build up. "
        f"Busiest: {busiest[0]} at {display.share(busiest[1].get('utilization'))}."
    )
    svg = _bars(key, caption, description, bars, 1.0, BUSY)
    table = _table(
        "Utilisation as a table",
        ("Resource", "Units", "Busy", "Busiest hour", "Queue mean", "Queue max", "Wait per visit"),
        rows,
    )
    note = f"Share of open time each resource is busy. The tick is its busiest hour; the dashed line is {BUSY:.0%}."
    return _figure(key, caption, note, svg, table)


# -- wait per step -------------------------------------------------------------------------
def wait_chart(steps: Mapping[str, Mapping[str, Any]]) -> Markup:
    key = "chart-waits"
    caption = "Wait per step"
    if not steps:
        return _figure(key, caption, "This blueprint has no steps.", "", "")
    waits = {step_id: float(s.get("wait") or 0.0) for step_id, s in steps.items()}
    worst = max(waits.values())
    bars = []
    rows = []
    for step_id, s in steps.items():
        wait = waits[step_id]
        colour = RED if worst > 0 and wait >= 0.5 * worst else BLUE
        bars.append(Bar(str(s.get("title") or step_id), wait, display.seconds(wait), colour))
        rows.append(
            (
                str(s.get("title") or step_id),
                str(s.get("stage") or ""),
                display.seconds(wait),
                display.seconds(s.get("time")),
            )
        )
    if worst > 0:
        at = max(steps, key=lambda step_id: waits[step_id])
        summary = f"Longest: {steps[at].get('title') or at}, {display.seconds(worst)} per customer."
    else:
        summary = "No step keeps customers waiting."
    description = f"Mean wait per customer in each step, in the order of the journey. {summary}"
    svg = _bars(key, caption, description, bars, worst, None)
    table = _table("Waits as a table", ("Step", "Stage", "Wait", "Time in step"), rows)
    return _figure(key, caption, "Mean time a customer waits in each step: queues and observed waits.", svg, table)


# -- total time against the tolerance -----------------------------------------------------
def time_chart(customers: Mapping[str, Any]) -> Markup:
    key = "chart-total-time"
    caption = "Time from arrival to leaving"
    histogram = customers.get("histogram") or {}
    edges: list[float] = [float(e) for e in histogram.get("edges") or []]
    counts: list[int] = [int(c) for c in histogram.get("counts") or []]
    tolerance = customers.get("tolerance")
    over = customers.get("over_tolerance")
    if tolerance is not None and over is not None:
        note = f"{display.share(over)} of customers took longer than the tolerance of {display.seconds(tolerance)}."
    elif tolerance is None:
        note = "This blueprint sets no tolerance: add one to see how many customers wait too long."
    else:
        note = ""
    if not counts:
        return _figure(key, caption, note or "No customer finished.", "", "")
    width, height, left, right, top_pad, bottom = 880.0, 250.0, 46.0, 14.0, 26.0, 40.0
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    start, end = edges[0], edges[-1]
    span = (end - start) or 1.0
    peak = max(counts) or 1
    bar_w = plot_w / len(counts)
    body: list[str] = []
    for fraction in (0.5, 1.0):
        y = top_pad + plot_h - fraction * plot_h
        body.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + plot_w)}" y2="{_n(y)}" stroke="{GRID}"/>')
        body.append(
            f'<text x="{_n(left - 6)}" y="{_n(y + 4)}" text-anchor="end" fill="{MUTED}">'
            f"{round(peak * fraction):,}</text>"
        )
    for i, count in enumerate(counts):
        h = count / peak * plot_h
        beyond = tolerance is not None and edges[i] >= float(tolerance)
        colour = RED if beyond else BLUE
        label = f"{display.seconds(edges[i])}–{display.seconds(edges[i + 1])}: {count:,} customers"
        body.append(
            f'<rect class="bin{" over" if beyond else ""}" x="{_n(left + i * bar_w + 0.5)}" '
            f'y="{_n(top_pad + plot_h - h)}" width="{_n(max(bar_w - 1, 1))}" height="{_n(h)}" fill="{colour}" '
            f'data-count="{count}"><title>{escape(label)}</title></rect>'
        )
    base = top_pad + plot_h
    body.append(f'<line x1="{_n(left)}" y1="{_n(base)}" x2="{_n(left + plot_w)}" y2="{_n(base)}" stroke="{MUTED}"/>')
    for at in display.round_ticks(start, end):  # round times: 10m, 20m, 30m, 1h …
        x = left + (at - start) / span * plot_w
        anchor = "start" if x - left < 20 else "end" if left + plot_w - x < 20 else "middle"
        body.append(
            f'<line class="tick" x1="{_n(x)}" y1="{_n(base)}" x2="{_n(x)}" y2="{_n(base + 4)}" stroke="{MUTED}"/>'
            f'<text class="tick" x="{_n(x)}" y="{_n(base + 16)}" text-anchor="{anchor}" fill="{MUTED}">'
            f"{escape(display.tick(at))}</text>"
        )
    body.append(
        f'<text x="{_n(left + plot_w / 2)}" y="{_n(height - 4)}" text-anchor="middle" fill="{MUTED}">'
        "time from arrival to leaving (customers per bar)</text>"
    )
    if tolerance is not None and start <= float(tolerance) <= end:
        x = left + (float(tolerance) - start) / span * plot_w
        anchor = "end" if x > left + plot_w * 0.7 else "start"
        shift = -5 if anchor == "end" else 5
        share = f", {display.share(over)} over" if over is not None else ""
        body.append(
            f'<line class="tolerance" x1="{_n(x)}" y1="{_n(top_pad - 12)}" x2="{_n(x)}" y2="{_n(base)}" '
            f'stroke="{INK}" stroke-width="2" stroke-dasharray="5 3"/>'
            f'<text x="{_n(x + shift)}" y="{_n(top_pad - 4)}" text-anchor="{anchor}" fill="{INK}" font-weight="bold">'
            f"tolerance {escape(display.seconds(float(tolerance)))}{escape(share)}</text>"
        )
    beyond_chart = int(histogram.get("over") or 0)
    total = customers.get("total_time") or {}
    mean, median, p90 = (display.seconds(total.get(name)) for name in ("mean", "p50", "p90"))
    description = (
        f"Histogram of {sum(counts) + beyond_chart:,} customers' total times: "
        f"mean {mean}, median {median}, 90 % within {p90}. {note}"
    )
    if beyond_chart:
        description += f" {beyond_chart:,} took longer than the chart shows."
    svg = _svg(key, width, height, caption, description.strip(), body)
    rows = [
        (f"{display.seconds(edges[i])}–{display.seconds(edges[i + 1])}", f"{count:,}") for i, count in enumerate(counts)
    ]
    if beyond_chart:
        rows.append((f"over {display.seconds(end)}", f"{beyond_chart:,}"))
    table = _table("Distribution as a table", ("Total time", "Customers"), rows)
    return _figure(key, caption, note, svg, table)
