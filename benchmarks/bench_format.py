"""YAML format v1 on a 1,000-card blueprint: load (parse, validate, locate), dump
(canonical form) and fmt (canonical form keeping comments)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import yaml

from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark
from stageline.formats import fast
from stageline.formats.comments import format_text
from stageline.formats.writer import ruamel_dumps
from stageline.formats.yaml_format import dumps, loads
from stageline.model import Blueprint

T = TypeVar("T")


def _blueprint() -> Blueprint:
    return generate_blueprint(cards=1000, links=500, seed=0)


def _text() -> str:
    return dumps(_blueprint())


def _commented() -> str:
    # A comment above every step and at the end of every card text line.
    lines = []
    for line in _text().splitlines():
        if line.lstrip().startswith("- id:") and line.startswith("      -"):
            lines.append(line[: len(line) - len(line.lstrip())] + "# step note")
        lines.append(line + "  # card note" if line.lstrip().startswith("text:") else line)
    return "\n".join(lines) + "\n"


def _floor_setup() -> tuple[str, dict[str, Any]]:
    bp = _blueprint()
    return dumps(bp), bp.model_dump()


def _floor(state: tuple[str, dict[str, Any]]) -> None:
    """What any loader must do at least: libyaml's C loader, then pydantic validation
    of the same blueprint (already in the model's shape)."""
    text, data = state
    yaml.load(text, Loader=yaml.CSafeLoader)
    Blueprint.model_validate(data)


def _round_trip(work: Callable[[str], T]) -> Callable[[str], T]:
    """`work` with libyaml's fast path off: the round-trip parser alone."""

    def run(text: str) -> T:
        fast.ENABLED = False
        try:
            return work(text)
        finally:
            fast.ENABLED = True

    return run


_load_round_trip = _round_trip(loads)


FLOOR = Benchmark("CSafeLoader + pydantic validation (floor)", _floor, setup=_floor_setup)

BENCHMARKS = [
    Benchmark(
        "format: load 1,000 cards / 500 links", loads, setup=_text, target=2.0, repeat=7, baseline=FLOOR, ratio=3.0
    ),
    Benchmark(
        "format: load 1,000 cards, round-trip parser alone",
        _load_round_trip,
        setup=_text,
        repeat=3,
        baseline=Benchmark("format: load 1,000 cards (fast path)", loads, setup=_text),
    ),
    Benchmark(
        "format: dump 1,000 cards / 500 links",
        dumps,
        setup=_blueprint,
        target=1.0,
        repeat=5,
        baseline=Benchmark("ruamel's emitter, same tree (before)", ruamel_dumps, setup=_blueprint),
        ratio=0.2,  # at least 5x faster
    ),
    Benchmark(
        "format: fmt with comments, 1,000 cards",
        format_text,
        setup=_commented,
        target=1.0,
        repeat=3,
        baseline=Benchmark("fmt, round-trip parser alone (before)", _round_trip(format_text), setup=_commented),
    ),
]
