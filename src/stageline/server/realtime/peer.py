"""One connected editor: who they are, what they have selected, and an outbox
so a slow connection never holds up the others."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from typing import Any

from starlette.websockets import WebSocket, WebSocketState

from stageline.server.realtime.protocol import colour_for, encode
from stageline.server.services.access import Role
from stageline.server.services.base import Actor
from stageline.server.services.live import Credential

# Messages a connection may fall behind by before it is dropped; it reconnects
# and catches up from a snapshot, which is cheaper than an unbounded queue.
MAX_BACKLOG = 5000
# Messages sent together in one frame at most.
MAX_FRAME_MESSAGES = 200


class Peer:
    def __init__(
        self, websocket: WebSocket, actor: Actor, role: Role, client_id: str, credential: Credential | None = None
    ) -> None:
        self.websocket = websocket
        self.actor = actor
        self.role = role
        self.client_id = client_id  # secret to this connection: it prefixes the ids of its edits
        self.credential = credential
        self.access_epoch = 0  # the room's access epoch its rights were last checked at
        # What others see of this connection in presence, never its client id.
        self.presence_id = secrets.token_urlsafe(9)
        self.colour = colour_for(actor.id)
        self.selection: list[str] = []
        self.typing: str | None = None  # what they type in, as last told to the others
        self.pointed_at = 0.0  # when their pointer was last relayed (time.monotonic)
        self.closed = False
        self._close_with = (1000, "")
        self._outbox: asyncio.Queue[str | None] = asyncio.Queue()
        self._writer = asyncio.create_task(self._write())

    @property
    def can_edit(self) -> bool:
        return self.role.allows(Role.EDITOR)

    def public(self) -> dict[str, Any]:
        return {
            "client_id": self.presence_id,
            "name": self.actor.display_name,
            "color": self.colour,
            "selection": self.selection,
            "role": self.role.value,
        }

    def send(self, text: str) -> None:
        if self.closed:
            return
        if self._outbox.qsize() >= MAX_BACKLOG:
            self.close(1013, "this connection fell too far behind; reconnect to catch up")
            return
        self._outbox.put_nowait(text)

    def send_json(self, message: dict[str, Any]) -> None:
        self.send(encode(message))

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Send what is queued, then close."""
        if self.closed:
            return
        self.closed = True
        self._close_with = (code, reason)
        self._outbox.put_nowait(None)

    async def _write(self) -> None:
        try:
            while (text := await self._outbox.get()) is not None:
                # Whatever queued up meanwhile goes in the same frame, as a JSON
                # array: under load each frame (and its compression) costs more
                # than its messages, so a busy room sends fewer, larger frames.
                batch = [text]
                while len(batch) < MAX_FRAME_MESSAGES and not self._outbox.empty():
                    following = self._outbox.get_nowait()
                    if following is None:
                        self._outbox.put_nowait(None)  # close after sending these
                        break
                    batch.append(following)
                await self.websocket.send_text(text if len(batch) == 1 else f"[{','.join(batch)}]")
            code, reason = self._close_with
            if self.websocket.application_state == WebSocketState.CONNECTED:
                await self.websocket.close(code, reason)
        except Exception:  # the other side went away: nothing left to tell it
            self.closed = True

    async def finish(self) -> None:
        self.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._writer, timeout=5)
