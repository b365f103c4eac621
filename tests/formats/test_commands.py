"""`stageline validate`, `fmt` and `schema` as people and CI run them."""

from __future__ import annotations

import json
import os
import stat
from io import StringIO
from pathlib import Path

from stageline import environment
from stageline.cli import main
from stageline.formats.schema import schema_text
from stageline.formats.yaml_format import dumps, loads
from stageline.model import Blueprint

VALID = "stageline: 1\ntitle: T\nstages:\n  - id: s\n    title: S\n    steps:\n      - id: a\n        customer: Go\n"
INVALID = VALID + "        frontstage: {text: Serve, duraton: 4m}\nlinks:\n  - {from: a.customer, to: nowhere}\n"
UNFORMATTED = (
    "# Team notes\nstageline: 1\ntitle:   T   # the title\nstages:\n- id: s\n  title: S\n  steps:\n"
    "  - id: a\n    customer:\n      - text: Go\n        basis: assumed\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_valid_file(console: environment.Environment, tmp_path: Path) -> None:
    assert main(["validate", str(write(tmp_path, "ok.yaml", VALID))]) == 0
    assert "✓ 1 file valid" in console.stdout.getvalue()


def test_validate_reports_every_problem_with_place_and_exit_2(console: environment.Environment, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", INVALID)
    assert main(["validate", str(bad), str(write(tmp_path, "ok.yaml", VALID))]) == 2
    out = console.stdout.getvalue()
    assert f"{bad}:9:35: error: stages[0].steps[0].frontstage.duraton: unknown key 'duraton'" in out
    assert f"{bad}:11:28: error: links[0].to: link to 'nowhere': no card has that id" in out
    assert "✗ 2 problems in 1 of 2 files" in out
    assert "Traceback" not in out + console.stderr.getvalue()


def test_validate_json_for_machines(console: environment.Environment, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", INVALID)
    assert main(["validate", "--format", "json", str(bad)]) == 2
    document = json.loads(console.stdout.getvalue())
    assert document["valid"] is False
    problems = document["files"][0]["problems"]
    assert [(p["line"], p["column"], p["path"]) for p in problems] == [
        (9, 35, "stages[0].steps[0].frontstage.duraton"),
        (11, 28, "links[0].to"),
    ]


def test_validate_hostile_and_missing_input_never_shows_a_traceback(
    console: environment.Environment, tmp_path: Path
) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join(['*a' if i == 0 else f'*a{i - 1}'] * 10)}]\n" for i in range(9)
    )
    files = [
        write(tmp_path, "bomb.yaml", bomb),
        write(tmp_path, "deep.yaml", "stageline: 1\ntitle: " + "[" * 5000 + "\n"),
        write(tmp_path, "list.yaml", "- a\n"),
        write(tmp_path, "empty.yaml", ""),
        tmp_path / "missing.yaml",
        tmp_path,
    ]
    (tmp_path / "binary.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    files.append(tmp_path / "binary.png")
    assert main(["validate", *map(str, files)]) == 2
    out = console.stdout.getvalue()
    assert "Traceback" not in out + console.stderr.getvalue()
    for expected in (
        "alias bomb",
        "more than 50 levels",
        "the document is a list",
        "the file is empty",
        "no such file",
        "it is a folder",
        "binary file",
    ):
        assert expected in out
    assert "✗ 7 problems in 7 of 7 files" in out


def test_validate_reads_stdin(tmp_path: Path) -> None:
    env = environment.Environment(stdout=StringIO(), stderr=StringIO(), stdin=StringIO(INVALID), width=120)
    environment.use(env)
    try:
        assert main(["validate", "-"]) == 2
    finally:
        environment.use(None)
    assert "<stdin>:9:35: error:" in env.stdout.getvalue()


def test_fmt_rewrites_in_canonical_form_keeping_comments(console: environment.Environment, tmp_path: Path) -> None:
    path = write(tmp_path, "bp.yaml", UNFORMATTED)
    os.chmod(path, 0o640)
    assert main(["fmt", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert text == (
        "# Team notes\nstageline: 1\ntitle: T  # the title\nstate: current\nstages:\n  - id: s\n    title: S\n"
        "    steps:\n      - id: a\n        customer: Go\n"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # permissions survive the atomic replace
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bp.yaml"]  # no temporary file left
    assert f"reformatted {path}" in console.stderr.getvalue()
    assert main(["fmt", "--check", str(path)]) == 0


def test_fmt_check_reports_without_writing(console: environment.Environment, tmp_path: Path) -> None:
    path = write(tmp_path, "bp.yaml", UNFORMATTED)
    assert main(["fmt", "--check", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == UNFORMATTED
    assert f"would reformat {path}" in console.stderr.getvalue()


def test_fmt_diff_prints_a_unified_diff(console: environment.Environment, tmp_path: Path) -> None:
    path = write(tmp_path, "bp.yaml", UNFORMATTED)
    assert main(["fmt", "--diff", str(path)]) == 1
    assert "-title:   T   # the title\n+title: T  # the title\n" in console.stdout.getvalue()
    assert path.read_text(encoding="utf-8") == UNFORMATTED


def test_fmt_never_rewrites_an_invalid_file(console: environment.Environment, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", INVALID)
    assert main(["fmt", str(path)]) == 2
    assert path.read_text(encoding="utf-8") == INVALID
    assert "unknown key 'duraton'" in console.stderr.getvalue()


def test_fmt_stdin_to_stdout(tmp_path: Path, hotel: Blueprint) -> None:
    env = environment.Environment(stdout=StringIO(), stderr=StringIO(), stdin=StringIO(UNFORMATTED), width=120)
    environment.use(env)
    try:
        assert main(["fmt", "-"]) == 0
    finally:
        environment.use(None)
    assert env.stdout.getvalue().startswith("# Team notes\nstageline: 1\ntitle: T  # the title\n")
    assert loads(env.stdout.getvalue()) == loads(UNFORMATTED)


def test_fmt_leaves_canonical_files_alone(console: environment.Environment, tmp_path: Path, hotel: Blueprint) -> None:
    path = write(tmp_path, "hotel.yaml", dumps(hotel))
    before = path.stat().st_mtime_ns
    assert main(["fmt", str(path)]) == 0
    assert path.stat().st_mtime_ns == before
    assert "1 file already canonical" in console.stderr.getvalue()


def test_schema_command_prints_and_writes(console: environment.Environment, tmp_path: Path) -> None:
    assert main(["schema"]) == 0
    assert console.stdout.getvalue() == schema_text()
    target = tmp_path / "stageline.schema.json"
    assert main(["schema", "--output", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")
