"""docs/examples.md stays true: its snippets run and its lists match the product."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from stageline import environment
from stageline.cli import main
from stageline.templates import template_names

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "examples.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, flags=re.DOTALL)


def test_every_example_and_template_is_described() -> None:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        assert f"### `examples/{path.name}`" in DOC
    for name in template_names():
        assert name in DOC


def test_new_list_output_is_current(console: environment.Environment) -> None:
    documented = re.search(r"<!-- new-list:start -->\n```\n(.*?)```\n<!-- new-list:end -->", DOC, re.DOTALL)
    assert documented, "the --list block markers are missing"
    assert main(["new", "--list"]) == 0
    assert console.stdout.getvalue() == documented[1]


def test_python_snippet_runs(capsys: pytest.CaptureFixture[str]) -> None:
    (snippet,) = blocks("python")
    exec(compile(snippet, "docs/examples.md", "exec"), {})
    assert "saas-onboarding - " in capsys.readouterr().out


def test_new_commands_in_the_doc_work(
    console: environment.Environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    commands = [
        line.split("#")[0].strip()
        for block in blocks("")
        for line in block.splitlines()
        if line.startswith("stageline new ")
    ]
    assert len(commands) >= 4
    for command in commands:
        assert main(shlex.split(command)[1:]) == 0, command
    assert (tmp_path / "lisboa.yaml").exists() and (tmp_path / "service.yaml").exists()


def test_analysis_commands_in_the_doc_succeed_on_the_examples(
    console: environment.Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    commands = [
        line.split("#")[0].strip()
        for block in blocks("")
        for line in block.splitlines()
        if line.startswith(("stageline check ", "stageline metrics ", "stageline diff ", "stageline simulate "))
    ]
    assert len(commands) >= 5
    for command in commands:
        assert main(shlex.split(command)[1:]) == 0, command
