"""PDF backend: the display list drawn with reportlab as vector shapes and
real text in the shipped font (embedded, so it is selectable and searchable)."""

from __future__ import annotations

import io
from functools import lru_cache

from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from stageline.render.primitives import Circle, Corner, Drawing, Group, Item, Path, Rect, Text, rounded
from stageline.render.text import BOLD, REGULAR

# Acrobat and most viewers refuse pages larger than 200 inches (14,400 pt).
MAX_PAGE = 14_400.0


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    pdfmetrics.registerFont(TTFont("StagelineDejaVuSans", str(REGULAR)))
    pdfmetrics.registerFont(TTFont("StagelineDejaVuSans-Bold", str(BOLD)))
    return "StagelineDejaVuSans", "StagelineDejaVuSans-Bold"


def _dash(pattern: str | None) -> list[float]:
    return [float(part) for part in pattern.split()] if pattern else []


class _Painter:
    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.regular, self.bold = _fonts()

    def paint(self, stroke: str | None, fill: str | None, width: float, dash: str | None) -> tuple[int, int]:
        c = self.canvas
        if stroke:
            c.setStrokeColor(HexColor(stroke))
            c.setLineWidth(width)
            c.setDash(_dash(dash))
        if fill:
            c.setFillColor(HexColor(fill))
        return (1 if stroke else 0), (1 if fill else 0)

    def item(self, item: Item) -> None:
        c = self.canvas
        if isinstance(item, Group):
            for child in item.items:
                self.item(child)
        elif isinstance(item, Rect):
            stroke, fill = self.paint(item.stroke, item.fill, item.stroke_width, item.dash)
            if stroke or fill:
                b = item.box
                if item.radius:
                    c.roundRect(b.x, b.y, b.w, b.h, min(item.radius, b.w / 2, b.h / 2), stroke=stroke, fill=fill)
                else:
                    c.rect(b.x, b.y, b.w, b.h, stroke=stroke, fill=fill)
        elif isinstance(item, Circle):
            stroke, fill = self.paint(item.stroke, item.fill, item.stroke_width, None)
            c.circle(item.cx, item.cy, item.r, stroke=stroke, fill=fill)
        elif isinstance(item, Path):
            self.path(item)
        else:
            self.text(item)

    def path(self, item: Path) -> None:
        c = self.canvas
        stroke, fill = self.paint(item.stroke, item.fill, item.width, item.dash)
        if not (stroke or fill):
            return
        c.setLineJoin(1)
        path = c.beginPath()
        path.moveTo(*item.points[0])
        for vertex in rounded(item.points, item.corner_radius):
            if isinstance(vertex, Corner):
                (ax, ay), (x1, y1), (bx, by) = vertex.start, vertex.apex, vertex.end
                path.lineTo(ax, ay)
                # The quadratic corner as the equivalent cubic (PDF has no quadratic curves).
                path.curveTo(
                    ax + 2 / 3 * (x1 - ax),
                    ay + 2 / 3 * (y1 - ay),
                    bx + 2 / 3 * (x1 - bx),
                    by + 2 / 3 * (y1 - by),
                    bx,
                    by,
                )
            else:
                path.lineTo(*vertex)
        if item.closed:
            path.close()
        c.drawPath(path, stroke=stroke, fill=fill)

    def text(self, item: Text) -> None:
        c = self.canvas
        c.saveState()
        c.translate(item.x, item.y)
        c.scale(1, -1)  # the page is flipped to y-down; text must not be
        c.setFillColor(HexColor(item.fill))
        c.setFont(self.bold if item.bold else self.regular, item.size)
        if item.anchor == "middle":
            c.drawCentredString(0, 0, item.text)
        elif item.anchor == "end":
            c.drawRightString(0, 0, item.text)
        else:
            c.drawString(0, 0, item.text)
        c.restoreState()


def to_pdf(drawing: Drawing) -> bytes:
    """One page the size of the drawing (scaled down to fit viewers' page limit)."""
    scale = min(1.0, MAX_PAGE / max(drawing.width, drawing.height))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(drawing.width * scale, drawing.height * scale), invariant=1, pageCompression=1)
    canvas.setTitle(drawing.title)
    canvas.setCreator("Stageline")
    canvas.setSubject("Service blueprint")
    canvas.translate(0, drawing.height * scale)
    canvas.scale(scale, -scale)
    painter = _Painter(canvas)
    for item in drawing.items:
        painter.item(item)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
