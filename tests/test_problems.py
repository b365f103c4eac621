"""One printer for every command's problems: `file:line:col: severity: message`, one
line each, never hard-wrapped; a missing file is reported one way by every command."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from stageline import environment
from stageline.cli import main
from stageline.commands.problems import RuleFinding, print_problems
from stageline.formats.errors import FormatProblem
from stageline.formats.parse import MAX_BYTES


@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],
        ["check"],
        ["metrics"],
        ["simulate"],
        ["fmt"],
        ["render", "-o", "x.svg"],
        ["import"],
        ["diff", "{file}"],
        ["export", "-o", "x.md"],
        ["opportunities"],
        ["plan", "{file}"],
    ],
)
def test_a_missing_file_is_reported_one_way(
    console: environment.Environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    command = [argv[0], "nope.yaml", *(word.replace("{file}", "nope.yaml") for word in argv[1:])]
    assert main(command) == 2
    said = console.stdout.getvalue() + console.stderr.getvalue()  # type: ignore[attr-defined]
    assert "nope.yaml: error: no such file; check the path" in said
    assert ":1:1:" not in said and "Traceback" not in said


BLUEPRINT_COMMANDS = [
    ["validate"],
    ["check"],
    ["metrics"],
    ["simulate"],
    ["fmt"],
    ["render", "-o", "x.svg"],
    ["export", "-o", "x.md"],
    ["opportunities"],
    ["plan", "{file}"],
    ["diff", "{file}"],
]


@pytest.mark.parametrize("argv", BLUEPRINT_COMMANDS)
def test_every_command_reads_a_blueprint_file_one_way(
    console: environment.Environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    """An oversized file is refused before it is read (a sparse file: no memory is spent on
    it) with the same words by every command, and a folder likewise."""
    monkeypatch.chdir(tmp_path)
    with open(tmp_path / "huge.yaml", "wb") as huge:
        huge.truncate(MAX_BYTES + 1)
    (tmp_path / "folder.yaml").mkdir()
    for name, message in (
        ("huge.yaml", "huge.yaml: error: the file is 10.0 MB; blueprint files are limited to 10 MB"),
        ("folder.yaml", "folder.yaml: error: it is a folder; give the path of a .yaml blueprint file"),
    ):
        for stream in (console.stdout, console.stderr):
            stream.seek(0)
            stream.truncate()
        command = [argv[0], name, *(word.replace("{file}", name) for word in argv[1:])]
        assert main(command) == 2
        said = console.stdout.getvalue() + console.stderr.getvalue()  # type: ignore[attr-defined]
        assert message in said, said
        assert "Traceback" not in said


def test_one_line_per_problem_at_any_width() -> None:
    out = StringIO()
    problems = [
        FormatProblem("hotel.yaml", 12, 7, "stages[0].steps[1].frontstage.duration", "is not a duration " * 8),
        FormatProblem("journey.csv", 3, 2, "row 3, column Stage", "is empty; every row needs a stage"),
        FormatProblem("gone.yaml", 0, 0, "", "no such file; check the path"),
    ]
    print_problems(Console(file=out, width=40, color_system=None), problems)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("hotel.yaml:12:7: error: stages[0].steps[1].frontstage.duration: is not a duration")
    assert lines[1] == "journey.csv:row 3, column Stage: error: is empty; every row needs a stage"
    assert lines[2] == "gone.yaml: error: no such file; check the path"


def test_a_finding_is_one_line_with_its_code_and_what_to_do() -> None:
    out = StringIO()
    findings = [
        RuleFinding("hotel.yaml", 14, 9, "warning", "SL203", "'Pay' is linked to 'Charge' " * 6, "Route it. " * 9),
        RuleFinding("hotel.yaml", 0, 0, "info", "SL702", "no physical evidence"),
    ]
    print_problems(Console(file=out, width=40, color_system=None), findings)
    first, second = out.getvalue().splitlines()
    assert first == f"hotel.yaml:14:9: warning: SL203 {findings[0].message}; fix: {findings[0].hint}"
    assert second == "hotel.yaml: info: SL702 no physical evidence"


def test_a_usage_error_is_one_plain_line_then_the_usage(console: environment.Environment) -> None:
    assert main(["check"]) == 2
    said = console.stderr.getvalue().splitlines()  # type: ignore[attr-defined]
    assert said == [
        "stageline check: error: Missing argument 'FILE...'.",
        "Usage: stageline check [OPTIONS] FILE...",
        "Try 'stageline check -h' for help.",
    ]


def test_errors_are_not_wrapped_when_redirected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A redirected stderr (not a terminal) of 40 columns still gets each message on one line."""
    monkeypatch.chdir(tmp_path)
    narrow = environment.Environment(stdout=StringIO(), stderr=StringIO(), stdin=StringIO(), width=40)
    environment.use(narrow)
    try:
        assert main(["render", "x.yaml", "-o", "x.svg", "--format", "pgn"]) == 2
        assert main(["check", "x.yaml", "--fail-on", "warnings"]) == 2
    finally:
        environment.use(None)
    lines = narrow.stderr.getvalue().splitlines()  # type: ignore[attr-defined]
    assert lines[0] == "error: --format: 'pgn' is not one of svg, png, pdf, html; did you mean 'png'?"
    assert lines[1] == (
        "stageline check: error: Invalid value for '--fail-on': "
        "'warnings' is not one of error, warning, info; did you mean 'warning'?"
    )
