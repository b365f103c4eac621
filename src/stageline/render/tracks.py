"""Track assignment: give each interval the lowest track free over its span.

Greedy colouring of intervals sorted by their start is optimal for interval
graphs (as many tracks as the deepest overlap) and runs in O(n log n), which
keeps connector routing fast on blueprints with thousands of links.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Sequence


def assign_tracks(
    intervals: Sequence[tuple[float, float, Hashable]], gap: float = 0.0
) -> tuple[dict[Hashable, int], int]:
    """Tracks for `(start, end, key)` intervals so that two intervals on one
    track are at least `gap` apart; returns `(track per key, track count)`."""
    ordered = sorted(intervals, key=lambda item: (item[0], item[1], str(item[2])))
    free: list[int] = []  # tracks whose last interval has ended, lowest first
    busy: list[tuple[float, int]] = []  # (end + gap, track)
    assigned: dict[Hashable, int] = {}
    count = 0
    for start, end, key in ordered:
        while busy and busy[0][0] < start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            track = heapq.heappop(free)
        else:
            track = count
            count += 1
        assigned[key] = track
        heapq.heappush(busy, (end + gap, track))
    return assigned, count
