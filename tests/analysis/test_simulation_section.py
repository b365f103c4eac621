"""SL405 simulation-cannot-run: the `simulation` section is built into a scenario as
`stageline simulate` builds it, so a section the simulation would refuse is found by
`stageline check`, in the simulation's words, at the key written wrong; a section that
runs, and a blueprint without one, are never flagged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stageline
from analysis.coffee import coffee_yaml
from stageline import environment
from stageline.analysis.checks import Finding, check, get
from stageline.analysis.checks.locate import Locator
from stageline.analysis.simulation import settings_of
from stageline.analysis.simulation.errors import SimulationError
from stageline.analysis.simulation.scenario import compile_scenario
from stageline.cli import main
from stageline.formats import fast
from stageline.model import Blueprint
from stageline.templates import template_names, template_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CODE = "SL405"
RULE_FIX = get(CODE).fix  # type: ignore[union-attr]
# The coffee blueprint: ask (customer), take and brew (Barista, department Cafe), machine (Facilities, Cafe).
RUNS = "simulation:\n  arrivals: {rate: 10/h}\n  resources: {Barista: 2}"


def cafe(simulation: str = RUNS, *, brewer: str = "Barista") -> str:
    """The clean coffee blueprint with this simulation section (and whoever brews)."""
    text = coffee_yaml(tail=simulation)
    return text.replace("text: Brew the coffee, actor: Barista,", f"text: Brew the coffee, actor: {brewer},")


def sl405(bp: Blueprint) -> list[Finding]:
    return [finding for finding in check(bp) if finding.rule == CODE]


def _refusal(bp: Blueprint) -> SimulationError | None:
    """What `stageline simulate` (with no options) says building the scenario, if it refuses."""
    try:
        compile_scenario(bp, settings_of(bp, None, None, None, None))
    except SimulationError as error:
        return error
    return None


def _line(text: str, needle: str) -> tuple[int, int]:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


# (the blueprint, the words of the message, where it is written, the finding's path and card, the fix's words)
BROKEN = [
    pytest.param(
        cafe("simulation:\n  arrivals: {rate: 10/h}\n  resources:\n    Barista: 1\n    Front desk clark: 2"),
        "simulation.resources: 'Front desk clark' is not the actor or department of any card",
        "Front desk clark: 2", ("simulation", "resources", "Front desk clark"), None,
        "A resource is matched to cards by their `actor`", id="resource-no-card-names",
    ),
    pytest.param(
        cafe("simulation:\n  arrivals: {rate: 10/h}\n  resources: {Bartista: 2}"),
        "'Bartista' is not the actor or department of any card (did you mean 'Barista'?)",
        "Bartista: 2", ("simulation", "resources", "Bartista"), None, "or their `department`",
        id="resource-typo",
    ),
    pytest.param(
        cafe(RUNS, brewer="Baristas"),
        "card 'brew' (step 'order') is done by 'Baristas', which is nearly the resource 'Barista' but not the "
        "same name, so the simulation would leave the card out of that resource",
        "backstage: {id: brew", (), "brew", "as `{name: Barista, aliases: [Baristas]}`", id="near-miss-actor",
    ),
    pytest.param(
        cafe("simulation:\n  arrivals: {rate: 10/h}\n  resources:\n    Barista: {capacity: 2, hours: '25:00-09:00'}"),
        "simulation.resources.Barista.hours: '25:00' is not a time of day; hours run 00-23 and minutes 00-59",
        "hours: '25:00", ("simulation", "resources", "Barista", "hours"), None, RULE_FIX, id="resource-hours",
    ),
    pytest.param(
        cafe("actors:\n  - name: Barista\n    capacity: 2\n    hours: '09:00-24:30'\n"
             "simulation:\n  arrivals: {rate: 10/h}"),
        "actors.Barista.hours: '24:30' is not a time of day", "hours: '09:00-24:30'", ("actors", 0, "hours"), None,
        RULE_FIX, id="actor-hours",
    ),
    pytest.param(
        cafe("simulation:\n  arrivals:\n    schedule: {'08:00': 0/h, '12:00': 0}\n  resources: {Barista: 2}"),
        "simulation.arrivals.schedule: every rate is zero, so no customer ever arrives",
        "schedule: {", ("simulation", "arrivals", "schedule"), None, RULE_FIX, id="schedule-all-zero",
    ),
    pytest.param(
        cafe("simulation:\n  arrivals:\n    schedule:\n      '08:00': 10/h\n      '12:75': 5/h\n"
             "  resources: {Barista: 2}"),
        "simulation.arrivals.schedule: '12:75' is not a time of day; hours run 00-23 and minutes 00-59",
        "'12:75': 5/h", ("simulation", "arrivals", "schedule", "12:75"), None, RULE_FIX, id="schedule-clock",
    ),
    pytest.param(
        cafe("simulation:\n  arrivals: {rate: 0/h}\n  resources: {Barista: 2}"),
        "simulation.arrivals.rate must be more than zero; write e.g. 10/h",
        "rate: 0/h", ("simulation", "arrivals", "rate"), None, RULE_FIX, id="zero-rate",
    ),
    pytest.param(
        cafe("simulation:\n  arrivals: {rate: 10/h}\n  resources: {Barista: 2}\n  horizon: 0"),
        "simulation.horizon must be longer than zero; write e.g. 8h",
        "horizon: 0", ("simulation", "horizon"), None, RULE_FIX, id="zero-horizon",
    ),
]  # fmt: skip


@pytest.mark.parametrize("fast_tree", [True, False], ids=["fast-tree", "round-trip-tree"])
@pytest.mark.parametrize(("text", "words", "written", "path", "card", "fix"), BROKEN)
def test_a_section_simulate_refuses_is_an_error_in_its_words_at_the_key_written_wrong(
    monkeypatch: pytest.MonkeyPatch,
    fast_tree: bool,
    text: str,
    words: str,
    written: str,
    path: tuple[str | int, ...],
    card: str | None,
    fix: str,
) -> None:
    monkeypatch.setattr(fast, "ENABLED", fast_tree)
    bp = stageline.loads(text)
    (finding,) = sl405(bp)
    assert finding.severity == "error" and finding.name == "simulation-cannot-run"
    assert words in finding.message and not finding.message.endswith(".")
    refusal = _refusal(bp)
    assert refusal is not None and finding.message == refusal.message.rstrip(".")
    assert (finding.path, finding.card) == (path, card)
    assert fix in finding.fix
    assert Locator.of(bp, text).find(finding) == _line(text, written)


def test_the_hint_is_the_fix_and_without_one_the_rules_fix_says_what_to_do() -> None:
    (typo,) = sl405(stageline.loads(cafe("simulation:\n  arrivals: {rate: 10/h}\n  resources: {Bartista: 2}")))
    assert typo.fix.startswith("A resource is matched to cards by their `actor`") and typo.fix != RULE_FIX
    (rate,) = sl405(stageline.loads(cafe("simulation:\n  arrivals: {rate: 0/h}")))
    assert rate.fix == RULE_FIX and "give `arrivals` a `rate` above zero" in RULE_FIX


def test_the_first_problem_is_reported_and_the_next_once_it_is_fixed() -> None:
    both = "simulation:\n  arrivals: {rate: 0/h}\n  resources: {Bartista: 2}\n  horizon: 0"
    (first,) = sl405(stageline.loads(cafe(both)))
    assert first.path == ("simulation", "resources", "Bartista")
    (second,) = sl405(stageline.loads(cafe(both.replace("Bartista", "Barista"))))
    assert second.path == ("simulation", "arrivals", "rate")
    (third,) = sl405(stageline.loads(cafe(both.replace("Bartista", "Barista").replace("0/h", "10/h"))))
    assert third.path == ("simulation", "horizon")
    rule = get(CODE)
    assert rule is not None and "One problem can hide the next" in rule.rationale


VALID = [
    RUNS,
    "simulation:\n  arrivals: {rate: 10/h}",
    "simulation:\n  arrivals: {rate: 10/h}\n  resources: {Cafe: 3, Facilities: 1}\n  horizon: 8h",
    "simulation:\n  arrivals: {rate: 0.5}\n  resources: {Barista: 1}\n  customers: 20",
    "actors:\n  - {name: Barista, aliases: [Server]}\nsimulation:\n  arrivals: {rate: 10/h}\n  resources: {Server: 2}",
    "actors:\n  - {name: Barista, capacity: 2, hours: '22:00-06:00'}\nsimulation:\n  arrivals: {rate: 10/h}",
    "simulation:\n  arrivals:\n    schedule: {'07:00': 30/h, '11:00': 0/h, '24:00': 5/h}\n"
    "  resources:\n    Barista: {capacity: 2, hours: '07:00-24:00'}\n  horizon: 1d",
    "simulation:\n  arrivals: {rate: 10/h}\n  resources:\n    Barista: {capacity: 1, hours: '00:00-00:00'}",
]


@pytest.mark.parametrize("section", VALID)
def test_a_section_simulate_runs_is_never_flagged(section: str) -> None:
    bp = stageline.loads(cafe(section))
    assert sl405(bp) == []
    assert _refusal(bp) is None


def test_a_near_miss_declared_as_an_alias_or_its_own_actor_is_not_flagged() -> None:
    alias = "actors:\n  - {name: Barista, aliases: [Baristas]}\n" + RUNS
    own = "actors:\n  - {name: Baristas}\n" + RUNS
    assert sl405(stageline.loads(cafe(alias, brewer="Baristas"))) == []
    assert sl405(stageline.loads(cafe(own, brewer="Baristas"))) == []


def test_a_blueprint_without_a_simulation_section_is_never_flagged() -> None:
    # Even an actor whose hours no simulation could read: without a section there is nothing to run.
    bp = stageline.loads(cafe("actors:\n  - {name: Barista, capacity: 2, hours: '25:00-26:00'}"))
    assert bp.simulation is None
    assert sl405(bp) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_every_example_is_free_of_it(path: Path) -> None:
    assert sl405(stageline.load(path)) == []


def test_some_examples_have_a_section_to_check() -> None:
    assert sum(stageline.load(path).simulation is not None for path in EXAMPLES) >= 2


@pytest.mark.parametrize("name", template_names())
def test_every_template_is_free_of_it(name: str) -> None:
    bp = stageline.loads(template_text(name), source=f"{name}.yaml")
    assert bp.simulation is not None
    assert sl405(bp) == []


# -- the same verdict as `stageline simulate` ---------------------------------------------------------------------

# Mostly what runs, with each way to go wrong in reach (a name listed twice is drawn twice as often).
NAMES = ["Barista", "Barista", "Cafe", "Facilities", "Facilities", "Bartista", "Front desk clark"]
HOURS = [None, "07:00-19:00", "22:00-06:00", "00:00-24:00", None, "25:00-09:00", "09:00-24:30"]
CLOCKS = ["00:00", "08:00", "12:30", "24:00", "17:00", "12:75"]
RATES = ["0/h", "5/h", "30/h", "0.01", "12/h"]
RESOURCE = st.tuples(st.sampled_from(NAMES), st.integers(1, 3), st.sampled_from(HOURS))
ARRIVALS = st.one_of(
    st.sampled_from(RATES).map(lambda rate: f"{{rate: {rate}}}"),
    st.dictionaries(st.sampled_from(CLOCKS), st.sampled_from(RATES), min_size=1, max_size=3).map(
        lambda schedule: "{schedule: {" + ", ".join(f"'{c}': {r}" for c, r in schedule.items()) + "}}"
    ),
)


def _section(arrivals: str, resources: list[tuple[str, int, str | None]], horizon: str | None) -> str:
    lines = ["simulation:", f"  arrivals: {arrivals}"]
    if resources:
        lines.append("  resources:")
        for name, capacity, hours in resources:
            lines.append(f"    {name}: " + (f"{{capacity: {capacity}, hours: '{hours}'}}" if hours else str(capacity)))
    if horizon is not None:
        lines.append(f"  horizon: {horizon}")
    return "\n".join(lines)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ARRIVALS,
    st.lists(RESOURCE, max_size=3, unique_by=lambda resource: resource[0].lower()),
    st.sampled_from([None, "8h", "0", "30m"]),
    st.sampled_from(["Barista", "Baristas", "Facility", "Barista"]),
)
def test_flagged_exactly_when_simulate_refuses_and_in_its_words(
    arrivals: str, resources: list[tuple[str, int, str | None]], horizon: str | None, brewer: str
) -> None:
    bp = stageline.loads(cafe(_section(arrivals, resources, horizon), brewer=brewer))
    refusal = _refusal(bp)
    found = sl405(bp)
    assert [finding.message for finding in found] == ([refusal.message.rstrip(".")] if refusal else [])
    if refusal is not None:
        assert (found[0].path, found[0].card) == (() if refusal.card else refusal.path, refusal.card)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["5/h", "30/h", "0.2"]),
    st.lists(
        st.tuples(st.sampled_from(["Barista", "Cafe", "Facilities"]), st.integers(1, 5), st.sampled_from(HOURS[:4])),
        max_size=3,
        unique_by=lambda resource: resource[0],
    ),
    st.sampled_from([None, "8h", "1d"]),
)
def test_generated_valid_sections_are_never_flagged(
    rate: str, resources: list[tuple[str, int, str | None]], horizon: str | None
) -> None:
    assert sl405(stageline.loads(cafe(_section(f"{{rate: {rate}}}", resources, horizon)))) == []


# -- what a user sees ---------------------------------------------------------------------------------------------

TYPO = cafe("simulation:\n  arrivals: {rate: 10/h}\n  resources:\n    Barista: 1\n    Front desk clark: 2")


def test_check_prints_the_line_of_the_resource_and_simulate_says_the_same(
    console: environment.Environment, tmp_path: Path
) -> None:
    path = tmp_path / "cafe.yaml"
    path.write_text(TYPO, encoding="utf-8")
    assert main(["check", str(path), "--select", CODE]) == 1
    first, summary = console.stdout.getvalue().splitlines()  # type: ignore[attr-defined]
    line, column = _line(TYPO, "Front desk clark: 2")
    assert first == (
        f"{path}:{line}:{column}: error: SL405 simulation.resources: 'Front desk clark' is not the actor or "
        "department of any card; fix: A resource is matched to cards by their `actor` (a name or an alias declared "
        "under `actors:`) or their `department`."
    )
    assert summary == "1 error in 1 file"
    assert main(["simulate", str(path)]) != 0
    said = console.stderr.getvalue()  # type: ignore[attr-defined]
    assert "simulation.resources: 'Front desk clark' is not the actor or department of any card" in said


def test_sarif_places_it_on_the_resource_line(console: environment.Environment, tmp_path: Path) -> None:
    path = tmp_path / "cafe.yaml"
    path.write_text(TYPO, encoding="utf-8")
    main(["check", str(path), "--select", CODE, "--format", "sarif"])
    (result,) = json.loads(console.stdout.getvalue())["runs"][0]["results"]  # type: ignore[attr-defined]
    assert result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == _line(TYPO, "Front desk clark")[0]


def test_the_line_docs_simulation_shows_is_what_check_prints_for_the_misspelt_clerk(
    console: environment.Environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = (ROOT / "docs" / "simulation.md").read_text(encoding="utf-8")
    counter = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    (shown,) = [line for line in doc.splitlines() if line.startswith("counter.yaml:") and f" {CODE} " in line]
    assert "    Counter clerk: {capacity" in counter
    misspelt = counter.replace("    Counter clerk:", "    Counter clark:")
    (tmp_path / "counter.yaml").write_text(misspelt, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "counter.yaml", "--select", CODE]) == 1
    printed = console.stdout.getvalue().splitlines()  # type: ignore[attr-defined]
    assert printed[0].startswith(shown + "; fix: A resource is matched to cards by their `actor`")
    (tmp_path / "counter.yaml").write_text(counter, encoding="utf-8")
    assert main(["check", "counter.yaml", "--select", CODE]) == 0
