"""libyaml's fast tree against ruamel's round-trip tree: same values, same positions,
same blueprints and spots; whatever it leaves to the round-trip parser goes there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.strategies import TRICKY_TEXT, blueprints
from stageline.formats import fast
from stageline.formats.errors import FormatError
from stageline.formats.parse import MAX_DEPTH, parse
from stageline.formats.reader import Reader, plain
from stageline.formats.yaml_format import dumps, loads
from stageline.model import Blueprint

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("src/stageline/templates/*.yaml")])


def same_tree(quick: Any, reference: Any, path: tuple[Any, ...] = ()) -> None:
    """Values, key order and every position (node, key, value, item) agree."""
    if isinstance(reference, dict):
        assert isinstance(quick, fast.Map), path
        assert (quick.lc.line, quick.lc.col) == (reference.lc.line, reference.lc.col), path
        assert list(quick) == list(reference), path
        for key in reference:
            assert quick.lc.key(key) == tuple(reference.lc.key(key)), (*path, key)
            assert quick.lc.value(key) == tuple(reference.lc.value(key)), (*path, key)
            same_tree(quick[key], reference[key], (*path, key))
    elif isinstance(reference, list):
        assert isinstance(quick, fast.Seq), path
        assert (quick.lc.line, quick.lc.col) == (reference.lc.line, reference.lc.col), path
        assert len(quick) == len(reference), path
        for i, item in enumerate(reference):
            assert quick.lc.item(i) == tuple(reference.lc.item(i)), (*path, i)
            same_tree(quick[i], item, (*path, i))
    else:
        assert type(quick) is type(plain(reference)) and quick == plain(reference), (path, quick, reference)


def read_both(text: str) -> tuple[Reader, Blueprint, Reader, Blueprint]:
    quick_tree = fast.tree(text)
    assert quick_tree is not None
    quick = Reader("x.yaml")
    reference = Reader("x.yaml")
    return quick, quick.read(quick_tree), reference, reference.read(parse(text, "x.yaml").data)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_shipped_files_read_the_same_on_both_paths(path: Path) -> None:
    text = path.read_text()
    tree = fast.tree(text)
    assert tree is not None, "the fast path should read every shipped blueprint"
    same_tree(tree, parse(text, path.name).data)
    quick, quick_bp, reference, reference_bp = read_both(text)
    assert quick_bp == reference_bp
    assert quick.spots == reference.spots and quick.keys == reference.keys


@given(blueprints())
def test_canonical_text_reads_the_same_on_both_paths(bp: Blueprint) -> None:
    text = dumps(bp)
    tree = fast.tree(text)
    if tree is None:  # a spelling the fast path leaves to the reference (e.g. `1_000`)
        return
    same_tree(tree, parse(text, "x.yaml").data)
    quick, quick_bp, reference, reference_bp = read_both(text)
    assert quick_bp == reference_bp == bp
    assert quick.spots == reference.spots and quick.keys == reference.keys


SCALARS = [
    *TRICKY_TEXT,
    "yes",
    "No",
    "on",
    "OFF",
    "12:00",
    "1:30:00",
    "0",
    "-0",
    "+7",
    "007",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "1.5",
    "-2.",
    "1e3",
    "1.5e3",
    ".5",
    ".inf",
    "-.inf",
    ".nan",
    "2024-05-01",
    "2024-05-01 10:00:00",
    "<<",
    "=",
    "~",
    "",
    "Null",
    "TRUE",
    "false",
    "12h",
    "-",
    "_1",
]


@pytest.mark.parametrize("scalar", SCALARS)
def test_plain_scalars_mean_what_yaml_1_2_says(scalar: str) -> None:
    text = f"stageline: 1\nvalue: {scalar}\nlist: [{scalar}]\n"
    tree = fast.tree(text)
    if tree is None:
        return  # left to the reference
    same_tree(tree, parse(text, "x.yaml").data)


@pytest.mark.parametrize(
    "text",
    [
        "stageline: 1\ntitle: &t x\nscenario: *t\n",  # aliases
        "stageline: 1\ntitle: !!str 1\n",  # tags
        "%YAML 1.1\n---\nstageline: 1\ntitle: yes\n",  # directives switch semantics
        "stageline: 1\ntitle: a\ntitle: b\n",  # duplicate keys
        "stageline: 1\n? [a]\n: b\n",  # complex keys
        "stageline: 1\ntitle: a\n---\nstageline: 1\n",  # two documents
        "stageline: 1\ntitle: [unclosed\n",  # syntax
        "- a list\n",
        "just text\n",
        "",
        "stageline: 1\ntitle: '\x07'\n",  # characters YAML refuses
        "stageline: 1\ntitle: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n",  # depth
        "stageline: 1\n<<: {title: x}\n",  # merge keys
    ],
)
def test_what_the_fast_path_leaves_to_the_round_trip_parser(text: str) -> None:
    assert fast.tree(text) is None


def test_problems_come_from_the_round_trip_path_with_its_positions() -> None:
    text = (
        "stageline: 1\ntitle: Stay\nstages:\n  - id: a\n    title: A\n    steps:\n"
        "      - id: s\n        customer: {text: x, emotion: 9}\n"
    )
    with pytest.raises(FormatError) as quick:
        loads(text, "x.yaml")
    fast.ENABLED = False
    try:
        with pytest.raises(FormatError) as reference:
            loads(text, "x.yaml")
    finally:
        fast.ENABLED = True
    assert str(quick.value) == str(reference.value)
    assert str(quick.value).startswith("x.yaml:8:")


@given(st.text(alphabet=st.sampled_from(list("ab :-[]{},'\"#|>\n \t&*!?1.~")), max_size=40))
def test_hostile_text_reads_the_same_or_goes_to_the_reference(body: str) -> None:
    text = "stageline: 1\n" + body
    tree = fast.tree(text)
    if tree is None:
        return
    try:
        reference = parse(text, "x.yaml").data
    except FormatError:
        pytest.fail(f"the fast path accepted text the round-trip parser refuses: {text!r}")
    same_tree(tree, reference)
