"""Current state vs future state: what changed between two blueprints.

    import stageline
    result = stageline.diff(stageline.load("hotel.yaml"), stageline.load("hotel-future.yaml"))
    result.to_json()       # the JSON contract in docs/diff.md
    result.highlights()    # element id → "added" | "removed" | "changed", for the renderer

Elements are matched by id, then by the similarity of their text; see
`stageline.analysis.diff.matching`.
"""

from stageline.analysis.diff.engine import diff
from stageline.analysis.diff.result import BlueprintDiff, Change, Entry, Location, MetricDelta, Move

__all__ = ["BlueprintDiff", "Change", "Entry", "Location", "MetricDelta", "Move", "diff"]
