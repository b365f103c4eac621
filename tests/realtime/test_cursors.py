"""Live cursors and typing marks through the live room: each person's pointer
on the board and the card they type in reach the others (not themselves),
throttled, and a malformed one is answered with an error."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from helpers.live import LiveClient, connect, session_headers
from helpers.server import World


def test_pointers_and_typing_reach_the_others(live_app: FastAPI, live_client: TestClient, live_world: World) -> None:
    bp = live_world.blueprint_id
    with (
        connect(live_client, bp, session_headers(live_app, live_world.owner)) as a_socket,
        connect(live_client, bp, session_headers(live_app, live_world.people["viewer"])) as b_socket,
    ):
        ana, vic = LiveClient(a_socket, "ana"), LiveClient(b_socket, "vic")
        ana.hello()
        vic.hello()
        ana.until("presence")
        # Ana types in a card; the viewer sees her pointer and the mark.
        ana.socket.send_json({"type": "cursor", "pointer": [120.5, 64], "typing": "registration"})
        seen = vic.until("cursor")
        assert seen == {"type": "cursor", "client_id": "ana", "pointer": [120.5, 64.0], "typing": "registration"}
        # Viewers' pointers travel too (they may not edit, but they are here); she stops typing.
        vic.socket.send_json({"type": "cursor", "pointer": [5, 6], "typing": None})
        assert ana.until("cursor") == {"type": "cursor", "client_id": "vic", "pointer": [5.0, 6.0], "typing": None}
        ana.socket.send_json({"type": "cursor", "pointer": None, "typing": None})
        assert vic.until("cursor", client_id="ana")["typing"] is None
        # Nobody hears their own cursor; a bad one gets an error naming the field.
        ana.socket.send_json({"type": "cursor", "pointer": ["left", 3]})
        error = ana.until("error")
        assert "'pointer' is [x, y]" in error["message"]
        assert not any(m.get("type") == "cursor" and m["client_id"] == "ana" for m in ana.seen)
