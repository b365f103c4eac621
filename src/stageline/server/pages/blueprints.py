"""Blueprint pages: view, downloads, history, comments, sharing and management."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from stageline.model import Blueprint
from stageline.server.pages.deps import FormActor, PageActor, ServicesDep, uploaded_text
from stageline.server.pages.render import done, page
from stageline.server.pages.urls import base_url
from stageline.server.services import Services
from stageline.server.services.access import Action, Role, may
from stageline.server.services.base import Actor
from stageline.server.services.blueprints import Opened
from stageline.server.services.documents import parse
from stageline.server.services.errors import Invalid, ServiceError
from stageline.server.services.insights import FORMATS
from stageline.server.services.workspaces import parse_role

router = APIRouter(include_in_schema=False)
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOWNLOADS = {"yaml": "application/yaml", **FORMATS, "pptx": PPTX}


def filename(title: str, extension: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60] or "blueprint"
    return f"{stem}.{extension}"


def anchors(blueprint: Blueprint) -> list[tuple[str, str]]:
    """(id, label) of every step and card, for the comment form."""
    found: list[tuple[str, str]] = []
    for stage, step in blueprint.steps():
        found.append((step.id, f"Step · {stage.title} / {step.title or step.id}"))
        for lane in blueprint.lanes:
            for card in step.cells.get(lane.id, []):
                found.append((card.id, f"Card · {step.title or step.id} / {lane.title}: {card.text[:60]}"))
    return found


def drawing(services: Services, blueprint: Blueprint, key: tuple[int, int]) -> tuple[str | None, str | None]:
    """The SVG to show inline, or why there is none."""
    try:
        return services.insights.render(blueprint, "svg", key, inline=True).decode(), None
    except ServiceError as error:
        return None, error.message
    except Exception as error:  # a drawing problem must not take the page down with it
        return None, f"this blueprint could not be drawn ({type(error).__name__}); the YAML download still works"


def analysis(services: Services, blueprint: Blueprint, key: tuple[int, int]) -> dict[str, Any]:
    result: dict[str, Any] = {"findings": None, "metrics": None, "analysis_error": None}
    try:
        result["findings"] = services.insights.findings(blueprint, key)
        result["metrics"] = services.insights.metrics(blueprint, key)
    except ServiceError as error:
        result["analysis_error"] = error.message
    except Exception as error:
        result["analysis_error"] = f"the checks could not run on this blueprint ({type(error).__name__})"
    return result


def _context(opened: Opened, services: Services, actor: Actor, **extra: Any) -> dict[str, Any]:
    record = opened.record
    return {
        "bp": record,
        "role": opened.role,
        "may": lambda a: may(opened.role, Action(a)),
        "current_workspace": record.workspace
        if any(m.workspace.id == record.workspace_id for m in services.workspaces.of(actor))
        else None,
        "title": record.title,
        **extra,
    }


@router.get("/b/{blueprint_id}")
def view(request: Request, blueprint_id: int, actor: PageActor, services: ServicesDep) -> Response:
    opened = services.blueprints.open(actor, blueprint_id)
    key = (opened.record.id, opened.record.version)
    svg, drawing_error = drawing(services, opened.shared, key)
    threads = services.comments.threads(actor, blueprint_id)
    return page(
        request,
        "blueprint.html",
        _context(
            opened,
            services,
            actor,
            svg=svg,
            drawing_error=drawing_error,
            blueprint=opened.shared,
            threads=threads,
            anchors=anchors(opened.shared),
            versions=services.blueprints.versions(actor, blueprint_id)[:5],
            links=services.states.links(actor, blueprint_id),
            **analysis(services, opened.shared, key),
        ),
    )


@router.get("/b/{blueprint_id}/download.{extension}")
def download(
    blueprint_id: int, extension: str, actor: PageActor, services: ServicesDep, inline: bool = False
) -> Response:
    if extension not in DOWNLOADS:
        raise Invalid(f"cannot download as .{extension}; choose one of: {', '.join(DOWNLOADS)}")
    opened = services.blueprints.open(actor, blueprint_id, Action.DOWNLOAD)
    return _file(
        services,
        opened.shared,
        opened.document,
        opened.record.title,
        extension,
        (opened.record.id, opened.record.version),
        inline,
    )


def _file(
    services: Services,
    blueprint: Blueprint,
    document: str,
    title: str,
    extension: str,
    key: tuple[int, int],
    inline: bool,
) -> Response:
    content: bytes | str
    if extension == "yaml":
        content = document
    elif extension == "pptx":  # the same writer as `stageline export -o deck.pptx`
        from stageline.render.exports import export, writer_named

        content = export(blueprint, writer_named("pptx"))
    else:
        content = services.insights.render(blueprint, extension, key)
    disposition = "inline" if inline else f'attachment; filename="{filename(title, extension)}"'
    return Response(
        content,
        media_type=DOWNLOADS[extension],
        headers={"Content-Disposition": disposition, "Cache-Control": "private, max-age=60"},
    )


@router.get("/b/{blueprint_id}/history")
def history(request: Request, blueprint_id: int, actor: PageActor, services: ServicesDep) -> Response:
    opened = services.blueprints.open(actor, blueprint_id)
    return page(
        request,
        "history.html",
        _context(opened, services, actor, versions=services.blueprints.versions(actor, blueprint_id)),
    )


@router.get("/b/{blueprint_id}/versions/{number}")
def version(request: Request, blueprint_id: int, number: int, actor: PageActor, services: ServicesDep) -> Response:
    opened = services.blueprints.open(actor, blueprint_id)
    stored, blueprint = services.blueprints.version(actor, blueprint_id, number)
    svg, drawing_error = drawing(services, blueprint, (blueprint_id, number))
    return page(
        request,
        "version.html",
        _context(
            opened, services, actor, version=stored, svg=svg, drawing_error=drawing_error, document=stored.document
        ),
    )


@router.get("/b/{blueprint_id}/versions/{number}/download.{extension}")
def download_version(
    blueprint_id: int, number: int, extension: str, actor: PageActor, services: ServicesDep
) -> Response:
    if extension not in DOWNLOADS:
        raise Invalid(f"cannot download as .{extension}; choose one of: {', '.join(DOWNLOADS)}")
    stored, blueprint = services.blueprints.version(actor, blueprint_id, number)
    return _file(
        services, blueprint, stored.document, f"{blueprint.title} v{number}", extension, (blueprint_id, number), False
    )


@router.post("/b/{blueprint_id}/versions/{number}/restore")
def restore_version(blueprint_id: int, number: int, actor: FormActor, services: ServicesDep) -> Response:
    services.blueprints.restore_version(actor, blueprint_id, number)
    return done(f"/b/{blueprint_id}/history", "version-restored")


@router.post("/b/{blueprint_id}/versions/{number}/name")
def name_version(
    blueprint_id: int,
    number: int,
    actor: FormActor,
    services: ServicesDep,
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    services.blueprints.name_version(actor, blueprint_id, number, name)
    return done(f"/b/{blueprint_id}/history", "version-named")


# -- comments -----------------------------------------------------------------------
@router.post("/b/{blueprint_id}/comments")
def comment(
    blueprint_id: int,
    actor: FormActor,
    services: ServicesDep,
    anchor: Annotated[str, Form(max_length=200)],
    body: Annotated[str, Form(max_length=10_000)],
) -> Response:
    thread = services.comments.start(actor, blueprint_id, anchor, body)
    return done(f"/b/{blueprint_id}#thread-{thread.id}", "commented")


@router.post("/b/{blueprint_id}/comments/{thread_id}/reply")
def reply(
    blueprint_id: int,
    thread_id: int,
    actor: FormActor,
    services: ServicesDep,
    body: Annotated[str, Form(max_length=10_000)],
) -> Response:
    services.comments.reply(actor, blueprint_id, thread_id, body)
    return done(f"/b/{blueprint_id}#thread-{thread_id}", "commented")


@router.post("/b/{blueprint_id}/comments/{thread_id}/resolve")
def resolve(blueprint_id: int, thread_id: int, actor: FormActor, services: ServicesDep) -> Response:
    services.comments.set_resolved(actor, blueprint_id, thread_id, True)
    return done(f"/b/{blueprint_id}#comments", "resolved")


@router.post("/b/{blueprint_id}/comments/{thread_id}/reopen")
def reopen(blueprint_id: int, thread_id: int, actor: FormActor, services: ServicesDep) -> Response:
    services.comments.set_resolved(actor, blueprint_id, thread_id, False)
    return done(f"/b/{blueprint_id}#thread-{thread_id}", "reopened")


# -- sharing ---------------------------------------------------------------------------
@router.get("/b/{blueprint_id}/sharing")
def sharing(request: Request, blueprint_id: int, actor: PageActor, services: ServicesDep) -> Response:
    return _sharing_page(request, blueprint_id, actor, services)


def _sharing_page(
    request: Request, blueprint_id: int, actor: Actor, services: Services, new_link: str | None = None
) -> Response:
    opened = services.blueprints.open(actor, blueprint_id)
    links = services.sharing.links(actor, blueprint_id) if may(opened.role, Action.SHARE) else []
    return page(
        request,
        "sharing.html",
        _context(
            opened,
            services,
            actor,
            links=links,
            new_link=new_link,
            base=base_url(request),
            roles=list(Role),
            grants=services.sharing.grants(actor, blueprint_id),
        ),
        status=201 if new_link else 200,
    )


@router.post("/b/{blueprint_id}/shares")
def create_share(
    request: Request,
    blueprint_id: int,
    actor: FormActor,
    services: ServicesDep,
    label: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    new = services.sharing.create_link(actor, blueprint_id, label)
    # The link is shown on this answer only: the server keeps its hash.
    return _sharing_page(request, blueprint_id, actor, services, f"{base_url(request)}/s/{new.token}")


@router.post("/b/{blueprint_id}/shares/{share_id}/revoke")
def revoke_share(blueprint_id: int, share_id: int, actor: FormActor, services: ServicesDep) -> Response:
    services.sharing.revoke_link(actor, blueprint_id, share_id)
    return done(f"/b/{blueprint_id}/sharing", "unshared")


@router.post("/b/{blueprint_id}/grants")
def grant(
    blueprint_id: int,
    actor: FormActor,
    services: ServicesDep,
    username: Annotated[str, Form(max_length=100)],
    role: Annotated[str, Form(max_length=20)],
) -> Response:
    services.sharing.grant(actor, blueprint_id, username, parse_role(role))
    return done(f"/b/{blueprint_id}/sharing", "granted")


@router.post("/b/{blueprint_id}/grants/{username}/revoke")
def revoke_grant(blueprint_id: int, username: str, actor: FormActor, services: ServicesDep) -> Response:
    services.sharing.revoke_grant(actor, blueprint_id, username)
    return done(f"/b/{blueprint_id}/sharing", "ungranted")


# -- management ----------------------------------------------------------------------------
@router.get("/b/{blueprint_id}/manage")
def manage(request: Request, blueprint_id: int, actor: PageActor, services: ServicesDep) -> Response:
    opened = services.blueprints.open(actor, blueprint_id, Action.RENAME)
    return page(request, "manage.html", _context(opened, services, actor))


@router.post("/b/{blueprint_id}/rename")
def rename(
    blueprint_id: int, actor: FormActor, services: ServicesDep, title: Annotated[str, Form(max_length=300)]
) -> Response:
    services.blueprints.rename(actor, blueprint_id, title)
    return done(f"/b/{blueprint_id}", "renamed")


@router.post("/b/{blueprint_id}/upload")
async def upload(
    request: Request, blueprint_id: int, actor: FormActor, services: ServicesDep, file: Annotated[UploadFile, File()]
) -> Response:
    opened = await run_in_threadpool(services.blueprints.open, actor, blueprint_id, Action.EDIT)
    try:
        text = await uploaded_text(file, services.import_limits)
        blueprint = await run_in_threadpool(parse, text, file.filename or "upload")
        await run_in_threadpool(
            services.blueprints.replace, actor, blueprint_id, blueprint, None, f"Uploaded {file.filename or 'a file'}"
        )
    except ServiceError as error:
        if error.status in (403, 404):
            raise
        problems = error.details.get("problems", []) if isinstance(error.details, dict) else []
        return page(
            request,
            "manage.html",
            _context(opened, services, actor, error=error.message, problems=problems),
            status=error.status,
        )
    return done(f"/b/{blueprint_id}", "uploaded")


@router.post("/b/{blueprint_id}/duplicate")
def duplicate(blueprint_id: int, actor: FormActor, services: ServicesDep) -> Response:
    record = services.blueprints.duplicate(actor, blueprint_id)
    return done(f"/b/{record.id}", "duplicated")


@router.post("/b/{blueprint_id}/archive")
def archive(blueprint_id: int, actor: FormActor, services: ServicesDep) -> Response:
    services.blueprints.set_archived(actor, blueprint_id, True)
    return done(f"/b/{blueprint_id}", "archived")


@router.post("/b/{blueprint_id}/unarchive")
def unarchive(blueprint_id: int, actor: FormActor, services: ServicesDep) -> Response:
    services.blueprints.set_archived(actor, blueprint_id, False)
    return done(f"/b/{blueprint_id}", "unarchived")


@router.post("/b/{blueprint_id}/trash")
def move_to_trash(blueprint_id: int, actor: FormActor, services: ServicesDep) -> Response:
    record = services.blueprints.move_to_trash(actor, blueprint_id)
    return done(f"/w/{record.workspace.slug}", "trashed")


@router.post("/b/{blueprint_id}/restore")
def restore(blueprint_id: int, actor: FormActor, services: ServicesDep) -> Response:
    services.blueprints.restore_from_trash(actor, blueprint_id)
    return done(f"/b/{blueprint_id}", "restored")


@router.post("/b/{blueprint_id}/purge")
def purge(blueprint_id: int, actor: FormActor, services: ServicesDep) -> Response:
    record = services.blueprints.purge(actor, blueprint_id)
    return done(f"/w/{record.workspace.slug}/trash", "purged")
