"""Server-rendered pages (Jinja2). Reading works without JavaScript."""

from __future__ import annotations

from fastapi import APIRouter

from stageline.server.pages import (
    account,
    auth,
    blueprints,
    board,
    cases,
    compare,
    editor,
    importing,
    plan,
    share,
    simulate,
    workspaces,
)


def pages_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    modules = (auth, workspaces, importing, blueprints, compare, cases, board, plan, simulate, editor, share, account)
    for module in modules:
        router.include_router(module.router)
    return router
