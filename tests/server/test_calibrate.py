"""The Calibrate tab: upload a log, confirm its columns with a preview, see the drift over the
drawing and the table beside it, save the calibrated blueprint (editors and up), and every bad
upload as a message on the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from helpers.eventlogs import hotel_log_text as log_text
from helpers.server import World
from helpers.threaded import browse
from stageline.server.services.importing import MAX_IMPORT_BYTES


def upload(client: TestClient, world: World, csrf: str, text: str, name: str = "checkins.csv") -> Any:
    return client.post(
        f"/b/{world.blueprint_id}/calibrate",
        data={"csrf_token": csrf},
        files={"file": (name, text.encode(), "text/csv")},
    )


def kept(page: str) -> dict[str, Any]:
    """The form as the page holds it: the kept upload and each column's choice."""
    data: dict[str, Any] = {
        "upload": re.search(r'name="upload" value="([^"]+)"', page)[1],  # type: ignore[index]
        "upload_name": re.search(r'name="upload_name" value="([^"]+)"', page)[1],  # type: ignore[index]
    }
    for position, block in re.findall(r'<select id="column-(\d+)" name="column-\d+">(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="(\w*)"[^>]*selected', block)
        data[f"column-{position}"] = chosen[1] if chosen else ""
    return data


def version_of(app: FastAPI, world: World) -> int:
    return int(app.state.services.blueprints.open(world.owner, world.blueprint_id).record.version)


def test_the_tab_and_the_upload_form(client: TestClient, app: FastAPI, api_world: World) -> None:
    browse(client, app, api_world.people["viewer"])
    page = client.get(f"/b/{api_world.blueprint_id}/calibrate").text
    assert f'href="/b/{api_world.blueprint_id}/calibrate" aria-current="page">Calibrate</a>' in page
    assert 'type="file" name="file"' in page and f'data-max-bytes="{MAX_IMPORT_BYTES}"' in page
    assert "data-progress" in page


def test_an_upload_shows_its_columns_and_the_drift(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = browse(client, app, api_world.people["viewer"])
    answer = upload(client, api_world, csrf, log_text())
    assert answer.status_code == 200, answer.text
    page = answer.text
    # The columns as detected, with their first values, and the first rows.
    assert re.search(r'<label for="column-0">Ticket</label>.*?<td class="sample">t0</td>', page, re.S)
    choices = kept(page)
    assert choices["column-0"] == "case" and choices["column-2"] == "start" and choices["column-5"] == "status"
    assert choices["column-4"] == ""  # "Desk" is not a heading Stageline knows
    assert "<td>Process registration</td>" in page
    # The drift: registration first, 6 minutes against 4, and drawn as heat.
    table = page[page.index("Drift, ranked by what it costs the customer") :]
    assert table.index("registration") < table.index("Go to the room")
    assert "+50%" in table and "6m 00s" in table
    assert "<svg" in page and "Drift from the design" in page
    assert "Order room service" in page  # matches no card
    assert "100 % of 12 cases follow the blueprint" in page
    assert "Save the calibrated blueprint" not in page  # a viewer cannot save


def test_changing_a_column_calibrates_again(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = browse(client, app, api_world.people["viewer"])
    first = upload(client, api_world, csrf, log_text()).text
    data = {**kept(first), "column-4": "resource", "csrf_token": csrf, "action": "calibrate"}
    again = client.post(f"/b/{api_world.blueprint_id}/calibrate", data=data)
    assert again.status_code == 200
    # desk-1 and desk-2 take turns, an hour each: two clerks seen, one at work at a time.
    assert "Front desk clerk: 1 unit at once, 2 seen" in again.text
    twice = {**data, "column-1": "case"}
    refused = client.post(f"/b/{api_world.blueprint_id}/calibrate", data=twice)
    assert refused.status_code == 422 and "Case id is chosen for more than one column" in refused.text


def test_editors_save_the_calibrated_blueprint(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = browse(client, app, api_world.people["editor"])
    page = upload(client, api_world, csrf, log_text()).text
    assert "Save the calibrated blueprint" in page
    before = version_of(app, api_world)
    data = {**kept(page), "column-4": "resource", "csrf_token": csrf, "action": "save"}
    saved = client.post(f"/b/{api_world.blueprint_id}/calibrate", data=data, follow_redirects=False)
    assert (
        saved.status_code == 303 and saved.headers["location"] == f"/b/{api_world.blueprint_id}?done=calibration-saved"
    )
    assert version_of(app, api_world) == before + 1
    bp = app.state.services.blueprints.open(api_world.owner, api_world.blueprint_id).blueprint
    registration = bp.card("registration")
    assert registration.basis == "observed" and registration.duration == 360.0
    assert registration.source == "Measured from checkins.csv: 12 cases, 2024-03-04 to 2024-03-05"
    assert bp.simulation is not None and bp.simulation.resources["Front desk clerk"].capacity == 1
    shown = client.get(saved.headers["location"]).text
    assert "The calibrated blueprint is saved as a new version" in shown


@pytest.mark.parametrize("who", ["viewer", "commenter"])
def test_viewers_cannot_save(client: TestClient, app: FastAPI, api_world: World, who: str) -> None:
    csrf = browse(client, app, api_world.people[who])
    page = upload(client, api_world, csrf, log_text()).text
    before = version_of(app, api_world)
    data = {**kept(page), "csrf_token": csrf, "action": "save"}
    refused = client.post(f"/b/{api_world.blueprint_id}/calibrate", data=data, follow_redirects=False)
    assert refused.status_code == 403
    assert version_of(app, api_world) == before


def test_bad_logs_are_messages_on_the_page(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = browse(client, app, api_world.people["viewer"])
    dates = upload(client, api_world, csrf, "case,activity,timestamp\nt1,Check in,soon\nt1,Check in,later\n")
    assert dates.status_code == 422
    assert "column &#39;timestamp&#39;: error: &#39;soon&#39; is not a date and time" in dates.text
    empty = upload(client, api_world, csrf, "")
    assert empty.status_code == 422 and "is empty" in empty.text
    nothing = upload(client, api_world, csrf, "case,activity,timestamp\nt1,Dance,2024-03-04 10:00\n")
    assert nothing.status_code == 422 and "no activity of the log matches a card" in nothing.text
    big = upload(client, api_world, csrf, "x" * (MAX_IMPORT_BYTES + 10))
    assert big.status_code == 413 and "imports are limited to" in big.text
    assert "Traceback" not in dates.text + empty.text + nothing.text + big.text


def test_activities_are_matched_to_cards_on_the_page(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = browse(client, app, api_world.people["viewer"])
    page = upload(client, api_world, csrf, log_text()).text
    assert '<input type="hidden" name="map_activity" value="Order room service">' in page
    data = {
        **kept(page),
        "csrf_token": csrf,
        "action": "calibrate",
        "map_activity": ["Order room service"],
        "map_card": ["room.frontstage"],
    }
    matched = client.post(f"/b/{api_world.blueprint_id}/calibrate", data=data)
    assert matched.status_code == 200
    assert "Every activity matched a card." in matched.text
    assert re.search(r'<option value="room.frontstage" selected>', matched.text)
    wrong = client.post(f"/b/{api_world.blueprint_id}/calibrate", data={**data, "map_card": ["nowhere"]})
    assert (
        wrong.status_code == 422
        and "an activity is matched to the card &#39;nowhere&#39;, which is not in the blueprint" in wrong.text
    )
