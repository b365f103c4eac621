"""Golden drawings: every example renders exactly as committed.

After an intended change to the drawing, run `make golden` (or set
STAGELINE_UPDATE_GOLDEN=1) and review the changed SVGs before committing.
The goldens leave the embedded font out: its bytes come from fontTools'
subsetter, which is not part of the drawing.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

import stageline
from helpers.blueprints import small_blueprint
from stageline.model import Blueprint
from stageline.render import render

GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def cases() -> list[str]:
    return sorted(["builder-hotel", "generated-12-steps", *(f"example-{p.stem}" for p in EXAMPLES.glob("*.yaml"))])


def blueprint(case: str, make_wide: Callable[..., Blueprint]) -> Blueprint:
    if case == "builder-hotel":
        return small_blueprint()
    if case == "generated-12-steps":
        return make_wide(12, seed=11)
    return stageline.load(EXAMPLES / f"{case.removeprefix('example-')}.yaml")


@pytest.mark.parametrize("case", cases())
def test_golden_svg(case: str, make_wide: Callable[..., Blueprint]) -> None:
    svg = render(blueprint(case, make_wide), embed_font=False)
    assert isinstance(svg, str)
    path = GOLDEN / f"{case}.svg"
    if os.environ.get("STAGELINE_UPDATE_GOLDEN"):
        path.write_text(svg, encoding="utf-8")
    assert path.exists(), f"no golden for {case}: run `make golden` and commit {path}"
    expected = path.read_text(encoding="utf-8")
    if svg != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    expected.splitlines(True), svg.replace(">", ">\n").splitlines(True), "golden", "now", n=0
                )
            )[:40]
        )
        pytest.fail(f"{case} no longer renders as its golden; if intended, run `make golden`.\n{diff}")


def test_every_golden_has_a_case() -> None:
    stale = {p.stem for p in GOLDEN.glob("*.svg")} - set(cases())
    assert not stale, f"goldens without a blueprint: {sorted(stale)}"
