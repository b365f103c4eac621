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
