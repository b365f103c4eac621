"""The REST API under /api (OpenAPI docs at /api/docs)."""

from __future__ import annotations

from fastapi import APIRouter

from stageline.server.api import (
    account,
    blueprints,
    comments,
    compare,
    history,
    importing,
    schema,
    sharing,
    simulate,
    workspaces,
)


def api_router() -> APIRouter:
    router = APIRouter()
    for module in (account, workspaces, importing, blueprints, history, compare, simulate, comments, sharing, schema):
        router.include_router(module.router)
    return router
