"""/api/blueprints/{id}/versions: the history, any version, restore and names."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse

from stageline.server.api.deps import ActorDep, IfMatch, ServicesDep, etag
from stageline.server.api.documents import YAML_MEDIA, document_json, wants_yaml
from stageline.server.api.schemas import ChangeOut, VersionOut, VersionPatch

router = APIRouter(prefix="/api/blueprints/{blueprint_id}/versions", tags=["history"])
Number = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("", response_model=list[VersionOut])
def list_versions(blueprint_id: int, actor: ActorDep, services: ServicesDep) -> list[VersionOut]:
    """Every version, newest first: who, when, what."""
    return [VersionOut.of(version) for version in services.blueprints.versions(actor, blueprint_id)]


@router.get("/{number}", responses={200: {"content": {YAML_MEDIA: {}}}})
def get_version(
    blueprint_id: int, number: Number, request: Request, actor: ActorDep, services: ServicesDep
) -> Response:
    """One version's document: JSON, or YAML with `Accept: application/yaml` or `?format=yaml`."""
    version, _ = services.blueprints.version(actor, blueprint_id, number)
    if wants_yaml(request):
        return Response(version.document, media_type=YAML_MEDIA)
    body = VersionOut.of(version).model_dump(mode="json") | {"document": document_json(version.document)}
    return JSONResponse(body)


@router.patch("/{number}", response_model=VersionOut)
def name_version(
    blueprint_id: int, number: Number, patch: VersionPatch, actor: ActorDep, services: ServicesDep
) -> VersionOut:
    """Name a version ("Current state, March"); an empty name removes it."""
    return VersionOut.of(services.blueprints.name_version(actor, blueprint_id, number, patch.name))


@router.post("/{number}/restore", response_model=ChangeOut)
def restore_version(
    blueprint_id: int, number: Number, actor: ActorDep, services: ServicesDep, version: IfMatch
) -> Response:
    """Make an old version current again, as a new version."""
    change = services.blueprints.restore_version(actor, blueprint_id, number, version)
    return JSONResponse(
        ChangeOut.model_validate(change).model_dump(mode="json"), headers={"ETag": etag(change.version)}
    )
