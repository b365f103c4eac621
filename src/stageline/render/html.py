"""HTML backend: one self-contained page (the SVG inline, small vanilla JS and
CSS, the font embedded) that pans, zooms, filters and explains every card.

It loads nothing from the network: a Content-Security-Policy forbids it.
"""

from __future__ import annotations

import json
from html import escape
from importlib.resources import files
from typing import Any

from stageline.model.blueprint import Blueprint
from stageline.model.elements import Card, mean_seconds
from stageline.model.quantities import humanize_duration
from stageline.render.cards import emotion_text
from stageline.render.findings import FindingLike, severity_of
from stageline.render.primitives import Drawing
from stageline.render.svg import to_svg

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; font-src data:; img-src data:; "
    "connect-src 'none'; form-action 'none'; base-uri 'none'"
)


def script_json(value: Any) -> str:
    """JSON that cannot end or comment out the <script> element it sits in."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, safe in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, safe)
    return text


def _asset(name: str) -> str:
    return files("stageline.render").joinpath("assets", name).read_text(encoding="utf-8")


def card_fields(bp: Blueprint, card: Card) -> list[tuple[str, str]]:
    """Every field of a card as (label, text) pairs for the details panel."""
    fields: list[tuple[str, str]] = [("Id", card.id)]

    def add(label: str, value: object) -> None:
        if value is not None and value != "" and value != []:
            fields.append((label, str(value)))

    add("Actor", card.actor)
    add("Department", card.department)
    add("Channel", card.channel)
    if card.duration is not None:
        text = humanize_duration(mean_seconds(card.duration))
        if not isinstance(card.duration, float):
            text = f"{card.duration.dist}, mean {text}"
        add("Duration", text)
    if card.wait:
        add("Wait", humanize_duration(card.wait))
    if card.cost is not None:
        add("Cost", f"{card.cost:g} {bp.currency or ''}".strip())
    if card.fail is not None:
        fail = card.fail
        add("Fail point", fail.text)
        add("Recovery", fail.recovery)
        add("Severity", fail.severity)
        add("Likelihood", fail.likelihood)
        add("Risk (severity × likelihood)", fail.risk)
        add("Probability", fail.p)
        if fail.recovery_time:
            add("Recovery time", humanize_duration(fail.recovery_time))
        add("Recovery cost", fail.recovery_cost)
    if card.emotion is not None:
        add("Emotion", emotion_text(card.emotion))
    add("Pain", card.pain)
    add("Basis", card.basis)
    add("Source", card.source)
    add("Notes", card.notes)
    add("Tags", ", ".join(card.tags) if card.tags else None)
    add("Silenced checks", ", ".join(card.ignore) if card.ignore else None)
    opportunities = [o.title for o in bp.opportunities if card.id in o.targets]
    add("Opportunities", "; ".join(opportunities) if opportunities else None)
    return fields


def viewer_data(bp: Blueprint, drawing: Drawing, findings: list[FindingLike], checked: bool) -> dict[str, Any]:
    drawn = {group.element_id for group in drawing.groups("card")}
    lanes_drawn = {group.element_id for group in drawing.groups("lane")}
    cards: dict[str, Any] = {}
    actors: set[str] = set()
    for place, card in bp.cards():
        if card.id not in drawn:
            continue
        links = []
        for link in bp.links_of(card.id):
            other = link.target if link.source == card.id else link.source
            arrow = "↔" if link.two_way else ("→" if link.source == card.id else "←")
            links.append({"other": other, "arrow": arrow, "label": link.label or ""})
        if card.actor:
            actors.add(card.actor)
        cards[card.id] = {
            "text": card.text,
            "lane": place.lane,
            "laneTitle": bp.lane(place.lane).title,
            "step": place.step.id,
            "stepTitle": place.step.display_title,
            "stage": place.stage.id,
            "fields": card_fields(bp, card),
            "links": links,
        }
    return {
        "title": bp.title,
        "lanes": [{"id": lane.id, "title": lane.title} for lane in bp.lanes if lane.id in lanes_drawn],
        "actors": sorted(actors),
        "cards": cards,
        "checked": checked,
        "findings": [
            {
                "rule": str(f.rule),
                "name": str(f.name),
                "severity": severity_of(f),
                "message": str(f.message),
                "stage": f.stage,
                "step": f.step,
                "lane": f.lane,
                "card": f.card,
                "fix": f.fix,
            }
            for f in findings
        ],
    }


def to_html(
    bp: Blueprint, drawing: Drawing, findings: list[FindingLike], *, embed_font: bool = True, checked: bool = False
) -> str:
    svg = to_svg(drawing, embed_font=embed_font, standalone=False)
    title = escape(bp.title, quote=False)
    theme = "dark" if drawing.theme == "dark" else "light"
    return "".join(
        [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n',
            '<meta name="generator" content="Stageline">\n',
            f"<title>{title} · Stageline</title>\n<style>\n{_asset('viewer.css')}</style>\n</head>\n",
            f'<body class="theme-{theme}">\n<header class="sl-toolbar">\n<h1>{title}</h1>\n',
            '<div class="sl-group" role="group" aria-label="Zoom">',
            '<button id="sl-zoom-out" title="Zoom out (-)">−</button>',
            '<button id="sl-zoom-in" title="Zoom in (+)">+</button>',
            '<button id="sl-fit" title="Fit to window (0)">Fit</button>',
            '<button id="sl-actual" title="Actual size">100%</button></div>\n',
            '<div class="sl-group" id="sl-lanes" role="group" aria-label="Lanes">',
            '<span class="sl-caption">Lanes</span></div>\n',
            '<div class="sl-group"><label class="sl-caption" for="sl-actor">Actor</label>',
            '<select id="sl-actor"><option value="">Everyone</option></select></div>\n',
            '</header>\n<main>\n<div id="sl-viewport">',
            svg,
            '</div>\n<aside id="sl-panel" aria-live="polite">\n<section id="sl-details" hidden></section>\n',
            '<section id="sl-findings"></section>\n</aside>\n</main>\n',
            f'<script type="application/json" id="sl-data">{script_json(viewer_data(bp, drawing, findings, checked))}',
            "</script>\n",
            f"<script>\n{_asset('viewer.js')}</script>\n</body>\n</html>\n",
        ]
    )
