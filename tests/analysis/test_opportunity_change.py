"""SL706 invalid-opportunity-change: an opportunity's `change` is read by the
what-if parser and applied as `stageline opportunities` applies it, so a change
that cannot run is found by `stageline check`, at the entry written wrong, and a
change that runs is never flagged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stageline
from analysis.coffee import coffee_yaml
from stageline import environment
from stageline.analysis.checks import Finding, check
from stageline.analysis.checks.locate import Locator
from stageline.analysis.opportunities import cost_opportunities
from stageline.analysis.simulation import settings_of
from stageline.analysis.simulation.errors import SimulationError
from stageline.analysis.simulation.scenario import compile_scenario
from stageline.analysis.simulation.whatif import parse_what_if
from stageline.cli import main
from stageline.formats import fast
from stageline.model import Blueprint
from stageline.templates import template_names, template_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CODE = "SL706"
# Two baristas (one also called Server); ask 1m, take 1m, brew 2m, machine has no duration.
SIMULATION = """\
actors:
  - {name: Barista, aliases: [Server]}
simulation:
  arrivals: {rate: 10/h}
  resources: {Barista: 2}"""


def cafe(*changes: str, simulation: str = SIMULATION) -> str:
    """The clean coffee blueprint with one opportunity per change, each written as given (`change: ...`)."""
    opportunities = "".join(
        f"\n  - id: idea-{number}\n    title: Idea {number}\n    targets: [take]\n    change: {change}"
        for number, change in enumerate(changes)
    )
    return coffee_yaml(tail=f"{simulation}\nopportunities:{opportunities}")


def sl706(bp: Blueprint) -> list[Finding]:
    return [finding for finding in check(bp) if finding.rule == CODE]


MALFORMED = [
    pytest.param("Baristas=+1", "there is no resource 'Baristas' (did you mean 'Barista'?)", id="unknown-resource"),
    pytest.param("Kitchen=3", "there is no resource 'Kitchen'. Resources in simulation.resources: 'Barista'",
                 id="resource-not-in-the-blueprint"),
    pytest.param("Facilities=+1", "'Facilities' works on cards but is not a resource", id="staff-not-a-resource"),
    pytest.param("tkae.duration=*0.5", "there is no card 'tkae' (did you mean 'take'?)", id="unknown-card"),
    pytest.param("take.duraton=2m", "a what-if changes a card's duration, not its 'duraton'", id="unknown-field"),
    pytest.param("Barista=lots", "'lots' is not a capacity change. Write +1, -1 or a number", id="bad-capacity"),
    pytest.param("Barista=+1.5", "'+1.5' is not a capacity change", id="fractional-capacity"),
    pytest.param("take.duration=*-1", "'*-1' is not a duration change", id="negative-factor"),
    pytest.param("take.duration=soon", "'soon' is not a duration change. Write *0.5 to scale it", id="bad-duration"),
    pytest.param("Barista", "change 'Barista' is not a change", id="not-a-change"),
    pytest.param("Barista=-2", "'Barista' would have 0 units; a resource needs at least 1. It has 2 now",
                 id="capacity-below-one"),
    pytest.param("Barista=0", "'Barista' would have 0 units", id="capacity-set-to-zero"),
    pytest.param("take.duration=-2m", "the duration of 'take' would be negative. It is 1m on average now",
                 id="negative-duration"),
    pytest.param("';'", "change ';' is empty", id="empty"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "words"), MALFORMED)
def test_a_change_that_cannot_run_is_an_error_at_the_opportunity_in_the_parsers_words(change: str, words: str) -> None:
    (finding,) = sl706(stageline.loads(cafe(change)))
    assert finding.severity == "error" and finding.name == "invalid-opportunity-change"
    assert finding.message.startswith("opportunity 'idea-0': change ")
    assert words in finding.message
    assert finding.path == ("opportunities", 0, "change", 0)
    assert "`NAME=+1`" in finding.fix and "`CARD-ID.duration=*0.5`" in finding.fix


VALID = [
    "Barista=+1", "Barista=-1", "Barista=5", "barista=+1", "Server=+2", "'Barista = +1'",
    "take.duration=*0.5", "take.duration=*0", "take.duration=2m", "take.duration=-30s", "take.duration=+30s",
    "machine.duration=+1m", "machine.duration=*2", "brew.duration=90s",
    "[Barista=+1, take.duration=*0.8]", "'Barista=+1; brew.duration=-1m'", "[Barista=-1, Barista=+1, Barista=-1]",
    "['Barista=+1', ';']",
]  # fmt: skip


@pytest.mark.parametrize("change", VALID)
def test_a_change_that_runs_is_never_flagged(change: str) -> None:
    bp = stageline.loads(cafe(change))
    assert sl706(bp) == []
    costed = cost_opportunities(bp, replications=2, customers=10)
    assert [item.opportunity.id for item in costed.costed] == ["idea-0"]


def test_only_the_bad_entry_of_a_list_is_flagged_and_every_bad_one_is() -> None:
    bp = stageline.loads(cafe("[Barista=+1, take.duration=*0.8, Baristas=+1, brew.duration=2m, brew.duratoin=1m]"))
    found = sl706(bp)
    assert [finding.path for finding in found] == [("opportunities", 0, "change", 2), ("opportunities", 0, "change", 4)]
    assert "'Baristas=+1'" in found[0].message and "'brew.duratoin=1m'" in found[1].message


def test_changes_apply_in_order_so_the_one_that_takes_capacity_below_one_is_flagged() -> None:
    (finding,) = sl706(stageline.loads(cafe("[Barista=-1, take.duration=*2, Barista=-1]")))
    assert finding.path == ("opportunities", 0, "change", 2)
    assert "'Barista' would have 0 units" in finding.message and "It has 1 now" in finding.message


def test_a_change_that_does_not_parse_hides_what_applying_the_others_would_find() -> None:
    (finding,) = sl706(stageline.loads(cafe("[Barista=-2, Barista=oops]")))
    assert finding.path == ("opportunities", 0, "change", 1)


def test_every_opportunity_is_checked_on_its_own() -> None:
    found = sl706(stageline.loads(cafe("Barista=+1", "Kitchen=+1", "take.duration=*0.5", "nothing.duration=1m")))
    assert [finding.path[1] for finding in found] == [1, 3]
    assert [finding.message.split(":")[0] for finding in found] == ["opportunity 'idea-1'", "opportunity 'idea-3'"]


def test_without_a_simulation_section_every_change_is_flagged_at_its_change() -> None:
    bp = stageline.loads(cafe("Barista=+1", "take.duration=*0.5", simulation=""))
    found = sl706(bp)
    assert [finding.path for finding in found] == [("opportunities", 0, "change"), ("opportunities", 1, "change")]
    assert "'Coffee to go' has no simulation section" in found[0].message


def test_quiet_when_the_current_state_itself_cannot_be_simulated() -> None:
    # `stageline simulate` says what is wrong with the simulation section; the changes cannot be judged.
    broken = "simulation:\n  arrivals: {rate: 10/h}\n  resources: {Bartista: 2}"
    assert sl706(stageline.loads(cafe("Kitchen=+1", simulation=broken))) == []


def test_opportunities_without_a_change_are_left_alone() -> None:
    bp = stageline.loads(coffee_yaml(tail="opportunities:\n  - {id: app, title: Order ahead, targets: [take]}"))
    assert sl706(bp) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_every_example_is_free_of_it(path: Path) -> None:
    assert sl706(stageline.load(path)) == []


def test_the_examples_have_changes_to_check() -> None:
    changes = [change for path in EXAMPLES for o in stageline.load(path).opportunities for change in o.change]
    assert len(changes) >= 3


@pytest.mark.parametrize("name", template_names())
def test_every_template_is_free_of_it(name: str) -> None:
    assert sl706(stageline.loads(template_text(name), source=f"{name}.yaml")) == []


# -- the same verdict as `stageline opportunities` --------------------------------------------------------------


def _costing_refuses(bp: Blueprint, change: list[str]) -> bool:
    """What costing does with an opportunity's change (analysis/opportunities/costing.py, `_variant`)."""
    base = compile_scenario(bp, settings_of(bp, None, None, None, None))
    try:
        parse_what_if("; ".join(change), base).apply(base)
    except SimulationError:
        return True
    return False


NAMES = ["Barista", "barista", "Server", "Baristas", "Facilities", "Kitchen", "take", "take.duration", "brew.duration",
         "machine.duration", "tkae.duration", "take.text", ""]  # fmt: skip
VALUES = ["+1", "-1", "-2", "-5", "0", "1", "3", "x", "*0.5", "*2", "*-1", "2m", "-30s", "-90s", "-3m", "+30s", ""]
ENTRIES = st.one_of(
    st.tuples(st.sampled_from(NAMES), st.sampled_from(VALUES)).map(lambda pair: f"{pair[0]}={pair[1]}"),
    st.sampled_from([";", "Barista", "Barista=+1; take.duration=-2m"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ENTRIES, min_size=1, max_size=4))
def test_flagged_exactly_when_costing_refuses_the_change(change: list[str]) -> None:
    bp = stageline.loads(cafe(json.dumps(change)))
    assert [o.change for o in bp.opportunities] == [change]
    assert bool(sl706(bp)) == _costing_refuses(bp, change)


RESOURCE_CHANGES = st.tuples(
    st.sampled_from(["Barista", "barista", "Server"]),
    st.one_of(st.integers(0, 3).map(lambda n: f"+{n}"), st.integers(1, 9).map(str)),
).map(lambda pair: f"{pair[0]}={pair[1]}")
DURATION_CHANGES = st.tuples(
    st.sampled_from(["ask", "take", "brew", "machine"]),
    st.one_of(
        st.floats(0, 10, allow_nan=False).map(lambda f: f"*{f}"),
        st.integers(0, 600).map(lambda s: f"{s}s"),
        st.integers(0, 30).map(lambda m: f"+{m}m"),
    ),
).map(lambda pair: f"{pair[0]}.duration={pair[1]}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(RESOURCE_CHANGES, DURATION_CHANGES), min_size=1, max_size=5))
def test_generated_valid_changes_are_never_flagged(change: list[str]) -> None:
    bp = stageline.loads(cafe(json.dumps(change)))
    assert sl706(bp) == []


# -- where `stageline check` puts it ------------------------------------------------------------------------------

BLOCK = cafe("Kitchen=+1", "[Barista=+1, Baristas=+1]").replace(
    "change: [Barista=+1, Baristas=+1]", "change:\n      - Barista=+1\n      - Baristas=+1"
)


def _line(text: str, needle: str) -> tuple[int, int]:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


@pytest.mark.parametrize("fast_tree", [True, False], ids=["fast-tree", "round-trip-tree"])
def test_located_at_the_change_key_or_the_entry_in_the_list(monkeypatch: pytest.MonkeyPatch, fast_tree: bool) -> None:
    monkeypatch.setattr(fast, "ENABLED", fast_tree)
    text = cafe("Kitchen=+1", "[Barista=+1, Baristas=+1]")
    bp = stageline.loads(text)
    locator = Locator.of(bp, text)
    scalar, flow = sl706(bp)
    assert locator.find(scalar) == _line(text, "change: Kitchen=+1")
    assert locator.find(flow) == _line(text, "Baristas=+1]")
    block_bp = stageline.loads(BLOCK)
    assert [Locator.of(block_bp, BLOCK).find(f) for f in sl706(block_bp)] == [
        _line(BLOCK, "change: Kitchen=+1"),
        _line(BLOCK, "Baristas=+1"),
    ]


def test_check_prints_file_line_column_on_the_change_line(console: environment.Environment, tmp_path: Path) -> None:
    path = tmp_path / "cafe.yaml"
    path.write_text(BLOCK, encoding="utf-8")
    assert main(["check", str(path), "--select", CODE]) == 1
    first, second, summary = console.stdout.getvalue().splitlines()  # type: ignore[attr-defined]
    line, column = _line(BLOCK, "change: Kitchen=+1")
    assert first.startswith(f"{path}:{line}:{column}: error: SL706 opportunity 'idea-0': change 'Kitchen=+1': ")
    line, column = _line(BLOCK, "Baristas=+1")
    assert second.startswith(f"{path}:{line}:{column}: error: SL706 opportunity 'idea-1': change 'Baristas=+1': ")
    assert "; fix: Write each change as" in second
    assert summary == "2 errors in 1 file"


def test_sarif_places_it_on_the_change_line_and_json_keeps_its_keys(
    console: environment.Environment, tmp_path: Path
) -> None:
    path = tmp_path / "cafe.yaml"
    path.write_text(BLOCK, encoding="utf-8")
    main(["check", str(path), "--select", CODE, "--format", "sarif"])
    results = json.loads(console.stdout.getvalue())["runs"][0]["results"]  # type: ignore[attr-defined]
    regions = [result["locations"][0]["physicalLocation"]["region"]["startLine"] for result in results]
    assert regions == [_line(BLOCK, "change: Kitchen=+1")[0], _line(BLOCK, "- Baristas=+1")[0]]
    console.stdout.truncate(0)  # type: ignore[attr-defined]
    console.stdout.seek(0)  # type: ignore[attr-defined]
    main(["check", str(path), "--select", CODE, "--format", "json"])
    findings = json.loads(console.stdout.getvalue())["findings"]  # type: ignore[attr-defined]
    keys = {"rule", "name", "severity", "message", "stage", "step", "lane", "card", "fix"}
    assert [set(finding) for finding in findings] == [keys, keys]
