"""Dependencies of the pages: the signed-in person, and CSRF on every form post."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, UploadFile

from stageline.formats.ingest import Limits, limit_text
from stageline.server.auth import CSRF_FIELD, csrf_ok, identify, services_of
from stageline.server.services import Services
from stageline.server.services.base import Actor
from stageline.server.services.errors import Forbidden, Invalid, Unauthorized


def page_actor(request: Request) -> Actor:
    identity = identify(request)
    if identity is None:
        raise Unauthorized("sign in to see this page")
    return identity.actor


async def form_actor(request: Request) -> Actor:
    """The signed-in person posting a form, with the form's CSRF token checked."""
    identity = identify(request)
    if identity is None:
        raise Unauthorized("sign in first")
    form = await request.form()
    presented = form.get(CSRF_FIELD)
    if not csrf_ok(identity, presented if isinstance(presented, str) else None):
        raise Forbidden(
            "this form has expired or did not come from Stageline; go back, reload the page and try again", code="csrf"
        )
    return identity.actor


PageActor = Annotated[Actor, Depends(page_actor)]
FormActor = Annotated[Actor, Depends(form_actor)]
ServicesDep = Annotated[Services, Depends(services_of)]


async def uploaded_text(file: UploadFile, limits: Limits) -> str:
    """The text of a blueprint file sent with a form (refused past the server's import
    limit, before more than that is read, and when it is not UTF-8 text)."""
    name = file.filename or "the file"
    data = await file.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise Invalid(
            f"{name} is larger than {limit_text(limits.max_bytes)}, the most an upload may be: "
            "split the blueprint into smaller ones"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(f"{name} is not a UTF-8 text file: save it as UTF-8 and upload it again") from None
