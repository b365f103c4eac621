"""An opportunity's plan fields: what it changes (`change`, `future`), who and
what it is measured by (`owner`, `measure`, `target`, `due`) and the statuses
idea / planned / testing / done / dropped, with files of older statuses still
loading."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given

from helpers.strategies import blueprints
from stageline.formats.errors import FormatError
from stageline.formats.schema import json_schema
from stageline.formats.yaml_format import dumps, loads
from stageline.model import Blueprint
from stageline.model.elements import OPPORTUNITY_STATUSES, Opportunity
from stageline.model.operations import OperationError, SetProperty

EXAMPLES = Path(__file__).parents[2] / "examples"
HEAD = """\
stageline: 1
title: Counter
stages:
  - id: visit
    title: Visit
    steps:
      - id: serve
        customer: Ask
        frontstage: {id: answer, text: Answer, actor: Clerk, duration: 4m}
"""

PLANNED = (
    HEAD
    + """\
opportunities:
  - id: second-clerk
    title: A second clerk at peak
    targets: [answer]
    change: Clerk=+1
    owner: Store manager
    measure: Time from arrival to answer
    target: Under 5 minutes for 9 in 10 customers
    due: 2027-03-31
    effort: 2
    status: testing
  - id: faster-answer
    title: Answer from a script
    change: [answer.duration=*0.5, Clerk=2]
    future: counter-future.yaml
    status: dropped
"""
)


def test_plan_fields_load_with_their_meaning() -> None:
    bp = loads(PLANNED)
    clerk, script = bp.opportunities
    assert clerk.change == ["Clerk=+1"]  # one change is a list of one
    assert (clerk.owner, clerk.measure, clerk.target) == (
        "Store manager",
        "Time from arrival to answer",
        "Under 5 minutes for 9 in 10 customers",
    )
    assert clerk.due == date(2027, 3, 31)
    assert clerk.status == "testing"
    assert script.change == ["answer.duration=*0.5", "Clerk=2"]
    assert script.future == "counter-future.yaml"
    assert script.status == "dropped"


def test_plan_fields_are_written_canonically_and_read_back() -> None:
    text = dumps(loads(PLANNED))
    assert "    change: Clerk=+1\n" in text  # one change stays a scalar
    assert "    due: 2027-03-31\n" in text  # an unquoted YAML date
    assert "    change: ['answer.duration=*0.5', 'Clerk=2']\n" in text  # several: a list
    assert dumps(loads(text)) == text
    assert loads(text) == loads(PLANNED)


def test_older_in_progress_status_is_read_as_testing() -> None:
    old = HEAD + "opportunities:\n  - {id: o, title: O, status: in-progress}\n"
    bp = loads(old)
    assert bp.opportunities[0].status == "testing"
    assert "status: testing" in dumps(bp)
    # the editor's `set` accepts the old spelling the same way
    SetProperty(target="o", field="status", value="in-progress").apply(bp)
    assert bp.opportunities[0].status == "testing"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("due: 20270331", "is not a date: write it YYYY-MM-DD"),
        ("due: 2027-02-30", "is not a date in the calendar"),
        ("due: next spring", "is not a date: write it YYYY-MM-DD"),
        ("status: doing", "'idea', 'planned', 'testing', 'done' or 'dropped'"),
        ("change: ''", "change"),
        ("change: [Clerk=+1, 3]", "change[1]"),
    ],
)
def test_bad_plan_fields_are_located(field: str, message: str) -> None:
    text = HEAD + f"opportunities:\n  - id: o\n    title: O\n    {field}\n"
    with pytest.raises(FormatError) as caught:
        loads(text, source="bp.yaml")
    problem = caught.value.problems[0]
    assert problem.line == 13
    assert message in f"{problem.path} {problem.message}"
    assert "opportunities[0]" in problem.path


def test_set_property_validates_plan_fields() -> None:
    bp = loads(PLANNED)
    SetProperty(target="second-clerk", field="due", value="2028-01-15").apply(bp)
    SetProperty(target="second-clerk", field="change", value="answer.duration=2m").apply(bp)
    assert bp.opportunity("second-clerk").due == date(2028, 1, 15)
    assert bp.opportunity("second-clerk").change == ["answer.duration=2m"]
    with pytest.raises(OperationError, match="YYYY-MM-DD"):
        SetProperty(target="second-clerk", field="due", value="tomorrow").apply(bp)


def test_statuses_are_the_five_of_the_plan() -> None:
    assert OPPORTUNITY_STATUSES == ("idea", "planned", "testing", "done", "dropped")
    assert Opportunity(id="o", title="O").status == "idea"


def test_schema_accepts_plan_fields_and_old_status() -> None:
    schema = json_schema()
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    doc = {
        "stageline": 1,
        "title": "T",
        "opportunities": [
            {"id": "a", "title": "A", "change": "Clerk=+1", "due": "2027-03-31", "status": "in-progress"},
            {
                "id": "b",
                "title": "B",
                "change": ["x.duration=*0.5", "Clerk=2"],
                "future": "f.yaml",
                "status": "dropped",
            },
        ],
    }
    assert not list(validator.iter_errors(doc))
    bad = {"stageline": 1, "title": "T", "opportunities": [{"id": "a", "title": "A", "due": "31/03/2027"}]}
    assert list(validator.iter_errors(bad))


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_examples_use_only_current_statuses(name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert "in-progress" not in text


@given(blueprints())
def test_plan_fields_round_trip(bp: Blueprint) -> None:
    assert loads(dumps(bp)) == bp
