"""Simulating a stored blueprint: the REST endpoint, the Simulate page, inputs
that cannot run (each named by its field), the size and time limits, saving
the inputs as a new version, and who may do what."""

from __future__ import annotations

import multiprocessing
import re
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from helpers.server import World, token_for
from helpers.threaded import browse
from stageline.analysis.simulation import display
from stageline.model.quantities import format_rate
from stageline.render.heat import halo_colour
from stageline.render.themes import THEMES
from stageline.server.services.simulate import Limits, suggested_inputs

# One front desk clerk for 12 guests an hour, 4 minutes each plus a minute for
# the key: a queue forms at check-in, and nowhere else.
QUEUE: dict[str, Any] = {
    "arrivals": {"rate": "12/h"},
    "resources": {"Front desk clerk": 1},
    "customers": 400,
    "seed": 7,
}
SVG = "{http://www.w3.org/2000/svg}"
HOTEL = Path(__file__).resolve().parents[2] / "examples" / "hotel-stay.yaml"


def simulate(client: TestClient, app: FastAPI, world: World, who: str, body: Any = None) -> Any:
    return client.post(
        f"/api/blueprints/{world.blueprint_id}/simulate",
        json=QUEUE if body is None else body,
        headers=token_for(app, world.people[who]),
    )


def form(csrf: str, **changes: Any) -> dict[str, Any]:
    """The Simulate form of the small blueprint, as a browser sends it."""
    data: dict[str, Any] = {
        "csrf_token": csrf,
        "arrivals": "rate",
        "rate": "12/h",
        "schedule_time": ["", ""],
        "schedule_rate": ["", ""],
        "resource_name": ["Front desk clerk", "Bellhop", "Housekeeping"],
        "resource_units": ["1", "", ""],
        "resource_hours": ["", "", ""],
        "customers": "400",
        "horizon": "",
        "seed": "7",
        "replications": "1",
    }
    data.update(changes)
    return data


def version_of(app: FastAPI, world: World) -> int:
    return int(app.state.services.blueprints.open(world.owner, world.blueprint_id).record.version)


# -- the REST endpoint -------------------------------------------------------------------
def test_a_viewer_simulates_through_the_api(client: TestClient, app: FastAPI, api_world: World) -> None:
    response = simulate(client, app, api_world, "viewer")
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == f'"{version_of(app, api_world)}"'
    body = response.json()
    assert body["inputs"] == {
        "arrivals": {"rate": "12/h"},
        "resources": {"Front desk clerk": 1},
        "customers": 400,
        "horizon": None,
        "seed": 7,
        "replications": 1,
    }
    report = body["report"]
    assert report["customers"]["completed"] == 400
    clerk = report["resources"]["Front desk clerk"]
    assert clerk["capacity"] == 1 and 0.8 < clerk["utilization"] <= 1.0  # 12/h × 5 min is all of one clerk
    heat = {card: values["heat"] for card, values in report["cards"].items()}
    assert max(heat, key=heat.__getitem__) == "registration" and heat["registration"] == 1.0
    assert report["steps"]["check-in"]["wait"] > 0 and report["steps"]["room"]["wait"] == 0
    assert report["customers"]["tolerance"] == 7200 and report["customers"]["histogram"]["counts"]
    # The same inputs give the same report; another seed another one.
    assert simulate(client, app, api_world, "editor").json()["report"] == report
    assert simulate(client, app, api_world, "viewer", {**QUEUE, "seed": 8}).json()["report"] != report


def test_what_the_request_leaves_out_comes_from_the_blueprint(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    editor = token_for(app, api_world.people["editor"])
    section = {
        "arrivals": {"schedule": {"08:00": "20/h", "12:00": "5/h"}},
        "resources": {"Bellhop": 2},
        "horizon": "6h",
    }
    saved = client.put(f"/api/blueprints/{api_world.blueprint_id}/simulation", json=section, headers=editor)
    assert saved.status_code == 200, saved.text
    everything = simulate(client, app, api_world, "viewer", {}).json()
    assert everything["inputs"]["arrivals"] == {"schedule": {"08:00": "20/h", "12:00": "5/h"}}
    assert everything["inputs"]["resources"] == {"Bellhop": 2} and everything["inputs"]["horizon"] == "6h"
    assert everything["report"]["settings"]["start"] == "08:00"
    shorter = simulate(client, app, api_world, "viewer", {"customers": 30, "replications": 2}).json()
    assert shorter["inputs"]["customers"] == 30 and shorter["inputs"]["horizon"] is None
    assert shorter["inputs"]["resources"] == {"Bellhop": 2}
    assert shorter["report"]["settings"]["replications"] == 2 and shorter["report"]["customers"]["arrived"] == 30


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({**QUEUE, "arrivals": {"rate": "fast"}}, "arrivals.rate", "'fast' is not a rate"),
        ({**QUEUE, "arrivals": {"rate": "0/h"}}, "arrivals.rate", "more than zero"),
        ({**QUEUE, "arrivals": {"rate": "9/h", "schedule": {"08:00": "3/h"}}}, "arrivals", "not both"),
        ({**QUEUE, "arrivals": {"schedule": {"25:00": "3/h"}}}, "arrivals.schedule.25:00", "not a time of day"),
        ({**QUEUE, "arrivals": {"schedule": {"08:00": "0/h"}}}, "arrivals.schedule", "every rate is zero"),
        (
            {**QUEUE, "resources": {"Front desk clerc": 1}},
            "resources.Front desk clerc",
            "did you mean 'Front desk clerk'",
        ),
        ({**QUEUE, "resources": {"Front desk clerk": 0}}, "resources.Front desk clerk.capacity", "from 1 to"),
        (
            {**QUEUE, "resources": {"Front desk clerk": {"capacity": 1, "hours": "9-5"}}},
            "resources.Front desk clerk.hours",
            "HH:MM-HH:MM",
        ),
        ({**QUEUE, "customers": "many"}, "customers", "not a whole number"),
        ({**QUEUE, "horizon": "soon"}, "horizon", "not a duration"),
        ({**QUEUE, "replications": 500}, "replications", "from 1 to 50"),
        ({**QUEUE, "seed": -1}, "seed", "from 0 to"),
        ({**QUEUE, "colour": "red"}, "colour", "not an input"),
        ({"customers": 10}, "arrivals", "no simulation section yet"),
    ],
)
def test_inputs_that_cannot_run_name_their_field(
    client: TestClient, app: FastAPI, api_world: World, body: dict[str, Any], field: str, words: str
) -> None:
    response = simulate(client, app, api_world, "viewer", body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_simulation"
    assert error["details"]["field"] == field and error["message"].startswith(f"{field}: ")
    assert words in error["message"]
    assert {"field": field, "message": error["message"].removeprefix(f"{field}: ")} in error["details"]["problems"]


def test_every_problem_is_reported_at_once(client: TestClient, app: FastAPI, api_world: World) -> None:
    body = {"arrivals": {"rate": "fast"}, "resources": {"Front desk clerk": "two"}, "customers": 0, "seed": "x"}
    error = simulate(client, app, api_world, "viewer", body).json()["error"]
    assert [p["field"] for p in error["details"]["problems"]] == [
        "arrivals.rate",
        "resources.Front desk clerk.capacity",
        "customers",
        "seed",
    ]
    assert "(and 3 more)" in error["message"]
    assert simulate(client, app, api_world, "viewer", ["not", "an", "object"]).status_code == 422


def test_runs_too_big_for_the_server_are_refused_up_front(client: TestClient, app: FastAPI, api_world: World) -> None:
    app.state.services.simulations.limits = Limits(customers=5_000, work=40_000)
    many = simulate(client, app, api_world, "viewer", {**QUEUE, "customers": 6_000}).json()["error"]
    assert many["details"]["field"] == "customers" and "from 1 to 5,000" in many["message"]
    work = simulate(client, app, api_world, "viewer", {**QUEUE, "customers": 4_000}).json()["error"]
    assert work["code"] == "simulation_too_big" and work["details"]["field"] == "customers"
    assert "4,000 customers through 11 cards" in work["message"]
    # A horizon is turned into the customers it brings: 300 an hour for three days.
    long = simulate(
        client, app, api_world, "viewer", {**QUEUE, "customers": None, "horizon": "3d", "arrivals": {"rate": "300/h"}}
    )
    error = long.json()["error"]
    assert error["code"] == "simulation_too_big" and error["details"]["field"] == "horizon"
    assert "21,600 customers" in error["message"] and "lower the horizon" in error["message"]
    replicated = simulate(client, app, api_world, "viewer", {**QUEUE, "customers": 2_000, "replications": 3})
    assert "over 3 replications" in replicated.json()["error"]["message"]


def test_a_run_past_the_time_limit_is_stopped(client: TestClient, app: FastAPI, api_world: World) -> None:
    app.state.services.simulations.limits = Limits(seconds=0.05)
    response = simulate(client, app, api_world, "viewer", {**QUEUE, "customers": 100_000})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "simulation_too_long" and error["details"]["field"] == "customers"
    assert "more than 0.05 s and was stopped" in error["message"]
    # The child process was killed, not left running.
    assert [p for p in multiprocessing.active_children() if p.name == "stageline-simulation"] == []
    app.state.services.simulations.limits = Limits()
    assert simulate(client, app, api_world, "viewer").status_code == 200


@pytest.mark.parametrize("where", ["api", "page"])
def test_a_running_simulation_leaves_the_server_free(
    client: TestClient, app: FastAPI, api_world: World, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    runner = app.state.services.simulations.runner
    started, release = threading.Event(), threading.Event()
    real = runner._run

    def held(bp: Any, inputs: Any) -> Any:  # a run that lasts until the test lets it finish
        started.set()
        release.wait(30)
        return real(bp, inputs)

    monkeypatch.setattr(runner, "_run", held)
    headers = token_for(app, api_world.people["viewer"])
    csrf = browse(client, app, api_world.people["viewer"])
    answers: list[int] = []

    def run() -> None:
        if where == "api":
            url = f"/api/blueprints/{api_world.blueprint_id}/simulate"
            answers.append(client.post(url, json=QUEUE, headers=headers).status_code)
        else:
            answers.append(client.post(f"/b/{api_world.blueprint_id}/simulate", data=form(csrf)).status_code)

    running = threading.Thread(target=run)
    running.start()
    try:
        assert started.wait(30)
        # The server answers others while the run goes on.
        assert client.get("/api/me", headers=headers).status_code == 200
        assert client.get(f"/b/{api_world.blueprint_id}").status_code == 200
        assert running.is_alive() and answers == []
    finally:
        release.set()
        running.join(30)
    assert answers == [200]


def test_a_busy_server_asks_to_try_again(client: TestClient, app: FastAPI, api_world: World) -> None:
    simulations = app.state.services.simulations
    simulations.limits = Limits(concurrent=1, wait=0.01)
    simulations.runner._slots.acquire()  # another run holds the only slot
    try:
        busy = simulate(client, app, api_world, "viewer")
        assert busy.status_code == 503 and busy.json()["error"]["code"] == "busy"
    finally:
        simulations.runner._slots.release()
    assert simulate(client, app, api_world, "viewer").status_code == 200


def test_saving_through_the_api_is_a_new_version_for_editors(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    url = f"/api/blueprints/{api_world.blueprint_id}/simulation"
    section = {"arrivals": {"rate": "12/h"}, "resources": {"Front desk clerk": 1}, "customers": 400}
    before = version_of(app, api_world)
    for who in ("viewer", "commenter"):
        refused = client.put(url, json=section, headers=token_for(app, api_world.people[who]))
        assert refused.status_code == 403
    assert version_of(app, api_world) == before
    editor = token_for(app, api_world.people["editor"])
    saved = client.put(url, json=section, headers=editor)
    assert saved.status_code == 200 and saved.json()["version"] == before + 1
    assert saved.json()["summary"] == "Changed simulation of the blueprint"
    document = client.get(f"/api/blueprints/{api_world.blueprint_id}?format=yaml", headers=editor).text
    assert (
        "simulation:\n  arrivals: {rate: 12/h}\n  resources:\n    Front desk clerk: 1\n  customers: 400\n" in document
    )
    again = client.put(url, json=section, headers=editor)
    assert again.json() == {**saved.json(), "summary": "Unchanged"} and version_of(app, api_world) == before + 1
    seed = client.put(url, json={**section, "seed": 3}, headers=editor)
    assert seed.status_code == 422 and seed.json()["error"]["details"]["field"] == "seed"
    wrong = client.put(url, json={"resources": {"Front desk clerk": 0}}, headers=editor)
    assert wrong.json()["error"]["details"]["field"] == "resources.Front desk clerk.capacity"
    assert version_of(app, api_world) == before + 1


def test_strangers_cannot_see_or_simulate(client: TestClient, app: FastAPI, api_world: World) -> None:
    assert simulate(client, app, api_world, "outsider").status_code == 404
    assert client.post(f"/api/blueprints/{api_world.blueprint_id}/simulate", json=QUEUE).status_code == 401
    browse(client, app, api_world.people["outsider"])
    assert client.get(f"/b/{api_world.blueprint_id}/simulate").status_code == 404


def test_the_endpoints_are_in_the_openapi_schema(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    run = schema["paths"]["/api/blueprints/{blueprint_id}/simulate"]["post"]
    properties = run["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert set(properties) == {"arrivals", "resources", "customers", "horizon", "seed", "replications"}
    assert set(properties["arrivals"]["properties"]) == {"rate", "schedule"}
    out = run["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][out]["properties"]) == {"version", "inputs", "report"}
    save = schema["paths"]["/api/blueprints/{blueprint_id}/simulation"]["put"]
    assert "seed" not in save["requestBody"]["content"]["application/json"]["schema"]["properties"]


# -- the page --------------------------------------------------------------------------------
def test_the_page_starts_from_the_blueprint_and_is_in_its_navigation(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    browse(client, app, api_world.people["viewer"])
    page = client.get(f"/b/{api_world.blueprint_id}/simulate").text
    assert f'<a href="/b/{api_world.blueprint_id}/simulate" aria-current="page">Simulate</a>' in page
    assert f'href="/b/{api_world.blueprint_id}/simulate"' in client.get(f"/b/{api_world.blueprint_id}").text
    # No section yet: first guesses, one of each of the people serving most, at a rate that keeps them working.
    guess = suggested_inputs(app.state.services.blueprints.open(api_world.owner, api_world.blueprint_id).blueprint)
    assert "no simulation section yet" in page and f'name="rate" value="{format_rate(guess.rate or 0)}"' in page
    assert re.search(r'Front desk clerk</th>\s*<td><input id="sim-units-0" name="resource_units" value="1"', page)
    assert "Saving the inputs into the blueprint needs the editor role" in page
    assert "Save inputs to the blueprint" not in page and 'id="results"' not in page

    services = app.state.services
    record = services.blueprints.create_from_yaml(api_world.owner, api_world.workspace_id, HOTEL.read_text())
    hotel = client.get(f"/b/{record.id}/simulate").text
    assert "From the blueprint's simulation section" in hotel
    assert 'value="schedule" id="sim-mode-schedule" checked' in hotel
    assert 'name="schedule_time" value="14:00"' in hotel and 'name="schedule_rate" value="12/h"' in hotel
    assert re.search(r'Front desk clerk</th>\s*<td><input id="sim-units-\d+" name="resource_units" value="2"', hotel)
    assert 'name="horizon" value="1d"' in hotel


def test_running_shows_charts_and_the_heat_map(client: TestClient, app: FastAPI, api_world: World) -> None:
    report = simulate(client, app, api_world, "viewer").json()["report"]
    csrf = browse(client, app, api_world.people["viewer"])
    response = client.post(f"/b/{api_world.blueprint_id}/simulate", data=form(csrf))
    assert response.status_code == 200, response.text
    page = response.text
    assert 'id="results"' in page and "400 customers, arrivals 12/h" in page
    over = report["customers"]["over_tolerance"]
    assert f"{display.share(over)} of customers took longer than the tolerance of 2h 00m" in page
    for chart in ("chart-utilisation", "chart-waits", "chart-total-time"):
        assert f'<figure class="chart" id="{chart}">' in page
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in page
    clerk = report["resources"]["Front desk clerk"]["utilization"]
    assert f'fill="#b3261e" data-value="{clerk:.6g}"' in page  # red: above the 85 % threshold
    assert f"Front desk clerk (1): {display.share(clerk)}" in page  # the bar's title
    assert display.seconds(report["steps"]["check-in"]["wait"]) in page
    assert 'class="tolerance"' in page and "tolerance 2h 00m" in page
    assert page.count('class="bin') == len(report["customers"]["histogram"]["counts"])
    assert "Bottlenecks" in page and report["bottlenecks"][0]["explanation"].split(";")[0] in page

    heading = page.index('id="heat-title"')
    drawing = page[page.index("<svg", heading) : page.index("</svg>", heading)]
    cards = {
        g.get("data-id"): g
        for g in ET.fromstring(drawing + "</svg>").iter(f"{SVG}g")
        if "sl-card" in (g.get("class") or "")
    }
    for card, values in report["cards"].items():
        group = cards[card]
        assert group.get("data-heat") == f"{values['heat']:.4g}"
        halo = next((r for r in group.iter(f"{SVG}rect") if r.get("class") == "sl-heat-halo"), None)
        if values["heat"] > 0:
            assert halo is not None and halo.get("fill") == halo_colour(THEMES["light"], values["heat"])
        else:
            assert halo is None
    assert "Queueing per customer, from little to the most of any card" in drawing
    assert "Where customers queue, hottest first" in page and "<code>registration</code>" in page


def test_inputs_that_cannot_run_come_back_as_typed_with_their_fields_marked(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    csrf = browse(client, app, api_world.people["viewer"])
    response = client.post(
        f"/b/{api_world.blueprint_id}/simulate",
        data=form(csrf, rate="fast", resource_units=["x", "", ""], resource_hours=["", "", "9-5"]),
    )
    assert response.status_code == 422
    page = response.text
    alert = page[page.index('role="alert"') : page.index("</div>", page.index('role="alert"'))]
    assert '<a href="#sim-rate">Arrival rate</a>: &#39;fast&#39; is not a rate' in alert
    assert '<a href="#sim-units-0">Front desk clerk: units</a>: &#39;x&#39; is not a whole number' in alert
    assert '<a href="#sim-units-2">Housekeeping: units</a>: give the number of units' in alert
    assert re.search(r'id="sim-rate" name="rate" value="fast"[^>]*aria-invalid="true"', page)
    assert re.search(r'id="sim-units-0" name="resource_units" value="x"[^>]*aria-invalid="true"', page)
    assert re.search(r'id="sim-hours-2" name="resource_hours" value="9-5"', page)
    assert not re.search(r'id="sim-units-1"[^>]*aria-invalid', page)
    assert 'id="results"' not in page
    schedule = client.post(
        f"/b/{api_world.blueprint_id}/simulate",
        data=form(csrf, arrivals="schedule", schedule_time=["08:00", "", "08:00"], schedule_rate=["5/h", "3/h", "6/h"]),
    )
    assert schedule.status_code == 422
    assert "the rate 3/h has no time of day" in schedule.text and "08:00 is given twice" in schedule.text


def test_editors_save_the_inputs_as_a_new_version(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = browse(client, app, api_world.people["editor"])
    url = f"/b/{api_world.blueprint_id}/simulate"
    assert "Save inputs to the blueprint" in client.get(url).text
    before = version_of(app, api_world)
    data = form(csrf, resource_units=["2", "", "3"], resource_hours=["", "", "09:00-17:00"], customers="", horizon="8h")
    saved = client.post(f"{url}/save", data=data, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"{url}?done=simulation-saved"
    assert version_of(app, api_world) == before + 1
    section = app.state.services.blueprints.open(api_world.owner, api_world.blueprint_id).blueprint.simulation
    assert section.arrivals.rate == 12 and section.horizon == 8 * 3600 and section.customers is None
    assert {name: (r.capacity, r.hours) for name, r in section.resources.items()} == {
        "Front desk clerk": (2, None),
        "Housekeeping": (3, "09:00-17:00"),
    }
    page = client.get(saved.headers["location"]).text
    assert "Simulation inputs saved into the blueprint as a new version." in page
    assert "From the blueprint's simulation section" in page
    # The scarce come first now, Bellhop among the others.
    assert re.search(r'id="sim-hours-1" name="resource_hours" value="09:00-17:00"[^>]*of Housekeeping', page)
    assert re.search(r"Everyone else on the cards \(1\)</summary>[\s\S]*?Bellhop</th>", page)
    history = app.state.services.blueprints.versions(api_world.owner, api_world.blueprint_id)
    assert history[0].number == before + 1 and history[0].author.username == "editor"
    unchanged = client.post(f"{url}/save", data=data, follow_redirects=False)
    assert unchanged.headers["location"] == f"{url}?done=simulation-unchanged"
    assert version_of(app, api_world) == before + 1
    refused = client.post(f"{url}/save", data={**data, "rate": "0"})
    assert refused.status_code == 422 and "must be more than zero" in refused.text
    assert version_of(app, api_world) == before + 1


@pytest.mark.parametrize("who", ["viewer", "commenter"])
def test_viewers_and_commenters_run_but_cannot_save(
    client: TestClient, app: FastAPI, api_world: World, who: str
) -> None:
    csrf = browse(client, app, api_world.people[who])
    url = f"/b/{api_world.blueprint_id}/simulate"
    assert client.post(url, data=form(csrf)).status_code == 200
    before = version_of(app, api_world)
    refused = client.post(f"{url}/save", data=form(csrf))
    assert refused.status_code == 403 and "to edit you need to be editor or above" in refused.text
    assert version_of(app, api_world) == before
    assert client.post(url, data={**form(csrf), "csrf_token": "forged"}).status_code == 403


def test_the_first_guess_keeps_the_busiest_person_about_70_percent_busy() -> None:
    from stageline.model import BlueprintBuilder

    def blueprint(clerk: str | None, porter: str | None) -> Any:
        frontstage = {"text": "Register", "actor": "Clerk", **({"duration": clerk} if clerk else {})}
        backstage = {"text": "Carry bags", "actor": "Porter", **({"duration": porter} if porter else {})}
        builder = BlueprintBuilder("Guess").stage("s", "S")
        return builder.step("a", customer="Arrive", frontstage=frontstage, backstage=backstage).build()

    guess = suggested_inputs(blueprint("6m", "3m"))
    assert [r.name for r in guess.resources] == ["Clerk", "Porter"]
    assert guess.rate == 7.0  # 0.7 x 60 / 6 minutes of the clerk's time per customer
    assert suggested_inputs(blueprint("25m", None)).rate == 1.7  # two significant figures
    assert suggested_inputs(blueprint(None, None)).rate == 10.0  # nothing to go on
