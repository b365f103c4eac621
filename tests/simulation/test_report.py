"""The report: the JSON contract, reproducibility, the text and HTML forms."""

from __future__ import annotations

import io
import json
import re
from typing import Any

from rich.console import Console

from stageline.analysis.simulation import simulate
from stageline.analysis.simulation.format_html import html_report
from stageline.analysis.simulation.format_text import print_report
from stageline.model import Blueprint

STAT_KEYS = {"mean", "p50", "p90", "p99"}


def test_json_contract(counter: Blueprint) -> None:
    data = json.loads(simulate(counter, seed=1).to_json())
    assert set(data) >= {"cards", "resources", "customers", "bottlenecks"}
    assert set(data["cards"]) == {"ask", "answer"}
    for card in data["cards"].values():
        assert set(card["wait"]) >= STAT_KEYS
        assert set(card["service"]) >= STAT_KEYS
        assert all(isinstance(card["wait"][key], float) for key in STAT_KEYS)
        assert 0.0 <= card["heat"] <= 1.0
    clerk = data["resources"]["Clerk"]
    assert 0.0 < clerk["utilization"] < 1.0
    assert clerk["queue"]["mean"] > 0
    customers = data["customers"]
    assert customers["completed"] == 2000
    assert set(customers["total_time"]) >= STAT_KEYS
    assert 0.0 <= customers["over_tolerance"] <= 1.0
    assert data["bottlenecks"][0]["resource"] == "Clerk"
    assert "variants" not in data


def test_json_times_are_seconds(counter: Blueprint) -> None:
    data = json.loads(simulate(counter, seed=1).to_json())
    assert data["cards"]["answer"]["service"]["mean"] == simulate(counter, seed=1).cards["answer"].service.mean
    assert 300 < data["cards"]["answer"]["service"]["mean"] < 420  # six minutes


def test_variants_key_with_what_ifs(counter: Blueprint) -> None:
    data = json.loads(simulate(counter, replications=2, what_if=["Clerk=+1"]).to_json())
    (variant,) = data["variants"]
    assert variant["name"] == "Clerk=+1"
    assert set(variant) >= {"cards", "resources", "customers", "bottlenecks", "deltas"}
    metrics = {d["metric"]: d for d in variant["deltas"]}
    wait = metrics["Clerk: mean wait"]
    assert wait["difference"] < 0 and wait["ci95"] > 0


def test_same_seed_same_json_different_seed_different(counter: Blueprint) -> None:
    first = simulate(counter, seed=7, replications=2, what_if=["Clerk=+1"]).to_json()
    again = simulate(counter, seed=7, replications=2, what_if=["Clerk=+1"]).to_json()
    other = simulate(counter, seed=8, replications=2, what_if=["Clerk=+1"]).to_json()
    assert first == again
    assert first != other


def test_json_is_strict(counter: Blueprint) -> None:
    text = simulate(counter, seed=0).to_json()
    json.loads(text, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))


def test_text_report_leads_with_customers_and_bottlenecks(counter: Blueprint) -> None:
    console = Console(file=io.StringIO(), width=120, color_system=None)
    print_report(simulate(counter, seed=0, replications=2, what_if=["Clerk=+1"]), console)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.index("Customers") < text.index("Bottlenecks") < text.index("Resources")
    assert "over the tolerance of 30m 00s" in text
    assert "1. Clerk (1 unit) is" in text
    assert "What if Clerk=+1" in text
    assert "95 % interval" in text


def hostile(counter: Blueprint) -> Blueprint:
    bp = counter.copy_deep()
    bp.title = "<script>alert(1)</script> & co"
    bp.card("answer").text = "<img src=x onerror=alert(2)>"
    bp.invalidate()
    return bp


def test_html_is_self_contained_and_escaped(counter: Blueprint) -> None:
    page = html_report(simulate(hostile(counter), seed=0, what_if=["Clerk=+1"]))
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page)
    assert "http://" not in page and "https://" not in page
    assert page.count("<svg") == 4  # utilisation, wait per step, histogram of total time, hourly utilisation
    assert "tolerance 30m 00s" in page
    assert "What if Clerk=+1" in page


def test_histogram_counts_every_customer(counter: Blueprint) -> None:
    histogram = simulate(counter, seed=0).customers.histogram
    assert sum(histogram.counts) + histogram.over == 2000
    assert list(histogram.edges) == sorted(histogram.edges)


def test_report_is_json_serialisable_as_a_dict(counter: Blueprint) -> None:
    data: dict[str, Any] = simulate(counter, seed=0).to_dict()
    assert json.loads(json.dumps(data))["title"] == "Counter"
