"""/api/blueprints: one blueprint, its document, changes, analysis and drawings."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from stageline.model import parse_operation
from stageline.model.operations import Operation, OperationError
from stageline.server.api.deps import ActorDep, IfMatch, ServicesDep, etag
from stageline.server.api.documents import (
    YAML_MEDIA,
    YAML_OR_JSON_BODY,
    from_json_document,
    is_yaml,
    json_body,
    raw_text,
    wants_yaml,
    with_document,
)
from stageline.server.api.schemas import BlueprintOut, BlueprintPatch, ChangeOut, OperationOut, OperationsIn
from stageline.server.services.documents import parse
from stageline.server.services.errors import Invalid
from stageline.server.services.insights import FORMATS, Source

router = APIRouter(prefix="/api/blueprints", tags=["blueprints"])


def _change(change: Any, status: int = 200) -> JSONResponse:
    body = ChangeOut.model_validate(change).model_dump(mode="json")
    return JSONResponse(body, status_code=status, headers={"ETag": etag(change.version)})


@router.get("/{blueprint_id}", response_model=BlueprintOut, responses={200: {"content": {YAML_MEDIA: {}}}})
def get_blueprint(blueprint_id: int, request: Request, actor: ActorDep, services: ServicesDep) -> Response:
    """The blueprint and its document: JSON, or YAML with `Accept: application/yaml` or `?format=yaml`."""
    opened = services.blueprints.open(actor, blueprint_id)
    headers = {"ETag": etag(opened.record.version)}
    if wants_yaml(request):
        return Response(opened.document, media_type=YAML_MEDIA, headers=headers)
    document = services.blueprints.cache.json_text(opened.record.id, opened.record.version, opened.document)
    response = with_document(BlueprintOut.of(opened.record, opened.role).model_dump(mode="json"), document)
    response.headers.update(headers)
    return response


@router.put("/{blueprint_id}", response_model=ChangeOut, openapi_extra=YAML_OR_JSON_BODY)
async def replace_blueprint(
    blueprint_id: int, request: Request, actor: ActorDep, services: ServicesDep, version: IfMatch
) -> Response:
    """Replace the whole document (recorded as a new version with a summary of what changed)."""
    services.blueprints.role(actor, blueprint_id)  # 404 before reading a body from a stranger
    if is_yaml(request.headers.get("content-type")):
        blueprint = await run_in_threadpool(parse, await raw_text(request), "request body")
    else:
        data = await json_body(request)
        if not isinstance(data, dict) or set(data) != {"document"}:
            raise Invalid('send the blueprint as YAML (Content-Type: application/yaml) or as JSON {"document": …}')
        blueprint = await run_in_threadpool(from_json_document, data["document"])
    change = await run_in_threadpool(
        services.blueprints.replace, actor, blueprint_id, blueprint, version, "Uploaded a new document"
    )
    return _change(change)


@router.patch("/{blueprint_id}", response_model=BlueprintOut)
def update_blueprint(
    blueprint_id: int, patch: BlueprintPatch, actor: ActorDep, services: ServicesDep, version: IfMatch
) -> Response:
    """Rename (`title`, recorded as a version) and archive or unarchive (`archived`)."""
    services.blueprints.role(actor, blueprint_id)
    if patch.title is not None:
        services.blueprints.rename(actor, blueprint_id, patch.title, version)
    if patch.archived is not None:
        services.blueprints.set_archived(actor, blueprint_id, patch.archived)
    opened = services.blueprints.open(actor, blueprint_id)
    body = BlueprintOut.of(opened.record, opened.role).model_dump(mode="json")
    return JSONResponse(body, headers={"ETag": etag(opened.record.version)})


@router.delete("/{blueprint_id}", status_code=204)
def trash_blueprint(blueprint_id: int, actor: ActorDep, services: ServicesDep) -> Response:
    """Move to the trash (restorable for 30 days)."""
    services.blueprints.move_to_trash(actor, blueprint_id)
    return Response(status_code=204)


@router.post("/{blueprint_id}/restore", response_model=BlueprintOut)
def restore_blueprint(blueprint_id: int, actor: ActorDep, services: ServicesDep) -> BlueprintOut:
    """Take a blueprint back out of the trash."""
    services.blueprints.restore_from_trash(actor, blueprint_id)
    opened = services.blueprints.open(actor, blueprint_id)
    return BlueprintOut.of(opened.record, opened.role)


@router.post("/{blueprint_id}/purge", status_code=204)
def purge_blueprint(blueprint_id: int, actor: ActorDep, services: ServicesDep) -> Response:
    """Delete a blueprint in the trash for good (owners)."""
    services.blueprints.purge(actor, blueprint_id)
    return Response(status_code=204)


@router.post("/{blueprint_id}/duplicate", response_model=BlueprintOut, status_code=201)
def duplicate_blueprint(blueprint_id: int, actor: ActorDep, services: ServicesDep) -> BlueprintOut:
    record = services.blueprints.duplicate(actor, blueprint_id)
    return BlueprintOut.of(record, services.blueprints.role(actor, record.id))


def _operations(body: OperationsIn) -> list[Operation]:
    ops = []
    for position, data in enumerate(body.operations):
        try:
            ops.append(parse_operation(data))
        except OperationError as error:
            raise Invalid(
                f"operation {position}: {error}", details={"index": position}, code="invalid_operation"
            ) from None
    return ops


@router.post("/{blueprint_id}/operations", response_model=ChangeOut)
def apply_operations(
    blueprint_id: int, body: OperationsIn, actor: ActorDep, services: ServicesDep, version: IfMatch
) -> Response:
    """Apply operations, all or none, as one new version. Send `If-Match: "<version>"` to
    be told (412) when someone else changed the blueprint first."""
    services.blueprints.role(actor, blueprint_id)
    return _change(services.blueprints.apply(blueprint_id, _operations(body), actor, version))


@router.get("/{blueprint_id}/operations", response_model=list[OperationOut])
def list_operations(
    blueprint_id: int, actor: ActorDep, services: ServicesDep, since: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0
) -> list[OperationOut]:
    """The change log after `since` (a seq), oldest first."""
    rows = services.blueprints.operations_since(actor, blueprint_id, since)
    return [
        OperationOut(
            seq=r.seq, version=r.version, kind=r.kind, ops=json.loads(r.ops), user_id=r.user_id, created_at=r.created_at
        )
        for r in rows
    ]


@router.get("/{blueprint_id}/check")
def check_blueprint(blueprint_id: int, actor: ActorDep, services: ServicesDep) -> dict[str, Any]:
    """Findings of the checks for the current version."""
    opened = services.blueprints.open(actor, blueprint_id)
    key = (opened.record.id, opened.record.version)
    return {"version": opened.record.version, "findings": services.insights.findings(opened.load, key)}


@router.get("/{blueprint_id}/metrics")
def blueprint_metrics(blueprint_id: int, actor: ActorDep, services: ServicesDep) -> dict[str, Any]:
    opened = services.blueprints.open(actor, blueprint_id)
    key = (opened.record.id, opened.record.version)
    return {"version": opened.record.version, "metrics": services.insights.metrics(opened.load, key)}


@router.get("/{blueprint_id}/render", responses={200: {"content": {media: {} for media in FORMATS.values()}}})
def render_blueprint(
    blueprint_id: int,
    actor: ActorDep,
    services: ServicesDep,
    format: Annotated[str, Query(pattern="^(svg|png|pdf|html)$")] = "svg",
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    """The drawing: `?format=svg|png|pdf|html`, of the current or a given version."""
    blueprint: Source
    if version is None:
        opened = services.blueprints.open(actor, blueprint_id)
        blueprint, number = opened.load, opened.record.version
    else:
        stored, blueprint = services.blueprints.version(actor, blueprint_id, version)
        number = stored.number
    drawn = services.insights.render(blueprint, format, (blueprint_id, number))
    return Response(drawn, media_type=FORMATS[format], headers={"ETag": etag(number)})
