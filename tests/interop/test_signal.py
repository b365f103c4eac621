"""Blueprint Signal projects (JSON) and process lists (CSV)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stageline.formats.errors import FormatError
from stageline.formats.interop.errors import describe
from stageline.formats.interop.registry import Source, read_any
from stageline.model.integrity import check_integrity

DATA = Path(__file__).parent / "data"
PROJECT = json.loads((DATA / "signal_project.json").read_text())


def _read(data: object, name: str = "project.json") -> object:
    text = data if isinstance(data, str) else json.dumps(data)
    return read_any(text.encode(), name)


def test_project_json_becomes_a_blueprint_with_steps_fail_points_and_opportunities() -> None:
    imported = read_any((DATA / "signal_project.json").read_bytes(), "project.json")
    bp = imported.blueprint
    assert imported.kind is Source.SIGNAL
    assert (bp.title, bp.scenario) == ("Overnight hotel stay", "Business traveller, one night")
    assert [(s.title, [t.id for t in s.steps]) for s in bp.stages] == [
        ("Arrival", ["check-in-at-the-desk"]),
        ("Stay", ["go-to-the-room", "order-room-service"]),
    ]
    # Evidence listed before the first customer action joins that step.
    assert [c.text for c in bp.step("check-in-at-the-desk").cards("evidence")] == ["Lobby and desk"]
    register = bp.card("check-in-at-the-desk.frontstage")
    assert (register.actor, register.duration) == ("Front desk clerk", 240)
    assert register.fail is not None and register.fail.recovery == "Offer lounge access"
    assert (register.fail.severity, register.fail.likelihood) == (4, 2)
    kitchen = bp.card("order-room-service.backstage").fail
    assert kitchen is not None and (kitchen.severity, kitchen.likelihood) == (3, 4)  # medium, high
    assert bp.card("check-in-at-the-desk.support").duration is None  # 0 minutes: not timed
    first = bp.links[0]
    assert (first.source, first.target, first.two_way, first.label) == (
        "check-in-at-the-desk.customer",
        "check-in-at-the-desk.frontstage",
        True,
        "Registration details",
    )
    (opportunity,) = bp.opportunities
    assert (opportunity.title, opportunity.value, opportunity.effort, opportunity.status) == (
        "Mobile check-in",
        4,
        3,
        "planned",
    )
    assert opportunity.targets == ["check-in-at-the-desk.customer", "check-in-at-the-desk.frontstage"]
    assert check_integrity(bp) == []


def test_process_csv_is_recognised_by_its_headings() -> None:
    imported = read_any((DATA / "signal_process.csv").read_bytes(), "process.csv")
    bp = imported.blueprint
    assert imported.kind is Source.SIGNAL
    assert [step.id for _, step in bp.steps()] == ["check-in-at-the-desk", "go-to-the-room"]
    fail = bp.card("check-in-at-the-desk.frontstage").fail
    assert fail is not None and fail.text == "Room not ready" and fail.risk == 8
    assert [o.targets for o in bp.opportunities] == [["check-in-at-the-desk.customer"]]


def test_the_marker_is_enough_even_with_other_key_names() -> None:
    project = {
        "schema": "blueprint-project-v1",
        "title": "Tiny",
        "phases": [{"label": "Only", "steps": [{"name": "Ask", "swimlane": "Customer Actions"}]}],
    }
    bp = _read(project).blueprint  # type: ignore[attr-defined]
    assert [c.text for _, c in bp.cards()] == ["Ask"]


def test_bad_minutes_are_reported_at_their_json_path() -> None:
    project = json.loads(json.dumps(PROJECT))
    project["stages"][1]["actions"][0]["minutes"] = "a while"
    with pytest.raises(FormatError) as caught:
        _read(project)
    assert describe(caught.value.problems[0]) == (
        "project.json:$.stages[1].actions[0].minutes: 'a while' is not a number of minutes; "
        "write a number such as 5 or 2.5"
    )


def test_unknown_lanes_and_dangling_references_are_all_reported() -> None:
    project = json.loads(json.dumps(PROJECT))
    project["stages"][0]["actions"][2]["lane"] = "frontstge"
    project["links"][2]["to"] = "a55"
    project["hazards"][0]["severity"] = 9
    with pytest.raises(FormatError) as caught:
        _read(project)
    found = {p.path: p.message for p in caught.value.problems}
    assert "did you mean 'frontstage'" in found["$.stages[0].actions[2].lane"]
    assert "no action has id 'a55'" in found["$.links[2].to"]
    assert "9 is not a score" in found["$.hazards[0].severity"]


def test_json_that_is_not_a_project_is_refused_clearly() -> None:
    with pytest.raises(FormatError, match="not a Blueprint Signal project"):
        _read({"hello": "world"})
    with pytest.raises(FormatError, match="not valid JSON"):
        _read('{"stages": [', "broken.json")


def test_csv_problems_name_row_and_column() -> None:
    text = "stage,lane,action,owner,minutes\nA,customer,Ask,Guest,2\nA,kitchen,Cook,Chef,x\n"
    with pytest.raises(FormatError) as caught:
        read_any(text.encode(), "process.csv")
    messages = [describe(p) for p in caught.value.problems]
    assert any(m.startswith("process.csv:row 3, column \"lane\": unknown lane 'kitchen'") for m in messages)


def test_hostile_nesting_is_refused_without_a_traceback() -> None:
    with pytest.raises(FormatError, match="nests too deeply"):
        read_any(("[" * 100_000 + "]" * 100_000).encode(), "deep.json")
