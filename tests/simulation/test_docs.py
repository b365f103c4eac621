"""docs/simulation.md stays true: its YAML loads and simulates, its commands run,
the outputs it shows are what the commands print, its Python runs and its JSON
shape is the report's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import stageline
from helpers.docs import DocBlocks
from stageline.cli import main
from stageline.environment import Environment

DOC = Path(__file__).resolve().parents[2] / "docs" / "simulation.md"
PAGE = DocBlocks(DOC)
TEXT, BLOCKS = PAGE.text, PAGE.blocks


def blocks(kind: str) -> list[str]:
    return PAGE.of(kind)


def commands() -> Iterator[tuple[list[str], str | None]]:
    """Each `$ stageline …` line with the text block that follows it, if any."""
    return PAGE.commands()


@pytest.fixture
def counter(tmp_path: Path) -> Path:
    path = tmp_path / "counter.yaml"
    path.write_text(blocks("yaml")[0], encoding="utf-8")
    return path


def test_the_worked_example_loads_and_simulates() -> None:
    bp = stageline.loads(blocks("yaml")[0])
    report = stageline.simulate(bp, replications=2)
    assert report.bottlenecks[0].resource == "Counter clerk"


def test_the_block_example_is_valid() -> None:
    example = blocks("yaml")[0]
    block = blocks("yaml")[1]
    assert block.startswith("simulation:")
    head = example[: example.index("simulation:")]
    # The block names staff from a hotel; give them cards so it can run.
    head = head.replace("actor: Counter clerk", "actor: Front desk clerk", 1).replace(
        "actor: Payment terminal", "department: Kitchen"
    )
    bp = stageline.loads(head + block)
    assert bp.simulation is not None
    assert bp.simulation.resources["Front desk clerk"].capacity == 2
    assert bp.simulation.resources["Kitchen"].hours == "07:00-23:00"
    assert bp.simulation.horizon == 8 * 3600
    assert stageline.simulate(bp, customers=200).customers.completed == 200


@pytest.mark.parametrize(("args", "shown"), list(commands()), ids=lambda value: " ".join(value or [])[:60])
def test_commands_run_and_print_what_the_doc_shows(
    console: Environment, counter: Path, args: list[str], shown: str | None
) -> None:
    args = [str(counter) if arg == "counter.yaml" else arg for arg in args]
    assert main(args) == 0
    printed = [line.rstrip() for line in console.stdout.getvalue().splitlines()]  # type: ignore[attr-defined]
    if shown is None:
        return
    expected = [line.rstrip() for line in shown.strip("\n").splitlines()]
    starts = [i for i, line in enumerate(printed) if line == expected[0]]
    assert any(printed[i : i + len(expected)] == expected for i in starts), "\n".join(printed)


def test_python_example_runs(
    counter: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (code,) = blocks("python")
    monkeypatch.chdir(counter.parent)
    exec(compile(code, str(DOC), "exec"), {})
    assert "Counter clerk (2 units)" in capsys.readouterr().out


def keys_in(documented: Any, actual: Any, path: str = "") -> None:
    if isinstance(documented, dict):
        assert isinstance(actual, dict), path
        for key, value in documented.items():
            assert key in actual, f"{path}.{key} is documented but not in the report"
            keys_in(value, actual[key], f"{path}.{key}")
    elif isinstance(documented, list) and documented:
        assert isinstance(actual, list) and actual, path
        keys_in(documented[0], actual[0], f"{path}[0]")


def test_json_shape_is_the_reports() -> None:
    (documented,) = [json.loads(body) for body in blocks("json")]
    bp = stageline.loads(blocks("yaml")[0])
    actual = json.loads(stageline.simulate(bp, replications=2, what_if=["Counter clerk=+1"]).to_json())
    keys_in(documented, actual)
