"""The web app's business cases and plans: the Opportunities board costs each
new version in the background and shows effects with intervals; a future
state's Plan tab shows each team's part with CSV and Markdown downloads."""

from __future__ import annotations

import csv
import io

from fastapi import FastAPI
from fastapi.testclient import TestClient

from helpers.server import World, signed_in
from stageline.model import Opportunity
from stageline.model.operations import AddOpportunity, RemoveCard, SetProperty

SIMULATION = {"arrivals": {"rate": 6.0}, "resources": {"Front desk clerk": {"capacity": 1}}, "customers": 300}


def costed(app: FastAPI, world: World) -> None:
    ops = [
        SetProperty(field="simulation", value=SIMULATION),
        SetProperty(target="mobile-key", field="change", value="registration.duration=*0.5"),
        SetProperty(target="mobile-key", field="measure", value="Minutes at the desk"),
        SetProperty(target="mobile-key", field="due", value="2027-03-31"),
        AddOpportunity(opportunity=Opportunity(id="typo", title="Typo", change=["nobody=+1"], effort=1)),
    ]
    app.state.services.blueprints.apply(world.blueprint_id, list(ops), world.owner)


def test_board_shows_computed_effects_once_costed(client: TestClient, app: FastAPI, api_world: World) -> None:
    services = app.state.services
    viewer = api_world.people["viewer"]
    signed_in(client, app, viewer)
    url = f"/b/{api_world.blueprint_id}/board"
    assert 'data-cases="none"' in client.get(url).text  # nothing says what it changes yet
    costed(app, api_world)  # the save starts the costing in the background
    cases = services.cases.wait(viewer, api_world.blueprint_id, timeout=120)
    assert cases.status == "ready", cases.message
    version = services.blueprints.open(viewer, api_world.blueprint_id).record.version
    assert cases.version == version
    row = cases.row("mobile-key")
    assert row["costed"] and row["effect"]["total_time_mean"]["difference"] < 0
    assert "no resource 'nobody'" in cases.row("typo")["reason"]
    html = client.get(f"{url}?opportunity=mobile-key").text
    assert 'data-cases="ready"' in html and 'class="chart-svg effect-chart"' in html
    assert "Not costed: Typo" in html
    detail = html.split('id="opportunity-mobile-key"')[1].split("</article>")[0]
    assert "Minutes at the desk" in detail and "2027-03-31" in detail and "registration.duration=*0.5" in detail
    assert "Difference (95 % CI)" in detail and "Mean customer time" in detail
    polled = client.get(f"{url}/cases").json()
    assert polled["status"] == "ready" and polled["version"] == version
    assert polled["report"]["opportunities"][0]["id"] == "mobile-key"


def test_a_new_version_is_costed_again(client: TestClient, app: FastAPI, api_world: World) -> None:
    services = app.state.services
    costed(app, api_world)
    first = services.cases.wait(api_world.owner, api_world.blueprint_id, timeout=120)
    services.blueprints.apply(
        api_world.blueprint_id,
        [SetProperty(target="mobile-key", field="change", value="Front desk clerk=+1")],
        api_world.owner,
    )
    second = services.cases.wait(api_world.owner, api_world.blueprint_id, timeout=120)
    assert second.version == first.version + 1
    assert second.row("mobile-key")["changes"] == ["Front desk clerk=+1"]


def test_plan_tab_of_a_future_state(client: TestClient, app: FastAPI, api_world: World) -> None:
    services = app.state.services
    future = services.states.create_future(api_world.owner, api_world.blueprint_id)
    services.blueprints.apply(
        future.id,
        [
            SetProperty(target="registration", field="department", value="Front office"),
            SetProperty(target="registration", field="duration", value="2m"),
            RemoveCard(id="room.frontstage"),
        ],
        api_world.owner,
    )
    signed_in(client, app, api_world.people["viewer"])
    current_page = client.get(f"/b/{api_world.blueprint_id}").text
    assert f'href="/b/{api_world.blueprint_id}/plan"' not in current_page  # only future states have a plan
    html = client.get(f"/b/{future.id}/plan").text
    assert 'aria-current="page">Plan</a>' in html
    assert 'data-team="Front office"' in html and 'data-team="Bellhop"' in html
    assert "Stop: Bellhop carries bags" in html
    mine = client.get(f"/b/{future.id}/plan?team=Bellhop").text
    assert 'data-team="Bellhop"' in mine and 'data-team="Front office"' not in mine
    download = client.get(f"/b/{future.id}/plan.csv?team=Bellhop")
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert rows and {row["Component/Team"] for row in rows} == {"Bellhop"}
    brief = client.get(f"/b/{future.id}/plan.md").text
    assert "## Front office" in brief and "## Bellhop" in brief
    assert client.get(f"/b/{future.id}/plan?team=Nobody").status_code == 404
    assert client.get(f"/b/{future.id}/plan.txt").status_code in (400, 422)
    none = client.get(f"/b/{api_world.blueprint_id}/plan").text
    assert "No plan for this blueprint" in none and f"/b/{future.id}/plan" in none
