"""Metrics worked out by hand on small blueprints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import stageline
from analysis.coffee import coffee, coffee_yaml
from stageline import environment
from stageline.analysis.metrics import Metrics, metrics
from stageline.analysis.timing import step_time
from stageline.cli import main
from stageline.model import Blueprint, BlueprintBuilder


def test_coffee_totals() -> None:
    m = metrics(coffee(customer="{id: ask, text: Order, wait: 3m, duration: 1m, basis: observed, cost: 0.5}"))
    t = m.totals
    assert (t.customer_time, t.wait, t.backstage_time) == (240.0, 180.0, 120.0)
    assert t.cost == 0.5 and t.tolerance == 600.0 and t.tolerance_share == pytest.approx(0.4)
    assert t.moments_of_truth == 1
    assert t.handoffs.model_dump() == {"total": 1, "between_actors": 1, "between_departments": 0,
                                       "internal_interaction": 1, "people_to_people": 1,
                                       "people_to_system": 0}  # fmt: skip
    # The time model's path (docs/time-model.md): the order (1m, with the 3m wait) runs alongside the
    # barista taking it (1m); brewing is backstage and nothing shows the customer waiting for it.
    assert m.critical_path.cards == ["ask"] and m.critical_path.seconds == 240.0
    assert m.critical_path.longest_wait is not None and m.critical_path.longest_wait.card == "ask"
    assert m.critical_path.slowest_step == "order"
    assert m.cards_per_lane == {"evidence": 1, "customer": 1, "frontstage": 1, "backstage": 1, "support": 1}
    assert m.findings == {"error": 0, "warning": 0, "info": 0}


def test_step_time_runs_visible_lanes_in_parallel_and_cards_in_a_cell_in_sequence() -> None:
    bp = (
        BlueprintBuilder("Timing")
        .stage("s", "S")
        .step(
            "desk",
            customer=[{"text": "Queue", "wait": "5m", "duration": "1m"}, {"text": "Sign", "duration": "2m"}],
            frontstage=[{"text": "Register", "duration": "4m", "wait": "1m"}],
            backstage={"text": "File", "duration": {"dist": "uniform", "min": "1m", "max": "3m"}},
        )
        .build()
    )
    timing = step_time(bp.step("desk"), bp.is_visible)
    # Waits add up (6m); the customer lane (3m) runs alongside the frontstage lane (4m).
    assert (timing.wait, timing.service, timing.customer, timing.backstage) == (360.0, 240.0, 600.0, 120.0)


def _two_steps_one_system() -> Metrics:
    bp = (
        BlueprintBuilder("Shared system", tolerance="1h")
        .stage("s", "S")
        .step("one", customer={"id": "c1", "text": "Book", "emotion": -2, "pain": "Slow"},
              frontstage={"id": "f1", "text": "Take booking", "actor": "Agent", "department": "Sales",
                          "fail": {"text": "Lost", "recovery": "Call", "severity": 5, "likelihood": 4}},
              backstage={"id": "b1", "text": "Enter", "actor": "Clerk", "department": "Ops"})
        .step("two", customer={"id": "c2", "text": "Pay", "emotion": 1},
              frontstage={"id": "f2", "text": "Charge", "actor": "Agent", "department": "Sales",
                          "fail": {"text": "Declined", "severity": 2}},
              backstage={"id": "b2", "text": "Reconcile", "actor": "Clerk"})
        .stage("t", "T")
        .step("three", customer={"id": "c3", "text": "Leave"})
        .step("four", backstage={"id": "b4", "text": "Archive", "actor": "Clerk"})
        .card("one", "support", {"id": "crm", "text": "CRM"})
        .link("b1", "crm")
        .link("crm", "f1")
        .link("crm", "b2")
        .link("b2", "f2")
        .link("crm", "c3")
        .link("f1", "b4")
        .build()
    )  # fmt: skip
    return metrics(bp)


def test_single_points_of_failure_are_hidden_work_several_customer_steps_need() -> None:
    m = _two_steps_one_system()
    by_card = {d.card: d.steps for d in m.single_points_of_failure}
    # Steps one, two (through b2) and three depend on the CRM: its result reaches their visible cards
    # along the links. b1 only feeds the CRM (reported with it), b2 serves one step, b4 none.
    assert by_card == {"crm": ["one", "two", "three"]}


def test_fail_points_ranked_by_risk_and_split_by_side() -> None:
    m = _two_steps_one_system()
    assert [(f.card, f.risk) for f in m.fail_points] == [("f1", 20), ("f2", 6)]
    assert m.fail_points_by_side == {"visible": 2, "hidden": 0}
    assert m.fail_points_by_lane["frontstage"] == 2
    assert m.totals.fail_points_without_recovery == 1


def test_who_does_what_and_per_stage_numbers() -> None:
    m = _two_steps_one_system()
    rows = {(r.actor, r.department): r for r in m.responsibilities}
    assert rows[("Agent", "Sales")].steps == ["one", "two"] and rows[("Agent", "Sales")].cards == 2
    assert rows[("Clerk", None)].steps == ["two", "four"]
    assert [s.steps for s in m.stages] == [2, 2]
    assert m.stages[0].fail_point_risk == 26 and m.stages[1].fail_point_risk == 0
    assert m.steps[0].actors == ["Agent", "Clerk"] and m.steps[0].departments == ["Sales", "Ops"]


def test_emotion_curve_covers_customer_steps_only() -> None:
    m = _two_steps_one_system()
    assert [(p.step, p.emotion, p.pain) for p in m.emotion_curve] == [
        ("one", -2.0, ["Slow"]), ("two", 1.0, []), ("three", None, []),
    ]  # fmt: skip


def test_headline_is_flat_floats_and_the_json_round_trips() -> None:
    m = _two_steps_one_system()
    headline = m.headline()
    assert all(isinstance(v, float) for v in headline.values())
    for key in (
        "customer_time",
        "backstage_time",
        "cost",
        "handoffs",
        "moments_of_truth",
        "fail_point_risk",
        "findings_error",
        "findings_warning",
        "findings_info",
        "tolerance_margin",
        "emotion_mean",
    ):
        assert key in headline
    assert headline["fail_point_risk"] == 26.0 and headline["emotion_min"] == -2.0
    assert Metrics.model_validate_json(m.model_dump_json()) == m
    assert stageline.metrics(coffee()).headline()["findings_error"] == 0.0


def test_the_critical_path_follows_the_time_model_even_without_links() -> None:
    path = metrics(coffee(links="")).critical_path
    assert path.cards == ["ask"] and path.seconds == 60.0
    assert path.longest_wait is None and path.slowest_step == "order"


def test_a_blueprint_without_time_has_no_critical_path() -> None:
    bp = coffee(customer="{id: ask, text: Order}", frontstage="{id: take, text: Take, actor: Barista}")
    assert metrics(bp).critical_path.cards == []


def test_metrics_command_text(console: environment.Environment, tmp_path: Path) -> None:
    path = tmp_path / "coffee.yaml"
    path.write_text(coffee_yaml(customer="{id: ask, text: Order, wait: 1h30m, basis: observed}"), encoding="utf-8")
    assert main(["metrics", str(path)]) == 0
    text = console.stdout.getvalue()  # type: ignore[attr-defined]
    assert "Customer-facing time" in text and "1h 31m" in text and "(910%)" in text
    for heading in ("Per stage", "Per lane", "Workload per customer", "Critical path", "Emotion curve"):
        assert heading in text
    assert "Slowest step" in text and "Longest wait" in text and "Bottleneck" in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 120


def test_metrics_command_json_and_invalid_input(console: environment.Environment, tmp_path: Path) -> None:
    path = tmp_path / "coffee.yaml"
    path.write_text(coffee_yaml(), encoding="utf-8")
    assert main(["metrics", str(path), "--format", "json"]) == 0
    document = json.loads(console.stdout.getvalue())  # type: ignore[attr-defined]
    assert document["totals"]["customer_time"] == 60.0 and document["headline"]["cost"] == 0.0
    assert Metrics.model_validate({k: v for k, v in document.items() if k != "headline"}) == metrics(coffee())
    path.write_text("stageline: 1\n", encoding="utf-8")
    assert main(["metrics", str(path)]) == 2
    assert "title" in console.stderr.getvalue()  # type: ignore[attr-defined]


def test_per_stage_table_fits_an_80_column_terminal() -> None:
    from rich.console import Console

    from stageline.analysis.metrics.text import print_metrics

    hotel = stageline.load(Path(__file__).parents[2] / "examples" / "hotel-stay.yaml")
    console = Console(width=80, record=True, color_system=None)
    print_metrics(metrics(hotel), console)
    text = console.export_text()
    table = text[text.index("Per stage") : text.index("Per lane")]
    assert "…" not in table  # no number or heading cut short
    for word in ("Stage", "Before", "Arrival", "Departur", "Total", "1h 35m 20s", "62.70"):
        assert word in table
    assert max(len(line.rstrip()) for line in table.splitlines()) <= 80


def test_workload_reports_people_and_systems_apart_with_utilisation_at_the_arrival_rate() -> None:
    bp = coffee(
        support="{id: machine, text: Espresso machine, actor: Espresso machine, duration: 30s}",
        tail="actors:\n  - {name: Barista, capacity: 2}\n  - {name: Espresso machine, kind: system}\n"
        "simulation:\n  arrivals: {rate: 20/h}",
    )
    m = metrics(bp)
    rows = {row.actor: row for row in m.workload}
    barista = rows["Barista"]
    assert (barista.kind, barista.seconds, barista.share, barista.steps) == ("person", 180.0, 1.0, ["order"])
    assert barista.utilisation == pytest.approx(20 / 3600 * 180 / 2)
    machine = rows["Espresso machine"]
    assert (machine.kind, machine.share, machine.utilisation) == ("system", 1.0, None)
    assert [row.kind for row in m.workload] == ["person", "system"]
    assert m.bottleneck == "Barista"


def test_handoffs_split_people_to_people_and_people_to_system() -> None:
    bp = coffee(support="{id: machine, text: Espresso machine, actor: Till system, department: Cafe}")
    handoffs = metrics(bp).totals.handoffs
    assert (handoffs.people_to_people, handoffs.people_to_system) == (0, 1)


@pytest.mark.parametrize(
    ("counts", "says"),
    [
        ({"error": 0, "warning": 0, "info": 2}, "2 info"),  # never "0 errors"
        ({"error": 1, "warning": 1, "info": 1}, "1 error, 1 warning, 1 info"),
        ({"error": 2, "warning": 3, "info": 0}, "2 errors, 3 warnings"),
        ({"error": 0, "warning": 1, "info": 0}, "1 warning"),
    ],
)
def test_finding_counts_read_as_english(hotel: Blueprint, counts: dict[str, int], says: str) -> None:
    from rich.console import Console

    from stageline.analysis.metrics.text import print_metrics

    console = Console(width=200, record=True, color_system=None)
    print_metrics(metrics(hotel, findings=counts), console)
    assert f"Check findings        {says}  " in console.export_text()
