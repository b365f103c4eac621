"""What the simulation cannot model is refused in words, never a crash: a resource of
more units than it keeps slots for (a MemoryError before), and a what-if that makes a
card's duration overflow (NaN times and a traceback before)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stageline.analysis.checks import check
from stageline.analysis.simulation import settings_of
from stageline.analysis.simulation.errors import SimulationError
from stageline.analysis.simulation.scenario import MAX_CAPACITY, compile_scenario
from stageline.analysis.simulation.whatif import parse_what_if
from stageline.cli import main
from stageline.environment import Environment
from stageline.formats.yaml_format import loads

COFFEE = """stageline: 1
title: Coffee
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
        frontstage: {{id: take, text: Take the order, actor: Barista, duration: 1m}}
simulation:
  arrivals: {{rate: 20/h}}
  horizon: 8h
  resources:
    Barista: {{capacity: {capacity}}}
opportunities:
  - {{id: o, title: O, targets: [take], change: ["{change}"]}}
"""


def coffee(capacity: int = 1, change: str = "Barista=+1") -> str:
    return COFFEE.format(capacity=capacity, change=change)


@pytest.mark.parametrize("capacity", [MAX_CAPACITY + 1, 100_000_000_000])
def test_a_resource_larger_than_the_simulation_models_is_refused_in_words(
    console: Environment, tmp_path: Path, capacity: int
) -> None:
    path = tmp_path / "coffee.yaml"
    path.write_text(coffee(capacity))
    assert main(["simulate", str(path), "-n", "20"]) == 2
    said = console.stderr.getvalue()
    assert f"{capacity:,} units is more than the simulation models ({MAX_CAPACITY:,} at most)" in said
    assert "Traceback" not in said and "MemoryError" not in said
    found = [f for f in check(loads(path.read_text())) if f.rule == "SL405"]
    assert len(found) == 1 and found[0].path == ("simulation", "resources", "Barista")


def test_the_largest_resource_it_models_is_fine() -> None:
    bp = loads(coffee(MAX_CAPACITY, change="Barista=-1"))
    assert compile_scenario(bp, settings_of(bp, None, None, None, None)).resources[0].capacity == MAX_CAPACITY
    assert not [f for f in check(bp) if f.rule in ("SL405", "SL706")]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ("take.duration=*1e308", "the duration of 'take' would be longer than a century"),
        ("take.duration=+36501d", "the duration of 'take' would be longer than a century"),
        ("Barista=+100000000000", "100,000,000,001 units is more than the simulation models"),
        (f"Barista={MAX_CAPACITY + 1}", f"{MAX_CAPACITY + 1:,} units is more than the simulation models"),
    ],
)
def test_a_change_past_what_the_simulation_models_is_refused(
    console: Environment, tmp_path: Path, change: str, says: str
) -> None:
    bp = loads(coffee(change=change))
    base = compile_scenario(bp, settings_of(bp, None, None, None, None))
    with pytest.raises(SimulationError, match=says.replace("(", r"\(").replace(")", r"\)")):
        parse_what_if(change, base).apply(base)
    assert [f.rule for f in check(bp) if f.rule == "SL706"] == ["SL706"]
    path = tmp_path / "coffee.yaml"
    path.write_text(coffee(change=change))
    assert main(["opportunities", str(path), "-n", "20"]) == 2
    said = console.stderr.getvalue()
    assert says in said and "Traceback" not in said
