"""`stageline check` end to end: exit statuses, text grouping, JSON and SARIF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.coffee import coffee_yaml
from stageline import environment
from stageline.analysis.checks import all_rules
from stageline.cli import main

MESSY = coffee_yaml(
    frontstage="{id: take, text: Take the order, basis: observed, fail: {text: Milk runs out}}",
    steps="- id: pay\n  customer: {id: pay-card, text: Pay by card}\n  frontstage: {id: till, text: Till, actor: B}",
    top="tolerance: 30s",
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"clean": tmp_path / "clean.yaml", "messy": tmp_path / "messy.yaml", "broken": tmp_path / "broken.yaml"}
    paths["clean"].write_text(coffee_yaml(), encoding="utf-8")
    paths["messy"].write_text(MESSY, encoding="utf-8")
    paths["broken"].write_text(coffee_yaml(top="tolerance: soon"), encoding="utf-8")
    return paths


def run(*args: str | Path) -> int:
    return main(["check", *map(str, args)])


def out(console: environment.Environment) -> str:
    return console.stdout.getvalue()  # type: ignore[attr-defined,no-any-return]


def err(console: environment.Environment) -> str:
    return console.stderr.getvalue()  # type: ignore[attr-defined,no-any-return]


def test_clean_file_exits_0_with_a_no_findings_line(console: environment.Environment, files: dict[str, Path]) -> None:
    assert run(files["clean"]) == 0
    assert "No findings in 1 file" in out(console)


def test_errors_exit_1_and_text_has_one_line_per_finding_at_its_place(
    console: environment.Environment, files: dict[str, Path]
) -> None:
    assert run(files["messy"]) == 1
    *lines, summary = out(console).splitlines()
    path = str(files["messy"])
    assert all(line.startswith(f"{path}:") for line in lines) and len(lines) == 7
    # Blueprint-wide findings at the title (line 2), then in the file's order: the card's line, the step's.
    assert lines[0].startswith(f"{path}:2:1: error: SL402 customer-facing time is 1m, over the tolerance of 30s")
    take = MESSY.splitlines().index("        frontstage: {id: take, text: Take the order, basis: observed, fail: "
                                    "{text: Milk runs out}}") + 1  # fmt: skip
    assert lines[1] == (
        f"{path}:{take}:9: error: SL301 fail point 'Milk runs out' on 'Take the order' has no recovery; "
        "fix: Write the recovery under `fail.recovery`: what staff or systems do when this fails "
        "(and, better, how the failure is prevented)."
    )
    numbers = [int(line.split(":")[1]) for line in lines]
    assert numbers == sorted(numbers)
    assert summary == "2 errors, 1 warning, 4 info in 1 file"


def test_a_terminal_gets_what_to_do_under_each_finding(files: dict[str, Path]) -> None:
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    terminal = environment.Environment(stdout=StringIO(), stderr=StringIO(), stdin=StringIO(), width=60)
    terminal.out = Console(file=terminal.stdout, force_terminal=True, no_color=True, width=60)
    environment.use(terminal)
    try:
        assert run(files["messy"], "--select", "SL301") == 1
    finally:
        environment.use(None)
    first, fix, summary = Text.from_ansi(terminal.stdout.getvalue()).plain.splitlines()
    assert first.endswith("error: SL301 fail point 'Milk runs out' on 'Take the order' has no recovery")
    assert fix.startswith("  fix: Write the recovery under `fail.recovery`") and len(fix) > 60  # never wrapped
    assert summary == "1 error in 1 file"


@pytest.mark.parametrize(("threshold", "select", "status"), [
    ("error", "SL5", 0), ("warning", "SL5", 1), ("warning", "SL7", 0), ("info", "SL7", 1), ("error", "SL3", 1),
])  # fmt: skip
def test_fail_on_threshold(
    console: environment.Environment, files: dict[str, Path], threshold: str, select: str, status: int
) -> None:
    assert run(files["messy"], "--fail-on", threshold, "--select", select) == status


def test_invalid_file_exits_2_with_located_problems(console: environment.Environment, files: dict[str, Path]) -> None:
    assert run(files["broken"]) == 2
    assert f"{files['broken']}:4:" in err(console) and "tolerance" in err(console)
    assert "Traceback" not in err(console) + out(console)


def test_missing_file_exits_2(console: environment.Environment, tmp_path: Path) -> None:
    assert run(tmp_path / "nope.yaml") == 2
    assert "nope.yaml: error: no such file; check the path" in err(console)


def test_invalid_file_among_valid_ones_still_checks_the_others(
    console: environment.Environment, files: dict[str, Path]
) -> None:
    assert run(files["messy"], files["broken"]) == 2
    assert "SL301" in out(console)


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_exits_2_with_did_you_mean(
    console: environment.Environment, files: dict[str, Path], option: str
) -> None:
    assert run(files["clean"], option, "over-tolerence") == 2
    assert "did you mean 'over-tolerance'" in err(console)


def test_no_files_exits_2(console: environment.Environment) -> None:
    assert run() == 2


def test_json_shape_for_one_file(console: environment.Environment, files: dict[str, Path]) -> None:
    assert run(files["messy"], "--format", "json") == 1
    document = json.loads(out(console))
    assert set(document) == {"findings", "summary"}
    keys = {"rule", "name", "severity", "message", "stage", "step", "lane", "card", "fix"}
    assert all(set(finding) == keys for finding in document["findings"])
    summary = document["summary"]
    assert summary["files"] == 1
    assert summary["error"] == sum(f["severity"] == "error" for f in document["findings"]) == 2
    (fail,) = [f for f in document["findings"] if f["rule"] == "SL301"]
    assert fail | {"message": "", "fix": ""} == {
        "rule": "SL301", "name": "fail-point-without-recovery", "severity": "error", "message": "", "fix": "",
        "stage": "buy", "step": "order", "lane": "frontstage", "card": "take",
    }  # fmt: skip


def test_json_for_several_files_names_the_file(console: environment.Environment, files: dict[str, Path]) -> None:
    run(files["messy"], files["clean"], "-f", "json", "--select", "SL301")
    document = json.loads(out(console))
    assert [f["file"] for f in document["findings"]] == [str(files["messy"])]
    assert document["summary"] == {"error": 1, "warning": 0, "info": 0, "files": 2}


def test_sarif_essentials(console: environment.Environment, files: dict[str, Path]) -> None:
    run(files["messy"], "-f", "sarif")
    sarif = json.loads(out(console))
    assert sarif["version"] == "2.1.0" and "sarif-2.1.0" in sarif["$schema"]
    (run_,) = sarif["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]
    assert all(r["shortDescription"]["text"] and r["help"]["text"] for r in rules)
    assert {r["defaultConfiguration"]["level"] for r in rules} == {"error", "warning", "note"}
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        (location,) = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"].endswith("messy.yaml")
    lines = MESSY.splitlines()
    (fail,) = [r for r in run_["results"] if r["ruleId"] == "SL301"]
    region = fail["locations"][0]["physicalLocation"]["region"]
    assert lines[region["startLine"] - 1].strip().startswith("frontstage:")
    assert fail["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "buy/order/frontstage/take"
    (pay,) = [r for r in run_["results"] if r["ruleId"] == "SL702" and "Pay" in r["message"]["text"]]
    assert lines[pay["locations"][0]["physicalLocation"]["region"]["startLine"] - 1].strip() == "- id: pay"


def test_list_rules(console: environment.Environment) -> None:
    assert main(["check", "--list-rules"]) == 0
    assert all(rule.code in out(console) for rule in all_rules())


def test_the_report_in_docs_rules_md_is_what_check_prints(
    console: environment.Environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    shown = doc.split("then a summary line:\n\n```\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hotel.yaml").write_text(MESSY, encoding="utf-8")
    assert run("hotel.yaml", "--select", "SL301") == 1
    assert out(console) == shown
