"""Utilisation hour by hour, by the clock: a resource that is quiet all
afternoon and swamped from nine to ten is not "40 % busy" to the customers who
came at nine."""

from __future__ import annotations

import math

import numpy as np

from stageline.analysis.simulation.clock import Hours

HOUR = 3600.0


def hourly_utilisation(
    starts: np.ndarray,
    services: np.ndarray,
    capacity: int,
    hours: Hours | None,
    clock_start: float,
    run_end: float,
) -> tuple[int, np.ndarray]:
    """(the clock hour of the first bin, counted from midnight of the first day;
    busy share of available unit-time per clock hour, NaN while closed)."""
    first = int(clock_start // HOUR)
    last = math.ceil((clock_start + max(run_end, 0.0)) / HOUR)
    count = max(last - first, 1)
    busy = np.zeros(count)
    if starts.size:
        begin = clock_start + starts
        finish = begin + services
        bins = np.floor(begin / HOUR).astype(np.int64)
        spans = int(np.max(np.floor(np.maximum(finish - 1e-9, begin) / HOUR).astype(np.int64) - bins)) + 1
        for offset in range(spans):
            edge = (bins + offset) * HOUR
            portion = np.clip(np.minimum(finish, edge + HOUR) - np.maximum(begin, edge), 0.0, None)
            index = bins + offset - first
            inside = (index >= 0) & (index < count) & (portion > 0)
            busy += np.bincount(index[inside], weights=portion[inside], minlength=count)[:count]
    available = np.empty(count)
    run_from, run_to = clock_start, clock_start + run_end
    for k in range(count):
        low, high = max((first + k) * HOUR, run_from), min((first + k + 1) * HOUR, run_to)
        seconds = hours.open_seconds(low, high) if hours else max(high - low, 0.0)
        available[k] = capacity * seconds
    with np.errstate(divide="ignore", invalid="ignore"):
        # Service started before closing runs on as overtime; it is counted in the
        # hour it falls in, so a closing hour can be over 100 %: cap it.
        share = np.where(available > 0, np.minimum(busy / np.where(available > 0, available, 1.0), 1.0), np.nan)
    return first, share
