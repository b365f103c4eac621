"""Embedded font subsets: the same bytes whenever they are made, and kept between runs."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

import stageline
from helpers.blueprints import small_blueprint
from stageline.render import text


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("STAGELINE_NO_FONT_CACHE", raising=False)
    text.subset_font.cache_clear()
    yield tmp_path
    text.subset_font.cache_clear()


def test_a_subset_carries_the_shipped_fonts_timestamp_not_the_runs() -> None:
    subset = TTFont(io.BytesIO(text._subset(False, "Check in")))
    assert subset["head"].modified == TTFont(text.REGULAR)["head"].modified


def test_subsets_are_kept_between_runs_and_read_back(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = stageline.render(small_blueprint(), "svg")
    assert list(cache_home.glob("stageline/font-subsets/*.ttf")), "kept in the user's cache folder"
    text.subset_font.cache_clear()  # as a new run

    def not_again(bold: bool, characters: str) -> bytes:
        raise AssertionError("the kept subset should be read, not made again")

    monkeypatch.setattr(text, "_subset", not_again)
    assert stageline.render(small_blueprint(), "svg") == first


def test_an_unwritable_cache_folder_only_costs_time(cache_home: Path) -> None:
    (cache_home / "stageline").write_text("a file where the folder should be")
    assert text.subset_font(True, "abc") == text._subset(True, "abc")


def test_the_cache_can_be_turned_off(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAGELINE_NO_FONT_CACHE", "1")
    text.subset_font(False, "xyz")
    assert not (cache_home / "stageline").exists()
