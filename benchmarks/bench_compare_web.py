"""The web app's comparison of a current and a future state, uncached: both
sides read from SQLite, the diff with metric deltas, and both sides drawn with
their highlights (what /b/{id}/compare does on a first visit), for 300-card
blueprints with ~10 % changed: under 2 s. And the opportunity board's matrix."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmarks.bench_diff import derived
from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark
from stageline.server.db import Database, upgrade
from stageline.server.services import Services
from stageline.server.services.base import Actor
from stageline.server.services.comparisons import Comparisons
from stageline.server.services.opportunities import build_board
from stageline.server.settings import Settings


def _instance(cards: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="stageline-bench-"))
    settings = Settings(
        database_url=f"sqlite:///{folder / 'bench.db'}", password_time_cost=1, password_memory_cost=1024
    )
    database = Database(settings.database_url)
    upgrade(database.engine)
    services = Services.build(database, settings)
    admin = Actor.of(services.accounts.setup_admin("bench", "Bench", "benchmark password", "Bench"))
    workspace = services.workspaces.of(admin)[0].workspace
    current = generate_blueprint(cards, cards, seed=3)
    old = services.blueprints.create(admin, workspace.id, current, "bench")
    future = services.states.create_future(admin, old.id)
    services.blueprints.replace(admin, future.id, derived(current))
    return {"services": services, "admin": admin, "old": old.id, "new": future.id, "blueprint": current}


def _compare(state: dict[str, Any]) -> None:
    services, admin = state["services"], state["admin"]
    comparisons = Comparisons(services.blueprints)  # a cold cache, like a first visit
    comparison = comparisons.compare(comparisons.side(admin, state["old"]), comparisons.side(admin, state["new"]))
    for side in ("old", "new"):
        assert comparisons.drawing(comparison, side).svg


BENCHMARKS = [
    Benchmark(
        "web: compare current and future state, 300 cards, uncached",
        _compare,
        setup=lambda: _instance(300),
        target=2.0,
        repeat=5,
    ),
    Benchmark(
        "web: opportunity board of a 1,000-card blueprint",
        lambda state: build_board(state),
        setup=lambda: generate_blueprint(1000, 1000, seed=4),
        target=0.05,
    ),
]
