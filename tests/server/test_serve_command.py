"""`stageline serve`: what a person sees at start, and the demo workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers.server import PASSWORD, fast_settings
from stageline.cli import main
from stageline.environment import Environment
from stageline.server import create_app
from stageline.server.services.base import Actor
from stageline.server.services.demo import DEMO_WORKSPACE, demo_blueprints, seed_demo

ROOT = Path(__file__).resolve().parents[2]


def test_serve_prints_where_and_what_next(
    console: Environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: started.update(app=app, **options))
    database = tmp_path / "team.db"
    assert main(["serve", "--db", f"sqlite:///{database}", "--port", "8123", "--demo"]) == 0
    output = console.stdout.getvalue()
    assert "http://localhost:8123" in output and str(database) in output
    assert "creates the admin account" in output and "example blueprints" in output
    assert started["port"] == 8123 and started["app"].state.settings.demo
    assert database.exists()


def test_serve_explains_an_unreachable_database(console: Environment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("uvicorn.run", lambda app, **options: None)
    status = main(["serve", "--db", "postgresql://nobody:secret@127.0.0.1:1/none"])
    assert status == 3
    message = console.stderr.getvalue()
    assert "Cannot open the database" in message and "secret" not in message


def test_demo_workspace_holds_the_examples(tmp_path: Path) -> None:
    app = create_app(fast_settings(f"sqlite:///{tmp_path / 'demo.db'}", demo=True))
    services = app.state.services
    admin = Actor.of(services.accounts.setup_admin("ada", "Ada", PASSWORD, "Team"))
    workspace = seed_demo(services.workspaces, services.blueprints, admin)
    titles = [item.record.title for item in services.blueprints.listing(admin, workspace.id)]
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    assert workspace.name == DEMO_WORKSPACE and len(titles) == len(examples) > 0
    # The hotel's future state is linked to its current state, so Compare opens on the redesign.
    listing = services.blueprints.listing(admin, workspace.id)
    future = next(item.record for item in listing if item.record.state == "future")
    links = services.states.links(admin, future.id)
    assert links.current is not None and links.current.record.title == future.title
    app.state.services.db.dispose()


def test_demo_falls_back_to_templates_without_examples(tmp_path: Path) -> None:
    found = demo_blueprints(tmp_path / "no-examples-here")
    assert found and all(source.startswith("the template") for source, _ in found)


def test_demo_setup_lands_on_the_examples(tmp_path: Path) -> None:
    import re

    from fastapi.testclient import TestClient

    app = create_app(fast_settings(f"sqlite:///{tmp_path / 'demo.db'}", demo=True))
    with TestClient(app) as client:
        page = client.get("/setup").text
        token = re.search(r'name="form_token" value="([^"]+)"', page)
        assert token is not None
        form = {"username": "ada", "display_name": "Ada", "password": PASSWORD, "workspace": "Team"}
        landed = client.post("/setup", data={**form, "form_token": token.group(1)})
        assert landed.status_code == 200 and "/w/demo-blueprints" in str(landed.url)
        assert "These example blueprints are yours to explore" in landed.text
        assert "Overnight hotel stay" in landed.text
    app.state.services.db.dispose()


# -- clean failures: databases, ports, Ctrl+C ------------------------------------------------
@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    started: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: started.update(app=app, **options))
    monkeypatch.delenv("STAGELINE_DB", raising=False)
    return started


def test_sqlite_takes_a_plain_path_and_absolute_urls_and_the_banner_shows_the_file(
    console: Environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_server: dict[str, Any]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x").mkdir()
    for given, file in [
        ("team.db", tmp_path / "team.db"),  # relative plain path
        (str(tmp_path / "plain.db"), tmp_path / "plain.db"),  # absolute plain path
        (f"sqlite:///{tmp_path}/x/four.db", tmp_path / "x" / "four.db"),  # sqlite:////abs
        ("sqlite:///x/relative.db", tmp_path / "x" / "relative.db"),  # sqlite:///relative
    ]:
        console.stdout.truncate(0)
        assert main(["serve", "--db", given, "--port", "8123"]) == 0, console.stderr.getvalue()
        assert file.exists()
        assert str(file) in console.stdout.getvalue().replace("\n", "").replace(" ", ""), given
        no_server["app"].state.services.db.dispose()


def test_postgres_urls_pass_through_unchanged() -> None:
    from stageline.commands.serve import database_url

    for url in ("postgresql://stageline@db.internal/team", "postgres://u:p@h/db", "postgresql+psycopg://h/db"):
        assert database_url(url) == url


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("mysql://user:secret@db.example/team", "Stageline does not run on mysql"),
        ("not a url://at all", "is not a database URL"),
        ("sqlite://", "in-memory"),
        ("sqlite:///tmp/nowhere-at-all/team.db", "sqlite:/// is relative to the current folder"),
        ("/nowhere-at-all/team.db", "does not exist"),
    ],
)
def test_unsupported_and_malformed_databases_get_one_line(
    console: Environment,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_server: dict[str, Any],
    given: str,
    says: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["serve", "--db", given]) == 2
    message = console.stderr.getvalue()
    assert says in message and "secret" not in message
    assert message.count("\n") == 1 and "Traceback" not in message
    assert console.stdout.getvalue() == "" and no_server == {}  # no banner, no server
    assert list(tmp_path.iterdir()) == []  # nothing created


def test_a_busy_port_is_refused_before_the_banner(
    console: Environment, tmp_path: Path, no_server: dict[str, Any]
) -> None:
    import socket

    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        assert main(["serve", "--db", str(tmp_path / "team.db"), "--port", str(port)]) == 2
    assert f"port {port} on 127.0.0.1 is already in use" in console.stderr.getvalue()
    assert "Stageline is running" not in console.stdout.getvalue() and no_server == {}


@pytest.mark.slow
def test_ctrl_c_after_a_simulation_stops_quietly(tmp_path: Path) -> None:
    """Ctrl+C reaches the whole process group (the server, its fork server and helpers):
    the server stops with no traceback from any of them."""
    import os
    import signal
    import subprocess
    import sys

    import httpx

    from helpers.live_server import LAUNCH, STARTUP, free_port, populate

    instance = populate(f"sqlite:///{tmp_path / 'team.db'}")
    token = instance.services.accounts.create_token(instance.actor("owner"), "simulate").token
    instance.services.db.dispose()
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, "serve", "--db", instance.database_url, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=STARTUP) as client:
            import time

            deadline = time.monotonic() + STARTUP
            while True:
                try:
                    client.get("/signin")
                    break
                except httpx.HTTPError:
                    assert time.monotonic() < deadline and server.poll() is None, log.read_text()
                    time.sleep(0.2)
            body = {"arrivals": {"rate": "10/h"}, "resources": {"Front desk clerk": 1}, "customers": 50}
            answer = client.post(f"/api/blueprints/{instance.world.blueprint_id}/simulate", json=body)
            assert answer.status_code == 200, answer.text
        os.killpg(server.pid, signal.SIGINT)
        server.wait(STARTUP)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    output = log.read_text()
    assert server.returncode in (0, 130), output
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("STAGELINE_PORT", "web", "STAGELINE_PORT='web' is not a whole number; write e.g. STAGELINE_PORT=8000"),
        ("STAGELINE_PORT", "70000", "STAGELINE_PORT=70000 is out of range: give 1 to 65535"),
        ("STAGELINE_MAX_BODY_MB", "lots", "STAGELINE_MAX_BODY_MB='lots' is not a number"),
        ("STAGELINE_TRUSTED_PROXIES", "0", "STAGELINE_TRUSTED_PROXIES=0 is out of range"),
        ("STAGELINE_MAX_IMPORT_MB", "nan", "STAGELINE_MAX_IMPORT_MB=nan is out of range: give 0.01 to 50"),
        ("STAGELINE_MAX_IMPORT_MB", "60", "STAGELINE_MAX_IMPORT_MB=60 is out of range"),
        ("STAGELINE_MAX_IMPORT_MB", "20", "set STAGELINE_MAX_BODY_MB to at least 21"),
    ],
)
def test_a_setting_that_cannot_be_used_gets_one_line(
    console: Environment,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_server: dict[str, Any],
    variable: str,
    value: str,
    says: str,
) -> None:
    monkeypatch.setenv(variable, value)
    assert main(["serve", "--db", str(tmp_path / "team.db"), "--port", "8124"]) == 2
    message = console.stderr.getvalue()
    assert says in message, message
    assert message.count("\n") == 1 and "Traceback" not in message
    assert no_server == {} and list(tmp_path.iterdir()) == []


def test_the_import_limit_is_a_setting(
    console: Environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_server: dict[str, Any]
) -> None:
    monkeypatch.setenv("STAGELINE_MAX_IMPORT_MB", "12")
    monkeypatch.setenv("STAGELINE_MAX_BODY_MB", "16")
    assert main(["serve", "--db", str(tmp_path / "team.db"), "--port", "8125"]) == 0
    services = no_server["app"].state.services
    assert services.import_limits.max_bytes == 12 * 1024 * 1024
