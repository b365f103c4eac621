"""/api/workspaces: workspaces, members, invitations and their blueprints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from stageline.server.api.deps import ActorDep, ServicesDep
from stageline.server.api.documents import YAML_MEDIA, from_json_document, is_yaml, json_body, raw_text
from stageline.server.api.schemas import (
    AdminWorkspaceOut,
    BlueprintIn,
    BlueprintOut,
    InvitationIn,
    InvitationOut,
    MemberOut,
    NameIn,
    RoleIn,
    TemplateOut,
    UsernameIn,
    WorkspaceOut,
)
from stageline.server.pages.urls import base_url
from stageline.server.services import catalog
from stageline.server.services.access import Role
from stageline.server.services.errors import Invalid

router = APIRouter(tags=["workspaces"])
PREFIX = "/api/workspaces/{workspace_id}"

CREATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            YAML_MEDIA: {"schema": {"type": "string", "description": "A blueprint file (YAML)."}},
            "application/json": {"schema": BlueprintIn.model_json_schema()},
        },
    }
}


@router.get("/api/workspaces", response_model=list[WorkspaceOut])
def list_workspaces(actor: ActorDep, services: ServicesDep) -> list[WorkspaceOut]:
    return [WorkspaceOut.of(m.workspace, m.role) for m in services.workspaces.of(actor)]


@router.post("/api/workspaces", response_model=WorkspaceOut, status_code=201)
def create_workspace(body: NameIn, actor: ActorDep, services: ServicesDep) -> WorkspaceOut:
    """A new workspace; you are its owner."""
    return WorkspaceOut.of(services.workspaces.create(actor, body.name), Role.OWNER)


@router.get(PREFIX, response_model=WorkspaceOut)
def get_workspace(workspace_id: int, actor: ActorDep, services: ServicesDep) -> WorkspaceOut:
    found = services.workspaces.get(actor, workspace_id)
    return WorkspaceOut.of(found.workspace, found.role)


@router.patch(PREFIX, response_model=WorkspaceOut)
def rename_workspace(workspace_id: int, body: NameIn, actor: ActorDep, services: ServicesDep) -> WorkspaceOut:
    workspace = services.workspaces.rename(actor, workspace_id, body.name)
    return WorkspaceOut.of(workspace, services.workspaces.get(actor, workspace_id).role)


@router.get(PREFIX + "/members", response_model=list[MemberOut])
def list_members(workspace_id: int, actor: ActorDep, services: ServicesDep) -> list[MemberOut]:
    return [MemberOut.of(m) for m in services.workspaces.members(actor, workspace_id)]


@router.put(PREFIX + "/members/{username}", response_model=MemberOut)
def set_member_role(
    workspace_id: int, username: str, body: RoleIn, actor: ActorDep, services: ServicesDep
) -> MemberOut:
    """Change a member's role (owners)."""
    return MemberOut.of(services.workspaces.set_role(actor, workspace_id, username, body.role))


@router.delete(PREFIX + "/members/{username}", status_code=204)
def remove_member(workspace_id: int, username: str, actor: ActorDep, services: ServicesDep) -> Response:
    """Remove a member (owners), or leave (yourself)."""
    services.workspaces.remove(actor, workspace_id, username)
    return Response(status_code=204)


@router.get("/api/admin/workspaces", response_model=list[AdminWorkspaceOut], tags=["admin"])
def all_workspaces(actor: ActorDep, services: ServicesDep) -> list[AdminWorkspaceOut]:
    """Every workspace on this Stageline and its number of owners (instance admins)."""
    return [
        AdminWorkspaceOut(id=w.id, slug=w.slug, name=w.name, owners=owners)
        for w, owners in services.workspaces.all_with_owners(actor)
    ]


@router.post("/api/admin/workspaces/{workspace_id}/owners", response_model=MemberOut, tags=["admin"])
def recover_workspace(workspace_id: int, body: UsernameIn, actor: ActorDep, services: ServicesDep) -> MemberOut:
    """Make someone an owner of a workspace (instance admins): recovers one left without owners."""
    return MemberOut.of(services.workspaces.recover(actor, workspace_id, body.username))


@router.get(PREFIX + "/invitations", response_model=list[InvitationOut])
def list_invitations(workspace_id: int, actor: ActorDep, services: ServicesDep) -> list[InvitationOut]:
    return [InvitationOut.of(i) for i in services.workspaces.invitations(actor, workspace_id)]


@router.post(PREFIX + "/invitations", response_model=InvitationOut, status_code=201)
def invite(
    workspace_id: int, body: InvitationIn, request: Request, actor: ActorDep, services: ServicesDep
) -> InvitationOut:
    """An invitation link with a role; single-use by default, expiring after `days`."""
    new = services.workspaces.invite(
        actor, workspace_id, body.role, days=body.days, single_use=body.single_use, note=body.note
    )
    return InvitationOut.of(new.record, f"{base_url(request)}/join/{new.token}")


@router.delete(PREFIX + "/invitations/{invitation_id}", status_code=204)
def revoke_invitation(workspace_id: int, invitation_id: int, actor: ActorDep, services: ServicesDep) -> Response:
    services.workspaces.revoke_invitation(actor, workspace_id, invitation_id)
    return Response(status_code=204)


@router.post("/api/invitations/{token}/accept", response_model=WorkspaceOut)
def accept_invitation(token: str, actor: ActorDep, services: ServicesDep) -> WorkspaceOut:
    """Join a workspace with an invitation token (the last part of the link)."""
    joined = services.workspaces.accept(actor, token)
    return WorkspaceOut.of(joined.workspace, joined.role)


@router.get(PREFIX + "/blueprints", response_model=list[BlueprintOut])
def list_blueprints(
    workspace_id: int,
    actor: ActorDep,
    services: ServicesDep,
    q: Annotated[str, Query(max_length=200, description="Words to find in titles, scenarios and cards")] = "",
    archived: bool = False,
    trash: bool = False,
) -> list[BlueprintOut]:
    """Blueprints of the workspace, most recently changed first."""
    found = services.blueprints.listing(actor, workspace_id, q, archived=archived, trashed=trash)
    return [BlueprintOut.of(item.record, item.role) for item in found]


@router.post(PREFIX + "/blueprints", response_model=BlueprintOut, status_code=201, openapi_extra=CREATE_BODY)
async def create_blueprint(workspace_id: int, request: Request, actor: ActorDep, services: ServicesDep) -> BlueprintOut:
    """Create a blueprint: send a YAML file (`Content-Type: application/yaml`), or JSON with
    one of `title` (blank), `template`, `yaml` or `document`."""
    blueprints = services.blueprints
    await run_in_threadpool(services.workspaces.get, actor, workspace_id)
    if is_yaml(request.headers.get("content-type")):
        text = await raw_text(request)
        record = await run_in_threadpool(blueprints.create_from_yaml, actor, workspace_id, text, "request body")
    else:
        data = await json_body(request)
        try:
            body = BlueprintIn.model_validate(data)
        except ValueError as error:
            raise Invalid(f"the request is not a valid blueprint request: {error}", code="invalid") from None
        sources = [name for name in ("template", "yaml", "document") if getattr(body, name) is not None]
        if len(sources) > 1:
            raise Invalid(f"send only one of template, yaml and document, not {' and '.join(sources)}")
        if body.template is not None:
            record = await run_in_threadpool(
                blueprints.create_from_template, actor, workspace_id, body.template, body.title
            )
        elif body.yaml is not None:
            record = await run_in_threadpool(blueprints.create_from_yaml, actor, workspace_id, body.yaml, "yaml")
        elif body.document is not None:
            blueprint = await run_in_threadpool(from_json_document, body.document)
            record = await run_in_threadpool(blueprints.create, actor, workspace_id, blueprint, "Created from JSON")
        else:
            record = await run_in_threadpool(
                blueprints.create_blank, actor, workspace_id, body.title or "", body.scenario
            )
    return BlueprintOut.of(record, await run_in_threadpool(blueprints.role, actor, record.id))


@router.get("/api/templates", response_model=list[TemplateOut])
def list_templates(actor: ActorDep) -> list[TemplateOut]:
    """Templates to start a blueprint from."""
    return [TemplateOut(name=t.name, title=t.title, description=t.description) for t in catalog.available()]
