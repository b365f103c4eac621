"""The opportunity board: where opportunities sit on the value/effort matrix,
the status filter, the selected opportunity's cards, and changes from the
board as versions (editors only)."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from helpers.blueprints import small_blueprint
from helpers.server import World, signed_in
from stageline.model import Opportunity
from stageline.model.operations import AddOpportunity, SetProperty
from stageline.server.services.errors import Invalid
from stageline.server.services.opportunities import build_board, parse_fields, quadrant


def with_opportunities(app: FastAPI, world: World) -> None:
    """Besides mobile-key (value 4, effort 3, idea): a done quick win and an unscored idea."""
    ops = [
        AddOpportunity(
            opportunity=Opportunity(
                id="wifi", title="Wi-Fi card", targets=["room.evidence", "room.support"], value=5, effort=1,
                status="done", owner="IT",
            )
        ),
        AddOpportunity(opportunity=Opportunity(id="lounge", title="Lounge while you wait", targets=["registration"])),
    ]  # fmt: skip
    app.state.services.blueprints.apply(world.blueprint_id, list(ops), world.owner)


def cell(html: str, value: int, effort: int) -> str:
    found = re.search(
        rf'<div class="cell[^"]*" data-value="{value}" data-effort="{effort}".*?(?=<div class="(?:cell|score))',
        html,
        re.S,
    )
    assert found, f"no cell for value {value}, effort {effort}"
    return found.group(0)


def chip(html: str, opportunity_id: str) -> str:
    found = re.search(rf'<a class="opportunity-chip[^>]*data-id="{opportunity_id}"[^>]*>', html)
    assert found, f"no chip for {opportunity_id}"
    return found.group(0)


def test_matrix_placement_and_quadrants() -> None:
    blueprint = small_blueprint()
    AddOpportunity(opportunity=Opportunity(id="later", title="Later", value=1, effort=5, status="planned")).apply(
        blueprint
    )
    AddOpportunity(opportunity=Opportunity(id="unscored", title="Unscored", value=2)).apply(blueprint)
    board = build_board(blueprint)
    assert [item.id for item in board.cell(4, 3)] == ["mobile-key"]
    assert [item.id for item in board.cell(1, 5)] == ["later"]
    assert [item.id for item in board.unscored] == ["unscored"]
    assert board.cell(3, 4) == []
    mobile = board.item("mobile-key")
    assert mobile is not None and [(t.id, t.text, t.step, t.lane) for t in mobile.targets] == [
        ("check-in.customer", "Check in", "Check in", "Customer actions")
    ]
    assert board.counts == {"idea": 2, "planned": 1}
    assert (quadrant(5, 1), quadrant(5, 5), quadrant(1, 1), quadrant(1, 4), quadrant(3, 1), quadrant(None, 2)) == (
        "quick-wins", "big-bets", "fill-ins", "money-pits", None, None,
    )  # fmt: skip
    only_planned = build_board(blueprint, ["planned"])
    assert not only_planned.visible(mobile) and only_planned.visible(only_planned.cell(1, 5)[0])
    with pytest.raises(Invalid, match="unknown status 'someday'"):
        build_board(blueprint, ["someday"])


def test_board_form_values_are_checked() -> None:
    assert parse_fields({"status": "testing", "value": "5", "effort": "", "owner": "  Digital   team "}) == {
        "status": "testing", "value": 5, "effort": None, "owner": "Digital team",
    }  # fmt: skip
    with pytest.raises(Invalid, match="score from 1 to 5"):
        parse_fields({"value": "6"})
    with pytest.raises(Invalid, match="status is one of idea, planned, testing, done, dropped"):
        parse_fields({"status": "finished"})


def test_board_page_places_filters_and_highlights(client: TestClient, app: FastAPI, api_world: World) -> None:
    with_opportunities(app, api_world)
    signed_in(client, app, api_world.people["viewer"])
    url = f"/b/{api_world.blueprint_id}/board"
    html = client.get(url).text
    # Value up, effort right: mobile-key at value 4, effort 3; the Wi-Fi card is a quick win.
    assert 'data-id="mobile-key"' in cell(html, 4, 3)
    assert 'data-id="wifi"' in cell(html, 5, 1) and "Quick wins" in cell(html, 5, 1)
    assert html.index('data-value="5" data-effort="1"') < html.index('data-value="1" data-effort="1"')
    unscored = re.search(r'<div class="unscored-chips">(.*?)</div>', html, re.S)
    assert unscored and 'data-id="lounge"' in unscored.group(1) and 'data-id="wifi"' not in unscored.group(1)
    assert 'data-targets="room.evidence room.support"' in chip(html, "wifi")
    assert "IT" in html and 'data-status="done"' in chip(html, "wifi")
    # Viewers cannot change anything from the board.
    assert 'action="/b/' not in html.split('aria-label="Selected opportunity"')[1]
    assert "draggable" not in chip(html, "wifi")
    # The status filter hides what is not asked for, and keeps it on the page for instant filtering.
    done = client.get(f"{url}?status=done").text
    assert " hidden" not in chip(done, "wifi") and " hidden" in chip(done, "mobile-key")
    assert re.search(r'value="idea"\s*>', done) and re.search(r'value="done" checked', done)
    assert client.get(f"{url}?status=someday").status_code == 422
    # Selecting an opportunity highlights its cards on the drawing, without JavaScript too.
    selected = client.get(f"{url}?opportunity=wifi").text
    assert 'aria-current="true"' in chip(selected, "wifi") and "aria-current" not in chip(selected, "mobile-key")
    style = selected.split("<style data-board-selection>")[1].split("</style>")[0]
    assert '[data-id="room.evidence"]' in style and '[data-id="room.support"]' in style and "registration" not in style
    assert re.search(r'<article class="opportunity-detail" id="opportunity-wifi" data-id="wifi" >', selected)
    assert re.search(r'<article class="opportunity-detail" id="opportunity-lounge" data-id="lounge" hidden>', selected)
    assert '<g class="sl-card' in selected and 'data-id="room.support"' in selected
    gone = client.get(f"{url}?opportunity=nothing-here").text
    assert "has no opportunity “nothing-here”" in gone


def test_editors_change_status_scores_and_owner_as_a_version(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    services = app.state.services
    csrf = signed_in(client, app, api_world.people["editor"])
    url = f"/b/{api_world.blueprint_id}/board"
    page = client.get(f"{url}?opportunity=mobile-key").text
    assert f'action="{url}/mobile-key"' in page and 'draggable="true"' in chip(page, "mobile-key")
    form = {"csrf_token": csrf, "was_status": "idea", "was_value": "4", "was_effort": "3", "was_owner": ""}
    # Someone else re-scores it meanwhile; the editor only changes the status and the owner.
    services.blueprints.apply(
        api_world.blueprint_id, [SetProperty(target="mobile-key", field="effort", value=2)], api_world.owner
    )
    saved = client.post(
        f"{url}/mobile-key",
        data={**form, "status": "testing", "value": "4", "effort": "3", "owner": "Digital team", "shown": "idea"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{url}?status=idea&opportunity=mobile-key&done=opportunity-updated"
    opened = services.blueprints.open(api_world.owner, api_world.blueprint_id)
    mobile = opened.blueprint.index.opportunities["mobile-key"]
    assert (mobile.status, mobile.value, mobile.effort, mobile.owner) == ("testing", 4, 2, "Digital team")
    assert opened.record.version == 3
    latest = services.blueprints.versions(api_world.owner, api_world.blueprint_id)[0]
    assert latest.author is not None and latest.author.username == "editor" and latest.kind == "ops"
    assert latest.summary == (
        "Changed status of opportunity 'Mobile check-in'; Changed owner of opportunity 'Mobile check-in'"
    )
    shown = client.get(saved.headers["location"]).text
    assert "Opportunity updated" in shown and 'data-id="mobile-key"' in cell(shown, 4, 2)
    # Sending what is already there is not a version.
    same = {**form, "was_status": "testing", "status": "testing", "was_effort": "2", "effort": "2"}
    unchanged = client.post(f"{url}/mobile-key", data={**same, "value": "4", "owner": ""}, follow_redirects=False)
    assert unchanged.headers["location"].endswith("done=unchanged")
    assert services.blueprints.open(api_world.owner, api_world.blueprint_id).record.version == 3
    # Out of range and unknown: clear errors, nothing written.
    bad = client.post(f"{url}/mobile-key", data={**form, "value": "9"})
    assert bad.status_code == 422 and "score from 1 to 5" in bad.text
    assert client.post(f"{url}/no-such-thing", data={**form, "status": "done"}).status_code == 404
    assert services.blueprints.open(api_world.owner, api_world.blueprint_id).record.version == 3


@pytest.mark.parametrize("who", ["viewer", "commenter"])
def test_viewers_and_commenters_cannot_change_the_board(
    client: TestClient, app: FastAPI, api_world: World, who: str
) -> None:
    csrf = signed_in(client, app, api_world.people[who])
    refused = client.post(f"/b/{api_world.blueprint_id}/board/mobile-key", data={"csrf_token": csrf, "status": "done"})
    assert refused.status_code == 403 and "to edit you need to be editor or above" in refused.text
    opened = app.state.services.blueprints.open(api_world.owner, api_world.blueprint_id)
    assert opened.record.version == 1 and opened.blueprint.index.opportunities["mobile-key"].status == "idea"
