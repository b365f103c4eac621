"""YAML format v1 on a 1,000-card blueprint: load (parse, validate, locate), dump
(canonical form) and fmt (canonical form keeping comments)."""

from __future__ import annotations

from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark
from stageline.formats.comments import format_text
from stageline.formats.yaml_format import dumps, loads
from stageline.model import Blueprint


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


BENCHMARKS = [
    Benchmark("format: load 1,000 cards / 500 links", loads, setup=_text, target=2.0, repeat=5),
    Benchmark("format: dump 1,000 cards / 500 links", dumps, setup=_blueprint, target=1.0, repeat=5),
    Benchmark("format: fmt with comments, 1,000 cards", format_text, setup=_commented, repeat=3),
]
