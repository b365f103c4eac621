"""Rendering speed on a large blueprint: 1,000 cards and 600 links.

Targets: SVG under 1 s, PNG under 3 s (medians, on the project's 2-core machine).
"""

from __future__ import annotations

from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark
from stageline.model import Blueprint
from stageline.render import drawing, render
from stageline.render.text import subset_font


def _large() -> Blueprint:
    return generate_blueprint(cards=1000, links=600, seed=0)


def _svg_cold(bp: Blueprint) -> object:
    # The embedded font's subset is cached per character set; clear it so each
    # run pays for subsetting like a first render does.
    subset_font.cache_clear()
    return render(bp, "svg")


BENCHMARKS = [
    Benchmark("render: layout + display list, 1000 cards / 600 links", lambda bp: drawing(bp), _large, repeat=5),
    Benchmark("render: SVG with embedded font, 1000 cards / 600 links", _svg_cold, _large, target=1.0, repeat=5),
    Benchmark(
        "render: PNG, 1000 cards / 600 links", lambda bp: render(bp, "png", scale=1), _large, target=3.0, repeat=3
    ),
    Benchmark("render: PDF, 1000 cards / 600 links", lambda bp: render(bp, "pdf"), _large, repeat=3),
    Benchmark("render: HTML, 1000 cards / 600 links", lambda bp: render(bp, "html"), _large, repeat=3),
]
