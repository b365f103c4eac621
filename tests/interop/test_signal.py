"""Blueprint Signal both ways: saved projects, bare data, process lists and workbooks, and the export."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook

from helpers.strategies import blueprints
from interop.signal_contract import COLUMNS, demo_data, demo_project, envelope_problems, signal_problems
from stageline.formats.errors import FormatError
from stageline.formats.ingest import Kind, read_any
from stageline.formats.interop.errors import describe
from stageline.formats.interop.registry import writer_for, writer_named
from stageline.formats.interop.signal import to_signal
from stageline.formats.interop.unmapped import ExportRefused
from stageline.model import Blueprint
from stageline.model.elements import Card, Stage, Step
from stageline.model.integrity import check_integrity

DATA = Path(__file__).parent / "data"
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(data: object, name: str = "project.json") -> Any:
    text = data if isinstance(data, str) else json.dumps(data)
    return read_any(text.encode(), name)


def _problems(data: object, name: str = "project.json") -> dict[str, str]:
    with pytest.raises(FormatError) as caught:
        _read(data, name)
    return {p.path: p.message for p in caught.value.problems}


# -- what a round trip must keep: content, not Signal's ids (they are renumbered) --------------
def _content(data: dict[str, Any]) -> dict[str, Counter[tuple[Any, ...]]]:
    stages = {s["id"]: s["name"] for s in data["stages"]}
    sources = {s["id"]: s["title"] for s in data["sources"]}
    actions = {a["id"]: a for a in data["actions"]}
    hazards = {h["id"]: h for h in data["hazards"]}

    def action(key: str) -> tuple[Any, ...]:
        a = actions[key]
        return (stages[a["stage_id"]], a["lane"], a["description"], a["owner"], a["minutes"], a["basis"])

    return {
        "actions": Counter(
            (*action(a["id"]), sources.get(a["source_id"]), a["evidence_note"]) for a in data["actions"]
        ),
        "links": Counter((action(x["from_action"]), action(x["to_action"]), x["description"]) for x in data["links"]),
        "hazards": Counter((action(h["action_id"]), h["failure"], h["impact"], h["owner"]) for h in data["hazards"]),
        "improvements": Counter(
            (hazards[p["hazard_id"]]["failure"], *(p[k] for k in COLUMNS["improvements"][2:]))
            for p in data["improvements"]
        ),
        "stages": Counter((s["name"], s["order"]) for s in data["stages"]),
    }


# -- import ----------------------------------------------------------------------------------
def test_the_signal_demo_imports_to_its_cards_links_fail_points_and_opportunity() -> None:
    imported = _read(demo_project(), "fjord-table.json")
    bp: Blueprint = imported.blueprint
    assert imported.kind is Kind.SIGNAL
    assert [s.title for s in bp.stages] == ["Book", "Arrive", "Order", "Prepare", "Serve", "Pay"]
    assert len(list(bp.cards())) == 17
    assert len(bp.links) == 13
    fails = [card for _, card in bp.cards() if card.fail is not None]
    assert len(fails) == 2
    assert len(bp.opportunities) == 1
    assert check_integrity(bp) == []
    pass_runner = next(card for card in fails if card.text.startswith("Collect and deliver"))
    assert pass_runner.actor is None  # Signal's "" owner: nobody named
    assert pass_runner.fail is not None
    assert (pass_runner.fail.severity, pass_runner.fail.owner) == (4, "Shift manager")
    (plan,) = bp.opportunities
    assert plan.targets == [pass_runner.id]
    assert (plan.owner, plan.measure, plan.target, plan.due, plan.status) == (
        "Shift manager",
        "Time from ready ticket to delivery",
        "Agree a baseline and target before the trial",
        None,
        "idea",
    )
    assert (plan.title, plan.description) == (
        "Trial a named pass runner during peak service",
        "Trial a named pass runner during peak service.",
    )
    # Serve lists backstage and frontstage before the customer: they join the customer's step.
    (serve,) = bp.stage("serve").steps
    assert sorted(serve.cells) == ["backstage", "customer", "frontstage"]
    prepare = bp.card("prepare-dishes-against-the-order-ticket.backstage")
    assert (prepare.duration, prepare.basis, prepare.source) == (18 * 60, "assumed", "Fictional staff walkthrough")
    assert prepare.notes == "Illustrative service design and durations, not measurements."
    rework = next(link for link in bp.links if link.label == "Rework if meal is wrong")
    assert (bp.card(rework.source).text, bp.card(rework.target).text) == (
        "Receive and check the meal",
        "Prepare dishes against the order ticket",
    )
    assert bp.notes is not None
    assert "Review: checked by Fictional reviewer on 2026-10-03" in bp.notes
    assert "Origin: FICTIONAL DEMO" in bp.notes
    assert "N1 Fictional staff walkthrough: Invented training example" in bp.notes
    assert "changed after this review" not in bp.notes


def test_the_bare_data_of_an_ai_import_reads_like_the_saved_project() -> None:
    bare = _read(demo_data()).blueprint
    saved = _read(demo_project()).blueprint
    assert bare.stages == saved.stages and bare.links == saved.links and bare.opportunities == saved.opportunities
    assert bare.notes is not None and "Review" not in bare.notes


def test_a_review_that_no_longer_matches_its_data_is_noted() -> None:
    project = demo_project()
    project["data"]["actions"][0]["description"] = "Changed after the review"
    assert "changed after this review" in (_read(project).blueprint.notes or "")


def test_what_does_not_fit_is_reported_field_by_field() -> None:
    data = demo_data()
    data["hazards"].append(
        {
            "id": "F3",
            "action_id": "A13",
            "failure": "Plates go cold",
            "impact": "medium",
            "basis": "observed",
            "source_id": "N1",
            "owner": "",
        }
    )
    imported = _read(data)
    found = {u.field: u for u in imported.unmapped}
    assert "second failure point" in found["$.hazards[*]"].reason
    assert "observed" in found["$.hazards[*].basis"].reason
    card = next(c for _, c in imported.blueprint.cards() if c.text.startswith("Collect and deliver"))
    assert "Also a failure point (medium impact): Plates go cold" in (card.notes or "")


def test_the_fixture_file_is_the_demo() -> None:
    assert json.loads((DATA / "signal_project.json").read_text()) == demo_project()


# -- export ----------------------------------------------------------------------------------
def test_signal_to_stageline_to_signal_keeps_every_action_link_hazard_and_improvement() -> None:
    bp = _read(demo_project()).blueprint
    project, _ = to_signal(bp)
    assert envelope_problems(project) == []
    assert _content(project["data"]) == _content(demo_data())
    assert project["data"]["brief"] == demo_data()["brief"]
    assert project["review"] is None  # Stageline's copy is a new draft; Signal asks for a new review


def test_a_round_trip_keeps_plan_dates_statuses_and_observed_work() -> None:
    data = demo_data()
    data["actions"][1] |= {"basis": "observed", "minutes": 2.5}
    data["sources"].append({"id": "W1", "title": "Floor study", "url": "https://example.org/study", "note": "Notes"})
    data["actions"][2]["source_id"] = "W1"
    data["improvements"].append(
        {
            "id": "I2",
            "hazard_id": "F2",
            "change": "Print allergens on the ticket.",
            "owner": "Head chef",
            "measure": "Tickets with allergens",
            "target": "100 %",
            "check_date": "2027-01-15",
            "status": "testing",
        }
    )
    data["improvements"][0]["status"] = "complete"
    bp = _read(data).blueprint
    assert next(o for o in bp.opportunities if o.owner == "Head chef").due == dt.date(2027, 1, 15)
    project, _ = to_signal(bp)
    assert envelope_problems(project) == []
    assert _content(project["data"]) == _content(data)
    assert {"title": "Floor study", "url": "https://example.org/study"}.items() <= project["data"]["sources"][1].items()


@FAST
@given(blueprints())
def test_any_blueprint_exports_to_a_project_signal_accepts_and_reads_back_the_same(bp: Blueprint) -> None:
    project, unmapped = to_signal(bp)
    assert envelope_problems(project) == [], project
    assert all(u.count >= 1 and u.reason for u in unmapped)
    again, _ = to_signal(_read(project).blueprint)
    assert _content(again["data"]) == _content(project["data"])
    cards = list(bp.cards())
    assert len(project["data"]["actions"]) == len(cards)
    assert len(project["data"]["hazards"]) == sum(1 for _, c in cards if c.fail is not None)


def test_export_says_what_signal_cannot_hold() -> None:
    bp = _read(demo_project()).blueprint
    card = bp.card("reserve-a-table.customer")
    card.emotion, card.channel = -1, "web"
    bp.links[0].two_way = True
    bp.opportunities[0].targets = []
    project, unmapped = to_signal(bp)
    fields = {u.field: u.reason for u in unmapped}
    assert fields["card.emotion"] == "Blueprint Signal has no place for it"
    assert "two links" in fields["link.two_way"]
    assert "not written" in fields["opportunities"]
    assert project["data"]["improvements"] == []
    assert envelope_problems(project) == []


def test_more_than_twelve_stages_is_refused_naming_the_limit() -> None:
    stages = [
        Stage(id=f"s{i}", title=f"S {i}", steps=[Step(id=f"t{i}", cells={"customer": [Card(id=f"c{i}", text="x")]})])
        for i in range(13)
    ]
    with pytest.raises(ExportRefused, match=r"at most 12 stages.*13 stages"):
        to_signal(Blueprint(title="Long", stages=stages))


def test_signal_is_chosen_by_name_or_by_its_double_extension() -> None:
    assert writer_named("blueprint-signal").name == "blueprint-signal"
    assert writer_named("signal").name == "blueprint-signal"
    assert writer_for("fjord.signal.json").name == "blueprint-signal"
    with pytest.raises(ValueError, match="several formats are JSON"):
        writer_for("fjord.json")


# -- bad input -------------------------------------------------------------------------------
def test_a_saved_project_of_another_signal_app_is_refused() -> None:
    project = demo_project()
    project["format"] = "learn-project-v1"
    found = _problems(project)
    assert "saved 'learn' project of another app" in found["$.format"]


def test_the_envelope_must_have_exactly_its_four_keys() -> None:
    project = demo_project()
    del project["origin"]
    project["extra"] = 1
    found = _problems(project)
    assert "lacks it" in found["$.origin"]
    assert "not part of a saved project" in found["$.extra"]


def test_schema_violations_name_their_json_path() -> None:
    project = demo_project()
    project["data"]["actions"][3]["minutes"] = -1
    project["data"]["actions"][4]["lane"] = "kitchen"
    project["data"]["stages"][0]["id"] = "1st"
    project["data"]["hazards"][0]["impact"] = "severe"
    found = _problems(project)
    assert "-1" in found["$.data.actions[3].minutes"]
    assert (
        "'kitchen' is not one of evidence, customer, frontstage, backstage, support" in found["$.data.actions[4].lane"]
    )
    assert "not a Blueprint Signal id" in found["$.data.stages[0].id"]
    assert "'severe' is not one of low, medium, high" in found["$.data.hazards[0].impact"]


def test_duplicate_ids_and_links_to_missing_actions_are_reported_together() -> None:
    data = demo_data()
    data["actions"][5]["id"] = "A1"
    data["links"][0]["to_action"] = "A99"
    data["links"][1] = {**data["links"][1], "from_action": "A3", "to_action": "A3"}
    data["improvements"][0]["hazard_id"] = "F9"
    data["actions"][0]["basis"] = "observed"
    data["actions"][0]["evidence_note"] = " "
    found = _problems(data)
    assert "'A1' is used twice (first at actions[0])" in found["$.actions[5].id"]
    assert found["$.links[0].to_action"] == "no action has id 'A99'"
    assert "two different actions" in found["$.links[1].to_action"]
    assert found["$.improvements[0].hazard_id"] == "no failure point has id 'F9'"
    assert "observed action needs a source_id and an evidence_note" in found["$.actions[0].basis"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "blueprint-project-v1", "format": "x"}', "the key 'format' appears twice"),
        ('{"schema_version": "1.0", "stages": [], "actions": [NaN]}', "NaN is not a number JSON allows"),
        ('{"stages": [', "not valid JSON"),
        ('{"hello": "world"}', "neither a Blueprint Signal project"),
    ],
)
def test_hostile_or_foreign_json_is_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        _read(text)


def test_projects_over_five_megabytes_are_refused() -> None:
    data = demo_data()
    data["brief"] = "x" * 5_000_001
    with pytest.raises(FormatError, match="limited to 5 MB"):
        _read(data)


def test_hostile_nesting_is_refused_without_a_traceback() -> None:
    with pytest.raises(FormatError, match="nests too deeply"):
        read_any(("[" * 100_000 + "]" * 100_000).encode(), "deep.json")


# -- spreadsheets ------------------------------------------------------------------------------
PROCESS_CSV = (
    "Stage,Service layer,What happens,Responsible person or team,Time in minutes,Evidence status,Evidence note\n"
    "Arrive,Customer actions,Give booking name,Guest,,assumed,Fictional example\n"
    "Arrive,Visible staff / technology,Check booking and seat guests,Host,4,assumed,Fictional example\n"
    "Order,Backstage actions,'=SUM(prep),Kitchen,,,\n"
)


def test_signals_process_list_imports_with_its_headings() -> None:
    imported = read_any(PROCESS_CSV.encode("utf-8-sig"), "process.csv")
    bp = imported.blueprint
    assert imported.kind is Kind.SIGNAL
    assert [s.title for s in bp.stages] == ["Arrive", "Order"]
    assert [c.text for _, c in bp.cards()] == ["Give booking name", "Check booking and seat guests", "=SUM(prep)"]
    host = bp.card("give-booking-name.frontstage")
    assert (host.actor, host.duration, host.source) == ("Host", 240, "process.csv")
    assert bp.card("sum-prep.backstage").basis == "assumed"  # no status: assumed, as Signal does


def test_process_list_problems_name_row_and_column() -> None:
    text = PROCESS_CSV.replace("Host,4,", "Host,four,").replace("Customer actions", "Kitchen staff")
    with pytest.raises(FormatError) as caught:
        read_any(text.encode(), "process.csv")
    messages = [describe(p) for p in caught.value.problems]
    assert "process.csv:row 2, column \"Service layer\": 'Kitchen staff' is not one of" in messages[0]
    assert any("row 3, column \"Time in minutes\": 'four' is not a number" in m for m in messages)


def _workbook(data: dict[str, Any]) -> bytes:
    """Signal's complete project workbook: Read me, Case, then one sheet per table with its labels."""
    from stageline.formats.interop.signal import TABLE_SHEETS, heading

    book = Workbook()
    book.active.title = "Read me"
    book.active.append(["Instructions"])
    book.active.append(["Signal project workbook."])
    case = book.create_sheet("Case")
    case.append(["Case brief"])
    case.append([data["brief"]])
    for name, title in TABLE_SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.append([heading(c) for c in COLUMNS[name]])
        for row in data[name]:
            sheet.append([row[c] for c in COLUMNS[name]])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_signals_project_workbook_imports_like_its_json() -> None:
    data = demo_data()
    data["sources"][0]["note"] = '=HYPERLINK("https://example.org","test")'
    from_xlsx = read_any(_workbook(data), "project.xlsx")
    from_json = _read(data).blueprint
    assert from_xlsx.kind is Kind.SIGNAL
    assert from_xlsx.blueprint.stages == from_json.stages
    assert from_xlsx.blueprint.links == from_json.links
    assert from_xlsx.blueprint.opportunities == from_json.opportunities
    assert '=HYPERLINK("https://example.org","test")' in (from_xlsx.blueprint.notes or "")


def test_workbook_problems_name_the_sheet_and_cell() -> None:
    data = copy.deepcopy(demo_data())
    data["actions"][2]["minutes"] = "soon"
    data["links"][0]["to_action"] = "A99"
    with pytest.raises(FormatError) as caught:
        read_any(_workbook(data), "project.xlsx")
    messages = [describe(p) for p in caught.value.problems]
    assert messages == [
        "project.xlsx:sheet 'Service items', row 4, column \"Time in minutes\": 'soon' is not a number; "
        "leave the cell empty when it is unknown"
    ]
    data["actions"][2]["minutes"] = 3
    with pytest.raises(FormatError) as caught:
        read_any(_workbook(data), "project.xlsx")
    (problem,) = caught.value.problems
    assert describe(problem) == "project.xlsx:sheet 'Handoffs', row 2, column \"To step\": no action has id 'A99'"


def test_a_blank_project_from_signals_starter_exports_and_imports() -> None:
    starter = {
        "schema_version": "1.0",
        "brief": "New service",
        "stages": [{"id": "S1", "name": "Start", "order": 1}],
        **{name: [] for name in ("actions", "links", "hazards", "improvements", "sources")},
    }
    assert signal_problems(starter) == []
    bp = _read(starter).blueprint
    assert (bp.title, [s.title for s in bp.stages]) == ("New service", ["Start"])
    project, _ = to_signal(bp)
    assert project["data"] == starter
