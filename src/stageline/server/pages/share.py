"""Read-only share links: no account needed; revoked links are 404."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from stageline.server.pages.blueprints import drawing, filename
from stageline.server.pages.deps import ServicesDep
from stageline.server.pages.render import page

router = APIRouter(include_in_schema=False)
NO_INDEX = {"X-Robots-Tag": "noindex", "Cache-Control": "private, no-store"}


@router.get("/s/{token}")
def shared(request: Request, token: str, services: ServicesDep) -> Response:
    found = services.sharing.open_link(token)
    svg, drawing_error = drawing(services, found.blueprint, (found.record.id, found.record.version))
    response = page(
        request,
        "shared.html",
        {
            "title": found.record.title,
            "bp": found.record,
            "token": token,
            "blueprint": found.blueprint,
            "svg": svg,
            "drawing_error": drawing_error,
        },
    )
    response.headers.update(NO_INDEX)
    return response


@router.get("/s/{token}/blueprint.yaml")
def shared_yaml(token: str, services: ServicesDep) -> Response:
    found = services.sharing.open_link(token)
    return Response(
        found.document,
        media_type="application/yaml",
        headers={**NO_INDEX, "Content-Disposition": f'attachment; filename="{filename(found.record.title, "yaml")}"'},
    )
