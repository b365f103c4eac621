"""My account: personal API tokens, sessions, and mentions of me."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from stageline.server.auth import clear_session_cookie, identify
from stageline.server.pages.deps import FormActor, PageActor, ServicesDep
from stageline.server.pages.render import done, page
from stageline.server.services.errors import ServiceError

router = APIRouter(include_in_schema=False)


@router.get("/account")
def account(request: Request, actor: PageActor, services: ServicesDep) -> Response:
    return page(
        request, "account.html", {"title": "Your account", "tokens": services.accounts.tokens(actor), "new_token": None}
    )


@router.post("/account/tokens")
def create_token(
    request: Request, actor: FormActor, services: ServicesDep, name: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    try:
        new = services.accounts.create_token(actor, name)
    except ServiceError as error:
        return page(
            request,
            "account.html",
            {
                "title": "Your account",
                "tokens": services.accounts.tokens(actor),
                "new_token": None,
                "error": error.message,
            },
            status=error.status,
        )
    # The token is shown on this response only; we keep its hash.
    return page(
        request,
        "account.html",
        {
            "title": "Your account",
            "tokens": services.accounts.tokens(actor),
            "new_token": new.token,
            "new_token_name": new.record.name,
        },
        status=201,
    )


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: int, actor: FormActor, services: ServicesDep) -> Response:
    services.accounts.revoke_token(actor, token_id)
    return done("/account", "token-revoked")


@router.post("/account/password")
def change_password(
    request: Request,
    actor: FormActor,
    services: ServicesDep,
    current: Annotated[str, Form(max_length=1000)] = "",
    new: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    identity = identify(request)
    try:
        services.accounts.change_password(actor, current, new, identity.session_token if identity else None)
    except ServiceError as error:
        context = {"title": "Your account", "tokens": services.accounts.tokens(actor), "new_token": None}
        return page(request, "account.html", {**context, "error": error.message}, status=error.status)
    return done("/account", "password-changed")


@router.post("/account/signout-everywhere")
def signout_everywhere(
    actor: FormActor, services: ServicesDep, tokens: Annotated[str, Form(max_length=10)] = ""
) -> Response:
    services.accounts.end_all_sessions(actor, revoke_tokens=tokens == "revoke")
    response = RedirectResponse("/signin?done=signed-out", status_code=303)
    clear_session_cookie(response)
    return response


@router.get("/mentions")
def mentions(request: Request, actor: PageActor, services: ServicesDep) -> Response:
    return page(
        request, "mentions.html", {"title": "Mentions of you", "mentions": services.comments.mentions_of(actor)}
    )
