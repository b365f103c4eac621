"""A connection's outbox: messages that queue up while it sends go out together, in order."""

from __future__ import annotations

import asyncio
import json
from typing import Any, cast

from starlette.websockets import WebSocket, WebSocketState

from stageline.server.realtime.peer import MAX_FRAME_MESSAGES, Peer
from stageline.server.services.access import Role
from stageline.server.services.base import Actor


class SlowSocket:
    """Records frames; each send takes a moment, as on a busy connection."""

    def __init__(self) -> None:
        self.frames: list[str] = []
        self.closed_with: tuple[int, str] | None = None
        self.application_state = WebSocketState.CONNECTED

    async def send_text(self, text: str) -> None:
        self.frames.append(text)
        await asyncio.sleep(0.01)

    async def close(self, code: int, reason: str) -> None:
        self.closed_with = (code, reason)


def _peer(socket: SlowSocket) -> Peer:
    actor = Actor(id=1, username="ana", display_name="Ana", is_admin=False)
    return Peer(cast(WebSocket, socket), actor, Role.EDITOR, "client-1")


def _flatten(frames: list[str]) -> list[Any]:
    out: list[Any] = []
    for frame in frames:
        data = json.loads(frame)
        out.extend(data if isinstance(data, list) else [data])
    return out


def test_a_backlog_goes_out_in_fewer_frames_in_order_then_the_close() -> None:
    async def scenario() -> SlowSocket:
        socket = SlowSocket()
        peer = _peer(socket)
        peer.send_json({"n": 0})
        await asyncio.sleep(0)  # the writer takes the first one alone
        for n in range(1, MAX_FRAME_MESSAGES + 11):
            peer.send_json({"n": n})
        peer.close(4000, "done")
        await peer.finish()
        return socket

    socket = asyncio.run(scenario())
    assert _flatten(socket.frames) == [{"n": n} for n in range(MAX_FRAME_MESSAGES + 11)]
    assert json.loads(socket.frames[0]) == {"n": 0}  # a lone message is not wrapped
    assert len(socket.frames) == 3  # then one full frame and the rest
    assert len(json.loads(socket.frames[1])) == MAX_FRAME_MESSAGES
    assert socket.closed_with == (4000, "done")
