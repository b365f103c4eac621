"""User text never becomes markup, in SVG or HTML."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from stageline.model import Blueprint, BlueprintBuilder
from stageline.render import render
from stageline.render.html import script_json

NASTY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(2)</script>",
    "<!-- comment --> & ampersand ]]> \u2028 \u2029",
    "' onmouseover='alert(3)",
]


def nasty_blueprint() -> Blueprint:
    return (
        BlueprintBuilder(NASTY[0], scenario=NASTY[1], persona=NASTY[3])
        .lane("partner", NASTY[2], visible=False)
        .stage("s", NASTY[1])
        .step(
            "a",
            NASTY[4],
            customer={"id": "c1", "text": NASTY[0], "actor": NASTY[1], "channel": NASTY[2], "emotion": 1},
            frontstage={
                "id": "f1",
                "text": NASTY[1],
                "fail": {"text": NASTY[2], "recovery": NASTY[0]},
                "notes": NASTY[3],
                "tags": ["x"],
            },
            partner={"id": "p1", "text": NASTY[3], "actor": NASTY[4]},
        )
        .link("c1", "f1", label=NASTY[0])
        .link("f1", "p1", label=NASTY[2], two_way=True)
        .build()
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]


def test_svg_escapes_every_user_string() -> None:
    svg = str(render(nasty_blueprint()))
    root = ET.fromstring(svg.encode())  # well-formed XML: nothing broke out of an attribute or text
    tags = {element.tag.split("}")[-1] for element in root.iter()}
    assert tags <= {"svg", "title", "defs", "style", "g", "rect", "text", "polyline", "polygon", "path", "circle"}
    assert not any(name.startswith("on") for element in root.iter() for name in element.attrib)
    texts = "".join(element.text or "" for element in root.iter())
    assert "<script>alert(1)</script>" in texts  # shown as text, exactly as written


def test_html_has_only_its_own_two_scripts() -> None:
    html = str(render(nasty_blueprint(), "html"))
    parser = _Tags()
    parser.feed(html)
    assert parser.tags.count("script") == 2
    assert "img" not in parser.tags
    assert not any(name.startswith("on") for name in parser.attributes)
    data = re.search(r'<script type="application/json" id="sl-data">(.*?)</script>', html, re.S)
    assert data is not None
    loaded = json.loads(data[1])
    assert loaded["cards"]["c1"]["text"] == NASTY[0]
    assert "</" not in data[1] and "<!--" not in data[1] and "\u2028" not in data[1]


def test_script_json_cannot_close_its_element() -> None:
    text = script_json({"a": "</script><!--\u2028\u2029&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!--\u2028\u2029&"}
