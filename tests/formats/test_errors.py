"""Bad input: every problem reported at once, each with file, line, column and field."""

from __future__ import annotations

import time

import pytest

from stageline.formats.errors import FormatError, FormatProblem
from stageline.formats.parse import MAX_BYTES, MAX_DEPTH
from stageline.formats.yaml_format import load, load_bytes, loads

HEAD = "stageline: 1\ntitle: T\n"
STEP = "stages:\n  - id: s\n    title: S\n    steps:\n      - id: a\n"


def problems(text: str) -> list[FormatProblem]:
    with pytest.raises(FormatError) as caught:
        loads(text, source="bp.yaml")
    return caught.value.problems


def where(text: str) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.path) for p in problems(text)]


def test_every_problem_is_reported_in_one_pass() -> None:
    text = (
        HEAD
        + "tolerance: 2x\n"
        + STEP
        + "        customer: {text: Go, emotion: -5}\n"
        + "        frontstage: {text: Serve, duraton: 4m, fail: {text: Oops, severity: 9}}\n"
        + "      - id: a\n"
        + "links:\n  - {from: a.customer, to: a.frontstag}\n"
        + "opportunities:\n  - {id: o, title: O, targets: [nowhere], value: 7}\n"
        + "title: Again\n"
    )
    found = problems(text)
    messages = "\n".join(str(p) for p in found)
    assert [(p.line, p.column) for p in found] == sorted((p.line, p.column) for p in found)
    for expected in (
        "bp.yaml:3:12: tolerance: the text '2x' is not a duration",
        "stages[0].steps[0].customer.emotion: `emotion` must be at least -2, got -5",
        "stages[0].steps[0].frontstage.duraton: unknown key 'duraton' in a card (did you mean 'duration'?)",
        "stages[0].steps[0].frontstage.fail.severity: `severity` must be at most 5, got 9",
        "stages[0].steps[1].id: duplicate id 'a': already used by step 'a'",
        "links[0].to: link to 'a.frontstag': no card has that id (did you mean 'a.frontstage'?)",
        "opportunities[0].value: `value` must be at most 5, got 7",
        "opportunities[0].targets[0]: opportunity 'o' targets 'nowhere': no card has that id",
        "bp.yaml:16:1: title: duplicate key 'title': it is already set on line 2; keep only one",
    ):
        assert expected in messages
    assert len(found) == 9


@pytest.mark.parametrize(
    ("body", "line", "column", "path", "message"),
    [
        (
            "        customer: {text: Go, duration: soon}\n",
            9,
            40,
            "stages[0].steps[0].customer.duration",
            "the text 'soon' is not a duration",
        ),
        (
            "        customer: {text: Go, wait: -3}\n",
            9,
            36,
            "stages[0].steps[0].customer.wait",
            "the number -3 is not a duration",
        ),
        (
            "        customer: {text: 42}\n",
            9,
            26,
            "stages[0].steps[0].customer.text",
            "expected text, got the number 42; put it in quotes",
        ),
        ("        customer: {text: Go, tags: solo}\n", 9, 36, "stages[0].steps[0].customer.tags", "expected a list"),
        (
            "        customer: {text: Go, basis: seen}\n",
            9,
            37,
            "stages[0].steps[0].customer.basis",
            "must be one of 'observed', 'assumed' or 'proposed'",
        ),
        (
            "        customer: {id: Bad Id, text: Go}\n",
            9,
            24,
            "stages[0].steps[0].customer.id",
            "'Bad Id' is not a valid card id",
        ),
        ("        customer: {actor: Clerk}\n", 9, 19, "stages[0].steps[0].customer.text", "`text` is required"),
        (
            "        customer: {text: Go, duration: {dist: triangular, min: 1m, max: 3m}}\n",
            9,
            40,
            "stages[0].steps[0].customer.duration",
            "a triangular duration needs min, mode, max; missing mode",
        ),
        ("        custmer: Go\n", 9, 9, "stages[0].steps[0].custmer", "(did you mean 'customer'?)"),
        (
            "        customer: [Go, [nested]]\n",
            9,
            24,
            "stages[0].steps[0].customer[1]",
            "a card is its text or a mapping with `text`; got a list",
        ),
    ],
)
def test_card_problems_are_located(body: str, line: int, column: int, path: str, message: str) -> None:
    found = problems(HEAD + "scenario: x\n" + STEP + body)
    assert len(found) == 1, found
    assert (found[0].line, found[0].column, found[0].path) == (line, column, path)
    assert message in found[0].message


def test_top_level_and_shape_problems() -> None:
    text = HEAD + "state: soon\nlanes: [evidence, custmer]\nstages: {id: s}\nsimulation: {arrivals: {rate: fast}}\n"
    messages = [f"{p.path}: {p.message}" for p in problems(text)]
    assert any(m.startswith("state: `state` must be one of 'current' or 'future'") for m in messages)
    assert any("lanes[1]: 'custmer' is not a standard lane (did you mean 'customer'?)" in m for m in messages)
    assert any("the customer lane is required" in m for m in messages)
    assert any(m.startswith("stages: expected a list of stages, got a mapping") for m in messages)
    assert any(m.startswith("simulation.arrivals.rate: 'fast' is not a rate") for m in messages)


def test_version_is_required_and_newer_versions_are_refused_clearly() -> None:
    assert "add `stageline: 1`" in problems("title: T\n")[0].message
    newer = problems("stageline: 2\ntitle: T\nwhatever: {new: feature}\n")
    assert len(newer) == 1  # keys a newer format added are not reported as unknown
    assert newer[0].message.startswith("this file needs a newer Stageline")
    assert "must be 1" in problems("stageline: 0\ntitle: T\n")[0].message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("# only a comment\n", "the file is empty"),
        ("- a\n- b\n", "the document is a list"),
        ("just text\n", "the document is a single value"),
        ("stageline: 1\ntitle: [unclosed\n", "YAML syntax error"),
        ("stageline: 1\n  title: bad indent\n", "YAML syntax error"),
        ("a: 1\n---\nb: 2\n", "YAML syntax error"),
        ("stageline: 1\ntitle: *nowhere\n", "YAML syntax error: found undefined alias"),
        ("stageline: 1\ntitle: T\nx: &a [*a]\n", "recursive aliases are not allowed"),
        ("stageline: 1\ntitle: \x07bell\n", "is not allowed in YAML text"),
    ],
)
def test_unreadable_documents_give_one_clear_problem(text: str, message: str) -> None:
    found = problems(text)
    assert len(found) == 1
    assert message in found[0].message
    assert found[0].line >= 1 and found[0].column >= 1


def test_syntax_errors_point_at_the_place() -> None:
    found = problems("stageline: 1\ntitle: T\nstages:\n  - id: s\n   title: S\n")
    assert found[0].line == 5


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["stageline: 1", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    started = time.perf_counter()
    found = problems("\n".join(lines) + "\ntitle: T\n")
    assert time.perf_counter() - started < 5
    assert "alias bomb" in found[0].message
    assert found[0].line > 2


def test_modest_aliases_are_fine() -> None:
    text = (
        HEAD + "stages:\n  - id: s\n    title: S\n    steps:\n      - id: a\n        customer: &card {text: Go}\n"
        "      - id: b\n        customer: *card\n"
    )
    bp = loads(text)
    assert bp.card("b.customer").text == "Go"


def test_deep_nesting_is_refused() -> None:
    deep = "[" * (MAX_DEPTH + 10) + "]" * (MAX_DEPTH + 10)
    found = problems(f"stageline: 1\ntitle: T\nnotes: {deep}\n")
    assert f"more than {MAX_DEPTH} levels" in found[0].message
    very_deep = "[" * 100_000
    assert problems(f"stageline: 1\ntitle: {very_deep}\n")


def test_oversized_binary_and_undecodable_files(tmp_path: pytest.TempPathFactory) -> None:
    with pytest.raises(FormatError, match="limited to 10 MB"):
        load_bytes(b"#" * (MAX_BYTES + 1), "big.yaml")
    with pytest.raises(FormatError, match="binary file") as binary:
        load_bytes(b"stageline: 1\ntitle: \x00\x01\x02", "x.png")
    assert (binary.value.problems[0].line, binary.value.problems[0].column) == (2, 8)
    with pytest.raises(FormatError, match="is not valid UTF-8") as latin:
        load_bytes("stageline: 1\ntitle: Café\n".encode("latin-1"), "latin.yaml")
    assert latin.value.problems[0].line == 2


def test_oversized_file_is_refused_before_reading(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "big.yaml"
    with path.open("wb") as stream:
        stream.truncate(MAX_BYTES + 1)  # sparse: no need to write 10 MB
    with pytest.raises(FormatError, match="limited to 10 MB"):
        load(path)


def test_utf16_and_bom_are_read() -> None:
    text = "stageline: 1\ntitle: Café\n"
    assert load_bytes(text.encode("utf-16"), "x").title == "Café"
    assert load_bytes(b"\xef\xbb\xbf" + text.encode(), "x").title == "Café"


def test_problem_strings_and_json() -> None:
    problem = FormatProblem("f.yaml", 3, 7, "stages[0].title", "add it")
    assert str(problem) == "f.yaml:3:7: stages[0].title: add it"
    assert problem.to_json() == {
        "file": "f.yaml",
        "line": 3,
        "column": 7,
        "path": "stages[0].title",
        "message": "add it",
        "severity": "error",
    }
    with pytest.raises(ValueError):
        FormatError([])


@pytest.mark.parametrize("name", ["Barista", "Front desk clerk", "barista", "Kitchen[2]"])
def test_a_problem_inside_a_named_resource_names_the_resource(name: str) -> None:
    """A resource's name is written by the person (capitalised or not): the problem's
    path keeps it and points at the wrong value, never at the resources' key."""
    text = f"""stageline: 1
title: Coffee
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
        frontstage: {{id: take, text: Take the order, actor: "{name}", duration: 1m}}
simulation:
  arrivals: {{rate: 20/h}}
  resources:
    "{name}": {{capacity: 1, hours: "25:00-9"}}
"""
    with pytest.raises(FormatError) as raised:
        loads(text, "coffee.yaml")
    problem = raised.value.problems[0]
    assert problem.path == f"simulation.resources.{name}.hours"
    assert (problem.line, problem.column) == (13, text.splitlines()[12].index('"25:00') + 1)
    assert "write opening hours as HH:MM-HH:MM" in problem.message
