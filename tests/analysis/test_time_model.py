"""One time model (docs/time-model.md): metrics and simulation read a blueprint's time alike."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stageline
from stageline.analysis.metrics import metrics
from stageline.analysis.simulation import simulate
from stageline.analysis.timing import TimeModel, customer_time_per_step, waited_cards
from stageline.model import Blueprint, Simulation

LANES = ("customer", "frontstage", "backstage", "support")
ACTORS = ("Clerk", "Runner", "System")


@st.composite
def blueprints(draw: Any, *, waits: bool) -> Blueprint:
    steps = []
    links: list[dict[str, Any]] = []
    for s in range(draw(st.integers(1, 4))):
        cells: dict[str, Any] = {}
        ids: list[str] = []
        for lane in LANES:
            cards = []
            for n in range(draw(st.integers(0, 2))):
                card_id = f"s{s}-{lane}-{n}"
                card: dict[str, Any] = {"id": card_id, "text": f"{lane} {n} of step {s}"}
                if draw(st.booleans()):
                    card["duration"] = draw(st.integers(1, 30)) * 60
                if waits and lane in ("customer", "frontstage") and draw(st.booleans()):
                    card["wait"] = draw(st.integers(1, 20)) * 60
                if lane != "customer":
                    card["actor"] = draw(st.sampled_from(ACTORS))
                cards.append(card)
                ids.append(card_id)
            if cards:
                cells[lane] = cards
        if not cells:
            cells["customer"] = [{"id": f"s{s}-only", "text": "Wait"}]
            ids.append(f"s{s}-only")
        if len(ids) > 1:
            for _ in range(draw(st.integers(0, 3))):
                source, target = draw(st.permutations(ids))[:2]
                links.append({"from": source, "to": target, "two_way": draw(st.booleans())})
        steps.append({"id": f"s{s}", "present": draw(st.booleans()) or s == 0, "cells": cells})
    seen: set[tuple[str, str]] = set()
    unique = []
    for link in links:
        key = (link["from"], link["to"])
        if key not in seen and key[::-1] not in seen:
            seen.add(key)
            unique.append(link)
    doc = {
        "stageline": 1,
        "title": "Generated",
        "stages": [{"id": "all", "title": "All", "steps": steps}],
        "links": unique,
    }
    return Blueprint.model_validate(doc)


def _simulate(bp: Blueprint, resources: dict[str, Any]) -> Any:
    bp.simulation = Simulation.model_validate({"arrivals": {"rate": 1.0}, "resources": resources, "customers": 40})
    return simulate(bp, seed=0, replications=1)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints(waits=True))
def test_without_scarce_resources_simulation_and_metrics_agree(bp: Blueprint) -> None:
    found = metrics(bp, findings={})
    report = _simulate(bp, {})
    assert report.customers.total_time.mean == pytest.approx(found.totals.elapsed_time, rel=0.01, abs=1e-6)
    service = report.customers.time_in_service
    assert service is not None
    assert service.mean == pytest.approx(found.totals.customer_time, rel=0.01, abs=1e-6)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints(waits=False))
def test_with_ample_resources_simulation_and_metrics_agree(bp: Blueprint) -> None:
    found = metrics(bp, findings={})
    used = {card.actor for _, card in bp.cards() if card.actor}
    report = _simulate(bp, {name: {"capacity": 1000} for name in sorted(used)})
    assert report.customers.total_time.mean == pytest.approx(found.totals.elapsed_time, rel=0.01, abs=1e-6)
    service = report.customers.time_in_service
    assert service is not None
    assert service.mean == pytest.approx(found.totals.customer_time, rel=0.01, abs=1e-6)


ONE_STEP = """
stageline: 1
title: Counter
stages:
  - id: visit
    title: Visit
    steps:
      - id: serve
        customer: {id: ask, text: Ask at the counter, duration: 2m}
        frontstage: {id: answer, text: Answer the question, actor: Clerk, duration: 3m}
        backstage: {id: file, text: File the request, actor: Clerk, duration: 10m}
        support: {id: lookup, text: Look up the record, actor: Records system, duration: 1m}
      - id: invoice
        present: false
        customer: {id: receive, text: Receive the invoice, wait: 1d}
        backstage: {id: bill, text: Send the invoice, actor: Billing, duration: 5m}
links:
  - {from: ask, to: answer, two_way: true}
  - {from: answer, to: file}
  - {from: lookup, to: answer}
  - {from: bill, to: receive}
"""


def test_the_customer_card_and_the_card_serving_it_run_at_the_same_time() -> None:
    bp = stageline.loads(ONE_STEP)
    times = customer_time_per_step(bp)
    serve = times["serve"]
    # max(2m, 3m) + the 1m look-up the clerk waits for; filing (one-way, away from the customer) runs alongside.
    assert serve.customer == 4 * 60
    assert serve.lane == "frontstage"
    assert serve.waited == ("lookup",)
    assert serve.critical == ("answer", "lookup")
    assert waited_cards(bp) == {"lookup", "bill"}


def test_a_step_the_customer_is_not_present_for_counts_as_elapsed_time_only() -> None:
    bp = stageline.loads(ONE_STEP)
    model = TimeModel(bp)
    assert model.by_step["invoice"].customer == 86400 + 5 * 60
    assert model.by_step["invoice"].in_service == 0
    assert model.in_service == 4 * 60
    assert model.elapsed == 4 * 60 + 86400 + 5 * 60
    totals = metrics(bp, findings={}).totals
    assert (totals.customer_time, totals.elapsed_time) == (model.in_service, model.elapsed)


def test_the_simulation_report_shows_written_and_simulated_waits_per_step() -> None:
    bp = stageline.loads(ONE_STEP)
    bp.simulation = Simulation.model_validate(
        {"arrivals": {"rate": "5/h"}, "resources": {"Billing": {"capacity": 1}}, "customers": 200}
    )
    report = simulate(bp, seed=1, replications=1)
    invoice = report.base.steps["invoice"]
    assert invoice.written_wait == 86400
    # Billing serves the step, so its simulated queue replaces the day written as observed.
    assert 0 < invoice.queue_wait < 300
    assert not invoice.present
    assert report.customers.time_in_service is not None
    assert report.customers.time_in_service.mean == pytest.approx(240)
    assert report.base.steps["serve"].time == pytest.approx(240)


def test_the_example_in_docs_time_model_has_the_numbers_the_doc_gives() -> None:
    import re

    from conftest import ROOT

    doc = (ROOT / "docs" / "time-model.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", doc, flags=re.DOTALL)
    assert block is not None
    model = TimeModel(stageline.loads(block.group(1)))
    assert model.by_step["serve"].customer == 4 * 60
    assert model.in_service == 4 * 60
    assert model.elapsed == 86400 + 9 * 60
