"""Draw blueprints people want to put on a wall: SVG, PNG, PDF and interactive HTML.

    import stageline
    svg = stageline.render(bp)                       # SVG text
    png = stageline.render(bp, format="png")         # PNG bytes
    html = stageline.render(bp, format="html", findings=stageline.check(bp))

Every format is drawn from one display list (`stageline.render.scene`), laid
out with the metrics of the font the package ships, so output is identical on
every machine.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from stageline.gc_pause import without_gc
from stageline.model.blueprint import Blueprint
from stageline.render.findings import FindingLike, mark
from stageline.render.heat import check_heat
from stageline.render.layout import Layout, RenderError, build_layout
from stageline.render.primitives import Drawing
from stageline.render.scene import draw
from stageline.render.themes import THEME_NAMES, theme_named

Format = Literal["svg", "png", "pdf", "html"]
FORMATS: tuple[str, ...] = ("svg", "png", "pdf", "html")
HIGHLIGHTS = ("added", "removed", "changed")


def layout(
    bp: Blueprint,
    *,
    stages: Sequence[str] | None = None,
    lanes: Sequence[str] | None = None,
    findings: Sequence[FindingLike] | None = None,
) -> Layout:
    """The geometry of a blueprint's drawing (see `stageline.render.layout`)."""
    return build_layout(bp, stages=stages, lanes=lanes, marks=mark(bp, list(findings or ())))


def drawing(
    bp: Blueprint,
    *,
    stages: Sequence[str] | None = None,
    lanes: Sequence[str] | None = None,
    theme: str = "light",
    findings: Sequence[FindingLike] | None = None,
    highlights: Mapping[str, str] | None = None,
    heat: Mapping[str, float] | None = None,
    heat_label: str | None = None,
) -> Drawing:
    """The display list every format is drawn from."""
    chosen = theme_named(theme)
    for element_id, status in (highlights or {}).items():
        if status not in HIGHLIGHTS:
            raise RenderError(f"highlight for {element_id!r} must be one of {', '.join(HIGHLIGHTS)}, not {status!r}")
    checked = check_heat(bp, heat)
    return draw(layout(bp, stages=stages, lanes=lanes, findings=findings), chosen, highlights, checked, heat_label)


@without_gc
def render(
    bp: Blueprint,
    format: str = "svg",
    *,
    stages: Sequence[str] | None = None,
    lanes: Sequence[str] | None = None,
    theme: str = "light",
    findings: Sequence[FindingLike] | None = None,
    highlights: Mapping[str, str] | None = None,
    heat: Mapping[str, float] | None = None,
    heat_label: str | None = None,
    scale: float = 1.0,
    embed_font: bool = True,
) -> str | bytes:
    """Draw `bp` as SVG or HTML text, or PNG or PDF bytes.

    `stages`/`lanes` restrict the drawing to those ids; `findings` is the list
    of check findings to mark, which the caller computed (`stageline.check(bp)`): the
    renderer never runs the checks itself; `highlights` maps element
    ids (cards, steps, stages, lanes, link keys) to added/removed/changed;
    `heat` maps card ids to 0-1 and lays a heat map over the cards (the
    simulation's per-card `heat`), explained in the legend by `heat_label`;
    `scale` multiplies the PNG's pixel size; `embed_font` puts the font
    (subset) into SVG and HTML so they look the same everywhere.
    """
    if format not in FORMATS:
        raise RenderError(f"unknown format {format!r}: choose one of {', '.join(FORMATS)}")
    found = list(findings or ())
    picture = drawing(
        bp,
        stages=stages,
        lanes=lanes,
        theme=theme,
        findings=found,
        highlights=highlights,
        heat=heat,
        heat_label=heat_label,
    )
    if format == "svg":
        from stageline.render.svg import to_svg

        return to_svg(picture, embed_font=embed_font)
    if format == "png":
        from stageline.render.png import to_png

        return to_png(picture, scale=scale)
    if format == "pdf":
        from stageline.render.pdf import to_pdf

        return to_pdf(picture)
    from stageline.render.html import to_html

    return to_html(bp, picture, found, embed_font=embed_font, checked=findings is not None)


class _CallableModule(types.ModuleType):
    """Importing this package rebinds the attribute `stageline.render` from the
    public function to the package; calling the package renders, so
    `stageline.render(bp, ...)` works whichever of the two it is."""

    def __call__(self, bp: Blueprint, format: str = "svg", **options: Any) -> str | bytes:
        return render(bp, format, **options)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["FORMATS", "THEME_NAMES", "Drawing", "Layout", "RenderError", "drawing", "layout", "render"]
