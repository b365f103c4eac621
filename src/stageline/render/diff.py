"""The visual diff: the merged blueprint drawn by the renderer, with added
elements green, removed red and changed amber."""

from __future__ import annotations

from typing import Any

from stageline.analysis.diff.result import BlueprintDiff
from stageline.analysis.diff.visual import merged_blueprint
from stageline.render import render


def draw_svg(result: BlueprintDiff, **options: Any) -> str:
    """An SVG of the new blueprint with the removed elements put back, every
    element that differs highlighted; `options` go to the renderer (e.g. theme)."""
    merged, highlights = merged_blueprint(result)
    drawing = render(merged, format="svg", highlights=highlights, **options)
    return drawing if isinstance(drawing, str) else drawing.decode()
