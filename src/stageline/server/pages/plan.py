"""The Plan tab of a future state: /b/{id}/plan shows what the redesign means
for each team (the use case of `stageline plan`, against the linked current
state), filtered to one team if asked, with the plan as CSV for issue trackers
and as a Markdown brief."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from stageline.analysis.opportunities import Plan, team_plan
from stageline.analysis.opportunities.plan import time_text
from stageline.model import Blueprint
from stageline.server.pages.blueprints import _context, filename
from stageline.server.pages.deps import PageActor, ServicesDep
from stageline.server.pages.render import page
from stageline.server.services import Services
from stageline.server.services.access import Action
from stageline.server.services.base import Actor
from stageline.server.services.blueprints import Opened
from stageline.server.services.errors import Invalid, NotFound

router = APIRouter(include_in_schema=False)
FORMATS = {"csv": "text/csv; charset=utf-8", "md": "text/markdown; charset=utf-8"}


def _plan(services: Services, actor: Actor, opened: Opened) -> tuple[Plan | None, Opened | None]:
    """The plan of a future state against its linked current state (None without one)."""
    links = services.states.links(actor, opened.record.id)
    if opened.blueprint.state != "future" or links.current is None:
        return None, None
    current = services.blueprints.open(actor, links.current.record.id)
    return team_plan(current.blueprint, opened.blueprint, due=_due(current.blueprint, opened)), current


def _due(current: Blueprint, future: Opened) -> date | None:
    """The earliest due date of the current state's opportunities this future state realises."""
    title = future.record.title.casefold()
    dates = [
        o.due
        for o in current.opportunities
        if o.due and o.future and o.future.casefold().removesuffix(".yaml").removesuffix(".yml") == title
    ]
    if not dates:
        dates = [o.due for o in current.opportunities if o.due and o.future]
    return min(dates) if dates else None


def _team(plan: Plan, team: str | None) -> str | None:
    if not team:
        return None
    if team not in plan.teams:
        raise NotFound(f"no team {team!r} is affected by this future state; choose one of {', '.join(plan.teams)}")
    return team


@router.get("/b/{blueprint_id}/plan")
def plan_page(
    request: Request,
    blueprint_id: int,
    actor: PageActor,
    services: ServicesDep,
    team: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    opened = services.blueprints.open(actor, blueprint_id)
    plan, current = _plan(services, actor, opened)
    chosen = _team(plan, team) if plan is not None else None
    return page(
        request,
        "plan.html",
        _context(
            opened,
            services,
            actor,
            title=f"Plan · {opened.record.title}",
            plan=plan,
            current=current,
            team=chosen,
            teams=({chosen: plan.teams[chosen]} if chosen else plan.teams) if plan else {},
            links=services.states.links(actor, blueprint_id),
            time_text=time_text,
        ),
    )


@router.get("/b/{blueprint_id}/plan.{extension}")
def plan_download(
    blueprint_id: int,
    extension: str,
    actor: PageActor,
    services: ServicesDep,
    team: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    opened = services.blueprints.open(actor, blueprint_id, Action.DOWNLOAD)
    if extension not in FORMATS:
        raise Invalid(f"the plan downloads as .csv or .md, not .{extension}")
    plan, _ = _plan(services, actor, opened)
    if plan is None:
        raise Invalid("only a future state linked to its current state has a plan", code="no_plan")
    chosen = _team(plan, team)
    content = plan.to_csv(chosen) if extension == "csv" else plan.to_markdown(chosen)
    name = filename(f"{opened.record.title} plan{f' {chosen}' if chosen else ''}", extension)
    return Response(
        content,
        media_type=FORMATS[extension],
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, max-age=60"},
    )
