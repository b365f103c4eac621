"""Absolute URLs for links people copy (share links, invitations)."""

from __future__ import annotations

from fastapi import Request

from stageline.server.auth import is_secure


def base_url(request: Request) -> str:
    scheme = "https" if is_secure(request) else request.url.scheme
    host = request.headers.get("x-forwarded-host") if request.app.state.settings.trust_proxy else None
    return f"{scheme}://{host or request.url.netloc}"
