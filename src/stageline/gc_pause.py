"""The cyclic garbage collector, paused around big loads, dumps and drawings.

Reading, writing or drawing a large blueprint allocates tens of thousands of
containers that all stay alive, and the collector's passes over them (and over
everything else alive in the process) find nothing: 20-30 % of a 4,000-card
load. `paused_gc()` turns it off for the duration and back on when the last
overlapping pause ends (threads may overlap), if it was on before.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def without_gc(function: Callable[P, R]) -> Callable[P, R]:
    """`function` run with the collector paused."""

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused_gc():
            return function(*args, **kwargs)

    return run
