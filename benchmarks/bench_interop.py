"""Imports and exports at team scale: a 10,000-row journey map and a 1,000-card workbook."""

from __future__ import annotations

import io
import random

from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark
from stageline.formats.interop import spreadsheet
from stageline.formats.interop.journey import read_journey
from stageline.formats.interop.registry import read_any
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


def _workbook() -> Blueprint:
    return generate_blueprint(cards=1000, links=2000, seed=0)


BENCHMARKS = [
    Benchmark(
        "interop: import a 10,000-row journey CSV",
        lambda data: read_journey(data, source="journey.csv"),
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
]
