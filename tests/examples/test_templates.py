"""The packaged templates: valid starting points, listed with a description,
never a copy of an example."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import stageline
from stageline.analysis.checks import Severity
from stageline.formats.comments import format_text
from stageline.model.elements import DEFAULT_LANES
from stageline.model.text import text_problem
from stageline.templates import (
    DEFAULT_TEMPLATE,
    UnknownTemplateError,
    list_templates,
    retitle,
    template_names,
    template_text,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STARTING_POINTS = ["hotel-stay", "ecommerce-order-return", "clinic-appointment", "saas-onboarding"]


def test_catalogue_lists_blank_first_then_by_name() -> None:
    names = template_names()
    assert names[0] == DEFAULT_TEMPLATE == "blank"
    assert names[1:] == sorted(STARTING_POINTS)
    assert [t.name for t in list_templates()] == names


@pytest.mark.parametrize("name", template_names())
def test_description_is_one_short_line(name: str) -> None:
    (template,) = [t for t in list_templates() if t.name == name]
    assert 20 <= len(template.description) <= 80
    assert template_text(name).startswith(f"# description: {template.description}\n")


@pytest.mark.parametrize("name", template_names())
def test_template_is_a_valid_blueprint_without_errors(name: str) -> None:
    bp = stageline.loads(template_text(name), source=f"{name}.yaml")
    errors = [f for f in stageline.check(bp) if f.severity is Severity.ERROR]
    assert errors == [], [f.message for f in errors]
    assert bp.lane_ids()[: len(DEFAULT_LANES)] == list(DEFAULT_LANES)


def test_blank_is_one_step_in_the_five_lanes_with_guidance() -> None:
    text = template_text("blank")
    bp = stageline.loads(text)
    ((_, step),) = list(bp.steps())
    assert sorted(step.cells) == sorted(DEFAULT_LANES)
    assert bp.links
    # Only information-level findings: a new file starts without warnings.
    assert all(f.severity is Severity.INFO for f in stageline.check(bp))
    for guidance in ("# Physical evidence", "# Customer actions", "# Frontstage", "# Backstage", "# Support processes"):
        assert guidance in text


@pytest.mark.parametrize("name", STARTING_POINTS)
def test_starting_point_is_lean_but_filled_in(name: str) -> None:
    text = template_text(name)
    bp = stageline.loads(text)
    example = stageline.load(EXAMPLES / f"{name}.yaml")
    steps = [step for _, step in bp.steps()]
    assert len(bp.stages) >= 3 and len(steps) >= 6
    assert all(step.cards("customer") and (step.cards("frontstage") or step.cards("backstage")) for step in steps)
    assert any(card.fail for _, card in bp.cards())
    assert bp.opportunities
    assert text.count("->") >= 3  # tells the team what to find out
    assert len(list(bp.cards())) < len(list(example.cards()))  # leaner than the showcase
    assert text != (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")


def test_unknown_template_suggests_the_closest() -> None:
    with pytest.raises(UnknownTemplateError) as raised:
        template_text("hotel")
    assert "did you mean 'hotel-stay'" in str(raised.value)
    assert raised.value.choices == template_names()


@pytest.mark.parametrize("name", ["../examples/hotel-stay", "blank.yaml", "", "BLANK"])
def test_only_catalogued_names_are_read(name: str) -> None:
    with pytest.raises(UnknownTemplateError):
        template_text(name)


@given(st.text(min_size=1, max_size=120).filter(lambda t: t.split() and text_problem(t) is None))
def test_any_title_is_written_so_that_it_reads_back(title: str) -> None:
    bp = stageline.loads(template_text("blank", title=title))
    assert bp.title == " ".join(title.split())


def test_retitle_touches_only_the_title_line() -> None:
    original = template_text("hotel-stay")
    changed = retitle(original, "Hotel Lisboa")
    assert [line for line in changed.splitlines() if line not in original.splitlines()] == ["title: Hotel Lisboa"]


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_empty_title_is_refused(title: str) -> None:
    with pytest.raises(ValueError, match="cannot be empty"):
        template_text("blank", title=title)


@pytest.mark.parametrize("name", template_names())
def test_template_is_canonical_so_fmt_changes_nothing(name: str) -> None:
    """`stageline fmt` on a fresh file from a template leaves it byte for byte,
    every comment on the line it was on."""
    text = template_text(name)
    assert format_text(text, source=f"{name}.yaml") == text


@pytest.mark.parametrize("name", template_names())
def test_template_simulates_as_it_comes(name: str) -> None:
    """Every template has a `simulation:` block whose resources are its actors,
    so `stageline simulate FILE` works on a new file with no option."""
    bp = stageline.loads(template_text(name), source=f"{name}.yaml")
    assert bp.simulation is not None
    actors = {card.actor for _, card in bp.cards()} | {card.department for _, card in bp.cards()}
    assert set(bp.simulation.resources) <= actors
    report = stageline.simulate(bp, customers=200, seed=1)
    assert report.customers.completed == report.customers.arrived == 200
    assert report.customers.total_time.mean > 0
