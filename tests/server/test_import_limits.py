"""Row bombs and oversized blueprints: CSV and XLSX files are counted while
they stream and refused at the first row past the limit (the error names
that row, not the file's last), and a blueprint larger than the card limit is
refused before anything is stored."""

from __future__ import annotations

import io

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
