"""The agentic-service-blueprinting IR both ways, validated against its published schema."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator, FormatChecker

from helpers.blueprints import small_blueprint
from helpers.strategies import blueprints
from stageline.formats.errors import FormatError
from stageline.formats.ingest import Kind, read_any
from stageline.formats.interop.ir import schema, to_ir
from stageline.formats.interop.registry import writer_for, writer_named
from stageline.model import Blueprint
from stageline.model.integrity import check_integrity

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _valid(document: Any) -> list[str]:
    validator = Draft202012Validator(schema(), format_checker=FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def _lane(key: str, name: str, role: str | None, row: int) -> dict[str, Any]:
    return {"key": key, "display_name": {"en": name, "zh": name}, "role": role, "row": row}


def _sample() -> dict[str, Any]:
    """A streetlight repair service written from the schema: two phases, a scenario with two paths."""
    lanes = [
        _lane("citizen", "Citizen", "customer_actions", 0),
        _lane("portal", "Citizen-facing tech", "frontstage_tech", 1),
        _lane("field-tech", "Field technician", None, 2),
        _lane("asset-db", "Backstage tech", "backstage_tech", 3),
    ]
    repair = {
        "key": "as-designed",
        "name": {"en": "As designed"},
        "path_type": "happy",
        "lanes": lanes,
        "path_steps": ["report", "triage", "repair"],
        "cells": [
            {
                "lane": "citizen",
                "step": "report",
                "content": {"en": "Submit repair ticket", "zh": "提交报修工单"},
                "summary": {"en": "The citizen files a fault via the GIS portal."},
                "provenance": {"source": "docs/intake-guide.md", "section": "Repair intake"},
                "owner": "city-311",
            },
            {"lane": "portal", "step": "report", "content": {"en": "GIS Portal\nWork Order App"}},
            {"lane": "asset-db", "step": "triage", "content": {"en": "Asset DB"}, "needs_review": True},
            {"lane": "field-tech", "step": "repair", "content": {"en": "Replace the lamp"}},
        ],
        "triggers": [
            {"source": {"lane": "citizen", "step": "report"}, "target": {"lane": "asset-db", "step": "triage"}},
            {
                "source": {"lane": "asset-db", "step": "triage"},
                "target": {"lane": "field-tech", "step": "repair"},
                "kind": "needs",
            },
        ],
    }
    manual = copy.deepcopy(repair) | {"key": "as-done", "name": {"en": "As done"}, "path_type": "alternative"}
    return {
        "schema_version": "2026.08.31",
        "locales": ["en", "zh"],
        "service": {
            "key": "streetlight",
            "name": {"en": "Streetlight repair", "zh": "路灯维修"},
            "summary": {"en": "A reported fault is triaged and repaired."},
            "phases": [
                {
                    "key": "operate",
                    "name": {"en": "Operate"},
                    "order": 0,
                    "scenarios": [
                        {
                            "key": "asset-repair",
                            "name": {"en": "Asset repair"},
                            "order": 0,
                            "view_type": "side-by-side",
                            "steps": [
                                {"key": "report", "name": {"en": "Report fault"}},
                                {"key": "triage", "name": {"en": "Triage"}},
                                {"key": "repair", "name": {"en": "Repair on site"}},
                            ],
                            "paths": [manual, repair],
                        }
                    ],
                },
                {"key": "retire", "name": {"en": "Retire"}, "order": 1, "scenarios": []},
            ],
        },
    }


def _read(document: Any, name: str = "blueprint.json") -> Any:
    return read_any(json.dumps(document).encode(), name)


def test_the_sample_is_valid_against_the_published_schema() -> None:
    assert _valid(_sample()) == []


def test_an_ir_file_imports_its_happy_path() -> None:
    imported = _read(_sample())
    bp: Blueprint = imported.blueprint
    assert imported.kind is Kind.IR
    assert (bp.title, bp.scenario) == ("Streetlight repair", "A reported fault is triaged and repaired.")
    assert [s.title for s in bp.stages] == ["Operate", "Retire"]
    assert [(step.id, step.title) for step in bp.stages[0].steps] == [
        ("report", "Report fault"),
        ("triage", "Triage"),
        ("repair", "Repair on site"),
    ]
    assert [(lane.id, lane.visible) for lane in bp.lanes] == [
        ("customer", True),
        ("frontstage", True),
        ("field-tech", True),
        ("backstage", False),
    ]
    ticket = bp.card("report.customer")
    assert (ticket.text, ticket.actor, ticket.notes, ticket.source) == (
        "Submit repair ticket",
        "city-311",
        "The citizen files a fault via the GIS portal.",
        "docs/intake-guide.md § Repair intake",
    )
    assert [c.text for c in bp.step("report").cards("frontstage")] == ["GIS Portal", "Work Order App"]
    assert [(x.source, x.target, x.label) for x in bp.links] == [
        ("report.customer", "triage.backstage", None),
        ("triage.backstage", "repair.field-tech", "needs"),
    ]
    assert check_integrity(bp) == []
    fields = {u.field for u in imported.unmapped}
    assert {"paths[]", "locales", "cells[].needs_review"} <= fields


def test_another_locale_can_be_read() -> None:
    from stageline.formats.interop.ir import import_ir_object

    bp, _ = import_ir_object(_sample(), "blueprint.json", locale="zh")
    assert bp.title == "路灯维修"
    assert bp.card("report.customer").text == "提交报修工单"
    assert bp.card("triage.backstage").text == "Asset DB"  # no zh text: the first there is


@FAST
@given(blueprints())
def test_any_blueprint_exports_to_a_valid_ir_that_reads_back(bp: Blueprint) -> None:
    document, unmapped = to_ir(bp)
    assert _valid(document) == []
    assert all(u.reason for u in unmapped)
    back = _read(document).blueprint
    assert check_integrity(back) == []
    assert _same_grid(to_ir(back)[0], document)


def _same_grid(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The same phases, steps, cell texts and triggers (lane keys may be renamed by role)."""

    def grid(doc: dict[str, Any]) -> list[Any]:
        return [
            (
                phase["name"],
                [s["name"] for s in sc["steps"]],
                sorted(c["content"]["en"] for c in p["cells"]),
                len(p.get("triggers", [])),
            )
            for phase in doc["service"]["phases"]
            for sc in phase["scenarios"]
            for p in sc["paths"]
        ]

    return grid(a) == grid(b)


def test_stageline_to_ir_and_back_keeps_stages_steps_cards_and_links_within_a_stage() -> None:
    bp = small_blueprint()
    document, unmapped = to_ir(bp)
    assert _valid(document) == []
    back = _read(document).blueprint
    assert [s.title for s in back.stages] == [s.title for s in bp.stages]
    assert [c.text for _, c in back.cards()] == [c.text for _, c in bp.cards()]
    assert [c.actor for _, c in back.cards()] == [c.actor for _, c in bp.cards()]
    same_stage = [(x.source, x.target) for x in bp.links if bp.place(x.source).stage.id == bp.place(x.target).stage.id]
    assert len(back.links) == sum(2 if x.two_way else 1 for x in bp.links if (x.source, x.target) in same_stage)
    assert all(u.count >= 1 for u in unmapped)


def test_ir_is_chosen_by_name_or_double_extension() -> None:
    assert writer_named("ir").name == "asb-ir"
    assert writer_for("service.ir.json").name == "asb-ir"


# -- bad input -------------------------------------------------------------------------------
def _problems(document: Any) -> dict[str, str]:
    with pytest.raises(FormatError) as caught:
        _read(document)
    return {p.path: p.message for p in caught.value.problems}


def test_schema_violations_name_their_json_path() -> None:
    document = _sample()
    document["service"]["phases"][0]["key"] = "Operate Phase"
    document["service"]["phases"][0]["scenarios"][0]["view_type"] = "grid"
    found = _problems(document)
    assert "'Operate Phase' does not match" in found["$.service.phases[0].key"]
    view_type = found["$.service.phases[0].scenarios[0].view_type"]
    assert "'grid' is not one of single, side-by-side, integrated" in view_type


def test_cells_off_the_path_and_triggers_to_missing_cells_are_reported() -> None:
    document = _sample()
    path = document["service"]["phases"][0]["scenarios"][0]["paths"][1]
    path["path_steps"] = ["report", "triage"]
    path["triggers"].append(
        {"source": {"lane": "citizen", "step": "report"}, "target": {"lane": "citizen", "step": "report"}}
    )
    found = _problems(document)
    at = "$.service.phases[0].scenarios[0].paths[1]"
    assert "step 'repair' is not in this path's path_steps" in found[f"{at}.cells[3].step"]
    assert "a trigger joins two different cells" in found[f"{at}.triggers[2]"]


def test_the_older_lifecycle_root_is_named() -> None:
    document = _sample()
    document["lifecycle"] = document.pop("service")
    document["schema_version"] = "2026.07.16"
    found = _problems(document)
    assert "older `lifecycle` root" in found["$.lifecycle"]
