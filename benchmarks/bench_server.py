"""The server's hot paths on SQLite: one edit through `Blueprints.apply`
(load from cache, apply, serialise, write version + log row) on a 200-card
blueprint, and listing a workspace of 50 blueprints with a search."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark
from stageline.model.operations import SetProperty
from stageline.server.db import Database, upgrade
from stageline.server.services import Services
from stageline.server.services.base import Actor
from stageline.server.settings import Settings


def _instance(blueprints: int, cards: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="stageline-bench-"))
    settings = Settings(
        database_url=f"sqlite:///{folder / 'bench.db'}", password_time_cost=1, password_memory_cost=1024
    )
    database = Database(settings.database_url)
    upgrade(database.engine)
    services = Services.build(database, settings)
    admin = Actor.of(services.accounts.setup_admin("bench", "Bench", "benchmark password", "Bench"))
    workspace = services.workspaces.of(admin)[0].workspace
    ids = [
        services.blueprints.create(admin, workspace.id, generate_blueprint(cards, cards, seed=n), "bench").id
        for n in range(blueprints)
    ]
    card_id = next(card.id for _, card in services.blueprints.open(admin, ids[0]).blueprint.cards())
    return {
        "services": services,
        "admin": admin,
        "workspace": workspace.id,
        "id": ids[0],
        "card": card_id,
        "counter": itertools.count(),
    }


def _edit(state: dict[str, Any]) -> None:
    op = SetProperty(target=state["card"], field="text", value=f"Edited {next(state['counter'])}")
    state["services"].blueprints.apply(state["id"], [op], state["admin"])


def _list(state: dict[str, Any]) -> None:
    state["services"].blueprints.listing(state["admin"], state["workspace"], "card")


BENCHMARKS = [
    Benchmark(
        "server: apply one operation to a 200-card blueprint (SQLite)",
        _edit,
        setup=lambda: _instance(1, 200),
        target=0.25,
        repeat=15,
    ),
    Benchmark(
        "server: list and search 50 blueprints (SQLite)", _list, setup=lambda: _instance(50, 40), target=0.1, repeat=15
    ),
]
