"""Colour themes: light for screens, dark for dark screens, print for paper.

Every text colour is chosen against the fill it sits on to meet WCAG 2.1
contrast (4.5:1 for text; the tests check each pair).
"""

from __future__ import annotations

from dataclasses import dataclass, field

THEME_NAMES = ("light", "dark", "print")


@dataclass(frozen=True)
class LaneColours:
    accent: str  # card edge and lane marker
    band: str  # the row's background
    title: str  # the lane's title in the label column


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    text: str
    muted: str
    rule: str  # thin separators
    header_fill: str
    stage_fills: tuple[str, str]
    stage_text: str
    step_fill: str
    step_text: str
    card_fill: str
    card_text: str
    connector: str
    label_fill: str
    lines: dict[str, tuple[str, str]]  # line name -> (colour, dash pattern)
    badges: dict[str, tuple[str, str]]  # badge kind -> (fill, text)
    findings: dict[str, str]  # severity -> corner colour
    highlights: dict[str, tuple[str, str]]  # status -> (fill, stroke)
    lane_accents: dict[str, str]
    custom_accents: tuple[str, ...]
    band_strength: float  # how much of the accent tints a lane band
    emotion: dict[str, str] = field(default_factory=dict)  # positive, negative, neutral, curve

    def lane(self, lane_id: str, custom_index: int) -> LaneColours:
        accent = self.lane_accents.get(lane_id) or self.custom_accents[custom_index % len(self.custom_accents)]
        band = mix(accent, self.background, self.band_strength)
        title = self.text if self.name == "print" else mix(accent, self.text, 0.35)
        return LaneColours(accent=accent, band=band, title=title)

    def finding(self, severity: str) -> str:
        return self.findings.get(severity, self.findings["warning"])


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def mix(colour: str, base: str, amount: float) -> str:
    """`amount` of `colour` over `base`, as an opaque hex colour."""
    top, bottom = _rgb(colour), _rgb(base)
    return "#" + "".join(f"{round(t * amount + b * (1 - amount)):02x}" for t, b in zip(top, bottom, strict=True))


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio between two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


LIGHT = Theme(
    name="light",
    background="#ffffff",
    text="#1f2933",
    muted="#52606d",
    rule="#d9dee5",
    header_fill="#f4f6f9",
    stage_fills=("#243b53", "#334e68"),
    stage_text="#ffffff",
    step_fill="#eef2f6",
    step_text="#1f2933",
    card_fill="#ffffff",
    card_text="#1f2933",
    connector="#3e4c59",
    label_fill="#ffffff",
    lines={
        "interaction": ("#1d4ed8", "7 4"),
        "visibility": ("#b91c1c", "10 4"),
        "internal-interaction": ("#b45309", "4 4"),
        "implementation": ("#475569", "2 3"),
    },
    badges={
        "fail": ("#c81e1e", "#ffffff"),
        "wait": ("#fde8c8", "#7c3a06"),
        "duration": ("#e6ebf1", "#243b53"),
        "cost": ("#e6ebf1", "#243b53"),
        "actor": ("#eef2f6", "#3e4c59"),
        "emotion+": ("#d3f5df", "#14532d"),
        "emotion-": ("#fde2e2", "#8a1c1c"),
        "emotion0": ("#e6ebf1", "#3e4c59"),
        "channel": ("#eef2f6", "#3e4c59"),
    },
    findings={"error": "#c81e1e", "warning": "#b45309", "info": "#1d4ed8"},
    highlights={"added": ("#dcfce7", "#15803d"), "removed": ("#fee2e2", "#b91c1c"), "changed": ("#fef3c7", "#b45309")},
    lane_accents={
        "evidence": "#7c3aed",
        "customer": "#2563eb",
        "frontstage": "#059669",
        "backstage": "#d97706",
        "support": "#64748b",
        "management": "#0d9488",
    },
    custom_accents=("#0891b2", "#db2777", "#65a30d", "#9333ea"),
    band_strength=0.07,
    emotion={"positive": "#15803d", "negative": "#c81e1e", "neutral": "#52606d", "curve": "#2563eb"},
)

DARK = Theme(
    name="dark",
    background="#0f1720",
    text="#e4e9ef",
    muted="#a3b1c0",
    rule="#2c3a4a",
    header_fill="#16212d",
    stage_fills=("#2f4a66", "#3a5876"),
    stage_text="#ffffff",
    step_fill="#1b2734",
    step_text="#e4e9ef",
    card_fill="#1c2733",
    card_text="#eef2f6",
    connector="#b4c2d0",
    label_fill="#0f1720",
    lines={
        "interaction": ("#7aa7ff", "7 4"),
        "visibility": ("#ff8a8a", "10 4"),
        "internal-interaction": ("#f5b85c", "4 4"),
        "implementation": ("#a3b1c0", "2 3"),
    },
    badges={
        "fail": ("#ef4444", "#1a0505"),
        "wait": ("#5a3a10", "#ffe2b8"),
        "duration": ("#2a3a4c", "#dbe4ee"),
        "cost": ("#2a3a4c", "#dbe4ee"),
        "actor": ("#243140", "#c9d4df"),
        "emotion+": ("#17452b", "#c8f5d8"),
        "emotion-": ("#4d1c1c", "#ffd0d0"),
        "emotion0": ("#2a3a4c", "#dbe4ee"),
        "channel": ("#243140", "#c9d4df"),
    },
    findings={"error": "#ff6b6b", "warning": "#f5b85c", "info": "#7aa7ff"},
    highlights={"added": ("#163d27", "#4ade80"), "removed": ("#4a1d1d", "#f87171"), "changed": ("#4a3512", "#fbbf24")},
    lane_accents={
        "evidence": "#a78bfa",
        "customer": "#60a5fa",
        "frontstage": "#34d399",
        "backstage": "#fbbf24",
        "support": "#94a3b8",
        "management": "#2dd4bf",
    },
    custom_accents=("#22d3ee", "#f472b6", "#a3e635", "#c084fc"),
    band_strength=0.1,
    emotion={"positive": "#4ade80", "negative": "#f87171", "neutral": "#a3b1c0", "curve": "#7aa7ff"},
)

PRINT = Theme(
    name="print",
    background="#ffffff",
    text="#000000",
    muted="#333333",
    rule="#9a9a9a",
    header_fill="#ffffff",
    stage_fills=("#000000", "#333333"),
    stage_text="#ffffff",
    step_fill="#eeeeee",
    step_text="#000000",
    card_fill="#ffffff",
    card_text="#000000",
    connector="#000000",
    label_fill="#ffffff",
    lines={
        "interaction": ("#000000", "7 4"),
        "visibility": ("#000000", "12 3 2 3"),
        "internal-interaction": ("#000000", "4 4"),
        "implementation": ("#000000", "1.5 3"),
    },
    badges={
        "fail": ("#000000", "#ffffff"),
        "wait": ("#dddddd", "#000000"),
        "duration": ("#ffffff", "#000000"),
        "cost": ("#ffffff", "#000000"),
        "actor": ("#ffffff", "#000000"),
        "emotion+": ("#ffffff", "#000000"),
        "emotion-": ("#dddddd", "#000000"),
        "emotion0": ("#ffffff", "#000000"),
        "channel": ("#ffffff", "#000000"),
    },
    findings={"error": "#000000", "warning": "#555555", "info": "#888888"},
    highlights={"added": ("#ffffff", "#000000"), "removed": ("#dddddd", "#000000"), "changed": ("#eeeeee", "#000000")},
    lane_accents={
        "evidence": "#000000",
        "customer": "#000000",
        "frontstage": "#000000",
        "backstage": "#000000",
        "support": "#000000",
        "management": "#000000",
    },
    custom_accents=("#000000",),
    band_strength=0.04,
    emotion={"positive": "#000000", "negative": "#000000", "neutral": "#555555", "curve": "#000000"},
)

THEMES: dict[str, Theme] = {theme.name: theme for theme in (LIGHT, DARK, PRINT)}


def theme_named(name: str) -> Theme:
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}: choose one of {', '.join(THEME_NAMES)}") from None
