"""The visual diff: the merged blueprint drawn by the renderer, with added
elements green, removed red and changed amber."""

from __future__ import annotations

import importlib
import re

from stageline.analysis.diff.result import BlueprintDiff
from stageline.analysis.diff.visual import merged_blueprint


class DrawingUnavailable(RuntimeError):
    """The renderer is not installed or cannot draw highlights."""


def draw_svg(result: BlueprintDiff, **options: object) -> str:
    """An SVG of the new blueprint with the removed elements put back, every
    element that differs highlighted; `options` go to the renderer (e.g. theme)."""
    merged, highlights = merged_blueprint(result)
    try:
        # Not `stageline.render(...)`: once the subpackage is imported, that
        # name on the package is the module, not the wrapper function.
        renderer = importlib.import_module("stageline.render")
    except ImportError as error:
        raise DrawingUnavailable(f"drawing a diff needs the renderer (stageline.render): {error}") from None
    try:
        drawing = renderer.render(merged, format="svg", highlights=highlights, **options)
    except TypeError as error:
        raise DrawingUnavailable(f"the renderer cannot draw highlights: {error}") from None
    return drawing if isinstance(drawing, str) else drawing.decode()


def inline_svg(svg: str) -> str:
    """The SVG without its XML declaration or doctype, ready to sit inside HTML."""
    return re.sub(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", "", svg)
