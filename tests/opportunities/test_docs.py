"""docs/opportunities.md stays true: its YAML loads, its commands run and print
what it shows, its JSON has the keys the commands give, its Python runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers.docs import DocBlocks
from stageline.cli import main
from stageline.environment import Environment
from stageline.formats.yaml_format import loads

DOC = Path(__file__).resolve().parents[2] / "docs" / "opportunities.md"
PAGE = DocBlocks(DOC)
TEXT, BLOCKS = PAGE.text, PAGE.blocks


def blocks(kind: str) -> list[str]:
    return PAGE.of(kind)


def commands() -> Iterator[tuple[list[str], str | None]]:
    """Each `$ stageline …` line with the text block that follows it, if any."""
    return PAGE.commands()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    current, future = blocks("yaml")
    (tmp_path / "counter.yaml").write_text(current, encoding="utf-8")
    (tmp_path / "counter-future.yaml").write_text(future, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_examples_load() -> None:
    current, future = (loads(body) for body in blocks("yaml"))
    assert [o.id for o in current.opportunities if o.change or o.future] == [
        "second-clerk",
        "checklist",
        "digital-archive",
    ]
    assert future.state == "future"


@pytest.mark.parametrize(("args", "shown"), list(commands()), ids=lambda value: " ".join(value or [])[:60])
def test_commands_print_what_the_doc_shows(
    console: Environment, folder: Path, args: list[str], shown: str | None
) -> None:
    assert main(args) == 0, console.stderr.getvalue()  # type: ignore[attr-defined]
    printed = [line.rstrip() for line in console.stdout.getvalue().strip("\n").splitlines()]  # type: ignore[attr-defined]
    assert shown is not None
    assert printed == [line.rstrip() for line in shown.strip("\n").splitlines()]


def keys_in(documented: Any, actual: Any, path: str = "") -> None:
    if isinstance(documented, dict):
        assert isinstance(actual, dict), path
        for key, value in documented.items():
            assert key in actual, f"{path}.{key} is documented but not in the output"
            keys_in(value, actual[key], f"{path}.{key}")
    elif isinstance(documented, list) and documented:
        assert isinstance(actual, list) and actual, path
        keys_in(documented[0], actual[0], f"{path}[0]")


def test_json_contracts_are_what_the_commands_give(console: Environment, folder: Path) -> None:
    cases, plan = (json.loads(body) for body in blocks("json"))
    assert main(["opportunities", "counter.yaml", "--seed", "1", "-f", "json"]) == 0
    actual = json.loads(console.stdout.getvalue())  # type: ignore[attr-defined]
    keys_in(cases, actual)
    assert actual["opportunities"][0]["id"] == cases["opportunities"][0]["id"]
    console.stdout.truncate(0)  # type: ignore[attr-defined]
    console.stdout.seek(0)  # type: ignore[attr-defined]
    assert main(["plan", "counter.yaml", "counter-future.yaml", "-f", "json"]) == 0
    given = json.loads(console.stdout.getvalue())  # type: ignore[attr-defined]
    keys_in(plan, given)
    assert given["teams"]["Front office"]["handoffs"] == plan["teams"]["Front office"]["handoffs"]


def test_python_example_runs(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (code,) = blocks("python")
    exec(compile(code, str(DOC), "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("[(1, 'checklist')")
    assert printed[1] == "Summary,Description,Component/Team,Labels,Due"


def test_readme_opportunity_is_valid_and_its_change_runs() -> None:
    readme = (DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## From blueprint to action")[1].split("```sh")[0]
    snippet = "\n".join(line[4:] for line in section.splitlines() if line.startswith("    "))
    hotel = (DOC.parents[1] / "examples" / "hotel-stay.yaml").read_text(encoding="utf-8")
    head, tail = hotel.split("opportunities:\n", 1)
    bp = loads(
        head
        + "opportunities:\n"
        + "\n".join("  " + line for line in snippet.splitlines())
        + "\n"
        + tail[tail.index("\n# Arrivals") :]
    )
    (opportunity,) = bp.opportunities
    assert opportunity.change == ["settle-bill.duration=*0.3"] and opportunity.status == "planned"


def test_the_check_line_shown_is_what_check_prints_for_the_typo(console: Environment, folder: Path) -> None:
    (shown,) = [body for body in blocks("text") if "SL706" in body]
    counter = folder / "counter.yaml"
    written = counter.read_text(encoding="utf-8")
    assert "change: answer.duration=*0.5" in written
    counter.write_text(written.replace("answer.duration=*0.5", "answr.duration=*0.5"), encoding="utf-8")
    assert main(["check", "counter.yaml", "--select", "SL706"]) == 1
    printed = console.stdout.getvalue().splitlines()  # type: ignore[attr-defined]
    assert printed[0].startswith(shown.strip() + "; fix: Write each change as ")
