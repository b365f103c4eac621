"""Comparing versions and blueprints in the web app and the API, and future
states: created as linked copies, shown from both sides, refused to those who
may not create blueprints."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from helpers.server import World, signed_in, token_for
from stageline.model import parse_operation

REGISTRATION_TEXT = "Greet the guest; the key is already on their phone"


def edit(app: FastAPI, world: World, blueprint_id: int, *ops: dict[str, Any]) -> int:
    change = app.state.services.blueprints.apply(blueprint_id, [parse_operation(op) for op in ops], world.owner)
    return int(change.version)


def redesign(app: FastAPI, world: World, blueprint_id: int) -> int:
    """Version 2: registration reworded, the backstage key card gone, a mobile key card added."""
    return edit(
        app,
        world,
        blueprint_id,
        {"op": "set", "target": "registration", "field": "text", "value": REGISTRATION_TEXT},
        {"op": "remove_card", "id": "check-in.backstage"},
        {"op": "add_card", "step": "check-in", "lane": "support", "card": {"id": "mobile-key-app", "text": "Key app"}},
    )


def svg_class(html: str, side: str, element_id: str) -> str:
    """The class of the element `element_id` in the drawing of `side` (old, new or merged)."""
    figure = re.search(rf'<figure class="drawing compare-drawing" data-side="{side}".*?</figure>', html, re.S)
    assert figure, f"no {side} drawing on the page"
    found = re.search(rf'<g class="([^"]*)" data-id="{re.escape(element_id)}"', figure.group(0))
    assert found, f"{element_id} is not in the {side} drawing"
    return found.group(1)


def test_compare_two_versions_through_the_api(client: TestClient, app: FastAPI, api_world: World) -> None:
    assert redesign(app, api_world, api_world.blueprint_id) == 2
    headers = token_for(app, api_world.people["viewer"])
    response = client.get(
        f"/api/blueprints/{api_world.blueprint_id}/compare?old_version=1&new_version=2", headers=headers
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["added"] == ["mobile-key-app"]
    assert "check-in.backstage" in data["removed"]
    # Removing a card removes its links; the contract lists them by key.
    assert "registration->check-in.backstage" in data["removed"]
    changed = {change["id"]: change["fields"] for change in data["changed"]}
    assert changed["registration"] == {"text": ["Process registration", REGISTRATION_TEXT]}
    assert data["highlights"]["new"] == {"mobile-key-app": "added", "registration": "changed"}
    assert data["highlights"]["old"]["check-in.backstage"] == "removed"
    assert data["highlights"]["old"]["registration"] == "changed"
    assert data["old"] == {
        "blueprint_id": api_world.blueprint_id, "version": 1, "latest": False,
        "title": "Overnight hotel stay", "state": "current",
    }  # fmt: skip
    assert data["new"]["version"] == 2 and data["new"]["latest"] is True
    for metric in ("customer_time", "cost", "fail_point_risk", "handoffs", "moments_of_truth", "findings_error"):
        assert metric in data["metrics"], metric
    # One handoff fewer: the link to the removed backstage card is gone.
    before, after = data["metrics"]["handoffs"]
    assert after < before
    assert data["summary"]["removed"] == len(data["removed"])

    # The same comparison with the defaults: this blueprint now against version 1.
    again = client.get(f"/api/blueprints/{api_world.blueprint_id}/compare?old_version=1", headers=headers).json()
    assert again["added"] == data["added"] and again["new"]["version"] == 2
    same = client.get(f"/api/blueprints/{api_world.blueprint_id}/compare?metrics=false", headers=headers).json()
    assert same["added"] == same["removed"] == same["changed"] == [] and same["metrics"] == {}


def test_compare_refuses_what_you_cannot_see_and_versions_that_do_not_exist(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    services = app.state.services
    elsewhere = services.blueprints.create_blank(api_world.people["outsider"], api_world.other_workspace_id, "Theirs")
    viewer = token_for(app, api_world.people["viewer"])
    url = f"/api/blueprints/{api_world.blueprint_id}/compare"
    hidden = client.get(f"{url}?new={elsewhere.id}", headers=viewer)
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"
    missing = client.get(f"{url}?old_version=9", headers=viewer)
    assert missing.status_code == 404 and "no version 9" in missing.json()["error"]["message"]
    assert client.get(url, headers=token_for(app, api_world.people["outsider"])).status_code == 404
    assert client.get(f"{url}?new_version=0", headers=viewer).status_code == 422


def test_compare_two_blueprints_side_by_side_on_the_page(client: TestClient, app: FastAPI, api_world: World) -> None:
    services = app.state.services
    other = services.blueprints.duplicate(api_world.owner, api_world.blueprint_id)
    redesign(app, api_world, other.id)
    signed_in(client, app, api_world.people["viewer"])
    page = client.get(f"/b/{api_world.blueprint_id}/compare?old={api_world.blueprint_id}&new={other.id}")
    assert page.status_code == 200, page.text
    html = page.text
    # The same highlights as `stageline diff`: each side coloured on its own drawing.
    assert "is-added" in svg_class(html, "new", "mobile-key-app")
    assert "is-changed" in svg_class(html, "new", "registration")
    assert "is-removed" in svg_class(html, "old", "check-in.backstage")
    assert "is-changed" in svg_class(html, "old", "registration")
    assert 'data-side="new"' in html and 'id="stageline-title-old"' in html and 'id="stageline-title-new"' in html
    # The list of changes, field by field, old → new.
    assert re.search(r'<li class="diff-added" data-id="mobile-key-app" data-side="new">', html)
    assert re.search(r'<li class="diff-removed" data-id="check-in.backstage" data-side="old">', html)
    assert "<del>&#34;Process registration&#34;</del> → <ins>&#34;" + REGISTRATION_TEXT.replace("'", "&#39;") in html
    assert "title: <del>&#34;Overnight hotel stay&#34;</del> → <ins>&#34;Copy of Overnight hotel stay&#34;</ins>" in (
        html.replace("<code>", "").replace("</code>", "")
    )
    # The metric deltas, headline first.
    for title in ("Customer-facing time", "Cost per customer", "Fail-point risk", "Handoffs", "Moments of truth"):
        assert f'<th scope="row">{title}' in html, title
    handoffs = (
        r'<tr class="metric-better" data-metric="handoffs">\s*<th scope="row">Handoffs</th>\s*<td>2</td><td>1</td>'
    )
    assert re.search(handoffs + r'\s*<td class="delta">−1 <span class="verdict-badge better">better', html)
    # The merged view is the drawing `stageline diff --format svg` makes.
    merged = client.get(f"/b/{api_world.blueprint_id}/compare?old={api_world.blueprint_id}&new={other.id}&view=merged")
    assert "is-removed" in svg_class(merged.text, "merged", "check-in.backstage")
    assert "is-added" in svg_class(merged.text, "merged", "mobile-key-app")


def test_compare_page_defaults_and_bad_input(client: TestClient, app: FastAPI, api_world: World) -> None:
    signed_in(client, app, api_world.owner)
    url = f"/b/{api_world.blueprint_id}/compare"
    first = client.get(url)
    assert first.status_code == 200 and "Nothing to compare yet" in first.text
    redesign(app, api_world, api_world.blueprint_id)
    latest = client.get(url).text  # without a choice: what the latest version changed
    assert f'<option value="{api_world.blueprint_id}@1" selected>' in latest
    assert f'<option value="{api_world.blueprint_id}@2" selected>' in latest
    assert "is-added" in svg_class(latest, "new", "mobile-key-app")
    # History and old versions lead to the same comparisons.
    bp = api_world.blueprint_id
    assert f'href="/b/{bp}/compare?old={bp}@1&amp;new={bp}@2"' in client.get(f"/b/{bp}/history").text
    assert f'href="/b/{bp}/compare?old={bp}@1&amp;new={bp}@2">Compare with the current version' in (
        client.get(f"/b/{bp}/versions/1").text
    )
    bad = client.get(f"{url}?old=yesterday")
    assert bad.status_code == 422 and "ID or ID@VERSION" in bad.text
    assert client.get(f"{url}?old={api_world.blueprint_id}@7").status_code == 404
    assert client.get(f"{url}?view=sideways").status_code == 422


def test_create_the_future_state_links_both_ways(client: TestClient, app: FastAPI, api_world: World) -> None:
    services = app.state.services
    editor = token_for(app, api_world.people["editor"])
    current = api_world.blueprint_id
    created = client.post(f"/api/blueprints/{current}/future-state", headers=editor)
    assert created.status_code == 201, created.text
    future = created.json()
    assert future["state"] == "future" and future["title"] == "Overnight hotel stay" and future["version"] == 1
    assert future["workspace_id"] == api_world.workspace_id
    assert created.headers["location"] == f"/api/blueprints/{future['id']}"
    document = client.get(f"/api/blueprints/{future['id']}?format=yaml", headers=editor).text
    assert "state: future" in document and "stageline: 1" in document
    # The current state is untouched.
    source = client.get(f"/api/blueprints/{current}", headers=editor).json()
    assert source["state"] == "current" and source["version"] == 1
    history = client.get(f"/api/blueprints/{future['id']}/versions", headers=editor).json()
    assert history[0]["summary"] == "Created as the future state of 'Overnight hotel stay' (version 1)"

    viewer = token_for(app, api_world.people["viewer"])
    of_current = client.get(f"/api/blueprints/{current}/states", headers=viewer).json()
    assert of_current["current"] is None and [f["id"] for f in of_current["futures"]] == [future["id"]]
    of_future = client.get(f"/api/blueprints/{future['id']}/states", headers=viewer).json()
    assert of_future["current"]["id"] == current and of_future["futures"] == []

    # Both blueprint pages link to the comparison, which opens on current → future.
    signed_in(client, app, api_world.people["viewer"])
    compare_url = f"/b/{current}/compare?old={current}&amp;new={future['id']}"
    assert compare_url in client.get(f"/b/{current}").text
    assert f"/b/{future['id']}/compare?old={current}&amp;new={future['id']}" in client.get(f"/b/{future['id']}").text
    opened = client.get(f"/b/{future['id']}/compare").text
    assert f'<option value="{current}" selected>' in opened and f'<option value="{future["id"]}@1" selected>' in opened
    assert "state: <del>&#34;current&#34;</del> → <ins>&#34;future&#34;</ins>" in opened.replace("<code>", "").replace(
        "</code>", ""
    )

    # Edit the future state: the comparison follows.
    edit(app, api_world, future["id"], {"op": "set", "target": "registration", "field": "duration", "value": "1m"})
    data = client.get(f"/api/blueprints/{current}/compare?new={future['id']}", headers=viewer).json()
    fields = {change["id"]: change["fields"] for change in data["changed"]}
    assert fields["registration"] == {"duration": [240.0, 60.0]} and fields[None] == {"state": ["current", "future"]}
    assert data["metrics"]["customer_time"][1] < data["metrics"]["customer_time"][0]

    # A future state in the trash is no longer linked; deleted for good, the link goes with it.
    services.blueprints.move_to_trash(api_world.owner, future["id"])
    assert client.get(f"/api/blueprints/{current}/states", headers=viewer).json()["futures"] == []
    services.blueprints.purge(api_world.owner, future["id"])
    again = client.post(f"/api/blueprints/{current}/future-state", headers=editor).json()
    services.blueprints.move_to_trash(api_world.owner, current)
    services.blueprints.purge(api_world.owner, current)
    assert client.get(f"/api/blueprints/{again['id']}/states", headers=viewer).json()["current"] is None


@pytest.mark.parametrize("who", ["viewer", "commenter", "outsider"])
def test_only_editors_create_future_states(client: TestClient, app: FastAPI, api_world: World, who: str) -> None:
    before = app.state.services.blueprints.listing(api_world.owner, api_world.workspace_id)
    refused = client.post(
        f"/api/blueprints/{api_world.blueprint_id}/future-state", headers=token_for(app, api_world.people[who])
    )
    assert refused.status_code == (404 if who == "outsider" else 403)
    csrf = signed_in(client, app, api_world.people[who])
    page = client.post(f"/b/{api_world.blueprint_id}/future-state", data={"csrf_token": csrf}, follow_redirects=False)
    assert page.status_code == (404 if who == "outsider" else 403)
    if who != "outsider":
        view = client.get(f"/b/{api_world.blueprint_id}").text
        assert "Create the future state" not in view
    assert len(app.state.services.blueprints.listing(api_world.owner, api_world.workspace_id)) == len(before)


def test_future_state_from_the_page_and_not_from_a_future_state(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    csrf = signed_in(client, app, api_world.people["editor"])
    page = client.get(f"/b/{api_world.blueprint_id}").text
    assert f'action="/b/{api_world.blueprint_id}/future-state"' in page and "Create the future state" in page
    made = client.post(f"/b/{api_world.blueprint_id}/future-state", data={"csrf_token": csrf}, follow_redirects=False)
    assert made.status_code == 303
    future_url = made.headers["location"].split("?")[0]
    shown = client.get(made.headers["location"]).text
    assert "Future state created" in shown and "This is the <strong>future state</strong> of" in shown
    assert "Create another future state" in client.get(f"/b/{api_world.blueprint_id}").text
    future_id = int(future_url.rsplit("/", 1)[1])
    refused = client.post(f"/b/{future_id}/future-state", data={"csrf_token": csrf}, follow_redirects=False)
    assert refused.status_code == 422 and "already a future state" in refused.text
