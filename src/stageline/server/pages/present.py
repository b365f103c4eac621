"""Presentation mode: the blueprint stage by stage, full screen, for a room.

`/b/{id}/present` for people with access and `/s/{token}/present` for anyone
holding a share link. Each stage is a slide: its grid (steps as columns, lanes
as rows, every card in large type, fail points marked), with the emotion curve
of the whole journey (this stage's part marked) and this stage's findings
beside it. `static/present.js` shows one slide at a time (arrow keys, Page
Up/Down, Home/End, F for full screen) and keeps the stage in the address
(`#stage-3`), so a link opens straight on it; without JavaScript the slides
read one under the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from stageline.model import Blueprint
from stageline.model.elements import Lane, Step
from stageline.model.quantities import humanize_duration
from stageline.server.pages.deps import PageActor, ServicesDep
from stageline.server.pages.render import page
from stageline.server.services import Services
from stageline.server.services.errors import ServiceError

router = APIRouter(include_in_schema=False)
NO_INDEX = {"X-Robots-Tag": "noindex", "Cache-Control": "private, no-store"}
CURVE_WIDTH, CURVE_HEIGHT, CURVE_PAD = 360.0, 150.0, 18.0


@dataclass
class Slide:
    number: int
    stage_id: str
    title: str
    facts: list[str]
    steps: list[Step]
    lanes: list[Lane]
    findings: list[dict[str, Any]] = field(default_factory=list)
    curve: str = ""


def emotion_curve(points: list[dict[str, Any]], stage_id: str) -> str:
    """A small SVG line of the emotion curve (−2..+2 per step), this stage's points marked."""
    known = [(i, p) for i, p in enumerate(points) if p.get("emotion") is not None]
    if not known:
        return ""
    step = (CURVE_WIDTH - 2 * CURVE_PAD) / max(1, len(points) - 1)

    def xy(i: int, emotion: float) -> tuple[float, float]:
        y = CURVE_PAD + (2 - emotion) / 4 * (CURVE_HEIGHT - 2 * CURVE_PAD)
        return CURVE_PAD + i * step if len(points) > 1 else CURVE_WIDTH / 2, y

    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, p["emotion"]) for i, p in known))
    marks = []
    for i, p in known:
        x, y = xy(i, p["emotion"])
        here = p["stage"] == stage_id
        marks.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{7 if here else 4}" class="{"here" if here else "other"}">'
            f"<title>{_escape(p['title'])}: {p['emotion']:+.1f}</title></circle>"
        )
    zero = CURVE_PAD + (CURVE_HEIGHT - 2 * CURVE_PAD) / 2
    return (
        f'<svg class="curve" viewBox="0 0 {CURVE_WIDTH:.0f} {CURVE_HEIGHT:.0f}" role="img" '
        f'aria-label="Emotion curve of the journey, this stage marked">'
        f'<line x1="{CURVE_PAD}" x2="{CURVE_WIDTH - CURVE_PAD}" y1="{zero}" y2="{zero}" class="axis"/>'
        f'<text x="2" y="{CURVE_PAD + 4}" class="label">+2</text>'
        f'<text x="2" y="{CURVE_HEIGHT - CURVE_PAD + 4}" class="label">−2</text>'
        f'<polyline points="{line}" class="line"/>{"".join(marks)}</svg>'
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def slides(services: Services, blueprint: Blueprint, key: tuple[int, int]) -> tuple[list[Slide], str | None]:
    """A slide per stage, and why the analysis is missing, if it is."""
    problem = None
    try:
        findings = services.insights.findings(blueprint, key)
        metrics = services.insights.metrics(blueprint, key)
    except ServiceError as error:
        findings, metrics, problem = [], {"stages": [], "emotion_curve": []}, error.message
    by_stage = {m["stage"]: m for m in metrics["stages"]}
    found: list[Slide] = []
    for number, stage in enumerate(blueprint.stages, 1):
        measured = by_stage.get(stage.id)
        facts = [f"{len(stage.steps)} steps"]
        if measured is not None:
            facts.append(f"customer time {humanize_duration(measured['customer_time'])}")
            facts.append(f"{measured['fail_points']} fail point{'' if measured['fail_points'] == 1 else 's'}")
        found.append(
            Slide(
                number=number,
                stage_id=stage.id,
                title=stage.title,
                facts=facts,
                steps=stage.steps,
                lanes=[lane for lane in blueprint.lanes if any(step.cards(lane.id) for step in stage.steps)],
                findings=[f for f in findings if f.get("stage") == stage.id],
                curve=emotion_curve(metrics["emotion_curve"], stage.id),
            )
        )
    return found, problem


def _present(
    request: Request, services: Services, blueprint: Blueprint, key: tuple[int, int], back: str, title: str
) -> Response:
    found, problem = slides(services, blueprint, key)
    return page(
        request,
        "present.html",
        {
            "title": f"Presenting {title}",
            "blueprint": blueprint,
            "slides": found,
            "back": back,
            "analysis_error": problem,
        },
        headers=NO_INDEX,
    )


@router.get("/b/{blueprint_id}/present")
def present(request: Request, blueprint_id: int, actor: PageActor, services: ServicesDep) -> Response:
    opened = services.blueprints.open(actor, blueprint_id)
    key = (opened.record.id, opened.record.version)
    return _present(request, services, opened.shared, key, f"/b/{blueprint_id}", opened.record.title)


@router.get("/s/{token}/present")
def present_shared(request: Request, token: str, services: ServicesDep) -> Response:
    found = services.sharing.open_link(token)
    key = (found.record.id, found.record.version)
    return _present(request, services, found.blueprint, key, f"/s/{token}", found.record.title)
