"""Loading and writing the example of the format specification."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import stageline
from stageline.formats.errors import FormatError
from stageline.formats.yaml_format import dumps, load, loads, save, write_atomic
from stageline.model import Blueprint

SPEC_EXAMPLE = """\
stageline: 1
title: Overnight hotel stay
scenario: Business traveller, one night
state: current
tolerance: 2h
lanes: [evidence, customer, frontstage, backstage, support]   # optional; this is the default
stages:
  - id: arrival
    title: Arrival
    steps:
      - id: check-in
        title: Check in                 # optional; defaults to the customer card's text
        evidence: [Desk, Key card]      # a lane key holds one card or a list of cards
        customer:
          text: Check in
          wait: 8m
          emotion: -1
        frontstage:
          id: registration
          text: Process registration
          actor: Front desk clerk
          duration: 4m
          fail: {text: Room not ready, recovery: Offer lounge access, severity: 4, likelihood: 2}
        support: Registration system    # a bare string is a card's text
links:
  - {from: check-in.customer, to: registration, two_way: true, label: Registration details}
opportunities:
  - {id: mobile-key, title: Mobile check-in, targets: [check-in.customer], value: 4, effort: 3}
"""


def test_spec_example_maps_onto_the_model() -> None:
    bp = loads(SPEC_EXAMPLE)
    assert bp.title == "Overnight hotel stay"
    assert bp.tolerance == 7200
    assert [c.id for c in bp.step("check-in").cells["evidence"]] == ["check-in.evidence", "check-in.evidence.2"]
    customer = bp.card("check-in.customer")
    assert (customer.wait, customer.emotion) == (480, -1)
    registration = bp.card("registration")
    assert registration.duration == 240
    assert registration.fail is not None and registration.fail.severity == 4
    assert bp.card("check-in.support").text == "Registration system"
    assert bp.links[0].two_way and bp.links[0].label == "Registration details"
    assert bp.opportunities[0].targets == ["check-in.customer"]


def test_canonical_form_of_the_spec_example_drops_defaults_and_keeps_shorthands() -> None:
    text = dumps(loads(SPEC_EXAMPLE))
    assert "lanes:" not in text  # the default lanes are implied
    assert "evidence: [Desk, Key card]" in text
    assert "support: Registration system" in text
    assert "  - {from: check-in.customer, to: registration, two_way: true, label: Registration details}" in text
    assert "fail: {text: Room not ready, recovery: Offer lounge access, severity: 4, likelihood: 2}" in text
    assert text.startswith("stageline: 1\ntitle: Overnight hotel stay\n")


def test_builder_blueprint_round_trips(hotel: Blueprint) -> None:
    assert loads(dumps(hotel)) == hotel
    assert dumps(loads(dumps(hotel))) == dumps(hotel)


def test_bare_numbers_are_minutes() -> None:
    bp = loads(
        "stageline: 1\ntitle: T\ntolerance: 90\nstages:\n  - id: s\n    title: S\n    steps:\n"
        "      - id: a\n        customer: {text: Go, duration: 1.5, wait: 0}\n"
    )
    assert bp.tolerance == 5400
    assert bp.card("a.customer").duration == 90
    assert bp.card("a.customer").wait == 0


def test_public_api_and_save_are_wired(tmp_path: Path, hotel: Blueprint) -> None:
    target = tmp_path / "hotel.yaml"
    save(hotel, target)
    assert stageline.load(target) == hotel
    assert stageline.load(str(target)) == hotel
    assert stageline.dumps(load(target)) == target.read_text(encoding="utf-8")
    assert stageline.loads(target.read_text(encoding="utf-8")) == hotel
    assert [p.name for p in tmp_path.iterdir()] == ["hotel.yaml"]  # no temporary file left behind


def test_format_error_lists_problems_as_file_line_column_lines() -> None:
    with pytest.raises(FormatError) as caught:
        loads(
            "stageline: 1\ntitle: T\nstages:\n  - id: s\n    title: S\n    steps:\n      - id: a\n"
            "        customer: {text: Go, duraton: 4m}\n",
            source="t.yaml",
        )
    assert str(caught.value) == (
        "t.yaml:8:30: stages[0].steps[0].customer.duraton: unknown key 'duraton' in a card (did you mean 'duration'?); "
        "the keys are: id, text, actor, department, channel, duration, wait, cost, fail, emotion, pain, basis, "
        "source, notes, tags, ignore"
    )


def test_written_files_get_the_usual_mode_and_keep_their_own(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.yaml"
        write_atomic(fresh, "title: é\n")
        assert fresh.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
        assert fresh.read_bytes() == "title: é\n".encode()
        kept = tmp_path / "kept.png"
        kept.write_bytes(b"old")
        kept.chmod(0o600)
        write_atomic(kept, b"\x89PNG")
        assert kept.stat().st_mode & 0o777 == 0o600
        assert kept.read_bytes() == b"\x89PNG"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.yaml", "kept.png"]  # no temporaries left
    finally:
        os.umask(umask)
