"""Imports and exports at team scale: a 10,000-row journey map and a 1,000-card workbook."""

from __future__ import annotations

import io
import random

from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark
from stageline.formats.ingest import Ingested, ingest, read_any
from stageline.formats.interop import ir, signal, spreadsheet
from stageline.formats.interop.journey import read_journey
from stageline.model import Blueprint

FEELINGS = ["frustrated", "happy", "😐", "-1", "2", "confused", "delighted", "0"]


def journey_csv(rows: int = 10_000, seed: int = 0) -> bytes:
    """A realistic journey map: 40 stages, every column filled, an idea on one row in ten."""
    rng = random.Random(seed)
    out = io.StringIO()
    out.write(
        "Stage,Step,Customer action,Touchpoint,Thinking,Feeling,Pain points,Opportunities,Evidence,Duration,Wait\n"
    )
    for i in range(rows):
        idea = f"Idea {i}" if i % 10 == 0 else ""
        out.write(
            f"Stage {i // 250},Step {i},Customer does thing {i},{rng.choice(['web', 'phone', 'in person'])},"
            f"Will it work?,{rng.choice(FEELINGS)},Pain {i},{idea},Screen {i},"
            f"{rng.randint(1, 30)}m,{rng.randint(0, 9)}\n"
        )
    return out.getvalue().encode()


def signal_project() -> bytes:
    """A Blueprint Signal project at Signal 1.0's limits: 12 stages, 120 actions, 250 links, 120 plans."""
    import json

    lanes = ["evidence", "customer", "frontstage", "backstage", "support"]
    actions = [
        {
            "id": f"A{i}",
            "stage_id": f"S{i % 12 + 1}",
            "lane": lanes[i % 5],
            "description": f"Action {i}",
            "owner": f"Team {i % 7}",
            "minutes": i % 9 or None,
            "basis": "assumed",
            "source_id": None,
            "evidence_note": "",
        }
        for i in range(120)
    ]
    pairs = [(a, b) for a in range(120) for b in (a + 1, a + 7, a + 13) if b < 120][:250]
    data = {
        "schema_version": "1.0",
        "brief": "Benchmark service",
        "stages": [{"id": f"S{i}", "name": f"Stage {i}", "order": i} for i in range(1, 13)],
        "actions": actions,
        "links": [
            {"id": f"L{i}", "from_action": f"A{a}", "to_action": f"A{b}", "description": "Handoff"}
            for i, (a, b) in enumerate(pairs)
        ],
        "hazards": [
            {"id": f"F{i}", "action_id": f"A{i}", "failure": f"Failure {i}", "impact": "medium"}
            | {"basis": "assumed", "source_id": None, "owner": ""}
            for i in range(120)
        ],
        "improvements": [
            {"id": f"I{i}", "hazard_id": f"F{i}", "change": f"Change {i}.", "owner": "", "measure": ""}
            | {"target": "", "check_date": None, "status": "proposed"}
            for i in range(120)
        ],
        "sources": [],
    }
    return json.dumps({"format": "blueprint-project-v1", "data": data, "origin": "bench", "review": None}).encode()


def _signal_round_trip(data: bytes) -> str:
    return signal.write_signal(read_any(data, "project.json").blueprint)


def _ir_round_trip(bp: Blueprint) -> Blueprint:
    return read_any(ir.write_ir(bp).encode(), "blueprint.json").blueprint


def _slides(bp: Blueprint) -> bytes:
    from stageline.render.exports import export, writer_named

    return bytes(export(bp, writer_named("pptx")))


def _workbook() -> Blueprint:
    return generate_blueprint(cards=1000, links=2000, seed=0)


def _ready(found: Ingested) -> Ingested:
    assert found.ready, found.problems
    return found


BENCHMARKS = [
    Benchmark(
        "interop: import a 10,000-row journey CSV",
        lambda data: read_journey(data, source="journey.csv"),
        setup=journey_csv,
        target=3.0,
        repeat=3,
    ),
    Benchmark(
        "interop: ingest (the path of stageline import and the web import), a 10,000-row journey CSV",
        lambda data: _ready(ingest(data, "journey.csv")),
        setup=journey_csv,
        target=3.0,
        repeat=3,
    ),
    Benchmark(
        "interop: export 1,000 cards to XLSX (with findings and metrics)",
        spreadsheet.write_xlsx,
        setup=_workbook,
        target=3.0,
        repeat=3,
    ),
    Benchmark(
        "interop: re-import a 1,000-card XLSX export",
        lambda data: read_any(data, "blueprint.xlsx"),
        setup=lambda: spreadsheet.write_xlsx(_workbook()),
        target=2.0,
        repeat=3,
    ),
    Benchmark(
        "interop: CSV export + re-import, 1,000 cards",
        lambda bp: read_any(spreadsheet.write_csv(bp).encode(), "blueprint.csv"),
        setup=_workbook,
        target=1.0,
        repeat=3,
    ),
    Benchmark(
        "interop: Blueprint Signal project at its limits (120 actions, 250 links), import + export",
        _signal_round_trip,
        setup=signal_project,
        target=1.0,
        repeat=5,
    ),
    Benchmark(
        "interop: agentic-service-blueprinting IR export + re-import, 1,000 cards",
        _ir_round_trip,
        setup=_workbook,
        target=2.0,
        repeat=3,
    ),
    Benchmark(
        "interop: slide deck (PPTX) of a 200-card blueprint",
        _slides,
        setup=lambda: generate_blueprint(cards=200, links=300, seed=0),
        target=5.0,
        repeat=3,
    ),
]
