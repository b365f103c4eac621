"""/api/blueprints/{id}/shares and /grants: read-only links and per-blueprint roles."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from stageline.server.api.deps import ActorDep, ServicesDep
from stageline.server.api.schemas import GrantOut, RoleIn, ShareIn, ShareOut
from stageline.server.pages.urls import base_url

router = APIRouter(prefix="/api/blueprints/{blueprint_id}", tags=["sharing"])


@router.get("/shares", response_model=list[ShareOut])
def list_shares(blueprint_id: int, request: Request, actor: ActorDep, services: ServicesDep) -> list[ShareOut]:
    return [ShareOut.of(link, base_url(request)) for link in services.sharing.links(actor, blueprint_id)]


@router.post("/shares", response_model=ShareOut, status_code=201)
def create_share(
    blueprint_id: int, body: ShareIn, request: Request, actor: ActorDep, services: ServicesDep
) -> ShareOut:
    """A read-only link anyone can open without an account, until it is revoked. Its `url`
    is in this answer only: the server keeps a hash of it."""
    new = services.sharing.create_link(actor, blueprint_id, body.label)
    return ShareOut.of(new.record, base_url(request), new.token)


@router.delete("/shares/{share_id}", status_code=204)
def revoke_share(blueprint_id: int, share_id: int, actor: ActorDep, services: ServicesDep) -> Response:
    services.sharing.revoke_link(actor, blueprint_id, share_id)
    return Response(status_code=204)


@router.get("/grants", response_model=list[GrantOut])
def list_grants(blueprint_id: int, actor: ActorDep, services: ServicesDep) -> list[GrantOut]:
    return [GrantOut.of(grant) for grant in services.sharing.grants(actor, blueprint_id)]


@router.put("/grants/{username}", response_model=GrantOut)
def grant(blueprint_id: int, username: str, body: RoleIn, actor: ActorDep, services: ServicesDep) -> GrantOut:
    """Give someone a role on this blueprint (raises a member's role, or lets a non-member in)."""
    return GrantOut.of(services.sharing.grant(actor, blueprint_id, username, body.role))


@router.delete("/grants/{username}", status_code=204)
def revoke_grant(blueprint_id: int, username: str, actor: ActorDep, services: ServicesDep) -> Response:
    services.sharing.revoke_grant(actor, blueprint_id, username)
    return Response(status_code=204)
