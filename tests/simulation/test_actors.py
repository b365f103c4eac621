"""Simulation resolves resources through declared actors, and never drops a near miss silently."""

from __future__ import annotations

import pytest

import stageline
from stageline.analysis.simulation import SimulationError, simulate

ED = """
stageline: 1
title: Emergency department
actors:
  - {name: ED physician, aliases: [Doctor], department: Emergency, capacity: 2}
  - {name: Triage nurse, department: Emergency}
  - {name: EHR, kind: system}
stages:
  - id: care
    title: Care
    steps:
      - id: triage
        customer: {id: describe, text: Describe symptoms}
        frontstage: {id: assess, text: Assess urgency, actor: Triage nurse, duration: 5m}
      - id: exam
        customer: {id: examined, text: Be examined}
        frontstage: {id: examine, text: Examine the patient, actor: ED physician, duration: 15m}
      - id: results
        customer: {id: hear, text: Hear the results}
        frontstage: {id: explain, text: Explain the results, actor: %s, duration: 5m}
simulation:
  arrivals: {rate: 4/h}
  resources:
    Triage nurse: 1
  customers: 300
"""


def test_a_declared_alias_and_a_declared_capacity_make_one_resource() -> None:
    report = simulate(stageline.loads(ED % "Doctor"), seed=0)
    physician = report.resources["ED physician"]
    assert physician.capacity == 2
    assert set(physician.cards) == {"examine", "explain"}
    assert report.cards["explain"].resource == "ED physician"
    assert report.resources["Triage nurse"].cards == ("assess",)


def test_a_resource_written_by_alias_is_the_actor() -> None:
    bp = stageline.loads((ED % "Doctor").replace("Triage nurse: 1", "Doctor: 3"))
    report = simulate(bp, seed=0)
    assert report.resources["ED physician"].capacity == 3


@pytest.mark.parametrize("written", ["ED physicians", "Physician", "ED physcian"])
def test_a_near_miss_of_a_resource_is_an_error_naming_both(written: str) -> None:
    with pytest.raises(SimulationError) as caught:
        simulate(stageline.loads(ED % written), seed=0)
    message = str(caught.value)
    assert repr(written) in message and "'ED physician'" in message and "explain" in message


def test_a_different_actor_declared_as_such_is_not_a_near_miss() -> None:
    bp = stageline.loads((ED % "Physician").replace("  - {name: EHR", "  - {name: Physician}\n  - {name: EHR"))
    report = simulate(bp, seed=0)
    assert report.cards["explain"].resource is None


def test_case_and_punctuation_do_not_make_another_actor() -> None:
    report = simulate(stageline.loads(ED % "ed-Physician."), seed=0)
    assert report.cards["explain"].resource == "ED physician"


def test_a_what_if_may_name_a_resource_by_its_alias() -> None:
    report = simulate(stageline.loads(ED % "Doctor"), seed=0, what_if="Doctor=+1")
    (variant,) = report.variants
    assert variant.outcome.resources["ED physician"].capacity == 3
