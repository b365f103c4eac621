"""`stageline import` and the web app's import read files through one module
(`stageline.formats.ingest`), so the same file gets the same answer from both:
what it was recognised as, the blueprint it becomes, and every problem with
its place and message. Each input here goes through the command line (in
process) and through the REST API (the in-process test client), and the two
answers are compared.

The two differ on purpose in one way: a Stageline YAML file is already a
blueprint, so the command line says it needs no import (and writes nothing)
where the web app stores it; both recognise it as YAML."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import Workbook

from helpers.blueprints import small_blueprint
from helpers.server import World, token_for
from stageline import environment
from stageline.cli import main
from stageline.commands.problems import as_text
from stageline.formats.errors import FormatProblem
from stageline.formats.ingest import Kind, Limits
from stageline.formats.interop.ir import to_ir
from stageline.formats.interop.spreadsheet import write_csv, write_xlsx
from stageline.formats.yaml_format import dumps, loads

DATA = Path(__file__).resolve().parents[1] / "interop" / "data"
JOURNEY = (DATA / "journey.csv").read_bytes()
CLINIC = (DATA / "clinic_journey.xlsx").read_bytes()
SMALL_LIMIT = 64 * 1024


def _workbook_journey() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Map"
    sheet.append(["Stage", "Doing", "Feeling"])
    sheet.append(["Arrive", "Walk in", 4])
    sheet.append(["Arrive", "Sit down", 2])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ir() -> bytes:
    document, _ = to_ir(small_blueprint())
    return json.dumps(document).encode()


def _bad_rows() -> bytes:
    # Two unreadable cells in two rows: a duration and an emotion.
    return JOURNEY.replace(b",15m,", b",a good while,").replace(b",frustrated,", b",meh-ish,")


# case: file name, content (made lazily), what it is recognised as, whether it is accepted
CASES: dict[str, tuple[str, Callable[[], bytes], Kind | None, bool]] = {
    "journey map (CSV)": ("hotel-journey.csv", lambda: JOURNEY, Kind.JOURNEY, True),
    "journey map (XLSX, transposed)": ("clinic.xlsx", lambda: CLINIC, Kind.JOURNEY, True),
    "journey map (XLSX, sheet found)": ("visit.xlsx", _workbook_journey, Kind.JOURNEY, True),
    "spreadsheet export (XLSX)": ("export.xlsx", lambda: write_xlsx(small_blueprint()), Kind.SPREADSHEET, True),
    "spreadsheet export (CSV)": ("export.csv", lambda: write_csv(small_blueprint()).encode(), Kind.SPREADSHEET, True),
    "Blueprint Signal project (JSON)": (
        "project.json",
        lambda: (DATA / "signal_project.json").read_bytes(),
        Kind.SIGNAL,
        True,
    ),
    "Blueprint Signal process list (CSV)": (
        "process.csv",
        lambda: b"Stage,Service layer,What happens\nArrive,Customer actions,Give booking name\n",
        Kind.SIGNAL,
        True,
    ),
    "agentic-service-blueprinting IR": ("blueprint.json", _ir, Kind.IR, True),
    "Stageline YAML": ("my-hotel.yaml", lambda: dumps(small_blueprint()).encode(), Kind.YAML, True),
    "Stageline YAML with problems": (
        "broken.yaml",
        lambda: b"stageline: 1\ntitle: Hotel\nstages:\n  - id: Bad Id\n",
        Kind.YAML,
        False,
    ),
    "empty file": ("empty.csv", lambda: b"  \n", None, False),
    "binary junk": ("photo.csv", lambda: bytes(range(256)) * 40, None, False),
    "truncated XLSX": ("cut.xlsx", lambda: CLINIC[: len(CLINIC) // 2], None, False),
    "CSV with bad rows": ("bad.csv", _bad_rows, Kind.JOURNEY, False),
    "not a journey map": ("list.csv", lambda: b"Colour,Size\nred,2\n", Kind.JOURNEY, False),
    "oversize file": ("huge.csv", lambda: JOURNEY + b"x" * SMALL_LIMIT, None, False),
}


@dataclass
class Answer:
    """What one side made of a file."""

    kind: str | None
    blueprint: str | None  # canonical YAML
    problems: list[str]  # each printed as the command line prints problems


def _kind_named(noun: str) -> str:
    found = [k.value for k in Kind if k.noun == noun]
    assert found, f"no kind is called {noun!r}"
    return found[0]


def through_the_command_line(console: environment.Environment, path: Path, tmp_path: Path) -> Answer:
    out = tmp_path / "out.yaml"
    status = main(["import", str(path), "-o", str(out)])
    stdout, stderr = console.stdout.getvalue(), console.stderr.getvalue()
    assert "Traceback" not in stderr
    problems = [line for line in stderr.splitlines() if line.startswith(f"{path}:")]
    if "is already a Stageline blueprint: it needs no import" in stderr or "is a Stageline blueprint (YAML)" in stderr:
        assert status == 2 and not out.exists()
        assert f"stageline validate {path}" in stderr
        return Answer(Kind.YAML.value, None, problems)
    if status == 0:
        imported = re.search(rf"Imported (.+?) {re.escape(path.name)} →", stdout)
        assert imported, stdout
        return Answer(_kind_named(imported.group(1)), dumps(loads(out.read_text())), problems)
    assert status == 2 and not out.exists()
    refused = re.search(rf"Cannot import {re.escape(path.name)}(?:, read as an? (.+?))?: \d+ problems?", stderr)
    assert refused, stderr
    return Answer(_kind_named(refused.group(1)) if refused.group(1) else None, None, problems)


def through_the_web(client: TestClient, app: FastAPI, world: World, path: Path, name: str) -> Answer:
    url = f"/api/workspaces/{world.workspace_id}/blueprints/import"
    response = client.post(url, headers=token_for(app, world.owner), files={"file": (name, path.read_bytes())})

    def printed(problems: list[dict[str, Any]]) -> list[str]:
        # The web's problems in the command line's words: the same file, line, column, place and message.
        return [
            as_text(FormatProblem(str(path), p["line"], p["column"], p["path"], p["message"])).plain for p in problems
        ]

    if response.status_code == 201:
        body = response.json()
        stored = app.state.services.blueprints.open(world.owner, body["blueprint"]["id"]).blueprint
        return Answer(body["kind"], dumps(stored), [])
    assert response.status_code in (413, 422), response.text
    details = response.json()["error"]["details"]
    return Answer(details.get("kind"), None, printed(details["problems"]))


@pytest.mark.parametrize("case", list(CASES))
def test_the_command_line_and_the_web_import_agree(
    case: str,
    console: environment.Environment,
    client: TestClient,
    app: FastAPI,
    api_world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name, make, kind, accepted = CASES[case]
    # The web app imports at most 5 MB (a setting) and the command line 50 MB; given one limit, both refuse alike.
    limit = Limits(max_bytes=SMALL_LIMIT)
    from stageline.commands import import_
    from stageline.server.services import importing

    monkeypatch.setattr(import_, "COMMAND_LINE", limit)
    monkeypatch.setattr(app.state.services, "import_limits", importing.import_limits(SMALL_LIMIT))
    path = tmp_path / name
    path.write_bytes(make())

    cli = through_the_command_line(console, path, tmp_path)
    web = through_the_web(client, app, api_world, path, name)

    assert cli.kind == web.kind == (kind.value if kind is not None else None)
    assert cli.problems == web.problems
    if not accepted:
        assert web.blueprint is None and cli.blueprint is None and web.problems
        return
    assert web.blueprint is not None and not web.problems
    if cli.kind == Kind.YAML:
        assert cli.blueprint is None and web.blueprint == dumps(loads(path.read_text()))  # stored as it is
    else:
        assert cli.blueprint == web.blueprint


def test_the_cases_cover_every_kind_of_file() -> None:
    assert {kind for _, _, kind, accepted in CASES.values() if accepted} == set(Kind)
