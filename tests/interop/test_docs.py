"""docs/interop.md: the headings table is generated from the importer, and every example in it works."""

from __future__ import annotations

import re

from conftest import ROOT
from stageline.formats.ingest import Kind, read_any
from stageline.formats.interop.docs import REGENERATE, updated

DOC = ROOT / "docs" / "interop.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_recognised_headings_are_up_to_date() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert updated(text) == text, f"docs/interop.md is stale: regenerate it with `{REGENERATE}`"


def test_the_journey_map_example_imports_as_described() -> None:
    journey = next(block for block in _blocks("csv") if block.startswith("Stage,"))
    imported = read_any(journey.encode(), "journey.csv")
    assert imported.kind is Kind.JOURNEY
    bp = imported.blueprint
    assert (len(bp.stages), len(list(bp.steps()))) == (3, 5)
    assert [c.text for c in bp.step("check-in").cards("evidence")] == ["Key card", "Lobby"]


def test_the_stageline_csv_example_is_a_stageline_spreadsheet() -> None:
    example = next(block for block in _blocks("csv") if block.startswith("kind,"))
    imported = read_any(example.encode(), "coffee.csv")
    assert imported.kind is Kind.SPREADSHEET
    bp = imported.blueprint
    assert bp.title == "Coffee to go"
    assert bp.card("pay.frontstage").duration == 30
    assert bp.links[0].two_way


def test_the_blueprint_signal_example_imports() -> None:
    (example,) = _blocks("json")
    imported = read_any(example.encode(), "coffee.json")
    assert imported.kind is Kind.SIGNAL
    bp = imported.blueprint
    assert (len(bp.stages), len(list(bp.cards())), len(bp.links), len(bp.opportunities)) == (1, 2, 1, 1)
    fail = bp.card("pay-by-card.frontstage").fail
    assert fail is not None and (fail.severity, fail.owner) == (4, "Shift lead")
    assert bp.opportunities[0].targets == ["pay-by-card.frontstage"]
    assert bp.opportunities[0].status == "testing"


def test_every_field_of_the_other_tools_formats_has_a_row() -> None:
    from stageline.formats.interop import ir, signal, signal_schema

    listed = {name.strip() for rows in signal.MAPPING.values() for names, _ in rows for name in names.split(",")}
    for table, columns in signal_schema.FIELDS.items():
        assert set(columns) <= listed, table
    ir_listed = " ".join(names for rows in ir.MAPPING.values() for names, _ in rows)
    defs = ir.schema()["$defs"]
    for part in ("service", "phase", "scenario", "path", "lane", "cell", "trigger"):
        for name in defs[part]["properties"]:
            assert name in ir_listed or name in ("phases", "scenarios", "steps", "paths", "lanes", "cells", "triggers")


def test_the_ingest_snippet_runs() -> None:
    (snippet,) = [block for block in _blocks("python") if "formats.ingest import ingest" in block]
    journey = next(block for block in _blocks("csv") if block.startswith("Stage,"))
    scope: dict[str, object] = {"data": journey.encode()}
    exec(snippet, scope)
    found = scope["found"]
    assert found.kind is Kind.JOURNEY and not found.problems  # type: ignore[attr-defined]
    assert sum(len(stage.steps) for stage in found.blueprint.stages) == 5  # type: ignore[attr-defined]


def test_the_web_app_snippet_runs() -> None:
    (snippet,) = [block for block in _blocks("python") if "import_journey" in block]
    journey = next(block for block in _blocks("csv") if block.startswith("Stage,"))
    scope: dict[str, object] = {"upload_bytes": journey.encode()}
    exec(snippet, scope)
    blueprint = scope["blueprint"]
    assert blueprint.title == "Hotel stay"  # type: ignore[attr-defined]
    assert not any(step.cards("evidence") for _, step in blueprint.steps())  # type: ignore[attr-defined]


def test_every_export_format_is_documented() -> None:
    from stageline.render.exports import WRITERS

    text = DOC.read_text(encoding="utf-8")
    for writer in WRITERS:
        assert f"`{writer.extensions[0]}`" in text, writer.name
