"""The editor page on a real `stageline serve` process, used as people use it:
building a blueprint from blank with mouse and keyboard, reading findings and
metrics, and commenting without the right to edit."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from helpers.live import eventually
from helpers.live_server import QUIET, SETTLED, Instance, ServerProcess, card_in, open_editor, open_page, stored
from stageline.analysis.metrics import metrics
from stageline.model import Blueprint
from stageline.model.quantities import format_duration

pytestmark = pytest.mark.browser


def settle(page: Page) -> dict[str, Any]:
    page.wait_for_function(SETTLED)
    return page.evaluate("window.doc.view")  # type: ignore[no-any-return]


def typing_in(page: Page) -> None:
    """Wait until the box to type in is open and has the keyboard: keys pressed
    before it is would go to the page (on a busy machine it can take a while)."""
    expect(page.locator(".sl-inline")).to_be_focused()


def typed(page: Page) -> None:
    """Wait until the box typed in has closed and its edit is applied."""
    expect(page.locator(".sl-inline")).to_have_count(0)


def comment_on(page: Page, card: str) -> None:
    """Double-click `card` as a commenter: its comment box takes the keyboard (a redraw
    between the two clicks does not swallow the double-click)."""
    page.wait_for_function(QUIET)
    page.dblclick(card)
    expect(page.locator(".sl-new-comment")).to_be_focused()


def box(page: Page, selector: str) -> dict[str, float]:
    """Where `selector` is, once nothing is on its way to redraw the cells (a cell is
    redrawn when findings or comments arrive, which would detach what was measured)."""
    page.wait_for_function(QUIET)
    expect(page.locator(selector)).to_be_visible()
    found = page.locator(selector).bounding_box()
    assert found, f"{selector} is not on the page"
    return dict(found)


def drag(page: Page, source: str, target: str, x: float = 0.5, y: float = 0.5) -> None:
    """Press on `source`, move in steps to a point of `target` (fractions of its box), release."""
    start, end = box(page, source), box(page, target)
    page.mouse.move(start["x"] + min(30, start["width"] / 2), start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] * x, end["y"] + end["height"] * y, steps=10)
    page.mouse.up()


def titles(document: dict[str, Any]) -> list[str]:
    return [stage["title"] for stage in document["stages"]]


def texts(document: dict[str, Any], lane: str) -> list[str]:
    steps = [step for stage in document["stages"] for step in stage["steps"]]
    return [card["text"] for step in steps for card in step["cells"].get(lane, [])]


def test_a_person_builds_a_blueprint_from_blank(browser: Browser, instance: Instance, server: ServerProcess) -> None:
    owner = instance.actor("owner")
    slug = next(
        m.workspace.slug
        for m in instance.services.workspaces.of(owner)
        if m.workspace.id == instance.world.workspace_id
    )
    # A blank blueprint, made on the "new blueprint" page, then opened in the editor.
    page = open_page(browser, instance, server, "owner", f"/w/{slug}/new")
    page.get_by_label("Title").first.fill("Hotel arrival")
    page.get_by_role("button", name="Create blank blueprint").click()
    page.locator("a.live-link").click()
    page.wait_for_function("() => window.connection && window.connection.welcomed")
    blueprint_id = int(page.url.split("/b/")[1].split("/")[0])
    expect(page.locator(".sl-start")).to_contain_text("No stages yet")

    # The first stage: named in place as it appears.
    page.get_by_role("button", name="+ Add the first stage").click()
    typing_in(page)
    page.keyboard.press("Control+A")
    page.keyboard.type("Arrival")
    page.keyboard.press("Enter")
    typed(page)
    expect(page.locator(".sl-stage[data-stage] .sl-title")).to_have_text(["Arrival"])
    step = page.locator(".sl-step[data-step]").first.get_attribute("data-step")
    # A card by double-clicking a cell; the next one with the arrow keys and Enter.
    page.wait_for_function(QUIET)
    page.dblclick(f'.sl-cell[data-step="{step}"][data-lane="customer"]')
    typing_in(page)
    page.keyboard.type("Arrive at the hotel")
    page.keyboard.press("Enter")
    typed(page)
    expect(page.locator(".sl-card", has_text="Arrive at the hotel")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    typing_in(page)
    page.keyboard.type("Greet the guest")
    page.keyboard.press("Enter")
    typed(page)
    expect(page.locator(".sl-card", has_text="Greet the guest")).to_be_visible()
    # A second step from the stage header: its customer card opens for typing.
    page.wait_for_function(QUIET)
    page.hover(".sl-stage[data-stage]")
    page.get_by_role("button", name="Add a step to Arrival").click()
    typing_in(page)
    page.keyboard.type("Check in")
    page.keyboard.press("Enter")
    typed(page)
    expect(page.locator(".sl-card", has_text="Check in")).to_be_visible()
    # A second stage from the toolbar, with a card of its own.
    page.get_by_role("button", name="Add a stage").click()
    typing_in(page)
    page.keyboard.press("Control+A")
    page.keyboard.type("Stay")
    page.keyboard.press("Enter")
    typed(page)
    expect(page.locator(".sl-stage[data-stage] .sl-title")).to_have_text(["Arrival", "Stay"])
    stay = page.locator(".sl-stage[data-stage]", has_text="Stay").get_attribute("data-stage")
    stay_step = page.evaluate(f"window.doc.view.stages.find((s) => s.id === {stay!r}).steps[0].id")
    page.wait_for_function(QUIET)
    page.dblclick(f'.sl-cell[data-step="{stay_step}"][data-lane="customer"]')
    typing_in(page)
    page.keyboard.type("Go to the room")
    page.keyboard.press("Enter")
    typed(page)
    document = settle(page)
    assert titles(document) == ["Arrival", "Stay"]
    assert texts(document, "customer") == ["Arrive at the hotel", "Check in", "Go to the room"]
    assert texts(document, "frontstage") == ["Greet the guest"]

    # A link: drag from the customer card's handle to the frontstage card.
    customer = page.locator(".sl-card", has_text="Arrive at the hotel")
    frontstage = page.locator(".sl-card", has_text="Greet the guest")
    customer.click()
    source_id, target_id = customer.get_attribute("data-card"), frontstage.get_attribute("data-card")
    drag(page, f'[data-card="{source_id}"] .sl-handle', f'[data-card="{target_id}"]', x=0.3)
    link = page.locator(f'[data-link="{source_id}->{target_id}"]')
    expect(link).to_have_count(1)
    # Select it, label it and make it two-way in the side panel.
    link.locator(".sl-link-hit").click(force=True)
    page.get_by_label("Label").fill("Booking details")
    page.get_by_label("Label").press("Enter")
    page.get_by_label("Two-way (codependency)").check()
    # Card details in the side panel.
    frontstage.click()
    page.get_by_label("Actor").fill("Front desk clerk")
    page.get_by_label("Actor").press("Enter")
    page.get_by_label("Duration").fill("4m")
    page.get_by_label("Duration").press("Enter")
    page.get_by_label("What can go wrong").fill("Room not ready")
    page.get_by_label("What can go wrong").press("Enter")
    page.get_by_label("Recovery").fill("Offer the lounge")
    page.get_by_label("Recovery").press("Enter")

    # A custom lane, behind the scenes, from the toolbar's form.
    page.get_by_role("button", name="Add a custom lane").click()
    page.get_by_label("Name of the new lane").fill("Policies")
    page.get_by_role("button", name="Add lane").click()
    expect(page.locator(".sl-lane-head", has_text="Policies")).to_be_visible()

    # Reorder the stages by dragging a header, undo it and redo it with the keyboard.
    drag(page, ".sl-stage[data-stage] .sl-title >> text=Stay", ".sl-stage[data-stage] >> nth=0", x=0.1)
    expect(page.locator(".sl-stage[data-stage] .sl-title")).to_have_text(["Stay", "Arrival"])
    page.keyboard.press("Control+z")
    expect(page.locator(".sl-stage[data-stage] .sl-title")).to_have_text(["Arrival", "Stay"])
    page.keyboard.press("Control+Shift+z")
    expect(page.locator(".sl-stage[data-stage] .sl-title")).to_have_text(["Stay", "Arrival"])
    # Reorder the steps of Arrival: "Check in" before the first one.
    drag(page, ".sl-step[data-step] >> text=Check in", ".sl-step[data-step] >> text=Arrive at the hotel", x=0.1)
    step_titles = page.locator(".sl-step[data-step] .sl-title")
    expect(step_titles).to_have_text(["Go to the room", "Check in", "Arrive at the hotel"])

    document = settle(page)
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()

    # What the person built is what the server stored, and a valid blueprint.
    def built() -> None:
        assert stored(instance, blueprint_id) == document

    eventually(built)
    Blueprint.model_validate(document)
    assert titles(document) == ["Stay", "Arrival"]
    assert [lane["id"] for lane in document["lanes"]][-1] == "policies"
    assert document["lanes"][-1] == {"id": "policies", "title": "Policies", "visible": False}
    greet = card_in(document, target_id or "")
    assert greet["actor"] == "Front desk clerk" and greet["duration"] == 240
    assert greet["fail"] == {"text": "Room not ready", "recovery": "Offer the lounge"}
    assert document["links"] == [{"from": source_id, "to": target_id, "two_way": True, "label": "Booking details"}]


def test_findings_and_metrics_follow_the_edits_and_lead_to_the_cards(
    browser: Browser, instance: Instance, server: ServerProcess
) -> None:
    page = open_editor(browser, instance, server, "owner")
    # The check finds the customer's -1 without a pain: a marker on its cell.
    marker = page.locator('.sl-cell[data-step="check-in"][data-lane="customer"] .sl-marker')
    expect(marker).to_be_visible()
    marker.click()
    expect(page.locator('[data-card="check-in.customer"]')).to_have_class("sl-card sl-lane-customer is-selected")
    expect(page.locator(".sl-finding.is-focused")).to_contain_text("has emotion -1 but no pain says why")
    # Fixing it in the panel makes the finding go, live.
    page.locator(".sl-finding.is-focused button").click()
    page.get_by_label("Pain point").fill("Queue after a long trip")
    page.get_by_label("Pain point").press("Enter")
    expect(marker).to_have_count(0)
    # Metrics: the emotion curve over both steps, time per stage against the
    # tolerance, fail points by risk; a fail point leads to its card.
    page.get_by_role("tab", name="Metrics").click()
    expect(page.locator(".sl-curve-dot")).to_have_count(2)
    expect(page.locator(".sl-bars:not(.sl-workload) li")).to_have_count(3)  # two stages and the total
    expect(page.locator(".sl-metrics")).to_contain_text("of a 2h tolerance")
    risk = page.locator(".sl-risks button", has_text="Room not ready")
    expect(risk.locator(".sl-risk")).to_have_text("8")
    risk.click()
    expect(page.locator('[data-card="registration"]')).to_have_class("sl-card sl-lane-frontstage is-selected")
    # Workload: who carries the work per customer, the same figures as `stageline metrics`;
    # an actor leads to their cards.
    page.get_by_role("tab", name="Metrics").click()
    expected = metrics(Blueprint.model_validate(stored(instance)))
    workers = page.locator(".sl-workload .sl-worker")
    expect(workers).to_have_count(len(expected.workload))
    for actor in expected.workload:
        value = page.locator(f'.sl-worker[data-actor="{actor.actor}"] .sl-bar-value')
        expect(value).to_have_text(re.compile(rf"^{re.escape(format_duration(actor.seconds))}"))
    expect(page.locator(".sl-worker.is-bottleneck")).to_have_attribute("data-actor", expected.bottleneck or "")
    page.locator('.sl-worker[data-actor="Front desk clerk"] button').click()
    selected = page.locator(".sl-card.is-selected")
    expect(selected).to_have_count(2)
    assert sorted(selected.evaluate_all("cards => cards.map((c) => c.dataset.card)")) == sorted(
        card.id for _, card in Blueprint.model_validate(stored(instance)).cards() if card.actor == "Front desk clerk"
    )
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_a_commenter_comments_in_place_without_edit_controls(
    browser: Browser, instance: Instance, server: ServerProcess
) -> None:
    before = stored(instance)
    page = open_editor(browser, instance, server, "commenter")
    expect(page.locator(".sl-readonly")).to_have_text("You can comment")
    for control in ('[data-action="undo"]', '[data-action="add-stage"]', ".sl-handle", ".sl-head-actions"):
        expect(page.locator(control)).to_have_count(0)
    # Double-click a card: the comment box is ready.
    comment_on(page, '[data-card="registration"]')
    expect(page.locator(".sl-inline")).to_have_count(0)
    page.keyboard.type("Who decides when the lounge is offered? @owner")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".sl-thread")).to_contain_text("Who decides when the lounge is offered?")
    expect(page.locator('[data-card="registration"] .sl-talk')).to_have_text("1")
    page.locator(".sl-reply").fill("And for how long?")
    page.locator(".sl-thread").get_by_role("button", name="Reply").click()
    expect(page.locator(".sl-thread .sl-comment")).to_have_count(2)
    expect(page.get_by_label("Actor")).to_have_attribute("readonly", "")
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()
    # The thread is the comments API's: the owner sees it, mentioned, and the blueprint did not change.
    threads = instance.services.comments.threads(instance.actor("owner"), instance.world.blueprint_id)
    assert [(t.thread.anchor, len(t.thread.comments)) for t in threads] == [("registration", 2)]
    assert [m.comment.body for m in instance.services.comments.mentions_of(instance.actor("owner"))] == [
        "Who decides when the lounge is offered? @owner"
    ]
    owner = open_editor(browser, instance, server, "owner")
    expect(owner.locator('[data-card="registration"] .sl-talk')).to_have_text("1")
    owner.locator('[data-card="registration"]').click()
    owner.locator(".sl-thread").get_by_role("button", name="Resolve").click()
    expect(owner.locator('[data-card="registration"] .sl-talk')).to_have_count(0)
    expect(owner.locator(".sl-resolved summary")).to_have_text("1 resolved")
    owner.context.close()
    assert stored(instance) == before


def test_comments_reach_every_open_editor_at_once(browser: Browser, instance: Instance, server: ServerProcess) -> None:
    """A comment, a reply and a resolve — in an editor or through the REST API — show
    in the other editors of the blueprint without a reload (nothing polls: the live room tells them)."""
    owner = open_editor(browser, instance, server, "owner")
    commenter = open_editor(browser, instance, server, "commenter")
    expect(owner.locator(".sl-talk")).to_have_count(0)
    # The commenter starts a thread in their editor: the owner's card gets its badge.
    comment_on(commenter, '[data-card="registration"]')
    commenter.keyboard.type("Is the lounge open at night?")
    commenter.keyboard.press("Control+Enter")
    expect(commenter.locator('[data-card="registration"] .sl-talk')).to_have_text("1")
    expect(owner.locator('[data-card="registration"] .sl-talk')).to_have_text("1")
    owner.locator('[data-card="registration"]').click()
    expect(owner.locator(".sl-thread")).to_contain_text("Is the lounge open at night?")
    # A reply through the REST API (another tool, another person) reaches both editors.
    token = instance.services.accounts.create_token(instance.actor("editor"), "comments").token
    headers = {"Authorization": f"Bearer {token}"}
    base = f"{server.url}/api/blueprints/{instance.world.blueprint_id}/comments"
    [thread] = httpx.get(base, headers=headers, timeout=180).json()
    response = httpx.post(f"{base}/{thread['id']}/replies", json={"body": "Until 2 am."}, headers=headers, timeout=180)
    assert response.status_code == 201, response.text
    expect(owner.locator(".sl-thread .sl-comment")).to_have_count(2)
    expect(commenter.locator(".sl-thread .sl-comment")).to_have_count(2)
    expect(commenter.locator(".sl-thread")).to_contain_text("Until 2 am.")
    # Resolving it in the owner's editor clears the commenter's badge; reopening over REST brings it back.
    owner.locator(".sl-thread").get_by_role("button", name="Resolve").click()
    expect(commenter.locator('[data-card="registration"] .sl-talk')).to_have_count(0)
    expect(commenter.locator(".sl-resolved summary")).to_have_text("1 resolved")
    response = httpx.patch(f"{base}/{thread['id']}", json={"resolved": False}, headers=headers, timeout=180)
    assert response.status_code == 200, response.text
    expect(owner.locator('[data-card="registration"] .sl-talk')).to_have_text("1")
    expect(commenter.locator('[data-card="registration"] .sl-talk')).to_have_text("1")
    assert owner.errors == commenter.errors == []  # type: ignore[attr-defined]
    owner.context.close()
    commenter.context.close()
