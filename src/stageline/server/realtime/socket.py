"""The WebSocket endpoint of the live editor: /api/blueprints/{id}/live.

A browser authenticates with its session cookie, and then only from a page of
this server (the Origin must match the Host, or any web page the person
visits could edit in their name). Scripts send a personal API token, in the
Authorization header or as ?token=.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.websockets import WebSocketState

from stageline.server.auth import SESSION_COOKIE
from stageline.server.realtime.hub import Hub
from stageline.server.realtime.peer import Peer
from stageline.server.realtime.protocol import (
    Cursor,
    Hello,
    OpMessage,
    Ping,
    Presence,
    ProtocolError,
    encode,
    parse_message,
)
from stageline.server.security.tokens import digest
from stageline.server.services import Services
from stageline.server.services.base import Actor
from stageline.server.services.errors import NotFound
from stageline.server.services.live import Credential, refusal
from stageline.server.settings import Settings

router = APIRouter()

HELLO_TIMEOUT = 15.0
# Editors ping every 15 s; a connection silent for this long is gone.
IDLE_TIMEOUT = 60.0

# Close codes the editor understands: these are final, anything else reconnects.
UNAUTHORISED = 4401
FORBIDDEN = 4403
NOT_FOUND = 4404


FOREIGN_ID = "an edit's id is this connection's client id (from the welcome), a colon and a number"


class Refused(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def same_origin(websocket: WebSocket, settings: Settings) -> bool:
    origin = websocket.headers.get("origin")
    if not origin:
        return False
    host = websocket.headers.get("host", "")
    if settings.trust_proxy:
        host = websocket.headers.get("x-forwarded-host", host)
    return urlsplit(origin).netloc.lower() == host.lower()


def authenticate(websocket: WebSocket, services: Services, settings: Settings) -> tuple[Actor, Credential]:
    """Who connects, and with what (checked again whenever rights change)."""
    scheme, _, credentials = websocket.headers.get("authorization", "").partition(" ")
    token = credentials.strip() if scheme.lower() == "bearer" else websocket.query_params.get("token", "")
    if token:
        user = services.accounts.user_for_token(token)
        if user is None:
            raise Refused(UNAUTHORISED, "this API token is not valid: it was revoked or mistyped")
        return Actor.of(user), Credential("token", digest(token))
    cookie = websocket.cookies.get(SESSION_COOKIE)
    if cookie:
        if not same_origin(websocket, settings):
            raise Refused(FORBIDDEN, "a live session opens only from a Stageline page on this server")
        record = services.accounts.session(cookie)
        if record is not None:
            return Actor.of(record.user), Credential("session", digest(cookie))
    raise Refused(UNAUTHORISED, "sign in again, or send a personal API token (Authorization: Bearer or ?token=)")


async def _hello(websocket: WebSocket) -> Hello:
    try:
        text = await asyncio.wait_for(websocket.receive_text(), timeout=HELLO_TIMEOUT)
        message = parse_message(text)
    except TimeoutError:
        raise Refused(1008, 'say hello first: {"type": "hello", "client_id", "seq", "pending"}') from None
    except ProtocolError as error:
        raise Refused(1008, str(error)) from None
    if not isinstance(message, Hello):
        raise Refused(1008, "the first message must be a hello")
    return message


@router.websocket("/api/blueprints/{blueprint_id}/live")
async def live(websocket: WebSocket, blueprint_id: int) -> None:
    services: Services = websocket.app.state.services
    settings: Settings = websocket.app.state.settings
    hub: Hub = websocket.app.state.hub
    # Accept first, so a refusal can say why (a refused handshake tells the page nothing).
    await websocket.accept()
    try:
        actor, credential = await asyncio.to_thread(authenticate, websocket, services, settings)
        try:
            role = await asyncio.to_thread(services.blueprints.role, actor, blueprint_id)
        except NotFound as error:
            raise Refused(NOT_FOUND, error.message) from None
        hello = await _hello(websocket)
        peer = Peer(websocket, actor, role, hello.client_id, credential)
        try:
            room = await hub.join(blueprint_id, peer, hello)
        except NotFound as error:
            await peer.finish()
            raise Refused(NOT_FOUND, error.message) from None
    except Refused as refused:
        with contextlib.suppress(Exception):
            await websocket.send_text(encode({"type": "error", "message": refused.message, "code": refused.code}))
            await websocket.close(refused.code, refused.message[:120])
        return
    except WebSocketDisconnect:
        return
    try:
        while not peer.closed:
            text = await asyncio.wait_for(websocket.receive_text(), timeout=IDLE_TIMEOUT)
            try:
                message = parse_message(text)
            except ProtocolError as error:
                peer.send_json({"type": "error", "message": str(error), "code": 1003})
                continue
            if isinstance(message, OpMessage):
                if not peer.can_edit:
                    peer.send_json({"type": "reject", "id": message.id, "message": refusal(peer.role)})
                elif not message.id.startswith(f"{peer.client_id}:"):
                    peer.send_json({"type": "reject", "id": message.id, "message": FOREIGN_ID})
                elif message.op is None:
                    peer.send_json({"type": "reject", "id": message.id, "message": message.problem})
                else:
                    room.submit(peer, message.id, message.op)
            elif isinstance(message, Presence):
                room.select(peer, message.selection)
            elif isinstance(message, Cursor):
                room.point(peer, message)
            elif isinstance(message, Ping):
                peer.send_json({"type": "pong"})
            else:
                peer.send_json({"type": "error", "message": "already said hello on this connection", "code": 1003})
    except (WebSocketDisconnect, TimeoutError, RuntimeError):
        pass  # the client went away or went quiet: an ordinary end, tidied up below
    finally:
        room.leave(peer)
        if websocket.application_state == WebSocketState.CONNECTED and not peer.closed:
            peer.close(1000, "")
        await peer.finish()
