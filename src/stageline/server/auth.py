"""Who is making a request: an API token (`Authorization: Bearer sl_…`) or a
browser session cookie. Shared by the API and the pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fastapi import Request, Response

from stageline.server.security.tokens import same
from stageline.server.services import Services
from stageline.server.services.base import Actor
from stageline.server.settings import Settings

SESSION_COOKIE = "stageline_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Identity:
    actor: Actor
    via: Literal["token", "session"]
    session_token: str | None = None
    csrf_token: str | None = None


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def identify(request: Request) -> Identity | None:
    """The identity behind a request, looked up once per request."""
    if hasattr(request.state, "identity"):
        identity: Identity | None = request.state.identity
        return identity
    services = services_of(request)
    found: Identity | None = None
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        user = services.accounts.user_for_token(credentials.strip())
        found = Identity(Actor.of(user), "token") if user else None
    elif token := request.cookies.get(SESSION_COOKIE):
        record = services.accounts.session(token)
        if record is not None:
            found = Identity(Actor.of(record.user), "session", token, record.csrf_token)
    request.state.identity = found
    return found


def csrf_ok(identity: Identity, presented: str | None) -> bool:
    return identity.csrf_token is not None and presented is not None and same(identity.csrf_token, presented)


def is_secure(request: Request) -> bool:
    settings = settings_of(request)
    if settings.force_secure_cookies or request.url.scheme == "https":
        return True
    return settings.trust_proxy and request.headers.get("x-forwarded-proto", "").lower() == "https"


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    settings = settings_of(request)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=is_secure(request),
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def client_ip(request: Request) -> str:
    """The address the request came from. Behind `trusted_proxies` proxies (with
    STAGELINE_TRUST_PROXY), each appends the address it received from to
    X-Forwarded-For: the client is the right-most entry no trusted proxy wrote.
    Entries to the left of it are whatever the client sent, and are ignored."""
    settings = settings_of(request)
    peer = request.client.host if request.client else "unknown"
    if not settings.trust_proxy:
        return peer
    hops = [hop.strip() for hop in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if hop.strip()]
    if not hops:
        return peer
    return hops[-min(settings.trusted_proxies, len(hops))]
