"""Row bombs and oversized blueprints: CSV and XLSX files are counted while
they stream and refused at the first row past the limit (the error names
that row, not the file's last), and a blueprint larger than the card limit is
refused before anything is stored."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import Workbook

from helpers.blueprints import small_blueprint
from helpers.server import World, token_for
from stageline.formats.errors import FormatError
from stageline.formats.interop.tables import read_csv, read_xlsx, read_xlsx_sheets
from stageline.formats.yaml_format import dumps
from stageline.server.services import blueprints as blueprints_module
from stageline.server.services.errors import ServiceError
from stageline.server.services.importing import MAX_ROWS, Upload, analyse

HEADER = "Stage,Step,Customer action,Touchpoint\n"


def journey_csv(rows: int) -> bytes:
    return (HEADER + "".join(f"Visit,Step {n},Do thing {n},Desk\n" for n in range(rows))).encode()


def bomb_xlsx(rows: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Journey")
    sheet.append(["Stage", "Step", "Customer action"])
    for n in range(rows):
        sheet.append(["Visit", f"Step {n}", "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_reading_stops_at_the_first_row_past_the_limit() -> None:
    with pytest.raises(FormatError) as refused:
        read_csv(journey_csv(5_000).decode(), "bomb.csv", max_rows=100)
    problem = refused.value.problems[0]
    assert problem.line == 101 and "more than 100 rows" in problem.message
    assert len(read_csv(journey_csv(99).decode(), "fine.csv", max_rows=100).rows) == 100


def test_xlsx_reading_streams_and_stops_at_the_limit() -> None:
    data = bomb_xlsx(3_000)
    for read in (lambda: read_xlsx(data, "bomb.xlsx", max_rows=50), lambda: read_xlsx_sheets(data, "bomb.xlsx", 50)):
        with pytest.raises(FormatError) as refused:
            read()
        problem = refused.value.problems[0]
        assert problem.line == 51 and "sheet 'Journey'" in problem.file


def test_an_import_of_too_many_rows_is_refused_with_the_limit() -> None:
    for name, data in (("bomb.csv", journey_csv(MAX_ROWS + 10)), ("bomb.xlsx", bomb_xlsx(MAX_ROWS + 10))):
        draft = analyse(Upload.of(name, data))
        assert draft.blueprint is None
        assert f"more than {MAX_ROWS:,} rows" in draft.problems[0].message


def test_the_import_api_refuses_a_row_bomb(client: TestClient, app: FastAPI, api_world: World) -> None:
    auth = token_for(app, api_world.people["editor"])
    response = client.post(
        f"/api/workspaces/{api_world.workspace_id}/blueprints/import",
        files={"file": ("bomb.csv", journey_csv(MAX_ROWS + 10), "text/csv")},
        headers=auth,
    )
    assert response.status_code == 422, response.text
    assert f"more than {MAX_ROWS:,} rows" in response.text


def test_a_blueprint_over_the_card_limit_is_refused(
    client: TestClient, app: FastAPI, api_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards = len(small_blueprint().index.cards)
    monkeypatch.setattr(blueprints_module, "MAX_CARDS", cards - 1)
    auth = token_for(app, api_world.people["editor"])
    before = len(app.state.services.blueprints.listing(api_world.owner, api_world.workspace_id))
    created = client.post(
        f"/api/workspaces/{api_world.workspace_id}/blueprints",
        content=dumps(small_blueprint()),
        headers={**auth, "Content-Type": "application/yaml"},
    )
    assert created.status_code == 422 and created.json()["error"]["code"] == "too_large"
    assert f"at most {cards - 1:,} cards" in created.json()["error"]["message"]
    assert len(app.state.services.blueprints.listing(api_world.owner, api_world.workspace_id)) == before


# -- the server's own import limit (STAGELINE_MAX_IMPORT_MB) ------------------------------
SMALL = 64 * 1024


@pytest.fixture
def small_app(sqlite_url: str) -> Iterator[FastAPI]:
    from helpers.server import fast_settings
    from stageline.server import create_app

    application = create_app(fast_settings(sqlite_url, max_import_bytes=SMALL))
    yield application
    application.state.services.db.dispose()


def test_every_upload_keeps_to_the_servers_import_limit(small_app: FastAPI) -> None:
    """One setting bounds the REST import, the import page (and its kept upload), the
    calibrate page and the blueprint upload pages, and the pages say the limit."""
    from helpers.server import build_world, sign_in

    world = build_world(small_app.state.services)
    slug = small_app.state.services.workspaces.get(world.owner, world.workspace_id).workspace.slug
    over = journey_csv(SMALL // 30)  # a little over 64 KB
    assert SMALL < len(over) < 2 * SMALL
    under = journey_csv(SMALL // 60)
    with TestClient(small_app) as client:
        api = client.post(
            f"/api/workspaces/{world.workspace_id}/blueprints/import",
            headers=token_for(small_app, world.owner),
            files={"file": ("journey.csv", over, "text/csv")},
        )
        assert api.status_code == 413, api.text
        assert api.json()["error"]["details"]["limit_bytes"] == SMALL
        assert "imports are limited to 64 KB" in api.json()["error"]["message"]
        fine = client.post(
            f"/api/workspaces/{world.workspace_id}/blueprints/import",
            headers=token_for(small_app, world.owner),
            files={"file": ("journey.csv", under, "text/csv")},
            data={"dry_run": "true"},
        )
        assert fine.status_code == 200, fine.text

        csrf = sign_in(client, "owner")
        assert "up to 64 KB" in client.get(f"/w/{slug}/import").text
        page = client.post(f"/w/{slug}/import", data={"csrf_token": csrf}, files={"file": ("j.csv", over)})
        assert page.status_code == 413 and "imports are limited to 64 KB" in page.text
        assert "up to 64 KB" in client.get(f"/b/{world.blueprint_id}/calibrate").text
        log = client.post(
            f"/b/{world.blueprint_id}/calibrate", data={"csrf_token": csrf}, files={"file": ("l.csv", over)}
        )
        assert log.status_code == 413 and "64 KB" in log.text
        for url in (f"/w/{slug}/new", f"/b/{world.blueprint_id}/upload"):
            big = b"title: x\n" + b"#" * SMALL
            refused = client.post(url, data={"csrf_token": csrf, "source": "upload"}, files={"file": ("b.yaml", big)})
            assert refused.status_code == 422 and "b.yaml is larger than 64 KB" in refused.text


def test_a_kept_upload_is_held_to_the_limit_it_was_read_with() -> None:
    from stageline.server.services.importing import import_limits

    small = import_limits(SMALL)
    kept = Upload.of("journey.csv", journey_csv(SMALL // 60), limits=small).stash()
    assert Upload.unstash("journey.csv", kept, small).limits is small
    roomy = Upload.of("journey.csv", journey_csv(SMALL // 20)).stash()  # fine at the default 5 MB
    with pytest.raises(ServiceError, match=r"damaged"):
        Upload.unstash("journey.csv", roomy, small)
