"""PNG backend: the SVG rasterised by resvg with the shipped font files only,
so a PNG is pixel-identical on every machine whatever fonts it has."""

from __future__ import annotations

import resvg_py

from stageline.render.primitives import Drawing
from stageline.render.svg import to_svg
from stageline.render.text import BOLD, REGULAR

# Past this many pixels a PNG is slow to make and to open; larger requests are
# scaled down to it (SVG and PDF stay sharp at any size for wall prints).
MAX_PIXELS = 24_000_000


def effective_scale(drawing: Drawing, scale: float) -> float:
    if scale <= 0:
        raise ValueError(f"scale must be positive, not {scale:g}")
    pixels = drawing.width * drawing.height * scale * scale
    if pixels > MAX_PIXELS:
        scale *= (MAX_PIXELS / pixels) ** 0.5
    return scale


def to_png(drawing: Drawing, *, scale: float = 1.0) -> bytes:
    svg = to_svg(drawing, embed_font=False, plain=True)
    data = resvg_py.svg_to_bytes(
        svg_string=svg,
        zoom=effective_scale(drawing, scale),
        skip_system_fonts=True,
        font_files=[str(REGULAR), str(BOLD)],
        font_family="DejaVu Sans",
        sans_serif_family="DejaVu Sans",
        shape_rendering="geometric_precision",
        text_rendering="optimize_legibility",
    )
    return bytes(data)
