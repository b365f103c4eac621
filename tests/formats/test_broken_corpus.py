"""The broken-file corpus: typical human slips in a blueprint file and what `validate` says.

Each file in tests/formats/broken/ is a small hotel blueprint with one slip,
described in slips.txt. expected.txt holds every problem each file gives; the
section "Common slips" of docs/format.md is made from both. Regenerate after an
intended change of wording with STAGELINE_UPDATE_GOLDEN=1 and review the diff:
a newcomer must know what to do from each message.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stageline.formats.errors import FormatError, FormatProblem
from stageline.formats.excerpt import excerpt
from stageline.formats.yaml_format import load

CORPUS = Path(__file__).parent / "broken"
EXPECTED = CORPUS / "expected.txt"
DOC = Path(__file__).resolve().parents[2] / "docs" / "format.md"
BEGIN = "<!-- BEGIN GENERATED: common slips (STAGELINE_UPDATE_GOLDEN=1 pytest tests/formats/test_broken_corpus.py) -->"
END = "<!-- END GENERATED: common slips -->"
FILES = sorted(CORPUS.glob("*.yaml"))
UPDATE = bool(os.environ.get("STAGELINE_UPDATE_GOLDEN"))


def slips() -> dict[str, str]:
    lines = (CORPUS / "slips.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def problems_of(path: Path) -> list[FormatProblem]:
    try:
        load(path)
    except FormatError as error:
        return error.problems
    return []


def shown(path: Path, problem: FormatProblem) -> str:
    where = f"{problem.path}: " if problem.path else ""
    return f"{path.name}:{problem.line}:{problem.column}: {problem.severity}: {where}{problem.message}"


def report() -> str:
    return "".join(shown(path, problem) + "\n" for path in FILES for problem in problems_of(path))


def doc_section() -> str:
    described = slips()
    rows = ["| The slip | What `stageline validate` says first |", "|---|---|"]
    for path in FILES:
        first = problems_of(path)[0]
        message = f"{first.line}:{first.column}: {first.message}".replace("|", "\\|")
        rows.append(f"| {described[path.stem]} | `` {message} `` |")
    return "\n".join(rows) + "\n"


def test_the_corpus_is_large_and_described() -> None:
    assert len(FILES) >= 30
    assert set(slips()) == {path.stem for path in FILES}


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_every_broken_file_is_refused_with_a_place_that_exists(path: Path) -> None:
    found = problems_of(path)
    assert found, f"{path.name} loads, but it is meant to be broken"
    lines = path.read_text(encoding="utf-8").splitlines()
    for problem in found:
        assert 1 <= problem.line <= len(lines), f"{shown(path, problem)} names a line the file does not have"
        assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1, shown(path, problem)
        if problem.context_line is not None:
            assert 1 <= problem.context_line <= len(lines)
        assert "Traceback" not in problem.message
        assert excerpt(path.read_text(encoding="utf-8"), problem), "a terminal shows the place"


def test_broken_files_golden() -> None:
    text = report()
    if UPDATE:
        EXPECTED.write_text(text, encoding="utf-8")
    assert EXPECTED.read_text(encoding="utf-8") == text, (
        "messages changed: review, then regenerate with STAGELINE_UPDATE_GOLDEN=1 (see the module docstring)"
    )


def test_format_doc_common_slips_golden() -> None:
    document = DOC.read_text(encoding="utf-8")
    start, stop = document.index(BEGIN) + len(BEGIN), document.index(END)
    current = f"{document[:start]}\n\n{doc_section()}\n{document[stop:]}"
    if UPDATE:
        DOC.write_text(current, encoding="utf-8")
    assert document == current, "regenerate with STAGELINE_UPDATE_GOLDEN=1 pytest tests/formats/test_broken_corpus.py"


@pytest.mark.parametrize(
    ("name", "line", "column", "words"),
    [
        ("unclosed-flow-list", 11, 19, "this '[' is never closed"),
        ("unclosed-flow-list-last-line", 29, 55, "this '[' is never closed: the file ends"),
        ("unclosed-flow-map", 12, 19, "this '{' is never closed"),
        ("unclosed-double-quote", 15, 17, 'this " is never closed'),
        ("no-space-after-colon", 4, 10, "'tolerance:' needs a space after the colon"),
        ("key-indented-one-more", 17, 12, "indented more than `actor` on line 16"),
        ("key-indented-one-less", 22, 8, "`id` on line 21 starts at column 9"),
        ("tab-indent", 16, 1, "tab character"),
        ("colon-in-text", 3, 29, 'scenario: "Business traveller: one night"'),
        ("second-document", 28, 1, "a second document"),
        ("link-with-source-target", 27, 6, "Stageline calls it 'from'"),
    ],
)
def test_syntax_slips_point_at_the_cause(name: str, line: int, column: int, words: str) -> None:
    found = [p for p in problems_of(CORPUS / f"{name}.yaml") if words in p.message]
    assert found, [p.message for p in problems_of(CORPUS / f"{name}.yaml")]
    assert (found[0].line, found[0].column) == (line, column)


def test_cascades_are_not_reported() -> None:
    """A lane or a stages list that cannot be read is one problem, not one per link to its cards."""
    assert len(problems_of(CORPUS / "misspelt-lane.yaml")) == 1
    assert len(problems_of(CORPUS / "stages-as-mapping.yaml")) == 1


def test_unclosed_bracket_on_the_last_line_of_a_nine_line_file() -> None:
    text = "stageline: 1\ntitle: T\nstages:\n  - id: s\n    title: S\n    steps:\n      - id: a\n        customer: Go\n"
    text += "        evidence: [Desk, Key\n"
    with pytest.raises(FormatError) as caught:
        from stageline.formats.yaml_format import loads

        loads(text, source="nine.yaml")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (9, 19)
    assert "this '[' is never closed: the file ends (line 9, column 29)" in problem.message
    assert (problem.context_line, problem.context_column) == (9, 29)


def test_terminal_excerpt_in_the_docs_is_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re
    from io import StringIO

    from rich.console import Console

    from stageline import environment
    from stageline.cli import main

    (tmp_path / "stay.yaml").write_bytes((CORPUS / "unclosed-flow-list.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    terminal = environment.Environment(stdout=StringIO(), stderr=StringIO())
    terminal.out = Console(file=terminal.stdout, force_terminal=True, width=100, soft_wrap=False)
    environment.use(terminal)
    try:
        assert main(["validate", "stay.yaml"]) == 2
    finally:
        environment.use(None)
    printed = re.sub(r"\x1b\[[0-9;]*m", "", terminal.stdout.getvalue()).splitlines()
    block = DOC.read_text(encoding="utf-8").split("$ stageline validate stay.yaml\n", 1)[1].split("```", 1)[0]
    assert printed[: len(block.splitlines())] == block.splitlines()


def test_validate_sarif_has_the_same_places_as_text(tmp_path: Path) -> None:
    import json
    from io import StringIO

    from stageline import environment
    from stageline.cli import main

    paths = [str(CORPUS / "unclosed-flow-list.yaml"), str(CORPUS / "misspelt-card-key.yaml")]
    valid = tmp_path / "ok.yaml"
    valid.write_text("stageline: 1\ntitle: T\n", encoding="utf-8")
    captured = environment.Environment(stdout=StringIO(), stderr=StringIO())
    environment.use(captured)
    try:
        assert main(["validate", "--format", "sarif", *paths, str(valid)]) == 2
    finally:
        environment.use(None)
    log = json.loads(captured.stdout.getvalue())
    assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    uris = [Path(path).as_uri() for path in [*paths, str(valid)]]
    assert [artifact["location"]["uri"] for artifact in run["artifacts"]] == uris
    found = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]): r for r in run["results"]}
    syntax = found[(uris[0], "yaml-syntax")]
    assert syntax["locations"][0]["physicalLocation"]["region"] == {"startLine": 11, "startColumn": 19}
    assert syntax["relatedLocations"][0]["physicalLocation"]["region"] == {"startLine": 12, "startColumn": 17}
    assert "never closed" in syntax["message"]["text"]
    field = found[(uris[1], "blueprint-format")]
    assert field["locations"][0]["physicalLocation"]["region"] == {"startLine": 17, "startColumn": 11}
    assert field["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].endswith("frontstage.duraton")
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert len(run["results"]) == 2
