"""Workspace pages: the blueprint list, new blueprint, trash, members."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from stageline.server.pages.deps import FormActor, PageActor, ServicesDep, uploaded_text
from stageline.server.pages.render import done, page
from stageline.server.pages.urls import base_url
from stageline.server.services import catalog
from stageline.server.services.access import Action, Role, may
from stageline.server.services.errors import Forbidden, Invalid, ServiceError
from stageline.server.services.workspaces import Membered, parse_role

router = APIRouter(include_in_schema=False)


def _context(found: Membered, **extra: object) -> dict[str, object]:
    return {
        "current_workspace": found.workspace,
        "role": found.role,
        "may": lambda a: may(found.role, Action(a)),
        **extra,
    }


@router.get("/workspaces/new")
def new_workspace_form(request: Request, actor: PageActor) -> Response:
    return page(request, "workspace_new.html", {"title": "New workspace"})


@router.post("/workspaces/new")
def new_workspace(
    request: Request, actor: FormActor, services: ServicesDep, name: Annotated[str, Form(max_length=200)]
) -> Response:
    try:
        workspace = services.workspaces.create(actor, name)
    except ServiceError as error:
        return page(
            request, "workspace_new.html", {"title": "New workspace", "error": error.message}, status=error.status
        )
    return done(f"/w/{workspace.slug}", "workspace-created")


@router.get("/w/{slug}")
def workspace(
    request: Request, slug: str, actor: PageActor, services: ServicesDep, q: str = "", view: str = "active"
) -> Response:
    found = services.workspaces.by_slug(actor, slug)
    archived = view == "archived"
    items = services.blueprints.listing(actor, found.workspace.id, q[:200], archived=archived)
    return page(
        request,
        "workspace.html",
        _context(
            found,
            title=found.workspace.name,
            items=items,
            q=q[:200],
            view="archived" if archived else "active",
            shared=services.blueprints.shared_with(actor),
        ),
    )


@router.get("/w/{slug}/trash")
def trash(request: Request, slug: str, actor: PageActor, services: ServicesDep) -> Response:
    found = services.workspaces.by_slug(actor, slug)
    items = services.blueprints.listing(actor, found.workspace.id, trashed=True)
    return page(
        request,
        "trash.html",
        _context(found, title=f"Trash · {found.workspace.name}", items=items, days=services.blueprints.trash_days),
    )


@router.get("/w/{slug}/new")
def new_blueprint_form(request: Request, slug: str, actor: PageActor, services: ServicesDep) -> Response:
    found = services.workspaces.by_slug(actor, slug)
    if not may(found.role, Action.CREATE):
        raise Forbidden("viewers and commenters cannot create blueprints; ask an owner for the editor role")
    return page(
        request, "blueprint_new.html", _context(found, title="New blueprint", templates=catalog.available(), values={})
    )


@router.post("/w/{slug}/new")
async def new_blueprint(
    request: Request,
    slug: str,
    actor: FormActor,
    services: ServicesDep,
    source: Annotated[str, Form(max_length=20)] = "blank",
    title: Annotated[str, Form(max_length=300)] = "",
    scenario: Annotated[str, Form(max_length=2000)] = "",
    template: Annotated[str, Form(max_length=200)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    from starlette.concurrency import run_in_threadpool

    found = await run_in_threadpool(services.workspaces.by_slug, actor, slug)
    blueprints, workspace_id = services.blueprints, found.workspace.id
    try:
        if source == "template":
            record = await run_in_threadpool(blueprints.create_from_template, actor, workspace_id, template, title)
        elif source == "upload":
            if file is None or not file.filename:
                raise Invalid("choose a YAML file to upload")
            text = await uploaded_text(file, services.import_limits)
            record = await run_in_threadpool(blueprints.create_from_yaml, actor, workspace_id, text, file.filename)
        else:
            record = await run_in_threadpool(blueprints.create_blank, actor, workspace_id, title, scenario)
    except ServiceError as error:
        if error.status in (403, 404):
            raise
        problems = (error.details or {}).get("problems", []) if isinstance(error.details, dict) else []
        return page(
            request,
            "blueprint_new.html",
            _context(
                found,
                title="New blueprint",
                templates=catalog.available(),
                error=error.message,
                problems=problems,
                values={"source": source, "title": title, "scenario": scenario, "template": template},
            ),
            status=error.status,
        )
    return done(f"/b/{record.id}", "created")


@router.get("/w/{slug}/members")
def members(request: Request, slug: str, actor: PageActor, services: ServicesDep) -> Response:
    found = services.workspaces.by_slug(actor, slug)
    invitations = (
        services.workspaces.invitations(actor, found.workspace.id) if may(found.role, Action.MANAGE_MEMBERS) else []
    )
    return page(
        request,
        "members.html",
        _context(
            found,
            title=f"Members · {found.workspace.name}",
            members=services.workspaces.members(actor, found.workspace.id),
            invitations=invitations,
            roles=list(Role),
            new_link=None,
        ),
    )


@router.post("/w/{slug}/invitations")
def invite(
    request: Request,
    slug: str,
    actor: FormActor,
    services: ServicesDep,
    role: Annotated[str, Form(max_length=20)] = "editor",
    days: Annotated[int, Form(ge=1, le=90)] = 7,
    single_use: Annotated[bool, Form()] = False,
    note: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    found = services.workspaces.by_slug(actor, slug)
    new = services.workspaces.invite(
        actor, found.workspace.id, parse_role(role), days=days, single_use=single_use, note=note
    )
    # The link is shown once, on this response: only its hash is stored.
    return page(
        request,
        "members.html",
        _context(
            found,
            title=f"Members · {found.workspace.name}",
            members=services.workspaces.members(actor, found.workspace.id),
            invitations=services.workspaces.invitations(actor, found.workspace.id),
            roles=list(Role),
            new_link=f"{base_url(request)}/join/{new.token}",
            new_invitation=new.record,
        ),
        status=201,
    )


@router.post("/w/{slug}/invitations/{invitation_id}/revoke")
def revoke_invitation(slug: str, invitation_id: int, actor: FormActor, services: ServicesDep) -> Response:
    found = services.workspaces.by_slug(actor, slug)
    services.workspaces.revoke_invitation(actor, found.workspace.id, invitation_id)
    return done(f"/w/{slug}/members", "uninvited")


@router.post("/w/{slug}/members/{username}/role")
def change_role(
    slug: str, username: str, actor: FormActor, services: ServicesDep, role: Annotated[str, Form(max_length=20)]
) -> Response:
    found = services.workspaces.by_slug(actor, slug)
    services.workspaces.set_role(actor, found.workspace.id, username, parse_role(role))
    return done(f"/w/{slug}/members", "role-changed")


@router.post("/w/{slug}/members/{username}/remove")
def remove_member(slug: str, username: str, actor: FormActor, services: ServicesDep) -> Response:
    found = services.workspaces.by_slug(actor, slug)
    services.workspaces.remove(actor, found.workspace.id, username)
    if username == actor.username:
        return done("/", "removed")
    return done(f"/w/{slug}/members", "removed")


@router.post("/w/{slug}/rename")
def rename_workspace(
    slug: str, actor: FormActor, services: ServicesDep, name: Annotated[str, Form(max_length=200)]
) -> Response:
    found = services.workspaces.by_slug(actor, slug)
    services.workspaces.rename(actor, found.workspace.id, name)
    return done(f"/w/{slug}/members", "workspace-renamed")
