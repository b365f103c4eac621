"""Text metrics come from the shipped font and wrapping never overflows."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stageline.render.text import BOLD, FONT_DIR, REGULAR, font_metrics, subset_font


def test_the_font_and_its_licence_ship_with_the_package() -> None:
    assert REGULAR.is_file() and BOLD.is_file()
    licence = (FONT_DIR / "LICENSE.txt").read_text()
    assert "Bitstream" in licence and "Permission is hereby granted" in licence


def test_widths_are_the_fonts_advances() -> None:
    regular = font_metrics()
    # DejaVu Sans: 'M' advances 1767/2048 em, 'i' 569/2048 em.
    assert abs(regular.width("M", 2048) - 1767) < 0.01
    assert abs(regular.width("i", 2048) - 569) < 0.01
    assert font_metrics(True).width("Check in", 12) > regular.width("Check in", 12)
    assert regular.width("日本", 10) == 20  # characters the font lacks reserve a full em


def test_long_words_break_and_paragraphs_stay() -> None:
    regular = font_metrics()
    lines = regular.wrap("short " + "x" * 80 + "\nnext paragraph", 12, 100)
    assert lines[0] == "short"
    assert all(regular.width(line, 12) <= 100 for line in lines)
    assert lines[-1] == "paragraph" or lines[-2:] == ["next", "paragraph"] or lines[-1] == "next paragraph"
    assert "".join(lines).replace(" ", "").startswith("short" + "x" * 80)


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=0, max_size=300), width=st.floats(20, 400), size=st.floats(6, 30))
def test_wrapped_lines_fit_and_keep_every_word(text: str, width: float, size: float) -> None:
    regular = font_metrics()
    lines = regular.wrap(text, size, width)
    for line in lines:
        assert regular.width(line, size) <= width or len(line) == 1
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_clip_adds_an_ellipsis_only_when_needed() -> None:
    regular = font_metrics()
    assert regular.clip("Desk", 12, 200) == "Desk"
    clipped = regular.clip("A very long link label indeed", 12, 80)
    assert clipped.endswith("…") and regular.width(clipped, 12) <= 80


def test_subset_holds_only_what_is_drawn() -> None:
    small = subset_font(False, "Check in")
    assert small[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert len(small) < 20_000 < REGULAR.stat().st_size
