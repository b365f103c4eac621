"""The live editor page: /b/{id}/edit. The document itself arrives over the
WebSocket, so the page is light whatever the blueprint's size."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from stageline.server.pages.deps import PageActor, ServicesDep
from stageline.server.pages.render import page
from stageline.server.services.access import Action, may
from stageline.server.services.live import blueprint_access

router = APIRouter(include_in_schema=False)


@router.get("/b/{blueprint_id}/edit")
def edit(request: Request, blueprint_id: int, actor: PageActor, services: ServicesDep) -> Response:
    record, role = blueprint_access(services.db, actor, blueprint_id)
    member_of = {membership.workspace.id for membership in services.workspaces.of(actor)}
    return page(
        request,
        "editor.html",
        {
            "bp": record,
            "role": role,
            "may": lambda action: may(role, Action(action)),
            "title": f"Editing {record.title}",
            "current_workspace": record.workspace if record.workspace_id in member_of else None,
        },
    )
