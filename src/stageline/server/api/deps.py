"""Dependencies of the API routes: the acting person, versions from headers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from stageline.server.auth import CSRF_HEADER, SAFE_METHODS, csrf_ok, identify, services_of
from stageline.server.services import Services
from stageline.server.services.base import Actor
from stageline.server.services.errors import Forbidden, Invalid, Unauthorized


def api_actor(request: Request) -> Actor:
    """The signed-in person; a cookie-authenticated write must also carry the
    session's CSRF token in the X-CSRF-Token header (tokens are exempt)."""
    identity = identify(request)
    if identity is None:
        raise Unauthorized("sign in, or send a personal API token as 'Authorization: Bearer sl_…'")
    if (
        identity.via == "session"
        and request.method not in SAFE_METHODS
        and not csrf_ok(identity, request.headers.get(CSRF_HEADER))
    ):
        raise Forbidden(f"a browser request that changes something needs the {CSRF_HEADER} header", code="csrf")
    return identity.actor


def parse_version_tag(value: str | None) -> int | None:
    """The version in an If-Match header (`"3"`, `W/"3"` or `3`); None for absent or `*`."""
    if value is None or value.strip() == "*":
        return None
    tag = value.split(",")[0].strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise Invalid(
            f'If-Match must be a version tag such as "3" (from the ETag header), not {value!r}', code="bad_if_match"
        )
    return int(tag)


def expected_version(request: Request) -> int | None:
    return parse_version_tag(request.headers.get("if-match"))


def etag(version: int) -> str:
    return f'"{version}"'


ActorDep = Annotated[Actor, Depends(api_actor)]
ServicesDep = Annotated[Services, Depends(services_of)]
IfMatch = Annotated[int | None, Depends(expected_version)]
