"""Elements whose ids changed are found again by their text, one to one."""

from __future__ import annotations

import stageline
from helpers.blueprints import small_blueprint
from stageline.analysis.diff import diff
from stageline.analysis.diff.matching import match
from stageline.model import Card
from stageline.model.operations import AddCard, RemoveCard, Rename, SetProperty, apply_all


def test_a_renamed_card_is_matched_and_reports_its_id_change() -> None:
    old = small_blueprint()
    new = old.copy_deep()
    apply_all(new, [Rename(id="check-in.customer", new_id="arrive")])
    result = diff(old, new, metrics=False)
    assert not result.added and not result.removed
    (change,) = result.changed
    assert (change.kind, change.id, change.old_id) == ("card", "arrive", "check-in.customer")
    assert change.fields == {"id": ("check-in.customer", "arrive")}
    assert result.renamed()["check-in.customer"] == "arrive"


def test_links_follow_renamed_cards() -> None:
    old = small_blueprint()
    new = old.copy_deep()
    apply_all(new, [Rename(id="check-in.customer", new_id="arrive"), Rename(id="registration", new_id="register")])
    result = diff(old, new, metrics=False)
    assert [entry for entry in result.added + result.removed if entry.kind == "link"] == []
    assert result.matches["link"]["check-in.customer->registration"] == "arrive->register"


def test_a_card_replaced_without_an_id_and_slightly_reworded_is_matched() -> None:
    old = small_blueprint()
    new = old.copy_deep()
    card = old.card("registration").model_copy(
        update={"id": "process-registration", "text": "Process the registration"}
    )
    apply_all(new, [RemoveCard(id="registration"), AddCard(step="check-in", lane="frontstage", card=card)])
    result = diff(old, new, metrics=False)
    assert not [e for e in result.added + result.removed if e.kind == "card"]
    (change,) = [c for c in result.changed if c.kind == "card"]
    assert change.fields == {
        "id": ("registration", "process-registration"),
        "text": ("Process registration", "Process the registration"),
    }
    # Removing the card dropped its links and the new card has none: those are real removals.
    assert {e.id for e in result.removed} == {"check-in.customer->registration", "registration->check-in.backstage"}


def test_different_text_elsewhere_is_not_matched() -> None:
    old = small_blueprint()
    new = old.copy_deep()
    apply_all(
        new,
        [
            RemoveCard(id="room.evidence"),
            AddCard(step="check-in", lane="customer", card=Card(id="pay-deposit", text="Pay the deposit")),
        ],
    )
    result = diff(old, new, metrics=False)
    assert [e.id for e in result.removed] == ["room.evidence"]
    assert [e.id for e in result.added] == ["pay-deposit"]


def test_renamed_step_and_its_generated_card_ids_are_matched() -> None:
    text = (
        "stageline: 1\ntitle: Coffee\nstages:\n- id: order\n  title: Order\n  steps:\n"
        "  - id: {step}\n    title: Ask for a coffee\n"
        "    customer: Ask for a flat white\n    frontstage: Take the order\n"
    )
    old, new = stageline.loads(text.format(step="ask")), stageline.loads(text.format(step="request"))
    result = diff(old, new, metrics=False)
    assert not result.added and not result.removed
    assert result.renamed() == {
        "ask": "request", "ask.customer": "request.customer", "ask.frontstage": "request.frontstage",
    }  # fmt: skip


def test_inserting_a_card_above_generated_ids_is_an_insertion_not_a_rewrite() -> None:
    # Cards written without ids get `step.lane`, `step.lane.2`… by position; a
    # new first card renumbers the others, which must not read as edits.
    head = "stageline: 1\ntitle: Coffee\nstages:\n- id: order\n  title: Order\n  steps:\n  - id: ask\n"
    old = stageline.loads(head + "    evidence: [Menu board, Till]\n    customer: Order\n")
    new = stageline.loads(head + "    evidence: [Queue sign, Menu board, Till]\n    customer: Order\n")
    result = diff(old, new, metrics=False)
    assert [(e.id, e.label) for e in result.added] == [("ask.evidence", "Queue sign")]
    assert not result.removed and not result.moved
    assert {c.old_id: c.id for c in result.changed} == {
        "ask.evidence": "ask.evidence.2",
        "ask.evidence.2": "ask.evidence.3",
    }


def test_a_generated_id_card_rewritten_in_place_is_a_change() -> None:
    old = small_blueprint()
    new = old.copy_deep()
    apply_all(new, [SetProperty(target="room.evidence", field="text", value="Digital key on the phone")])
    result = diff(old, new, metrics=False)
    assert [(c.id, c.fields) for c in result.changed] == [
        ("room.evidence", {"text": ("Room", "Digital key on the phone")})
    ]


def test_matching_is_one_to_one_when_many_cards_look_alike() -> None:
    old = small_blueprint()
    apply_all(
        old,
        [AddCard(step="room", lane="support", card=Card(id=f"sys-{i}", text="Registration system")) for i in range(4)],
    )
    new = old.copy_deep()
    apply_all(new, [Rename(id=f"sys-{i}", new_id=f"system-{i}") for i in range(4)])
    apply_all(new, [RemoveCard(id="check-in.support")])
    matching = match(old, new)
    assert len(set(matching.cards.values())) == len(matching.cards)
    result = diff(old, new, metrics=False)
    assert len([e for e in result.removed if e.kind == "card"]) == 1
    assert not [e for e in result.added if e.kind == "card"]
    # Each renamed card keeps its own cell, so the same-step twin wins.
    assert all(matching.cards[f"sys-{i}"].startswith("system-") for i in range(4))


def test_renamed_opportunity_with_the_same_title_is_matched() -> None:
    old = small_blueprint()
    new = old.copy_deep()
    apply_all(new, [Rename(id="mobile-key", new_id="mobile-check-in")])
    result = diff(old, new, metrics=False)
    assert [(c.kind, c.fields) for c in result.changed] == [("opportunity", {"id": ("mobile-key", "mobile-check-in")})]


def test_opportunity_targets_follow_renamed_cards() -> None:
    old = small_blueprint()
    new = old.copy_deep()
    apply_all(new, [Rename(id="check-in.customer", new_id="arrive")])
    result = diff(old, new, metrics=False)
    assert [c.kind for c in result.changed] == ["card"]
