"""`stageline` starts instantly: importing the package or asking for the version
loads none of the heavy libraries, and subcommands load only when they run."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import stageline
from stageline.commands import COMMANDS, load

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("openpyxl", "numpy", "fontTools", "simpy", "jinja2", "reportlab", "skia", "stageline.server")


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has imported after running `code`."""
    probe = f"{code}\nimport sys, json\nsys.stdout.write('\\n' + json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    return set(json.loads(done.stdout.rsplit("\n", 1)[1]))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_import_stageline_loads_no_heavy_library() -> None:
    assert heavy(modules_after("import stageline")) == []


def test_version_loads_no_heavy_library_nor_the_command_line_toolkit() -> None:
    modules = modules_after("from stageline.cli import main; main(['--version'])")
    assert heavy(modules) == []
    assert not {"typer", "rich", "pydantic", "ruamel.yaml"} & modules
    assert not any(m.startswith("stageline.commands") for m in modules)


def test_the_version_prints_the_packages_version() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from stageline.cli import main; raise SystemExit(main(['--version']))"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0 and done.stdout == f"stageline {stageline.__version__}\n"


def test_the_static_version_is_the_projects() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert stageline.__version__ == project["version"]


def test_validate_imports_only_its_own_command() -> None:
    example = ROOT / "examples" / "hotel-stay.yaml"
    modules = modules_after(f"from stageline.cli import main; main(['validate', {str(example)!r}])")
    assert heavy(modules) == []
    listed = {f"stageline.commands.{module}" for module, _ in COMMANDS.values()}
    assert {m for m in modules if m in listed} == {
        "stageline.commands.validate"
    }  # shared helpers such as the printer may load


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_listed_command_loads_with_the_help_line_it_is_listed_with(name: str) -> None:
    command = load(name, "markdown")
    assert command.name == name
    first_paragraph = " ".join((command.help or "").split("\n\n")[0].split())
    assert first_paragraph == COMMANDS[name][1]


def test_the_model_loads_on_first_use() -> None:
    modules = modules_after("import stageline; stageline.Blueprint; stageline.BlueprintBuilder")
    assert {"stageline.model", "stageline.model.builder"} <= modules
