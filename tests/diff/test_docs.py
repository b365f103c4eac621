"""Every example in docs/diff.md runs and still shows what the page says."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from stageline import environment
from stageline.cli import main

DOC = ROOT / "docs" / "diff.md"


def block(info: str) -> str:
    """The fenced block whose info string is exactly `info`."""
    text = DOC.read_text(encoding="utf-8")
    found = re.search(rf"^```{re.escape(info)}\n(.*?)^```$", text, flags=re.DOTALL | re.MULTILINE)
    assert found, f"docs/diff.md has no ```{info} block"
    return found.group(1)


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("before.yaml", "after.yaml"):
        (tmp_path / name).write_text(block(f"yaml {name}"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _words(text: str) -> list[str]:
    # Compare what is said, not where the terminal wrapped it.
    return text.split()


def test_the_text_example_is_current(console: environment.Environment, files: Path) -> None:
    command = "stageline diff before.yaml after.yaml --no-metrics"
    assert main(command.split()[1:]) == 0
    printed = console.stdout.getvalue()  # type: ignore[attr-defined]
    assert _words(printed) == _words(block(f"text {command}")), f"regenerate the `{command}` block in docs/diff.md"


def _contains(documented: Any, actual: Any, where: str = "") -> None:
    """Documented JSON is an abridged copy: every key it shows has that value."""
    if isinstance(documented, dict):
        assert isinstance(actual, dict), where
        for key, value in documented.items():
            assert key in actual, f"{where}.{key} is missing"
            _contains(value, actual[key], f"{where}.{key}")
    elif isinstance(documented, list):
        assert isinstance(actual, list) and len(actual) == len(documented), where
        for i, (doc_item, item) in enumerate(zip(documented, actual, strict=True)):
            _contains(doc_item, item, f"{where}[{i}]")
    else:
        assert documented == actual, f"{where}: documented {documented!r}, got {actual!r}"


def test_the_json_example_is_current(console: environment.Environment, files: Path) -> None:
    command = "stageline diff before.yaml after.yaml --format json --no-metrics"
    assert main(command.split()[1:]) == 0
    _contains(json.loads(block(f"json {command}")), json.loads(console.stdout.getvalue()))  # type: ignore[attr-defined]


def test_the_python_example_runs(files: Path) -> None:
    namespace: dict[str, Any] = {}
    exec(block("python"), namespace)
    assert namespace["highlights"]["call-name"] == "removed"
    assert namespace["data"]["moved"][0]["id"] == "take-order"
    assert namespace["svg"].lstrip().startswith("<")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_git_difftool_recipe(files: Path) -> None:
    environ = {
        **os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org", "NO_COLOR": "1",
    }  # fmt: skip

    def run(*args: str) -> str:
        done = subprocess.run(args, cwd=files, env=environ, capture_output=True, text=True, check=True)
        return done.stdout

    run("git", "init", "-q")
    (files / "hotel.yaml").write_text(block("yaml before.yaml"), encoding="utf-8")
    run("git", "add", "hotel.yaml")
    run("git", "commit", "-q", "-m", "current")
    (files / "hotel.yaml").write_text(block("yaml after.yaml"), encoding="utf-8")
    run("git", "commit", "-q", "-am", "future")
    doc = DOC.read_text(encoding="utf-8")
    assert 'git difftool --no-prompt --extcmd "stageline diff" HEAD~1 -- hotel.yaml' in doc
    assert """git config difftool.stageline.cmd 'stageline diff "$LOCAL" "$REMOTE"'""" in doc
    shown = run(
        "git", "difftool", "--no-prompt", "--extcmd", "stageline diff --no-metrics", "HEAD~1", "--", "hotel.yaml"
    )
    assert "13 changes (3 added, 4 removed, 5 changed, 1 moved)." in shown
    run("git", "config", "difftool.stageline.cmd", 'stageline diff --no-metrics "$LOCAL" "$REMOTE"')
    shown = run("git", "difftool", "--no-prompt", "--tool", "stageline", "HEAD~1", "--", "hotel.yaml")
    assert "pick-up-cup" in shown
