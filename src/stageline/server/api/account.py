"""/api/me and /api/tokens: who I am, and my personal API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Response

from stageline.server.api.deps import ActorDep, ServicesDep
from stageline.server.api.schemas import (
    MeOut,
    PasswordChangeIn,
    PasswordResetIn,
    TokenIn,
    TokenOut,
    UserOut,
    WorkspaceOut,
)

router = APIRouter(tags=["account"])


@router.get("/api/me", response_model=MeOut)
def me(actor: ActorDep, services: ServicesDep) -> MeOut:
    user = services.accounts.user(actor.id)
    return MeOut(
        user=UserOut.model_validate(user),
        workspaces=[WorkspaceOut.of(m.workspace, m.role) for m in services.workspaces.of(actor)],
    )


@router.get("/api/tokens", response_model=list[TokenOut])
def list_tokens(actor: ActorDep, services: ServicesDep) -> list[TokenOut]:
    return [TokenOut.of(token) for token in services.accounts.tokens(actor)]


@router.post("/api/tokens", response_model=TokenOut, status_code=201)
def create_token(body: TokenIn, actor: ActorDep, services: ServicesDep) -> TokenOut:
    """A personal API token for scripts and the CLI; `token` is in this response only."""
    new = services.accounts.create_token(actor, body.name)
    return TokenOut.of(new.record, new.token)


@router.delete("/api/tokens/{token_id}", status_code=204)
def revoke_token(token_id: int, actor: ActorDep, services: ServicesDep) -> Response:
    services.accounts.revoke_token(actor, token_id)
    return Response(status_code=204)


@router.put("/api/me/password", status_code=204)
def change_password(body: PasswordChangeIn, actor: ActorDep, services: ServicesDep) -> Response:
    """Change your password (give the current one); your browser sessions end, API tokens stay."""
    services.accounts.change_password(actor, body.current, body.new)
    return Response(status_code=204)


@router.put("/api/admin/users/{username}/password", status_code=204, tags=["admin"])
def reset_password(username: str, body: PasswordResetIn, actor: ActorDep, services: ServicesDep) -> Response:
    """Set someone's password (instance admins); their browser sessions end."""
    services.accounts.reset_password(actor, username, body.password)
    return Response(status_code=204)
