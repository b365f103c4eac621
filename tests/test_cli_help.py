"""`stageline help [COMMAND]` says what `--help` says, and suggests a misspelt command."""

from __future__ import annotations

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
