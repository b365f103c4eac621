"""Editing together: live rooms over WebSockets, kept in order by one log.

`Hub` holds this process's rooms; `realtime_router()` is the WebSocket
endpoint plus the editor's insight endpoint. See docs/editor.md."""

from __future__ import annotations

from fastapi import APIRouter

from stageline.server.realtime import insights, socket
from stageline.server.realtime.hub import Hub


def realtime_router() -> APIRouter:
    router = APIRouter()
    router.include_router(socket.router)
    router.include_router(insights.router)
    return router


__all__ = ["Hub", "realtime_router"]
