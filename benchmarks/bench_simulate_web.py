"""The web app's Simulate page, end to end but for HTTP: the inputs read and
checked, the run in a child process, the report back as JSON, the three charts
and the blueprint drawn with its heat map (what POST /b/{id}/simulate does),
for the 50-step benchmark blueprint with 10,000 customers: under 3 s."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmarks.bench_simulation import large_blueprint
from benchmarks.harness import Benchmark
from stageline.server.db import Database, upgrade
from stageline.server.pages.simulate import heat_drawing
from stageline.server.pages.simulate_charts import time_chart, utilisation_chart, wait_chart
from stageline.server.services import Services
from stageline.server.services.base import Actor
from stageline.server.settings import Settings


def _instance(customers: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="stageline-bench-"))
    settings = Settings(
        database_url=f"sqlite:///{folder / 'bench.db'}", password_time_cost=1, password_memory_cost=1024
    )
    database = Database(settings.database_url)
    upgrade(database.engine)
    services = Services.build(database, settings)
    admin = Actor.of(services.accounts.setup_admin("bench", "Bench", "benchmark password", "Bench"))
    workspace = services.workspaces.of(admin)[0].workspace
    record = services.blueprints.create(admin, workspace.id, large_blueprint(customers), "bench")
    return {"services": services, "admin": admin, "id": record.id}


def _simulate_page(state: dict[str, Any]) -> None:
    run = state["services"].simulations.run(state["admin"], state["id"], {"seed": 1})
    report = run.report
    assert report["customers"]["completed"] > 0
    for chart in (time_chart(report["customers"]), utilisation_chart(report["resources"]), wait_chart(report["steps"])):
        assert "<svg" in chart
    svg, error = heat_drawing(run)
    assert svg is not None and "sl-heat-halo" in svg, error


BENCHMARKS = [
    Benchmark(
        "web: simulate page, 50 steps, 10,000 customers",
        _simulate_page,
        setup=lambda: _instance(10_000),
        target=3.0,
        repeat=5,
    ),
]
