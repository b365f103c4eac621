"""Signing in and out, the first-run setup, and joining by invitation."""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from stageline.server.auth import (
    SESSION_COOKIE,
    clear_session_cookie,
    client_ip,
    identify,
    is_secure,
    services_of,
    set_session_cookie,
)
from stageline.server.pages.deps import FormActor, ServicesDep
from stageline.server.pages.render import done, page
from stageline.server.security.tokens import new_token, same
from stageline.server.services.base import Actor
from stageline.server.services.demo import seed_demo
from stageline.server.services.errors import Forbidden, NotFound, ServiceError

router = APIRouter(include_in_schema=False)

# Forms shown before anyone is signed in carry a double-submit token: a cookie
# and a hidden field that must match (guards against login CSRF).
PRE_CSRF_COOKIE = "stageline_form"


def _with_form_token(request: Request, template: str, context: dict[str, object], status: int = 200) -> Response:
    token = request.cookies.get(PRE_CSRF_COOKIE) or new_token(16)
    response = page(request, template, {**context, "form_token": token}, status=status)
    response.set_cookie(PRE_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=is_secure(request), path="/")
    return response


def _check_form_token(request: Request, presented: str) -> None:
    cookie = request.cookies.get(PRE_CSRF_COOKIE)
    if not cookie or not presented or not same(cookie, presented):
        raise Forbidden("this form has expired; reload the page and try again", code="csrf")


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def _signed_in(request: Request, actor_user: object, target: str) -> Response:
    services = services_of(request)
    started = services.accounts.start_session(actor_user, request.headers.get("user-agent"))  # type: ignore[arg-type]
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, started.token)
    return response


@router.get("/")
def home(request: Request, services: ServicesDep) -> Response:
    if services.accounts.needs_setup():
        return RedirectResponse("/setup", status_code=303)
    identity = identify(request)
    if identity is None:
        return RedirectResponse("/signin", status_code=303)
    workspaces = services.workspaces.of(identity.actor)
    if workspaces:
        suffix = f"?done={request.query_params['done']}" if "done" in request.query_params else ""
        return RedirectResponse(f"/w/{workspaces[0].workspace.slug}{suffix}", status_code=303)
    return page(request, "home.html", {"shared": services.blueprints.shared_with(identity.actor)})


@router.get("/setup")
def setup_form(request: Request, services: ServicesDep) -> Response:
    if not services.accounts.needs_setup():
        return RedirectResponse("/signin", status_code=303)
    return _with_form_token(request, "setup.html", {"title": "Set up Stageline", "values": {}})


@router.post("/setup")
def setup(
    request: Request,
    services: ServicesDep,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1024)],
    form_token: Annotated[str, Form(max_length=100)],
    display_name: Annotated[str, Form(max_length=100)] = "",
    workspace: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    _check_form_token(request, form_token)
    if not services.accounts.needs_setup():
        return RedirectResponse("/signin", status_code=303)
    try:
        user = services.accounts.setup_admin(username, display_name, password, workspace)
        landing = "/?done=welcome"
        if request.app.state.settings.demo:
            # `make run` is for looking around: land on the examples, not an empty workspace.
            demo = seed_demo(services.workspaces, services.blueprints, Actor.of(user))
            landing = f"/w/{demo.slug}?done=demo"
    except ServiceError as error:
        values = {"username": username, "display_name": display_name, "workspace": workspace}
        return _with_form_token(
            request,
            "setup.html",
            {"title": "Set up Stageline", "error": error.message, "values": values},
            status=error.status,
        )
    return _signed_in(request, user, landing)


@router.get("/signin")
def signin_form(request: Request, services: ServicesDep, next: str = "/") -> Response:
    if services.accounts.needs_setup():
        return RedirectResponse("/setup", status_code=303)
    return _with_form_token(request, "signin.html", {"title": "Sign in", "next": _safe_next(next), "values": {}})


@router.post("/signin")
def signin(
    request: Request,
    services: ServicesDep,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1024)],
    form_token: Annotated[str, Form(max_length=100)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    _check_form_token(request, form_token)
    try:
        user = services.accounts.authenticate(username, password, client_ip(request))
    except ServiceError as error:
        response = _with_form_token(
            request,
            "signin.html",
            {
                "title": "Sign in",
                "error": error.message[:1].upper() + error.message[1:],
                "next": _safe_next(next),
                "values": {"username": username},
            },
            status=error.status,
        )
        if error.status == 429:
            response.headers["Retry-After"] = str(error.details["retry_after"])
        return response
    return _signed_in(request, user, _safe_next(next))


@router.post("/signout")
def signout(request: Request, actor: FormActor, services: ServicesDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        services.accounts.end_session(token)
    response = RedirectResponse("/signin?done=signed-out", status_code=303)
    clear_session_cookie(response)
    return response


@router.get("/join/{token}")
def join_form(request: Request, token: str, services: ServicesDep) -> Response:
    invitation, workspace = services.workspaces.invitation(token)
    return _with_form_token(
        request,
        "join.html",
        {
            "title": f"Join {workspace.name}",
            "workspace": workspace,
            "invitation": invitation,
            "token": token,
            "values": {},
        },
    )


@router.post("/join/{token}")
def join(
    request: Request,
    token: str,
    services: ServicesDep,
    form_token: Annotated[str, Form(max_length=100)],
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    display_name: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Join as the signed-in person, or create an account and join."""
    _check_form_token(request, form_token)
    invitation, workspace = services.workspaces.invitation(token)
    identity = identify(request)
    if identity is not None:
        joined = services.workspaces.accept(identity.actor, token)
        return done(f"/w/{joined.workspace.slug}", "joined")
    try:
        user = services.accounts.create_user(username, display_name, password)
    except ServiceError as error:
        return _with_form_token(
            request,
            "join.html",
            {
                "title": f"Join {workspace.name}",
                "workspace": workspace,
                "invitation": invitation,
                "token": token,
                "error": error.message[:1].upper() + error.message[1:],
                "values": {"username": username, "display_name": display_name},
            },
            status=error.status,
        )
    # If the link was used up between the two steps, the account exists and they can ask for another link.
    with contextlib.suppress(NotFound):
        services.workspaces.accept(Actor.of(user), token)
    return _signed_in(request, user, f"/w/{workspace.slug}?done=joined")
