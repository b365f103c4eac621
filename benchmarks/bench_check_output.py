"""`stageline check` with text output on a 1,000-card blueprint with many findings,
side by side with the check itself: printing the findings must not cost many
times what finding them does (issue 17: a rich table per finding was 35x)."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark
from stageline import environment
from stageline.analysis.checks import check
from stageline.cli import main
from stageline.formats.yaml_format import dumps, loads


def _file() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="bench-check-"))
    path = folder / "large.yaml"
    path.write_text(dumps(generate_blueprint(cards=1000, links=2000, seed=0)), encoding="utf-8")
    return path


def _check_command(path: Path) -> str:
    """The whole command in-process, its report redirected (not a terminal)."""
    out = StringIO()
    environment.use(environment.Environment(stdout=out, stderr=StringIO(), stdin=StringIO()))
    try:
        main(["check", str(path), "--fail-on", "info"])
    finally:
        environment.use(None)
    return out.getvalue()


def _load_and_check(path: Path) -> object:
    """The floor: read the same file and run the same checks, printing nothing."""
    return check(loads(path.read_text(encoding="utf-8"), str(path)))


BENCHMARKS = [
    Benchmark(
        "check: text report of 1,000 cards / 2,000 links, redirected",
        _check_command,
        setup=_file,
        baseline=Benchmark("load + check, printing nothing", _load_and_check, setup=_file),
        ratio=1.5,
    ),
]
