"""Checkpoints of large blueprints are serialised in a helper process, so the
event loop and the other rooms keep the interpreter; the helper falls back,
restarts, stops with the server, and never outlives it."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from websockets.sync.client import connect

from helpers.blueprints import small_blueprint
from helpers.live import eventually, large_blueprint, messages
from helpers.live_server import ServerProcess, populate
from stageline.model import Blueprint
from stageline.server.realtime import checkpoints
from stageline.server.realtime.checkpoints import HELPER_FROM, Serialiser
from stageline.server.realtime.protocol import wire_json
from stageline.server.services.documents import serialise


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes.
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def helpers_of(pid: int) -> list[int]:
    """Child processes of `pid` that are multiprocessing workers (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def test_a_large_document_is_serialised_by_the_helper_process() -> None:
    document = wire_json(large_blueprint())
    assert len(document) >= HELPER_FROM
    serialiser = Serialiser()
    try:
        assert serialiser(document) == serialise(Blueprint.model_validate_json(document))
        (helper,) = serialiser.helper_pids
        assert helper != os.getpid() and alive(helper)
    finally:
        serialiser.close()
    assert not alive(helper)  # close() waits for it to exit
    # After close, checkpoints (the rooms' last ones) are written in the caller.
    assert serialiser(document) == serialise(Blueprint.model_validate_json(document))
    assert serialiser.helper_pids == []


def test_warming_starts_the_helper_before_the_first_checkpoint() -> None:
    serialiser = Serialiser()
    try:
        serialiser.warm()
        (helper,) = serialiser.helper_pids
        serialiser.warm()  # once is enough
        assert serialiser.helper_pids == [helper]
        document = wire_json(large_blueprint())
        assert serialiser(document) == serialise(Blueprint.model_validate_json(document))
        assert serialiser.helper_pids == [helper]
    finally:
        serialiser.close()


def test_a_small_document_never_starts_the_helper() -> None:
    serialiser = Serialiser()
    document = wire_json(small_blueprint())
    assert serialiser(document) == serialise(small_blueprint())
    assert serialiser.helper_pids == []
    serialiser.close()


def test_a_killed_helper_costs_nothing_and_a_new_one_starts() -> None:
    serialiser = Serialiser(helper_from=1)
    document = wire_json(small_blueprint())
    expected = serialise(small_blueprint())
    try:
        assert serialiser(document) == expected
        (first,) = serialiser.helper_pids
        os.kill(first, signal.SIGKILL)
        eventually(lambda: _dead(first))
        assert serialiser(document) == expected  # written in the caller this time
        assert serialiser(document) == expected  # and by a new helper after it
        (second,) = serialiser.helper_pids
        assert second != first
    finally:
        serialiser.close()


def test_without_processes_checkpoints_are_written_in_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_processes(*args: object, **kwargs: object) -> None:
        raise OSError("process creation is not allowed here")

    monkeypatch.setattr(checkpoints, "ProcessPoolExecutor", no_processes)
    serialiser = Serialiser(helper_from=1)
    for _ in range(checkpoints.MAX_RESTARTS + 2):
        assert serialiser(wire_json(small_blueprint())) == serialise(small_blueprint())
    assert serialiser.helper_pids == []
    serialiser.close()


def _dead(pid: int) -> None:
    assert not alive(pid)


def _checkpoint_through(server: ServerProcess, blueprint_id: int, token: str, text: str) -> None:
    """One live edit, then leave: the last one out stores a checkpoint."""
    url = f"{server.ws}/api/blueprints/{blueprint_id}/live"
    with connect(url, additional_headers={"Authorization": f"Bearer {token}"}, open_timeout=180) as socket:
        socket.send(json.dumps({"type": "hello", "client_id": "checkpoint-test", "seq": 0, "pending": []}))
        op = {"op": "set", "target": "step-7.customer", "field": "text", "value": text}
        socket.send(json.dumps({"type": "op", "id": f"checkpoint-test:{text}", "op": op}))
        while True:
            for message in messages(socket.recv(timeout=180)):
                assert message["type"] != "reject", message
                if message["type"] == "op":
                    return


@pytest.mark.slow
def test_the_server_stops_its_helper_and_a_killed_server_leaves_none(tmp_path: Path) -> None:
    instance = populate(f"sqlite:///{tmp_path / 'live.db'}")
    owner = instance.actor("owner")
    record = instance.services.blueprints.create(owner, instance.world.workspace_id, large_blueprint(), "large")
    token = instance.services.accounts.create_token(owner, "checkpoints").token

    def stored(text: str) -> None:
        # The versions as stored (opening the blueprint would store its live edits itself).
        latest = instance.services.blueprints.versions(owner, record.id)[0]
        assert latest.number > 1 and text in latest.document

    server = ServerProcess(instance.database_url, tmp_path / "server.log").start()
    try:
        _checkpoint_through(server, record.id, token, "Stored by the helper")
        eventually(lambda: stored("Stored by the helper"), timeout=60)
        assert server.process is not None
        (helper,) = helpers_of(server.process.pid)
        # Ctrl+C in a terminal reaches the whole process group: the helper
        # ignores it and the server stops it after its last checkpoints.
        os.kill(helper, signal.SIGINT)
        _checkpoint_through(server, record.id, token, "Stored after Ctrl+C")
        eventually(lambda: stored("Stored after Ctrl+C"))
        assert alive(helper) and helpers_of(server.process.pid) == [helper]
        server.stop()
        assert server.process.returncode == 0
        eventually(lambda: _dead(helper))  # it may take a moment to see the pipe close
        log = (tmp_path / "server.log").read_text()
        assert "Traceback" not in log and "unavailable" not in log

        # kill -9: nobody stops the helper, it sees the server go and exits.
        server.start()
        _checkpoint_through(server, record.id, token, "Stored again")
        eventually(lambda: stored("Stored again"), timeout=60)
        (helper,) = helpers_of(server.process.pid)
        server.kill()
        eventually(lambda: _dead(helper))
    finally:
        server.stop()
        instance.services.db.dispose()
