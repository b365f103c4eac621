"""The opportunity board: /b/{id}/board puts a blueprint's opportunities on
the value/effort matrix, filters them by status, and highlights the cards the
selected one targets on the drawing. Editors change status, scores and owner
from the board; each change is a version."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from stageline.server.pages.blueprints import _context, drawing
from stageline.server.pages.cases import effect_chart, effect_rows
from stageline.server.pages.deps import FormActor, PageActor, ServicesDep
from stageline.server.pages.render import done, page
from stageline.server.services.opportunities import (
    QUADRANTS,
    SCORES,
    STATUS_LABELS,
    STATUSES,
    parse_fields,
    statuses,
)

router = APIRouter(include_in_schema=False)


def board_url(blueprint_id: int, opportunity: str | None = None, shown: list[str] | None = None) -> str:
    """The board, with an opportunity selected and the status filter kept."""
    query: list[tuple[str, str]] = [("status", status) for status in shown or [] if status in STATUSES]
    if len(query) == len(STATUSES):
        query = []
    if opportunity:
        query.append(("opportunity", opportunity))
    return f"/b/{blueprint_id}/board" + (f"?{urlencode(query)}" if query else "")


@router.get("/b/{blueprint_id}/board")
def board(
    request: Request,
    blueprint_id: int,
    actor: PageActor,
    services: ServicesDep,
    status: Annotated[list[str] | None, Query(max_length=20)] = None,
    opportunity: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    opened, found = services.opportunities.board(actor, blueprint_id, status)
    cases = services.cases.of(actor, blueprint_id)
    selected = found.item(opportunity)
    svg, drawing_error = drawing(services, opened.shared, (opened.record.id, opened.record.version))
    shown = sorted(found.shown, key=STATUSES.index)
    return page(
        request,
        "board.html",
        _context(
            opened,
            services,
            actor,
            title=f"Opportunities · {opened.record.title}",
            board=found,
            selected=selected,
            unknown=opportunity if opportunity and selected is None else None,
            svg=svg,
            drawing_error=drawing_error,
            statuses=STATUSES,
            status_labels=STATUS_LABELS,
            scores=SCORES,
            quadrants={key: QUADRANTS[corner] for key, corner in _CORNERS.items()},
            shown=shown,
            filtered=len(shown) < len(STATUSES),
            url=lambda opportunity=None: board_url(blueprint_id, opportunity, shown),
            cases=cases,
            effect_chart=effect_chart(cases.report),
            effect_rows=lambda o: effect_rows(cases.row(o), opened.shared.currency),
            costed=[row for row in (cases.report or {}).get("opportunities", []) if row["costed"]],
        ),
    )


# Where each quadrant's caption sits on the matrix: (value row, effort column).
_CORNERS = {(5, 1): (True, False), (5, 5): (True, True), (1, 1): (False, False), (1, 5): (False, True)}


@router.post("/b/{blueprint_id}/board/{opportunity_id}")
def update(
    blueprint_id: int,
    opportunity_id: str,
    actor: FormActor,
    services: ServicesDep,
    status: Annotated[str | None, Form(max_length=20)] = None,
    value: Annotated[str | None, Form(max_length=5)] = None,
    effort: Annotated[str | None, Form(max_length=5)] = None,
    owner: Annotated[str | None, Form(max_length=400)] = None,
    was_status: Annotated[str | None, Form(max_length=20)] = None,
    was_value: Annotated[str | None, Form(max_length=5)] = None,
    was_effort: Annotated[str | None, Form(max_length=5)] = None,
    was_owner: Annotated[str | None, Form(max_length=400)] = None,
    shown: Annotated[list[str] | None, Form(max_length=20)] = None,
) -> Response:
    values = parse_fields({"status": status, "value": value, "effort": effort, "owner": owner})
    was = parse_fields({"status": was_status, "value": was_value, "effort": was_effort, "owner": was_owner})
    change = services.opportunities.update(actor, blueprint_id, opportunity_id, values, was or None)
    kept = sorted(statuses(shown), key=STATUSES.index)
    return done(board_url(blueprint_id, opportunity_id, kept), "opportunity-updated" if change else "unchanged")
