"""The calibration as one self-contained HTML page: observed against designed time per
card and arrivals by hour as inline SVG charts, then the tables; every text escaped."""

from __future__ import annotations

from html import escape

from stageline.analysis.calibration.format_text import drift_text, period_text, signed_seconds
from stageline.analysis.calibration.result import CalibrationResult
from stageline.analysis.simulation import display as d
from stageline.analysis.simulation.format_html import _STYLE

_MORE_STYLE = ".over{fill:#b42318}.under{fill:#067647}.designed{fill:#98a2b3}.observed{fill:#3e63dd}"


def card_chart(result: CalibrationResult, limit: int = 20) -> str:
    """Designed and observed mean per card, as pairs of horizontal bars."""
    cards = [c for c in result.ranked() if c.observed is not None][:limit]
    if not cards:
        return ""
    top = max(max(c.observed.mean if c.observed else 0.0, c.designed or 0.0) for c in cards) or 1.0
    label_w, bar_w, row_h = 170, 420, 30
    height = row_h * len(cards) + 30
    parts = [
        f'<svg viewBox="0 0 {label_w + bar_w + 90} {height}" width="100%" role="img" '
        'aria-label="Observed and designed mean time per card">'
    ]
    for i, c in enumerate(cards):
        y = 10 + i * row_h
        observed = c.observed.mean if c.observed else 0.0
        parts.append(f'<text x="0" y="{y + 14}">{escape(c.id[:26])}</text>')
        if c.designed is not None:
            w = bar_w * c.designed / top
            parts.append(f'<rect class="designed" x="{label_w}" y="{y}" width="{w:.1f}" height="9"/>')
        w = bar_w * observed / top
        tone = (
            "observed" if c.drift is None else ("over" if c.drift > 1.25 else "under" if c.drift < 0.8 else "observed")
        )
        parts.append(f'<rect class="{tone}" x="{label_w}" y="{y + 11}" width="{w:.1f}" height="9"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 19}">{escape(d.seconds(observed))}</text>')
    parts.append(
        f'<text x="{label_w}" y="{height - 4}">grey: designed · blue: observed '
        "(red: over 25 % more, green: 20 % less)</text>"
    )
    parts.append("</svg>")
    return (
        '<figure class="wide"><figcaption>Observed against designed, mean per card</figcaption>'
        + "".join(parts)
        + "</figure>"
    )


def arrivals_chart(result: CalibrationResult) -> str:
    rates = [result.arrivals.by_hour.get(str(h)) for h in range(24)]
    top = max((r or 0.0) for r in rates) or 1.0
    width, height, bar = 600, 190, 22
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="Cases started per hour of the day">'
    ]
    for h, rate in enumerate(rates):
        x = 30 + h * (bar + 2)
        if rate is not None:
            tall = 140 * rate / top
            parts.append(
                f'<rect class="observed" x="{x}" y="{150 - tall:.1f}" width="{bar}" height="{tall:.1f}">'
                f"<title>{h:02d}:00 {rate:.3g}/h</title></rect>"
            )
        if h % 3 == 0:
            parts.append(f'<text x="{x}" y="168">{h:02d}</text>')
    parts.append(f'<text x="30" y="186">cases per hour by hour of the day; the highest is {top:.3g}/h</text></svg>')
    return '<figure class="wide"><figcaption>Arrivals by hour of the day</figcaption>' + "".join(parts) + "</figure>"


def html_report(result: CalibrationResult) -> str:
    files = ", ".join(name.replace("\\", "/").rsplit("/", 1)[-1] for name in result.sources)
    rows = []
    for c in result.ranked():
        o = c.observed
        rows.append(
            "<tr>"
            f"<td><b>{escape(c.id)}</b><br><span class=note>{escape(c.text)}</span></td>"
            f'<td class="n">{c.events:,}</td><td class="n">{escape(d.seconds(c.designed))}</td>'
            f'<td class="n">{escape(d.seconds(o.mean if o else None))}</td>'
            f'<td class="n">{escape(d.seconds(o.p50 if o else None))}</td>'
            f'<td class="n">{escape(d.seconds(o.p90 if o else None))}</td>'
            f'<td class="n">{escape(drift_text(c))}</td><td class="n">{escape(signed_seconds(c.extra_per_case))}</td>'
            f'<td class="n">{escape(d.seconds(c.gap_before.mean if c.gap_before else None))}</td>'
            f"<td><code>{escape(c.fit.text) if c.fit else '–'}</code></td></tr>"
        )
    conformance = result.conformance
    paths = int(conformance.get("variant_count", 0))
    deviations = "".join(
        f"<li>{escape(item['deviation'])}: {item['cases']:,} cases ({escape(d.share(item['share']))})</li>"
        for item in conformance.get("deviations", [])[:10]
    )
    unmatched = "".join(
        f'<tr><td>{escape(u.activity)}</td><td class="n">{u.events:,}</td><td class="n">{u.cases:,}</td></tr>'
        for u in result.unmatched[:50]
    )
    resources = "".join(
        f"<tr><td>{escape(name)}</td><td class=n>{r.units}</td><td class=n>{r.seen:,}</td>"
        f"<td>{escape(r.hours or 'any hour')}</td>"
        f"<td>{escape(', '.join(r.resources))}</td></tr>"
        for name, r in result.resources.items()
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>Calibration of {escape(result.title)}</title><style>{_STYLE}{_MORE_STYLE}</style></head><body><main>",
        f"<h1>Calibration of {escape(result.title)}</h1>",
        f'<p class="lead">{result.cases:,} cases, {result.events:,} events from {escape(files)}, '
        f"{escape(period_text(result))}</p>",
        '<div class="charts">',
        card_chart(result),
        arrivals_chart(result),
        "</div>",
        "<h2>Drift, ranked by what it costs the customer</h2>",
        "<table><thead><tr><th>Card</th><th class=n>Events</th><th class=n>Designed</th><th class=n>Observed</th>"
        "<th class=n>p50</th><th class=n>p90</th><th class=n>Drift</th><th class=n>Per case</th>"
        "<th class=n>Wait before</th><th>Fitted</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>",
        "<h2>Conformance</h2>",
        f"<p>{escape(d.share(conformance.get('fitting_share')))} of {result.cases:,} cases follow the blueprint's "
        f"order ({paths:,} distinct path{'' if paths == 1 else 's'}).</p>",
        f"<ul>{deviations}</ul>" if deviations else "",
        (
            "<h2>Resources</h2><table><thead><tr><th>Actor</th><th class=n>Units at once</th><th class=n>Seen</th>"
            "<th>Hours</th><th>Who</th></tr>"
            f"</thead><tbody>{resources}</tbody></table>"
        )
        if resources
        else "",
        (
            "<h2>Activities that match no card</h2><table><thead><tr><th>Activity</th><th class=n>Events</th>"
            f"<th class=n>Cases</th></tr></thead><tbody>{unmatched}</tbody></table>"
        )
        if unmatched
        else "",
        f"<p>Cards no event matched: {escape(', '.join(result.unobserved))}</p>" if result.unobserved else "",
        *(f'<p class="note">{escape(str(w))}</p>' for w in result.warnings),
        "</main></body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"
