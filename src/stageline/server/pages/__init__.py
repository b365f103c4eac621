"""Server-rendered pages (Jinja2). Reading works without JavaScript."""

from __future__ import annotations

from fastapi import APIRouter

from stageline.server.pages import (
    account,
    auth,
    blueprints,
    board,
    calibrate,
    cases,
    compare,
    editor,
    importing,
    plan,
    present,
    share,
    simulate,
    workspaces,
)


def pages_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for module in (
        auth,
        workspaces,
        importing,
        blueprints,
        compare,
        cases,
        board,
        plan,
        simulate,
        calibrate,
        editor,
        present,
        share,
        account,
    ):
        router.include_router(module.router)
    return router
