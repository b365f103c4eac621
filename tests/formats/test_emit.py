"""The direct canonical writer against ruamel's emitter: byte-identical text."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.strategies import TRICKY_TEXT, blueprints
from stageline.formats.emit import Unsupported, emit, emit_plain
from stageline.formats.writer import dumps, plain_tree, ruamel_dumps, to_tree
from stageline.formats.yaml_format import load, loads
from stageline.model import Blueprint, Card, Resource, Simulation, Stage, Step
from stageline.model.elements import Arrivals

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("benchmarks_generate", ROOT / "benchmarks" / "generate.py")
assert _spec is not None and _spec.loader is not None
_generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_generate)
FILES = sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("src/stageline/templates/*.yaml")])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_shipped_blueprints_are_written_as_ruamel_writes_them(path: Path) -> None:
    bp = load(path)
    assert emit(to_tree(bp)) == ruamel_dumps(bp)
    assert emit_plain(plain_tree(bp)) == ruamel_dumps(bp)


def test_a_large_generated_blueprint_is_written_as_ruamel_writes_it() -> None:
    bp = _generate.generate_blueprint(cards=300, links=150, seed=3)
    assert emit(to_tree(bp)) == ruamel_dumps(bp)
    assert emit_plain(plain_tree(bp)) == ruamel_dumps(bp)


@given(blueprints())
def test_any_blueprint_is_written_as_ruamel_writes_it(bp: Blueprint) -> None:
    assert dumps(bp) == ruamel_dumps(bp)


@given(blueprints())
def test_the_fast_path_writes_any_blueprint_as_ruamel_does_or_leaves_it_to_ruamel(bp: Blueprint) -> None:
    """The plain tree written directly (what `dumps` tries first) against ruamel's emitter on
    the round-trip tree: the same text, or both direct writers leave the blueprint to ruamel."""
    try:
        fast = emit_plain(plain_tree(bp))
    except Unsupported:
        with pytest.raises(Unsupported):
            emit(to_tree(bp))
        return
    assert fast == ruamel_dumps(bp)


def one_card(**fields: object) -> Blueprint:
    card = Card(id="c", **fields)  # type: ignore[arg-type]
    return Blueprint(title="T", stages=[Stage(id="s", title="S", steps=[Step(id="p", cells={"customer": [card]})])])


AWKWARD = [
    *TRICKY_TEXT,
    "it's",
    'say "hi"',
    "a: b",
    "# not a comment",
    "x #y",
    "tab\there",
    "ends with space ",
    "two\nlines",
    "two\nlines\n",
    "blank\n\nline",
    "trailing\n\n",
    "line\u2028separator",
    "nbsp\xa0here",
    "bom\ufeff",
    "bell\x07",
    "emoji \U0001f600",
    "[flow]",
    "{flow}",
    "?",
    ":",
    "- dash",
    "%percent",
    "@at",
    "`tick",
    "x" * 130,
]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_text_is_written_as_ruamel_writes_it_and_reads_back(text: str) -> None:
    bp = one_card(text=text, notes=text, tags=[text, "b"], actor=text)
    assert dumps(bp) == ruamel_dumps(bp)
    assert loads(dumps(bp)) == bp


@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
def test_arbitrary_text_is_written_as_ruamel_writes_it(text: str, other: str) -> None:
    try:
        bp = one_card(text=text, notes=other, tags=[other])
    except ValueError:
        return  # not a valid card text
    assert dumps(bp) == ruamel_dumps(bp)


@pytest.mark.parametrize("name", ["Front desk", "07:00", "a: b", "x" * 130, "yes"])
def test_mapping_keys_are_written_as_ruamel_writes_them(name: str) -> None:
    bp = one_card(text="x").model_copy(
        update={"simulation": Simulation(arrivals=Arrivals(rate=10), resources={name: Resource(capacity=2)})}
    )
    assert dumps(bp) == ruamel_dumps(bp)


def test_what_the_direct_writer_leaves_to_ruamel_still_comes_out_the_same() -> None:
    bp = one_card(text="x", notes="keeps\nits ending\n\n")  # a keep-chomped literal
    with pytest.raises(Unsupported):
        emit(to_tree(bp))
    with pytest.raises(Unsupported):
        emit_plain(plain_tree(bp))
    assert dumps(bp) == ruamel_dumps(bp)
