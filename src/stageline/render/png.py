"""PNG backend: the display list painted by Skia on the CPU with the shipped
font files only, so a PNG shows the same picture on every machine whatever
fonts it has.

Skia paints straight from the display list (no SVG to parse, no text to
re-shape) and hands back raw pixels; Pillow then writes them with light
compression. Both matter at wall size: a 24-megapixel PNG spends most of its
time in the encoder at the default compression level.
"""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
from PIL import Image

from stageline.render.layout import RenderError

try:
    import skia
except ImportError as error:  # the wheel is there but the system's GL libraries are not
    raise RenderError(
        f"PNG needs Skia, which could not load ({error}). On Debian or Ubuntu install its "
        "system libraries with 'apt-get install -y libegl1 libgl1' (make setup does this), "
        "or render to SVG or PDF instead."
    ) from error

from stageline.render.primitives import Circle, Corner, Drawing, Group, Item, Path, Rect, Text, rounded
from stageline.render.text import BOLD, REGULAR

# Past this many pixels a PNG is slow to make and to open; larger requests are
# scaled down to it (SVG and PDF stay sharp at any size for wall prints).
MAX_PIXELS = 24_000_000

# zlib level 3 with the usual adaptive filters: files within ~15% of level 6's
# size in a fraction of its time, for a picture that is mostly flat colour.
COMPRESSION = 3


def effective_scale(drawing: Drawing, scale: float) -> float:
    if scale <= 0:
        raise ValueError(f"scale must be positive, not {scale:g}")
    pixels = drawing.width * drawing.height * scale * scale
    if pixels > MAX_PIXELS:
        scale *= (MAX_PIXELS / pixels) ** 0.5
    return scale


@lru_cache(maxsize=1)
def _typefaces() -> tuple[skia.Typeface, skia.Typeface]:
    # An empty font manager, not the system's: no fontconfig, so no machine's
    # fonts (or its fontconfig warnings) can reach the picture.
    fonts = skia.FontMgr.New_Custom_Empty()
    return fonts.makeFromFile(str(REGULAR)), fonts.makeFromFile(str(BOLD))


@lru_cache(maxsize=256)
def _colour(hex_colour: str) -> int:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    alpha = int(value[6:8], 16) if len(value) == 8 else 255
    return int(skia.Color(int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), alpha))


class _Painter:
    def __init__(self, canvas: skia.Canvas) -> None:
        self.canvas = canvas
        self.typefaces = _typefaces()
        self.fonts: dict[tuple[bool, float], skia.Font] = {}

    def fill(self, colour: str) -> skia.Paint:
        return skia.Paint(Color=_colour(colour), AntiAlias=True, Style=skia.Paint.kFill_Style)

    def stroke(self, colour: str, width: float, dash: str | None) -> skia.Paint:
        paint = skia.Paint(
            Color=_colour(colour),
            AntiAlias=True,
            Style=skia.Paint.kStroke_Style,
            StrokeWidth=width,
            StrokeJoin=skia.Paint.kRound_Join,
        )
        if dash:
            intervals = [float(part) for part in dash.replace(",", " ").split()]
            if len(intervals) % 2:
                intervals *= 2  # SVG repeats an odd dash list; Skia needs pairs
            paint.setPathEffect(skia.DashPathEffect.Make(intervals, 0))
        return paint

    def item(self, item: Item) -> None:
        if isinstance(item, Group):
            for child in item.items:
                self.item(child)
        elif isinstance(item, Rect):
            self.rect(item)
        elif isinstance(item, Circle):
            if item.fill:
                self.canvas.drawCircle(item.cx, item.cy, item.r, self.fill(item.fill))
            if item.stroke:
                self.canvas.drawCircle(item.cx, item.cy, item.r, self.stroke(item.stroke, item.stroke_width, None))
        elif isinstance(item, Path):
            self.path(item)
        else:
            self.text(item)

    def rect(self, item: Rect) -> None:
        b = item.box
        shape = skia.Rect.MakeXYWH(b.x, b.y, b.w, b.h)
        radius = min(item.radius, b.w / 2, b.h / 2)
        for paint in self.paints(item.fill, item.stroke, item.stroke_width, item.dash):
            if radius:
                self.canvas.drawRoundRect(shape, radius, radius, paint)
            else:
                self.canvas.drawRect(shape, paint)

    def paints(self, fill: str | None, stroke: str | None, width: float, dash: str | None) -> list[skia.Paint]:
        paints = [self.fill(fill)] if fill else []
        if stroke:
            paints.append(self.stroke(stroke, width, dash))
        return paints

    def path(self, item: Path) -> None:
        paints = self.paints(item.fill, item.stroke, item.width, item.dash)
        if not paints or not item.points:
            return
        path = skia.Path()
        path.moveTo(*item.points[0])
        for vertex in rounded(item.points, item.corner_radius):
            if isinstance(vertex, Corner):
                path.lineTo(*vertex.start)
                path.quadTo(*vertex.apex, *vertex.end)
            else:
                path.lineTo(*vertex)
        if item.closed:
            path.close()
        for paint in paints:
            self.canvas.drawPath(path, paint)

    def text(self, item: Text) -> None:
        key = (item.bold, item.size)
        font = self.fonts.get(key)
        if font is None:
            font = skia.Font(self.typefaces[item.bold], item.size)
            font.setEdging(skia.Font.Edging.kAntiAlias)
            font.setSubpixel(True)
            font.setHinting(skia.FontHinting.kNone)  # positions as measured, at every scale
            self.fonts[key] = font
        x = item.x
        if item.anchor != "start":
            width = font.measureText(item.text)
            x -= width / 2 if item.anchor == "middle" else width
        self.canvas.drawString(item.text, x, item.y, font, self.fill(item.fill))


def to_png(drawing: Drawing, *, scale: float = 1.0) -> bytes:
    zoom = effective_scale(drawing, scale)
    width, height = max(1, round(drawing.width * zoom)), max(1, round(drawing.height * zoom))
    info = skia.ImageInfo.Make(width, height, skia.ColorType.kRGBA_8888_ColorType, skia.AlphaType.kUnpremul_AlphaType)
    pixels = np.zeros((height, width, 4), dtype=np.uint8)
    surface = skia.Surface(pixels, colorType=info.colorType(), alphaType=skia.AlphaType.kPremul_AlphaType)
    canvas = surface.getCanvas()
    canvas.clear(_colour(drawing.background) if drawing.background.startswith("#") else skia.ColorWHITE)
    canvas.scale(zoom, zoom)
    painter = _Painter(canvas)
    for item in drawing.items:
        painter.item(item)
    surface.flushAndSubmit()
    out = io.BytesIO()
    # The background is opaque, so the alpha channel carries nothing: RGB is a quarter smaller.
    # Read the pixels in place and drop alpha in C (slicing the array copied it strided, slowly).
    image = Image.frombuffer("RGBA", (width, height), pixels, "raw", "RGBA", 0, 1).convert("RGB")
    image.save(out, "PNG", compress_level=COMPRESSION)
    return out.getvalue()
