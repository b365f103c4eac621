"""Two server processes on one PostgreSQL database serve the same blueprint to
different editors: every edit gets one global seq (the blueprint's row is
locked while it is taken), LISTEN/NOTIFY tells the other process, and both
rooms end with the same document. Comments made through one process reach
editors on the other the same way."""

from __future__ import annotations

import json
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from helpers.live import eventually, messages
from helpers.live_server import Instance, ServerProcess, populate, postgres_schema

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
EDITS = 40


def live(server: ServerProcess, instance: Instance, token: str) -> ClientConnection:
    url = f"{server.ws}/api/blueprints/{instance.world.blueprint_id}/live"
    return connect(url, additional_headers={"Authorization": f"Bearer {token}"}, open_timeout=180)


def hello(socket: ClientConnection, client_id: str) -> dict[str, Any]:
    socket.send(json.dumps({"type": "hello", "client_id": client_id, "seq": 0, "pending": []}))
    while True:
        for message in messages(socket.recv(timeout=180)):
            if message["type"] == "welcome":
                return message


def editor(socket: ClientConnection, name: str, last_seq: int, seen: list[int]) -> None:
    """Send EDITS edits as fast as possible, some on a card the other also edits, then read to the end."""
    for n in range(EDITS):
        if n % 2:
            op = {"op": "set", "target": "registration", "field": "text", "value": f"{name} {n}"}
        else:
            op = {
                "op": "add_card",
                "step": "room",
                "lane": "support",
                "card": {"id": f"{name}-{n}", "text": f"{name} {n}"},
            }
        socket.send(json.dumps({"type": "op", "id": f"{name}:{n}", "op": op}))
    while not seen or seen[-1] < last_seq:
        for message in messages(socket.recv(timeout=180)):
            assert message["type"] != "reject", message
            if message["type"] == "op":
                seen.append(message["seq"])


def test_two_processes_converge_on_one_order(tmp_path: Path) -> None:
    with postgres_schema() as url:
        instance = populate(url)
        tokens = {
            role: instance.services.accounts.create_token(instance.actor(role), "live").token
            for role in ("owner", "editor")
        }
        one = ServerProcess(url, tmp_path / "one.log").start()
        two = ServerProcess(url, tmp_path / "two.log").start()
        try:
            sockets = ExitStack()
            ana = sockets.enter_context(live(one, instance, tokens["owner"]))
            ben = sockets.enter_context(live(two, instance, tokens["editor"]))
            assert hello(ana, "ana")["seq"] == hello(ben, "ben")["seq"] == 1
            rest_seq = 1 + 2 * EDITS + 1
            seen: dict[str, list[int]] = {"ana": [], "ben": []}
            threads = [
                threading.Thread(target=editor, args=(ana, "ana", rest_seq, seen["ana"])),
                threading.Thread(target=editor, args=(ben, "ben", rest_seq, seen["ben"])),
            ]
            for thread in threads:
                thread.start()
            # A REST write lands in the middle, through the first process.
            response = httpx.post(
                f"{one.url}/api/blueprints/{instance.world.blueprint_id}/operations",
                json={"operations": [{"op": "set", "target": "registration", "field": "actor", "value": "REST"}]},
                headers={"Authorization": f"Bearer {tokens['owner']}"},
                timeout=180,
            )
            assert response.status_code == 200, response.text
            for thread in threads:
                thread.join(60)
                assert not thread.is_alive()
            # Everyone saw every seq once, in order, whichever process they were on.
            assert seen["ana"] == seen["ben"] == list(range(2, rest_seq + 1))
            sockets.close()
            # A newcomer on either process gets the same document at the same seq.
            with live(one, instance, tokens["owner"]) as first, live(two, instance, tokens["owner"]) as second:
                welcomes = [hello(first, "check-1"), hello(second, "check-2")]
            assert welcomes[0]["seq"] == welcomes[1]["seq"] == rest_seq
            assert welcomes[0]["snapshot"] == welcomes[1]["snapshot"]
            snapshot = welcomes[0]["snapshot"]
            cards = {
                c["id"]: c
                for s in snapshot["stages"]
                for st in s["steps"]
                for cell in st["cells"].values()
                for c in cell
            }
            assert cards["registration"]["actor"] == "REST"
            assert sum(1 for card_id in cards if card_id.startswith(("ana-", "ben-"))) == EDITS
        finally:
            one.stop()
            two.stop()

        def stored() -> None:
            opened = instance.services.blueprints.open(instance.actor("owner"), instance.world.blueprint_id)
            assert json.loads(opened.blueprint.model_dump_json(by_alias=True, exclude_none=True)) == snapshot

        eventually(stored)
        instance.services.db.dispose()


def comments_notice(socket: ClientConnection, timeout: float = 180) -> dict[str, Any]:
    """The next comments notice on `socket` (edits and presence may come first)."""
    while True:
        for message in messages(socket.recv(timeout=timeout)):
            if message["type"] == "comments":
                return message


def test_a_comment_through_one_process_reaches_editors_on_the_other(tmp_path: Path) -> None:
    with postgres_schema() as url:
        instance = populate(url)
        tokens = {
            role: instance.services.accounts.create_token(instance.actor(role), "live").token
            for role in ("owner", "commenter")
        }
        one = ServerProcess(url, tmp_path / "one.log").start()
        two = ServerProcess(url, tmp_path / "two.log").start()
        try:
            base = f"{one.url}/api/blueprints/{instance.world.blueprint_id}/comments"
            headers = {"Authorization": f"Bearer {tokens['commenter']}"}
            with live(two, instance, tokens["owner"]) as there, live(one, instance, tokens["owner"]) as here:
                hello(there, "there")
                hello(here, "here")
                # A new thread through the first process: editors on both hear of it.
                started = httpx.post(
                    base, json={"anchor": "registration", "body": "Why?"}, headers=headers, timeout=180
                )
                assert started.status_code == 201, started.text
                assert comments_notice(there) == comments_notice(here) == {"type": "comments"}
                # So they do of a reply and of resolving, each once.
                thread = started.json()["id"]
                reply = httpx.post(f"{base}/{thread}/replies", json={"body": "Because."}, headers=headers, timeout=180)
                assert reply.status_code == 201, reply.text
                assert comments_notice(there) == {"type": "comments"}
                resolve = httpx.patch(f"{base}/{thread}", json={"resolved": True}, headers=headers, timeout=180)
                assert resolve.status_code == 200, resolve.text
                assert comments_notice(there) == {"type": "comments"}
                with pytest.raises(TimeoutError):  # and nothing more
                    comments_notice(there, timeout=1)
        finally:
            one.stop()
            two.stop()
        instance.services.db.dispose()


def until(socket: ClientConnection, kind: str, timeout: float = 20) -> dict[str, Any]:
    """The next message of type `kind` on `socket`."""
    while True:
        for message in messages(socket.recv(timeout=timeout)):
            if message["type"] == kind:
                return message


def test_rights_taken_away_through_one_process_reach_connections_on_the_other(tmp_path: Path) -> None:
    """A demotion and a revoked token, made through process one, reach editors
    connected to process two (the access change travels by NOTIFY), before their next edit."""
    with postgres_schema() as url:
        instance = populate(url)
        accounts = instance.services.accounts
        owner = accounts.create_token(instance.actor("owner"), "live").token
        editor = accounts.create_token(instance.actor("editor"), "live")
        commenter = accounts.create_token(instance.actor("commenter"), "live")
        one = ServerProcess(url, tmp_path / "one.log").start()
        two = ServerProcess(url, tmp_path / "two.log").start()
        try:
            with live(two, instance, editor.token) as demoted, live(two, instance, commenter.token) as revoked:
                assert hello(demoted, "demoted")["role"] == "editor"
                hello(revoked, "revoked")
                base = f"{one.url}/api/workspaces/{instance.world.workspace_id}/members/editor"
                response = httpx.put(
                    base, json={"role": "viewer"}, headers={"Authorization": f"Bearer {owner}"}, timeout=30
                )
                assert response.status_code == 200, response.text
                gone = httpx.delete(
                    f"{one.url}/api/tokens/{commenter.record.id}",
                    headers={"Authorization": f"Bearer {commenter.token}"},
                    timeout=30,
                )
                assert gone.status_code == 204, gone.text
                assert until(demoted, "role")["role"] == "viewer"
                op = {"op": "set", "target": "registration", "field": "text", "value": "After demotion"}
                demoted.send(json.dumps({"type": "op", "id": "demoted:1", "op": op}))
                assert "viewer" in until(demoted, "reject")["message"]
                assert until(revoked, "error")["code"] == 4401
        finally:
            one.stop()
            two.stop()
        opened = instance.services.blueprints.open(instance.actor("owner"), instance.world.blueprint_id)
        assert opened.blueprint.card("registration").text != "After demotion"
        instance.services.db.dispose()
