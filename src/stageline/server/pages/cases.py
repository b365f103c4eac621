"""The business cases on the Opportunities board: computed effect against
effort as an inline SVG chart (drawn on the server, readable without
scripts), each opportunity's effects with their 95 % intervals, and
/b/{id}/board/cases, the JSON the board polls while a new version is costed."""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from markupsafe import Markup

from stageline.analysis.opportunities import EFFECTS
from stageline.analysis.opportunities.display import amount, effect_text
from stageline.analysis.simulation import display
from stageline.server.pages.deps import PageActor, ServicesDep

router = APIRouter(include_in_schema=False)

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 92, 24, 20, 44
BLUE, GRID, INK, MUTED = "#2457c5", "#dbe1ea", "#172033", "#526079"


def effect_rows(row: dict[str, Any] | None, currency: str | None) -> list[tuple[str, str, str, str]]:
    """(metric, now, with it, difference ± 95 % CI) for an opportunity's page."""
    if not row or not row.get("effect"):
        return []
    rows = []
    for key, (title, unit) in EFFECTS.items():
        effect = row["effect"][key]
        if effect["base"] is None and effect["variant"] is None:
            continue
        rows.append(
            (
                title,
                amount(unit, effect["base"], currency),
                amount(unit, effect["variant"], currency),
                effect_text(key, effect, currency),
            )
        )
    return rows


def effect_chart(report: dict[str, Any] | None) -> Markup | None:
    """Customer time saved per customer (with its 95 % interval) against effort."""
    if not report:
        return None
    points = [
        row
        for row in report["opportunities"]
        if row["costed"] and row["effort"] is not None and row["effect"]["total_time_mean"]["difference"] is not None
    ]
    if not points:
        return None
    saved = [-row["effect"]["total_time_mean"]["difference"] for row in points]
    spread = [row["effect"]["total_time_mean"]["ci95"] or 0.0 for row in points]
    top = max([s + c for s, c in zip(saved, spread, strict=True)] + [1.0])
    bottom = min([s - c for s, c in zip(saved, spread, strict=True)] + [0.0])
    span = top - bottom or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(effort: float) -> float:
        return LEFT + (effort - 0.5) / 5 * plot_w

    def y(seconds: float) -> float:
        return TOP + (top - seconds) / span * plot_h

    body = [
        f'<line x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0):.1f}" stroke="{MUTED}"/>',
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" fill="{MUTED}">Effort →</text>',
        f'<text x="14" y="{TOP + plot_h / 2:.1f}" transform="rotate(-90 14 {TOP + plot_h / 2:.1f})" '
        f'text-anchor="middle" fill="{MUTED}">Customer time saved ↑</text>',
    ]
    for effort in range(1, 6):
        body.append(f'<line x1="{x(effort):.1f}" y1="{TOP}" x2="{x(effort):.1f}" y2="{TOP + plot_h}" stroke="{GRID}"/>')
        body.append(f'<text x="{x(effort):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{effort}</text>')
    for fraction in (0.0, 0.5, 1.0):
        value = bottom + fraction * span
        body.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{escape(display.seconds(abs(value)) if value >= 0 else '−' + display.seconds(-value))}</text>"
        )
    for row, s, c in zip(points, saved, spread, strict=True):
        cx, cy = x(row["effort"]), y(s)
        label = f"{row['title']}: saves {display.seconds(s)} per customer (±{display.seconds(c)})"
        label += f", effort {row['effort']}"
        body.append(
            f'<g class="effect-point" data-id="{escape(row["id"], quote=True)}"><title>{escape(label)}</title>'
            f'<line x1="{cx:.1f}" y1="{y(s + c):.1f}" x2="{cx:.1f}" y2="{y(s - c):.1f}" '
            f'stroke="{BLUE}" stroke-width="2"/>'
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="{BLUE}"/>'
            f'<text x="{cx + 9:.1f}" y="{cy + 4:.1f}" fill="{INK}">{escape(_short(row["title"]))}</text></g>'
        )
    description = "; ".join(
        f"{row['title']}: {display.seconds(s)} saved (±{display.seconds(c)}) at effort {row['effort']}"
        for row, s, c in zip(points, saved, spread, strict=True)
    )
    return Markup(
        f'<svg class="chart-svg effect-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="effect-title effect-desc" font-family="system-ui, sans-serif" font-size="12">'
        f'<title id="effect-title">Computed effect against effort</title>'
        f'<desc id="effect-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _short(title: str, limit: int = 28) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


@router.get("/b/{blueprint_id}/board/cases")
def cases(blueprint_id: int, actor: PageActor, services: ServicesDep) -> JSONResponse:
    """The business cases of the current version: ready, computing, failed or none."""
    return JSONResponse(services.cases.of(actor, blueprint_id).to_json())
