"""The web import's preview, redrawn each time a column's field changes: the kept
upload is unpacked and the whole map imported again with the person's choices."""

from __future__ import annotations

from benchmarks.bench_interop import journey_csv
from benchmarks.harness import Benchmark
from stageline.server.services.importing import Draft, Upload, analyse


def _kept(rows: int) -> tuple[str, dict[int, str], str]:
    upload = Upload.of("journey.csv", journey_csv(rows))
    first = analyse(upload)
    choices = {column.position: column.field or "" for column in first.columns}
    choices[4] = "pain"  # Thinking read as the pain point
    choices[6] = ""
    return upload.stash(), choices, first.signature


def _redraw(kept: tuple[str, dict[int, str], str]) -> Draft:
    stash, choices, signature = kept
    draft = analyse(Upload.unstash("journey.csv", stash), choices=choices, signature=signature)
    assert draft.ready
    return draft


BENCHMARKS = [
    Benchmark(
        "server import: preview redraw, 200-row journey map",
        _redraw,
        setup=lambda: _kept(200),
        target=0.1,
    ),
    Benchmark(
        "server import: preview redraw, 10,000-row journey map",
        _redraw,
        setup=lambda: _kept(10_000),
        target=3.0,
        repeat=3,
    ),
]
