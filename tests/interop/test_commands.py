"""`stageline import` and `stageline export` as people run them."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

import stageline
from helpers.blueprints import small_blueprint
from stageline import environment
from stageline.cli import main
from stageline.formats.interop import spreadsheet

DATA = Path(__file__).parent / "data"


def _run(*args: object) -> int:
    return main([str(a) for a in args])


def test_import_a_journey_map_prints_the_summary_and_the_to_do_list(
    console: environment.Environment, tmp_path: Path
) -> None:
    source = shutil.copy(DATA / "journey.csv", tmp_path / "journey.csv")
    assert _run("import", source, "-o", tmp_path / "out.yaml", "--title", "Hotel stay") == 0
    out = console.stdout.getvalue()
    assert "3 stages, 5 steps imported" in out
    assert "Feeling → emotion" in out
    assert "To do (" in out and "SL105" in out  # the company side still needs mapping
    bp = stageline.load(tmp_path / "out.yaml")
    assert bp.title == "Hotel stay" and bp.card("check-in.customer").emotion == -2


def test_import_defaults_to_a_yaml_file_next_to_the_input_and_will_not_overwrite(
    console: environment.Environment, tmp_path: Path
) -> None:
    source = shutil.copy(DATA / "journey.csv", tmp_path / "journey.csv")
    assert _run("import", source) == 0
    assert (tmp_path / "journey.yaml").exists()
    assert _run("import", source) == 2
    assert "already exists; use --force" in console.stderr.getvalue()
    assert _run("import", source, "--force") == 0


def test_import_to_stdout_keeps_people_text_on_stderr(console: environment.Environment) -> None:
    assert _run("import", DATA / "journey_transposed.csv", "-o", "-") == 0
    bp = stageline.loads(console.stdout.getvalue())
    assert len(list(bp.steps())) == 3
    assert "steps imported" in console.stderr.getvalue()


def test_map_option_and_sheet_option(console: environment.Environment, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Phase,The guest,Mood\nA,Walk in,😀\n")
    assert _run("import", path, "-o", tmp_path / "odd.yaml", "--map", "The guest=customer") == 0
    assert stageline.load(tmp_path / "odd.yaml").card("walk-in.customer").emotion == 2
    assert _run("import", path, "-o", tmp_path / "x.yaml", "--map", "The guest=custmer") == 2
    assert "did you mean 'customer'" in console.stderr.getvalue()
    assert _run("import", DATA / "clinic_journey.xlsx", "-o", tmp_path / "c.yaml", "--sheet", "Journey map") == 0


def test_malformed_input_exits_2_with_row_and_column_and_no_traceback(
    console: environment.Environment, tmp_path: Path
) -> None:
    path = tmp_path / "journey.csv"
    path.write_text("Stage,Step,Doing,Feeling\nA,One,Do,happy\nA,Two,Do,happy\nA,Three,Do,meh-ish\n")
    assert _run("import", path, "-o", tmp_path / "out.yaml") == 2
    err = console.stderr.getvalue()
    assert f"{path}:row 4, column \"Feeling\": error: 'meh-ish' is not an emotion" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize("content", [b"\x00\x01\x02" * 100, b"PK\x03\x04broken zip"])
def test_binary_or_damaged_files_exit_2(console: environment.Environment, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "weird.csv"
    path.write_bytes(content)
    assert _run("import", path, "-o", tmp_path / "o.yaml") == 2
    assert "error:" in console.stderr.getvalue() and "Traceback" not in console.stderr.getvalue()


def test_missing_file_exits_2(console: environment.Environment, tmp_path: Path) -> None:
    assert _run("import", tmp_path / "nope.csv", "-o", tmp_path / "o.yaml") == 2
    assert "no such file" in console.stderr.getvalue()


def test_export_every_format_by_extension(console: environment.Environment, tmp_path: Path) -> None:
    source = tmp_path / "hotel.yaml"
    source.write_text(stageline.dumps(small_blueprint()))
    for extension in ("xlsx", "csv", "drawio", "canvas", "mmd", "md"):
        target = tmp_path / f"hotel.{extension}"
        assert _run("export", source, "-o", target) == 0, console.stderr.getvalue()
        assert target.stat().st_size > 200
    assert load_workbook(tmp_path / "hotel.xlsx").sheetnames[0] == "Blueprint"
    assert json.loads((tmp_path / "hotel.canvas").read_text())["nodes"]
    assert "Wrote" in console.stdout.getvalue()


def test_spreadsheet_export_and_import_round_trip_through_the_cli(
    console: environment.Environment, tmp_path: Path
) -> None:
    bp = small_blueprint()
    source = tmp_path / "hotel.yaml"
    source.write_text(stageline.dumps(bp))
    for extension in ("xlsx", "csv"):
        assert _run("export", source, "-o", tmp_path / f"hotel.{extension}") == 0
        assert _run("import", tmp_path / f"hotel.{extension}", "-o", tmp_path / f"back-{extension}.yaml") == 0
        assert (tmp_path / f"back-{extension}.yaml").read_text() == source.read_text()
    assert "Stageline spreadsheet" in console.stdout.getvalue()


def test_export_to_stdout_needs_a_text_format(console: environment.Environment, tmp_path: Path) -> None:
    source = tmp_path / "hotel.yaml"
    source.write_text(stageline.dumps(small_blueprint()))
    assert _run("export", source, "-o", "-", "--to", "mermaid") == 0
    assert console.stdout.getvalue().startswith("---\ntitle:")
    assert _run("export", source, "-o", "-") == 2
    assert "--to" in console.stderr.getvalue()
    assert _run("export", source, "-o", "-", "--to", "xlsx") == 2
    assert _run("export", source, "-o", tmp_path / "x.pdf") == 2
    assert _run("export", source, "-o", tmp_path / "x", "--to", "markdwn") == 2
    assert "did you mean 'markdown'" in console.stderr.getvalue()


def test_export_of_an_invalid_blueprint_exits_2(console: environment.Environment, tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text("stageline: 1\ntitle: x\nstages: 3\n")
    assert _run("export", source, "-o", tmp_path / "x.md") == 2
    assert "bad.yaml" in console.stderr.getvalue()


def test_export_reads_importable_files_too(console: environment.Environment, tmp_path: Path) -> None:
    data = spreadsheet.write_xlsx(small_blueprint())
    (tmp_path / "team.xlsx").write_bytes(data)
    assert _run("export", tmp_path / "team.xlsx", "-o", tmp_path / "team.md") == 0
    assert "# Overnight hotel stay" in (tmp_path / "team.md").read_text()


def test_a_large_journey_map_shows_progress_and_imports(console: environment.Environment, tmp_path: Path) -> None:
    rows = io.StringIO()
    rows.write("Stage,Step,Doing,Feeling\n")
    for i in range(2000):
        rows.write(f"Stage {i // 50},Step {i},Do thing {i},{(i % 5) - 2}\n")
    path = tmp_path / "big.csv"
    path.write_text(rows.getvalue())
    assert _run("import", path, "-o", tmp_path / "big.yaml") == 0
    assert "40 stages, 2000 steps imported" in console.stdout.getvalue()


def test_exported_files_get_the_usual_permissions(console: environment.Environment, tmp_path: Path) -> None:
    import os

    source = tmp_path / "hotel.yaml"
    source.write_text(stageline.dumps(small_blueprint()))
    assert _run("export", source, "-o", tmp_path / "hotel.md") == 0
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "hotel.md").stat().st_mode & 0o777 == 0o666 & ~umask


def test_signal_and_ir_round_trip_through_the_commands_and_say_what_they_leave(
    console: environment.Environment, tmp_path: Path
) -> None:
    project = shutil.copy(DATA / "signal_project.json", tmp_path / "fjord.json")
    assert _run("import", project, "-o", tmp_path / "fjord.yaml") == 0
    assert "Imported Blueprint Signal project fjord.json" in console.stdout.getvalue()
    assert _run("export", tmp_path / "fjord.yaml", "-o", tmp_path / "back.signal.json") == 0
    back = json.loads((tmp_path / "back.signal.json").read_text())
    assert back["format"] == "blueprint-project-v1" and len(back["data"]["actions"]) == 17
    assert "not exported: notes: kept only as the project's origin line" in console.stderr.getvalue()
    assert _run("export", tmp_path / "fjord.yaml", "-o", tmp_path / "fjord.json.out", "--to", "ir") == 0
    assert _run("import", tmp_path / "fjord.json.out", "--from", "ir", "-o", tmp_path / "ir.yaml") == 0
    assert len(list(stageline.load(tmp_path / "ir.yaml").cards())) == 17


def test_an_export_signal_cannot_hold_writes_nothing(console: environment.Environment, tmp_path: Path) -> None:
    target = tmp_path / "long.signal.json"
    long = tmp_path / "long.yaml"
    stages = "".join(
        f"  - id: s{i}\n    title: S{i}\n    steps:\n      - id: t{i}\n        customer: Ask {i}\n" for i in range(13)
    )
    long.write_text("stageline: 1\ntitle: Long\nstages:\n" + stages)
    assert _run("export", long, "-o", target) == 2
    assert "at most 12 stages" in console.stderr.getvalue()
    assert not target.exists()


def test_importing_a_stageline_blueprint_says_it_needs_no_import(
    console: environment.Environment, tmp_path: Path
) -> None:
    blueprint = tmp_path / "my-hotel.yaml"
    assert _run("new", blueprint, "--template", "hotel-stay") == 0
    before = blueprint.read_bytes()
    for extra in ((), ("--force",), ("-o", tmp_path / "other.yaml")):
        console.stderr.truncate(0)
        console.stderr.seek(0)
        assert _run("import", blueprint, *extra) == 2
        err = console.stderr.getvalue()
        assert f"{blueprint} is already a Stageline blueprint: it needs no import" in err
        assert f"stageline validate {blueprint}" in err
        assert "already exists" not in err and "row" not in err and "column" not in err
    assert blueprint.read_bytes() == before and not (tmp_path / "other.yaml").exists()


def test_importing_a_broken_blueprint_lists_its_problems_by_line(
    console: environment.Environment, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("stageline: 1\ntitle: Hotel\nstages:\n  - id: Bad Id\n")
    assert _run("import", path) == 2
    err = console.stderr.getvalue()
    assert f"{path}:4:" in err and "Bad Id" in err
    assert f"{path} is a Stageline blueprint (YAML) with 2 problems, not a file to import" in err


def test_an_import_never_overwrites_the_file_it_reads(console: environment.Environment, tmp_path: Path) -> None:
    path = shutil.copy(DATA / "journey.csv", tmp_path / "journey.csv")
    assert _run("import", path, "--force", "-o", path) == 2
    assert "would overwrite" in console.stderr.getvalue()
    assert path.read_bytes() == (DATA / "journey.csv").read_bytes()
