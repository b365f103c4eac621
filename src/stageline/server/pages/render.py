"""Rendering pages: one Jinja2 environment and the context every page gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from stageline.model.quantities import humanize_duration
from stageline.server.auth import CSRF_FIELD, identify, services_of
from stageline.server.services.access import Role
from stageline.server.services.comments import MENTION
from stageline.version import __version__

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Messages shown after a redirect, by key, so no text travels in the URL.
NOTICES = {
    "signed-out": "You are signed out.",
    "password-changed": "Password changed. Other browsers were signed out; API tokens still work.",
    "created": "Blueprint created.",
    "imported": "Blueprint imported.",
    "journey-imported": "Journey map imported. The findings below list what each step still needs.",
    "renamed": "Renamed.",
    "uploaded": "New version saved.",
    "simulation-saved": "Simulation inputs saved into the blueprint as a new version.",
    "simulation-unchanged": "The blueprint already holds these simulation inputs: nothing to save.",
    "calibration-saved": "The calibrated blueprint is saved as a new version: measured durations, waits, arrivals "
    "and resources.",
    "duplicated": "Duplicated: this is the copy.",
    "future-created": "Future state created: a linked copy to redesign. Compare shows what it changes.",
    "opportunity-updated": "Opportunity updated (saved as a new version).",
    "unchanged": "Nothing to change: that is already so.",
    "archived": "Archived. Find it under Archived.",
    "unarchived": "Back in the list.",
    "trashed": "Moved to the trash. It stays there for 30 days.",
    "restored": "Restored from the trash.",
    "purged": "Deleted for good.",
    "version-restored": "Restored as a new version.",
    "version-named": "Version named.",
    "commented": "Comment posted.",
    "resolved": "Thread resolved.",
    "reopened": "Thread reopened.",
    "shared": "Share link created.",
    "unshared": "Share link turned off: it now shows 'not found'.",
    "granted": "Access updated.",
    "ungranted": "Access removed.",
    "invited": "Invitation created.",
    "uninvited": "Invitation revoked.",
    "role-changed": "Role changed.",
    "removed": "Member removed.",
    "workspace-created": "Workspace created.",
    "workspace-renamed": "Workspace renamed.",
    "token-revoked": "Token revoked.",
    "joined": "Welcome! You joined the workspace.",
    "welcome": "Welcome to Stageline! Create your first blueprint.",
    "demo": "Welcome to Stageline! These example blueprints are yours to explore and change; "
    "your own workspace is in the menu at the top.",
}


def _highlight_mentions(text: str) -> Markup:
    """Comment text, escaped, with @mentions marked up."""
    escaped = str(escape(text))
    return Markup(MENTION.sub(lambda m: f'<span class="mention">@{m.group(1)}</span>', escaped))


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return humanize_duration(seconds)


templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.filters["mentions"] = _highlight_mentions
templates.env.filters["duration"] = _duration
templates.env.filters["when"] = lambda value: value.strftime("%d %b %Y, %H:%M UTC") if value else ""
templates.env.filters["day"] = lambda value: value.strftime("%d %b %Y") if value else ""
templates.env.globals["version"] = __version__
templates.env.globals["Role"] = Role


def page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    identity = identify(request) if hasattr(request.app.state, "services") else None
    values: dict[str, Any] = {
        "request": request,
        "me": identity.actor if identity else None,
        "csrf_field": CSRF_FIELD,
        "csrf_token": identity.csrf_token if identity else None,
        "notice": NOTICES.get(request.query_params.get("done", "")),
        "workspaces": [],
        "current_workspace": None,
    }
    if identity is not None:
        values["workspaces"] = services_of(request).workspaces.of(identity.actor)
    values.update(context or {})
    return templates.TemplateResponse(request, template, values, status_code=status, headers=headers)


def done(url: str, notice: str) -> RedirectResponse:
    """Redirect after a successful form post (303, so a reload does not repost)."""
    joiner = "&" if "?" in url else "?"
    return RedirectResponse(f"{url}{joiner}done={notice}", status_code=303)
