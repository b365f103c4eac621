"""Text measured with the real metrics of the font Stageline ships.

Layout wraps and sizes every box from these widths, and every backend draws
with the same font file, so a line that fits here fits on every machine.
Widths are unkerned advance sums: kerning only ever tightens DejaVu Sans
pairs by a fraction of a pixel, so an unkerned line is never narrower than
the drawn one.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONT_DIR = Path(__file__).parent / "fonts"
FONT_FAMILY = "DejaVu Sans"
# Fallbacks share DejaVu's metrics (Bitstream Vera) or come close (Verdana).
FONT_STACK = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
ELLIPSIS = "…"


@dataclass(frozen=True)
class FontMetrics:
    """Advance widths per character, in em units, from a TrueType font."""

    path: Path
    advances: dict[int, float]
    missing: float
    ascent: float
    descent: float

    @classmethod
    def load(cls, path: Path) -> FontMetrics:
        font = TTFont(path, lazy=True)
        units = float(font["head"].unitsPerEm)
        metrics = font["hmtx"].metrics
        advances = {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}
        # A character the font lacks is drawn by a fallback font; reserve a
        # full em so that wide scripts never overflow.
        return cls(path, advances, 1.0, font["hhea"].ascent / units, -font["hhea"].descent / units)

    def width(self, text: str, size: float) -> float:
        advances = self.advances
        missing = self.missing
        return sum(advances.get(ord(ch), missing) for ch in text) * size

    def has(self, ch: str) -> bool:
        return ord(ch) in self.advances

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        """Greedy line breaking at spaces; explicit newlines start a new
        paragraph and a word wider than the line is broken between letters."""
        lines: list[str] = []
        space = self.width(" ", size)
        for paragraph in text.splitlines() or [""]:
            words = paragraph.split()
            line = ""
            line_width = 0.0
            for word in words:
                word_width = self.width(word, size)
                if line and line_width + space + word_width <= width:
                    line += " " + word
                    line_width += space + word_width
                    continue
                if line:
                    lines.append(line)
                if word_width <= width:
                    line, line_width = word, word_width
                    continue
                pieces = self._break_word(word, size, width)
                lines.extend(pieces[:-1])
                line = pieces[-1]
                line_width = self.width(line, size)
            if line or not words:
                lines.append(line)
        while len(lines) > 1 and not lines[-1]:
            lines.pop()
        return lines

    def _break_word(self, word: str, size: float, width: float) -> list[str]:
        pieces: list[str] = []
        piece = ""
        piece_width = 0.0
        for ch in word:
            advance = self.advances.get(ord(ch), self.missing) * size
            if piece and piece_width + advance > width:
                pieces.append(piece)
                piece, piece_width = "", 0.0
            piece += ch
            piece_width += advance
        pieces.append(piece)
        return pieces

    def clip(self, text: str, size: float, width: float) -> str:
        """`text` on one line, cut with an ellipsis if it is wider than `width`."""
        text = " ".join(text.split())
        if self.width(text, size) <= width:
            return text
        budget = width - self.width(ELLIPSIS, size)
        kept = ""
        used = 0.0
        for ch in text:
            advance = self.advances.get(ord(ch), self.missing) * size
            if used + advance > budget:
                break
            kept += ch
            used += advance
        return kept.rstrip() + ELLIPSIS


@lru_cache(maxsize=2)
def font_metrics(bold: bool = False) -> FontMetrics:
    return FontMetrics.load(BOLD if bold else REGULAR)


def measure(text: str, size: float, bold: bool = False) -> float:
    return font_metrics(bold).width(text, size)


@lru_cache(maxsize=64)
def subset_font(bold: bool, characters: str) -> bytes:
    """The shipped font cut down to `characters`, small enough to embed in a
    standalone SVG or HTML page. Cached: an editor re-renders the same text, and
    (on disk, in the user's cache folder) a command run again draws the same text."""
    stored = _stored_subset(bold, characters)
    if stored is not None:
        try:
            return stored.read_bytes()
        except OSError:
            pass
    data = _subset(bold, characters)
    if stored is not None:
        try:
            from stageline.formats.files import write_atomic

            stored.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(stored, data)
        except OSError:
            pass  # a read-only or full cache folder only costs the time to subset again
    return data


def _stored_subset(bold: bool, characters: str) -> Path | None:
    """Where a subset is kept between runs: named by everything it depends on."""
    import hashlib
    import os

    import fontTools

    if os.environ.get("STAGELINE_NO_FONT_CACHE"):
        return None
    try:
        from platformdirs import user_cache_dir

        font = BOLD if bold else REGULAR
        stat = font.stat()
    except (ImportError, OSError):
        return None
    key = f"{font.name}|{stat.st_size}|{stat.st_mtime_ns}|{fontTools.version}|2|{characters}"
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return Path(user_cache_dir("stageline")) / "font-subsets" / f"{digest}.ttf"


def _subset(bold: bool, characters: str) -> bytes:
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["kern", "liga"]
    options.drop_tables += ["FFTM"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    # The shipped font's own timestamp, not the time of the run: the same drawing, the same bytes.
    font = TTFont(BOLD if bold else REGULAR, recalcTimestamp=False)
    logging.getLogger("fontTools.subset").setLevel(logging.WARNING)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
