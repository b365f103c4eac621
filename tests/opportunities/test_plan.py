"""`team_plan`: what a future state means for each team, and its CSV/Markdown forms."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from stageline.analysis.opportunities import CSV_COLUMNS, same_service, team_plan
from stageline.analysis.timing import team_time
from stageline.formats.yaml_format import load, loads

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

CURRENT = """\
stageline: 1
title: Counter
stages:
  - id: visit
    title: Visit
    steps:
      - id: serve
        customer: {id: ask, text: Ask at the counter}
        frontstage: {id: answer, text: Answer the question, actor: Clerk, department: Front office, duration: 4m}
        backstage: {id: look-up, text: Look up the file, actor: Archivist, duration: 6m}
      - id: pay
        customer: {id: pay-up, text: Pay}
        frontstage: {id: take-money, text: Take the money, actor: Cashier, department: Front office, duration: 1m}
links:
  - {from: answer, to: look-up, label: File number}
  - {from: look-up, to: answer}
"""

FUTURE = """\
stageline: 1
title: Counter, redesigned
state: future
stages:
  - id: visit
    title: Visit
    steps:
      - id: serve
        customer: {id: ask, text: Ask at the counter}
        frontstage:
          id: answer
          text: Answer the question
          actor: Clerk
          department: Front office
          duration: 2m
          fail: {text: File not found, recovery: Call back within the hour, p: 0.5, recovery_time: 2m}
        support: {id: search, text: Search the digital archive, department: IT, duration: 10s}
      - id: pay
        customer: {id: pay-up, text: Pay}
        frontstage: {id: take-money, text: Take the money, actor: Cashier, department: Front office, duration: 1m}
links:
  - {from: answer, to: search, label: File number}
"""


@pytest.fixture
def plan():  # type: ignore[no-untyped-def]
    return team_plan(loads(CURRENT), loads(FUTURE), due=date(2027, 3, 31))


def test_teams_are_departments_else_actors(plan) -> None:  # type: ignore[no-untyped-def]
    teams = plan.to_dict()["teams"]
    assert list(teams) == ["Front office", "IT", "Archivist"]  # as the journey meets them
    assert teams["Front office"]["department"] == "Front office"
    assert teams["Archivist"]["department"] is None  # an actor without a department


def test_cards_added_removed_and_changed_per_team(plan) -> None:  # type: ignore[no-untyped-def]
    teams = plan.to_dict()["teams"]
    assert teams["IT"]["added"] == ["search"]
    assert teams["Archivist"]["removed"] == ["look-up"]
    changed = teams["Front office"]["changed"]
    assert [c["id"] for c in changed] == ["answer"]
    assert changed[0]["fields"]["duration"] == [240.0, 120.0]
    assert "fail" in changed[0]["fields"]


def test_handoffs_and_fail_points(plan) -> None:  # type: ignore[no-untyped-def]
    teams = plan.to_dict()["teams"]
    front = teams["Front office"]["handoffs"]
    assert front["added"] == [{"from": "answer", "to": "search", "with": "IT", "label": "File number"}]
    assert {(h["from"], h["to"], h["with"]) for h in front["removed"]} == {
        ("answer", "look-up", "Archivist"), ("look-up", "answer", "Archivist"),
    }  # fmt: skip
    assert teams["IT"]["handoffs"]["added"][0]["with"] == "Front office"
    assert teams["Front office"]["fail_points"] == [
        {"card": "answer", "text": "File not found", "recovery": "Call back within the hour"}
    ]


def test_time_per_customer_before_and_after(plan) -> None:  # type: ignore[no-untyped-def]
    teams = plan.to_dict()["teams"]
    # 4m + 1m before; 2m + 1m + half of the customers needing 2m of recovery after
    assert teams["Front office"]["time_per_customer"] == {"before": 300.0, "after": 240.0}
    assert teams["IT"]["time_per_customer"] == {"before": 0.0, "after": 10.0}
    assert teams["Archivist"]["time_per_customer"] == {"before": 360.0, "after": 0.0}
    assert plan.unaffected == ["Customer"]  # the customer does what they did


def test_time_per_customer_is_the_analysis_time_model() -> None:
    from stageline.analysis.opportunities import team_of

    bp = loads(FUTURE)
    assert team_time(bp, team_of)["Front office"] == 240.0


def test_csv_has_the_columns_issue_trackers_import(plan) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.reader(io.StringIO(plan.to_csv())))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert {row["Component/Team"] for row in body} == {"Front office", "IT", "Archivist"}
    assert all(row["Due"] == "2027-03-31" for row in body)
    labels = {row["Labels"] for row in body}
    assert labels == {"add-card", "remove-card", "change-card", "new-handoff", "removed-handoff", "fail-point"}
    it_only = list(csv.reader(io.StringIO(plan.to_csv("IT"))))
    assert {row[2] for row in it_only[1:]} == {"IT"}


def test_markdown_brief_per_team(plan) -> None:  # type: ignore[no-untyped-def]
    text = plan.to_markdown()
    assert "## Front office" in text and "## IT" in text and "## Archivist" in text
    assert "Time per customer: 5m 00s before, 4m 00s after (−1m 00s)." in text
    assert "**Own fail point: File not found**" in text
    assert "due 2027-03-31" in text


def test_hotel_future_state_per_team() -> None:
    current, future = load(EXAMPLES / "hotel-stay.yaml"), load(EXAMPLES / "hotel-stay-future.yaml")
    assert same_service(current, future)
    teams = team_plan(current, future).to_dict()["teams"]
    assert "app-check-in" in teams["Digital"]["added"]
    assert "reissue-invoice" in teams["Finance"]["removed"]
    assert teams["Front office"]["time_per_customer"]["after"] < teams["Front office"]["time_per_customer"]["before"]
    # every card change lands with some team: nothing in the diff is lost
    listed = {i for t in teams.values() for i in t["added"]} | {i for t in teams.values() for i in t["removed"]}
    assert "digital-key" in listed and "key-encoder" in listed


def test_another_service_is_not_the_same_service() -> None:
    assert not same_service(load(EXAMPLES / "hotel-stay.yaml"), load(EXAMPLES / "clinic-appointment.yaml"))
