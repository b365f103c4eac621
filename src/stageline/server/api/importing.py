"""/api/workspaces/{id}/blueprints/import: a new blueprint from a file people
bring (a journey map, a Stageline YAML or spreadsheet export, a Blueprint
Signal project), recognised by content as `stageline import` does."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from stageline.formats.errors import FormatError
from stageline.formats.interop.journey import parse_overrides
from stageline.server.api.deps import ActorDep, ServicesDep, etag
from stageline.server.api.schemas import BlueprintOut
from stageline.server.services.access import Action, may
from stageline.server.services.errors import Forbidden, Invalid
from stageline.server.services.importing import MAX_IMPORT_BYTES, Draft, Problem, Upload, analyse, create

router = APIRouter(tags=["workspaces"])

ERRORS: dict[int | str, dict[str, Any]] = {
    413: {
        "description": "The file is larger than the server's import limit, "
        f"{MAX_IMPORT_BYTES // 1024 // 1024} MB unless `STAGELINE_MAX_IMPORT_MB` sets another (code `too_large`; "
        "`details.limit_bytes` says the limit)."
    },
    422: {
        "description": "The file cannot be imported (code `invalid_import`): `details.problems` lists each "
        'problem with `where` it is: `row 7, column "Feeling"` in a table, a JSON path such as '
        "`$.stages[2].actions[0]`, or a YAML line and column; `details.kind` says what the file was read as "
        "(null when it was not recognised). `stageline import` reports the same problems for the same file."
    },
}


class ColumnOut(BaseModel):
    heading: str
    field: str | None = Field(description="The journey field the column is read as; null when ignored.")


class MappingOut(BaseModel):
    layout: Literal["rows", "columns"] = Field(
        description="`rows`: one row per step, headings in a row; `columns`: one column per step, headings down "
        "the first column."
    )
    header: int = Field(description="0-based index of the heading row (or column) among the filled ones.")
    sheet: str | None = None
    columns: list[ColumnOut]


class PreviewRowOut(BaseModel):
    stage: str
    step: str
    customer: str
    evidence: list[str]
    emotion: int | None = Field(description="-2..2 as stored on the customer card.")
    feeling: str = Field(description="The emotion as written in the file.")
    pain: str
    opportunities: list[str]


class CountsOut(BaseModel):
    stages: int
    steps: int
    cards: int
    links: int
    opportunities: int


class ImportOut(BaseModel):
    kind: Literal["journey", "yaml", "spreadsheet", "signal", "ir"] = Field(
        description="What the file was recognised as."
    )
    title: str
    counts: CountsOut
    mapping: MappingOut | None = Field(description="How a journey map's headings were read; null for other files.")
    preview: list[PreviewRowOut] = Field(description="A journey map's first steps as they land.")
    findings: list[dict[str, Any]] = Field(
        description="The checks' findings on the new blueprint: what each step still needs."
    )
    blueprint: BlueprintOut | None = Field(description="The blueprint created; null for a dry run.")


def _body(draft: Draft, findings: list[dict[str, Any]], blueprint: BlueprintOut | None) -> dict[str, Any]:
    assert draft.kind is not None and draft.blueprint is not None
    mapping = draft.mapping_json()
    out = ImportOut(
        kind=draft.kind.value,
        title=draft.blueprint.title,
        counts=CountsOut(**draft.counts()),
        mapping=MappingOut(**mapping) if mapping is not None else None,
        preview=[
            PreviewRowOut(
                stage=r.stage,
                step=r.step,
                customer=r.customer,
                evidence=r.evidence,
                emotion=r.emotion,
                feeling=r.feeling,
                pain=r.pain,
                opportunities=r.opportunities,
            )
            for r in draft.rows
        ],
        findings=findings,
        blueprint=blueprint,
    )
    return out.model_dump(mode="json")


@router.post(
    "/api/workspaces/{workspace_id}/blueprints/import",
    response_model=ImportOut,
    status_code=201,
    responses={200: {"description": "A dry run: what the file would become; nothing is created."}, **ERRORS},
)
async def import_blueprint(
    workspace_id: int,
    actor: ActorDep,
    services: ServicesDep,
    file: Annotated[
        UploadFile,
        File(
            description="A journey map (CSV or XLSX), a Stageline YAML file or spreadsheet export (XLSX or CSV), "
            f"or a Blueprint Signal project (JSON) or process list (CSV); at most the server's import limit "
            f"({MAX_IMPORT_BYTES // 1048576} MB unless `STAGELINE_MAX_IMPORT_MB` sets another)."
        ),
    ],
    title: Annotated[str | None, Form(max_length=300, description="Title of the new blueprint.")] = None,
    sheet: Annotated[
        str | None, Form(max_length=200, description="The XLSX sheet holding the journey map (default: found).")
    ] = None,
    mapping: Annotated[
        list[str] | None,
        Form(
            alias="map",
            description="Read a journey map's heading as a field, `HEADING=FIELD` as with `stageline import --map` "
            "(repeat the field for several; `HEADING=` ignores that column).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, Form(description="Only read the file and answer what it would become (200), creating nothing.")
    ] = False,
) -> JSONResponse:
    """Create a blueprint from a file, recognised by its content.

    A journey map fills the customer lane, evidence, emotions, pain points and
    opportunities; its headings are detected (`map` overrides them) and
    `mapping` in the answer says how each was read. `findings` lists what each
    step still needs. Send the file as `multipart/form-data`."""
    found = await run_in_threadpool(services.workspaces.get, actor, workspace_id)
    if not may(found.role, Action.CREATE):
        raise Forbidden("viewers and commenters cannot create blueprints; ask an owner for the editor role")
    limits = services.import_limits
    upload = Upload.of(file.filename, await file.read(limits.max_bytes + 1), file.size, limits)
    try:
        overrides = parse_overrides(mapping, upload.name) if mapping else None
    except FormatError as error:
        raise Invalid(
            error.problems[0].message.replace("--map", "map"),
            details={"problems": [Problem.of(p).to_json() for p in error.problems]},
            code="invalid_import",
        ) from None
    draft = await run_in_threadpool(analyse, upload, title=title, sheet=sheet or None, overrides=overrides, strict=True)
    if not draft.ready or draft.blueprint is None:
        raise draft.fail()
    if dry_run:
        findings = await run_in_threadpool(services.insights.findings, draft.blueprint)
        return JSONResponse(_body(draft, findings, None))
    record = await run_in_threadpool(create, services.blueprints, actor, workspace_id, draft)
    opened = await run_in_threadpool(services.blueprints.open, actor, record.id)
    key = (opened.record.id, opened.record.version)
    findings = await run_in_threadpool(services.insights.findings, opened.shared, key)
    body = _body(draft, findings, BlueprintOut.of(opened.record, opened.role))
    headers = {"Location": f"/api/blueprints/{record.id}", "ETag": etag(opened.record.version)}
    return JSONResponse(body, status_code=201, headers=headers)
