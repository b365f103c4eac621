"""`stageline help [COMMAND]` says what `--help` says, and suggests a misspelt command."""

from __future__ import annotations

import re

import pytest

from stageline import environment
from stageline.cli import main


def test_help_of_a_command_is_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["help", "check"]) == 0
    via_help = capsys.readouterr().out
    assert main(["check", "--help"]) == 0
    assert "Usage: stageline check" in via_help and via_help == capsys.readouterr().out


def test_help_alone_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["help"]) == 0
    out = capsys.readouterr().out
    assert "Usage: stageline" in out and "simulate" in out and "help" in out


def test_help_of_an_unknown_command_suggests_the_closest(console: environment.Environment) -> None:
    assert main(["help", "chek"]) == 2
    message = console.stderr.getvalue()  # type: ignore[attr-defined]
    assert "there is no command 'chek'; did you mean 'check'?" in message and message.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["check", "--fail-on", "warnings", "x.yaml"], "not one of error, warning, info; did you mean 'warning'"),
        (["render", "x.yaml", "--theme", "drak"], "did you mean 'dark'?"),
        (["simulate", "x.yaml", "--format", "jsn"], "did you mean 'json'?"),
        (["diff", "a.yaml", "b.yaml", "--format", "htm"], "did you mean 'html'?"),
        (["metrics", "x.yaml", "--format", "yaml"], "'yaml' is not one of text, json"),
    ],
)
def test_a_wrong_option_value_names_the_choices_and_the_closest(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    assert main(argv) == 2
    assert says in " ".join(capsys.readouterr().err.replace("│", " ").split())


def test_choice_options_show_their_values_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--help"]) == 0
    assert "error|warning|info" in capsys.readouterr().out


def _commands() -> list[str]:
    from stageline.commands import COMMANDS

    return list(COMMANDS)


# What typer shows by default and people do not read: Python types, `<bool>` on flags, ranges as inequalities.
PYTHON_WORDS = ("<bool>", "<str>", "<int>", "<float>", "<path>", "list[", "Path]", "float range", "int range", "<=x")


@pytest.mark.parametrize("name", [None, *_commands()])
def test_help_shows_no_python_types(capsys: pytest.CaptureFixture[str], name: str | None) -> None:
    assert main([name, "--help"] if name else ["--help"]) == 0
    shown = capsys.readouterr().out
    assert "Usage: stageline" in shown
    assert [word for word in PYTHON_WORDS if word in shown] == []


def _usage(capsys: pytest.CaptureFixture[str], name: str) -> str:
    assert main([name, "--help"]) == 0
    (line,) = [line for line in capsys.readouterr().out.splitlines() if "Usage:" in line]
    return line.split(f"stageline {name} [OPTIONS]", 1)[1].strip()


@pytest.mark.parametrize("name", _commands())
def test_usage_lines_name_arguments_one_way(capsys: pytest.CaptureFixture[str], name: str) -> None:
    """`FILE` required, `[FILE]` optional, `FILE...` several: capitals, no braces, no lower-case names."""
    for word in _usage(capsys, name).split():
        assert re.fullmatch(r"\[?[A-Z][A-Z_]*\]?(\.\.\.)?", word), word
        assert "{" not in word and word.count("...") <= 1


@pytest.mark.parametrize(
    ("name", "usage"),
    [
        ("validate", "FILE..."),
        ("fmt", "FILE..."),
        ("check", "FILE..."),
        ("metrics", "FILE"),
        ("render", "FILE"),
        ("diff", "A B"),
        ("new", "[FILE]"),
        ("help", "[COMMAND]"),
        ("calibrate", "BLUEPRINT LOG..."),
        ("serve", ""),
    ],
)
def test_usage_lines(capsys: pytest.CaptureFixture[str], name: str, usage: str) -> None:
    assert _usage(capsys, name) == usage


def test_options_show_values_people_read(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--help"]) == 0
    rows = [line.strip("│ *").split() for line in capsys.readouterr().out.splitlines()]
    shown = {row[0]: row[1:4] for row in rows if row and row[0].startswith("--")}
    assert shown["--scale"][0] == "0.1–8.0"
    assert shown["--output"][:2] == ["-o", "FILE"] and shown["--stages"][0] == "IDS"
    assert shown["--theme"][0] == "light|dark|print"
    assert shown["--findings"][0] == "Mark"  # a flag: its help right after its name


def test_list_rules_needs_no_file(console: environment.Environment) -> None:
    assert main(["check", "--list-rules"]) == 0
    assert "SL301" in console.stdout.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["render", "x.yaml", "-o", "x.svg", "--format", "pgn"],
            "'pgn' is not one of svg, png, pdf, html; did you mean 'png'?",
        ),
        (["plan", "a.yaml", "b.yaml", "--format", "mdd"], "did you mean 'md'?"),
        (["validate", "a.yaml", "--format", "sarf"], "did you mean 'sarif'?"),
        (["calibrate", "a.yaml", "log.csv", "--format", "htm"], "did you mean 'html'?"),
        (["opportunities", "a.yaml", "--format", "jsn"], "did you mean 'json'?"),
    ],
)
def test_every_choice_suggests_the_closest(
    console: environment.Environment, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    assert main(argv) == 2
    said = console.stderr.getvalue() + capsys.readouterr().err  # type: ignore[attr-defined]
    assert says in " ".join(said.replace("│", " ").split())
