"""SVG backend: the display list as SVG text, with every user string escaped."""

from __future__ import annotations

import base64
from html import escape

from stageline.render.primitives import Circle, Corner, Drawing, Group, Item, Path, Point, Rect, Text, rounded
from stageline.render.text import FONT_FAMILY, FONT_STACK, subset_font


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _points(points: tuple[Point, ...]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in points)


def _rounded(points: tuple[Point, ...], radius: float) -> str:
    """A polyline path whose corners are rounded with quadratic curves."""
    commands = [f"M{_num(points[0][0])} {_num(points[0][1])}"]
    for vertex in rounded(points, radius):
        if isinstance(vertex, Corner):
            (ax, ay), (x1, y1), (bx, by) = vertex.start, vertex.apex, vertex.end
            commands.append(f"L{_num(ax)} {_num(ay)}Q{_num(x1)} {_num(y1)} {_num(bx)} {_num(by)}")
        else:
            commands.append(f"L{_num(vertex[0])} {_num(vertex[1])}")
    return "".join(commands)


def _paint(fill: str | None, stroke: str | None, width: float, dash: str | None) -> str:
    parts = [f' fill="{fill or "none"}"']
    if stroke:
        parts.append(f' stroke="{stroke}"')
        if width != 1.0:
            parts.append(f' stroke-width="{_num(width)}"')
        if dash:
            parts.append(f' stroke-dasharray="{dash}"')
    return "".join(parts)


def _role(role: str) -> str:
    return f' class="sl-{role}"' if role else ""


def _item(item: Item, out: list[str], plain: bool = False) -> None:
    role = "" if plain or isinstance(item, Group) else _role(item.role)
    if isinstance(item, Rect):
        b = item.box
        radius = f' rx="{_num(item.radius)}"' if item.radius else ""
        out.append(
            f'<rect{role} x="{_num(b.x)}" y="{_num(b.y)}" width="{_num(b.w)}" height="{_num(b.h)}"'
            f"{radius}{_paint(item.fill, item.stroke, item.stroke_width, item.dash)}/>"
        )
    elif isinstance(item, Text):
        weight = ' font-weight="bold"' if item.bold else ""
        anchor = f' text-anchor="{item.anchor}"' if item.anchor != "start" else ""
        out.append(
            f'<text{role} x="{_num(item.x)}" y="{_num(item.y)}" font-size="{_num(item.size)}"'
            f'{weight}{anchor} fill="{item.fill}">{escape(item.text, quote=False)}</text>'
        )
    elif isinstance(item, Path):
        paint = _paint(item.fill, item.stroke, item.width, item.dash)
        if item.closed:
            out.append(f'<polygon{role} points="{_points(item.points)}"{paint}/>')
        elif item.corner_radius and len(item.points) > 2:
            out.append(f'<path{role} d="{_rounded(item.points, item.corner_radius)}"{paint}/>')
        else:
            out.append(f'<polyline{role} points="{_points(item.points)}"{paint}/>')
    elif isinstance(item, Circle):
        out.append(
            f'<circle{role} cx="{_num(item.cx)}" cy="{_num(item.cy)}" r="{_num(item.r)}"'
            f"{_paint(item.fill, item.stroke, item.stroke_width, None)}/>"
        )
    elif plain:
        # For the rasteriser: no classes, data or tooltips, which only cost it parsing time.
        out.append("<g>")
        for child in item.items:
            _item(child, out, plain)
        out.append("</g>")
    else:
        _group(item, out)


def _group(group: Group, out: list[str]) -> None:
    attrs = [f'class="{" ".join(_attr(c) for c in (f"sl-{group.role}", *group.classes))}"']
    if group.element_id is not None:
        attrs.append(f'data-id="{_attr(group.element_id)}"')
    for key, value in group.data.items():
        attrs.append(f'data-{key}="{_attr(value)}"')
    out.append(f"<g {' '.join(attrs)}>")
    if group.tooltip:
        out.append(f"<title>{escape(group.tooltip, quote=False)}</title>")
    for child in group.items:
        _item(child, out)
    out.append("</g>")


def font_faces(drawing: Drawing) -> str:
    """@font-face rules carrying the shipped font, cut down to the characters drawn."""
    rules = []
    for bold in (False, True):
        characters = drawing.characters(bold)
        if not characters:
            continue
        data = base64.b64encode(subset_font(bold, characters)).decode("ascii")
        rules.append(
            f"@font-face{{font-family:'{FONT_FAMILY}';font-weight:{'bold' if bold else 'normal'};"
            f"src:url(data:font/ttf;base64,{data}) format('truetype')}}"
        )
    return "".join(rules)


def to_svg(drawing: Drawing, *, embed_font: bool = True, standalone: bool = True, plain: bool = False) -> str:
    """The drawing as an SVG document (or an inline `<svg>` element when not standalone).
    `plain` leaves out what only people and scripts use (ids, classes, tooltips) and
    names the shipped font alone: the fastest input for the PNG rasteriser."""
    out: list[str] = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    w, h = _num(drawing.width), _num(drawing.height)
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        f'font-family="{_attr(FONT_FAMILY if plain else FONT_STACK)}" '
        f'class="stageline-blueprint theme-{drawing.theme}" '
        f'role="img" aria-labelledby="stageline-title">'
    )
    out.append(f'<title id="stageline-title">{escape(drawing.title, quote=False)}</title>')
    if embed_font:
        out.append(f"<defs><style>{font_faces(drawing)}</style></defs>")
    for item in drawing.items:
        _item(item, out, plain)
    out.append("</svg>\n")
    return "".join(out)
