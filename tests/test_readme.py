"""The README's examples run: its YAML is a valid blueprint and its Python works."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

import stageline

ROOT = Path(__file__).resolve().parent.parent

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_the_readme_opens_with_the_two_commands() -> None:
    commands = blocks("sh")[0]
    assert commands.splitlines()[0].startswith("make run") and commands.splitlines()[1].startswith("make test")


def test_the_readme_blueprint_is_valid() -> None:
    (yaml_text,) = blocks("yaml")
    bp = stageline.loads(yaml_text, source="README.md")
    assert bp.card("registration").fail is not None
    assert bp.links[0].two_way


def test_the_readme_python_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(blocks("python")[0], {})
    assert out.getvalue().startswith("Overnight hotel stay")


def test_every_command_in_the_readme_exists() -> None:
    from typer.main import get_command

    from stageline.cli import app

    known = set(get_command(app).commands)  # type: ignore[attr-defined]
    used = set(re.findall(r"stageline (\w+)", blocks("sh")[1]))
    assert used <= known, used - known
    assert os.path.exists(ROOT / "Makefile")
