"""`stageline new`: what a person sees, and the files it writes."""

from __future__ import annotations

from pathlib import Path

import pytest

import stageline
from stageline import environment
from stageline.cli import main
from stageline.exit_status import ExitStatus
from stageline.templates import list_templates, template_names, template_text


def run(console: environment.Environment, *args: str) -> tuple[int, str, str]:
    status = main(["new", *args])
    return status, console.stdout.getvalue(), console.stderr.getvalue()


@pytest.mark.parametrize("name", template_names())
def test_writes_each_template_and_says_what_next(console: environment.Environment, tmp_path: Path, name: str) -> None:
    target = tmp_path / f"{name}.yaml"
    status, out, err = run(console, "--template", name, str(target))
    assert (status, err) == (ExitStatus.OK, "")
    assert target.read_text(encoding="utf-8") == template_text(name, schema="stageline.schema.json")
    stageline.load(target)
    assert f"Created {target}" in out and f"the {name} template" in out
    for command in ("stageline validate", "stageline check", "stageline render"):
        assert f"{command} {target}" in out


def test_blank_is_the_default(console: environment.Environment, tmp_path: Path) -> None:
    target = tmp_path / "service.yaml"
    assert run(console, str(target))[0] == ExitStatus.OK
    assert target.read_text(encoding="utf-8") == template_text("blank", schema="stageline.schema.json")


def test_refuses_to_overwrite_without_force(console: environment.Environment, tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("my work\n", encoding="utf-8")
    status, out, err = run(console, "-t", "hotel-stay", str(target))
    assert status == ExitStatus.INVALID_INPUT
    assert "already exists" in err and "--force" in err
    assert out == ""
    assert target.read_text(encoding="utf-8") == "my work\n"


def test_force_overwrites(console: environment.Environment, tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("my work\n", encoding="utf-8")
    status, _, err = run(console, "--force", "-t", "clinic-appointment", str(target))
    assert (status, err) == (ExitStatus.OK, "")
    assert stageline.load(target).title == "Clinic appointment"


def test_title_option(console: environment.Environment, tmp_path: Path) -> None:
    target = tmp_path / "lisbon.yaml"
    assert run(console, "-t", "hotel-stay", "--title", "Hotel: Lisboa #2", str(target))[0] == ExitStatus.OK
    assert stageline.load(target).title == "Hotel: Lisboa #2"


def test_list_shows_every_template_with_its_description(console: environment.Environment) -> None:
    status, out, _ = run(console, "--list")
    assert status == ExitStatus.OK
    lines = out.splitlines()
    for template in list_templates():
        assert any(line.startswith(template.name) and template.description in line for line in lines)
    assert "(default)" in next(line for line in lines if line.startswith("blank"))


def test_unknown_template_suggests_and_exits_2(console: environment.Environment, tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    status, _, err = run(console, "--template", "saas", str(target))
    assert status == ExitStatus.INVALID_INPUT
    assert "there is no template 'saas'" in err and "stageline new --list" in err
    status, _, err = run(console, "--template", "clinic", str(target))
    assert "did you mean 'clinic-appointment'" in err
    assert not target.exists()


def test_missing_file_argument(console: environment.Environment) -> None:
    status, _, err = run(console)
    assert status == ExitStatus.INVALID_INPUT
    assert "give the file to create" in err


def test_missing_folder_and_folder_as_file(console: environment.Environment, tmp_path: Path) -> None:
    status, _, err = run(console, str(tmp_path / "nowhere" / "x.yaml"))
    assert status == ExitStatus.INVALID_INPUT and "does not exist" in err
    status, _, err = run(console, str(tmp_path))
    assert status == ExitStatus.INVALID_INPUT and "is a folder" in err


def test_dash_prints_the_template(console: environment.Environment) -> None:
    status, out, _ = run(console, "-t", "saas-onboarding", "-")
    assert status == ExitStatus.OK
    assert out == template_text("saas-onboarding")


def test_empty_title_is_invalid_input(console: environment.Environment, tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    status, _, err = run(console, "--title", " ", str(target))
    assert status == ExitStatus.INVALID_INPUT and "title cannot be empty" in err
    assert not target.exists()


def test_help_reflows_the_description_to_the_terminal() -> None:
    from typer.testing import CliRunner

    from stageline.cli import app

    result = CliRunner().invoke(app, ["new", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0
    # The docstring's own line breaks are not the terminal's: one paragraph, one line at 200 columns.
    assert "notes on what goes where; the others (hotel stay" in result.output


def test_suggested_commands_use_the_path_that_was_typed(tmp_path: Path) -> None:
    """A fresh clone runs `.venv/bin/stageline`: suggestions repeat it; `stageline` when that is on PATH."""
    import os

    from stageline.commands.invocation import command, program

    script = tmp_path / ".venv" / "bin" / "stageline"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    old = os.environ["PATH"]
    try:
        os.environ["PATH"] = "/usr/bin:/bin"
        assert program(".venv/bin/stageline") == ".venv/bin/stageline"
        assert program("stageline") == "./stageline"
        assert program("-c") == "stageline"
        os.environ["PATH"] = f"{script.parent}:/usr/bin:/bin"
        assert program(str(script)) == "stageline"
    finally:
        os.environ["PATH"] = old
    assert command("check", "my hotel.yaml").endswith("check 'my hotel.yaml'")
