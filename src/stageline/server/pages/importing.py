"""The import page: a journey map (CSV/XLSX), a Stageline YAML file or
spreadsheet export, or a Blueprint Signal project becomes a new blueprint.

A journey map shows how its columns are read, each changeable, and its first
steps as they will land; the file travels back with the form (see
`Upload.stash`), so changing the mapping never asks for the file again. Every
step works without JavaScript; static/importing.js redraws the preview in
place when a column's field changes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from stageline.formats.ingest import Kind, Limits, limit_text
from stageline.server.pages.deps import FormActor, PageActor, ServicesDep
from stageline.server.pages.render import done, page
from stageline.server.services import Services
from stageline.server.services.access import Action, may
from stageline.server.services.base import Actor
from stageline.server.services.errors import Forbidden, Invalid, ServiceError
from stageline.server.services.importing import (
    FIELD_CHOICES,
    STASH_CHARS,
    Draft,
    Upload,
    analyse,
    create,
)
from stageline.server.services.workspaces import Membered

router = APIRouter(include_in_schema=False)
# The kept upload is a form field, larger than Starlette's 1 MB default for one.
FORM_LIMITS: Any = {"max_part_size": STASH_CHARS + 1024}
TEMPLATE = "blueprint_import.html"
FRAGMENT = "_import_preview.html"
MAX_COLUMNS = 500


def _editor(found: Membered) -> None:
    if not may(found.role, Action.CREATE):
        raise Forbidden("viewers and commenters cannot create blueprints; ask an owner for the editor role")


def _context(found: Membered, limits: Limits, draft: Draft | None = None, **extra: Any) -> dict[str, Any]:
    values = {"title": "", **extra.pop("values", {})}
    return {
        "current_workspace": found.workspace,
        "role": found.role,
        "title": "Import a journey map or file",
        "draft": draft,
        "kinds": Kind,
        "fields": FIELD_CHOICES,
        "max_bytes": limits.max_bytes,
        "max_size": limit_text(limits.max_bytes),
        "values": values,
        "counts": draft.counts() if draft is not None else {},
        **extra,
    }


def _choices(form: FormData) -> dict[int, str]:
    """`column-3=emotion` fields: what the person chose for each column."""
    chosen: dict[int, str] = {}
    for key, value in form.multi_items():
        if not key.startswith("column-") or not isinstance(value, str):
            continue
        number = key.removeprefix("column-")
        if number.isdigit() and len(number) < 6 and len(chosen) < MAX_COLUMNS:
            chosen[int(number)] = value[:40]
    return chosen


async def _draft(
    request: Request,
    limits: Limits,
    file: UploadFile | None,
    upload: str,
    upload_name: str,
    title: str,
    sheet: str,
    mapping_of: str,
) -> Draft:
    """The draft of a new upload, or of the kept one with the person's column choices."""
    if file is not None and file.filename:
        data = await file.read(limits.max_bytes + 1)
        chosen = Upload.of(file.filename, data, file.size, limits)
        return await run_in_threadpool(analyse, chosen, title=title, sheet=sheet or None)
    if upload:
        kept = Upload.unstash(upload_name, upload, limits)
        choices = _choices(await request.form())
        return await run_in_threadpool(
            analyse, kept, title=title, sheet=sheet or None, choices=choices, signature=mapping_of
        )
    raise Invalid(
        "choose a file to import: a journey map (CSV or XLSX), a Stageline YAML or spreadsheet file, "
        "or a Blueprint Signal project"
    )


def _status(draft: Draft) -> int:
    return 422 if draft.problems or (not draft.ready and not draft.mappable) else 200


@router.get("/w/{slug}/import")
def import_form(request: Request, slug: str, actor: PageActor, services: ServicesDep) -> Response:
    found = services.workspaces.by_slug(actor, slug)
    _editor(found)
    return page(request, TEMPLATE, _context(found, services.import_limits))


@router.post("/w/{slug}/import", form_limits=FORM_LIMITS)
async def import_file(
    request: Request,
    slug: str,
    actor: FormActor,
    services: ServicesDep,
    file: Annotated[UploadFile | None, File()] = None,
    upload: Annotated[str, Form(max_length=STASH_CHARS)] = "",
    upload_name: Annotated[str, Form(max_length=300)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
    sheet: Annotated[str, Form(max_length=200)] = "",
    mapping_of: Annotated[str, Form(max_length=500)] = "",
    action: Annotated[str, Form(max_length=20)] = "preview",
) -> Response:
    """Preview an upload (a new file, or the kept one with changed columns), or create it."""
    found = await run_in_threadpool(services.workspaces.by_slug, actor, slug)
    _editor(found)
    limits = services.import_limits
    values = {"title": title}
    try:
        draft = await _draft(request, limits, file, upload, upload_name, title, sheet, mapping_of)
        if action == "create" and draft.ready:
            record = await run_in_threadpool(_create, services, actor, found, draft)
            return done(f"/b/{record.id}", "journey-imported" if draft.kind is Kind.JOURNEY else "imported")
    except ServiceError as error:
        if error.status in (401, 403, 404):
            raise
        return page(request, TEMPLATE, _context(found, limits, error=error.message, values=values), status=error.status)
    return page(request, TEMPLATE, _context(found, limits, draft, values=values), status=_status(draft))


def _create(services: Services, actor: Actor, found: Membered, draft: Draft) -> Any:
    return create(services.blueprints, actor, found.workspace.id, draft)


@router.post("/w/{slug}/import/preview", form_limits=FORM_LIMITS)
async def import_preview(
    request: Request,
    slug: str,
    actor: FormActor,
    services: ServicesDep,
    file: Annotated[UploadFile | None, File()] = None,
    upload: Annotated[str, Form(max_length=STASH_CHARS)] = "",
    upload_name: Annotated[str, Form(max_length=300)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
    sheet: Annotated[str, Form(max_length=200)] = "",
    mapping_of: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """The preview part of the import page alone, for the page's script to swap in."""
    found = await run_in_threadpool(services.workspaces.by_slug, actor, slug)
    _editor(found)
    limits = services.import_limits
    headers = {"X-Stageline-Fragment": "import-preview", "Cache-Control": "no-store"}
    try:
        draft = await _draft(request, limits, file, upload, upload_name, title, sheet, mapping_of)
    except ServiceError as error:
        if error.status in (401, 403, 404):
            raise
        return page(
            request, FRAGMENT, _context(found, limits, error=error.message), status=error.status, headers=headers
        )
    return page(request, FRAGMENT, _context(found, limits, draft), status=_status(draft), headers=headers)
