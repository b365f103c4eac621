"""The import page and API, in process: a journey map previewed with its
column mapping, the mapping changed by re-submitting the form (no JavaScript),
the blueprint created as version 1 and shown with its findings; other
formats recognised by content; bad files, size limits and roles."""

from __future__ import annotations

import io
import json
import random
import re
import string
import zlib
from base64 import urlsafe_b64encode
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import Workbook

from helpers.blueprints import small_blueprint
from helpers.server import World, sign_in, token_for
from stageline.formats.interop.spreadsheet import write_csv, write_xlsx
from stageline.formats.yaml_format import dumps
from stageline.server.services.errors import Invalid
from stageline.server.services.importing import MAX_IMPORT_BYTES, Upload

DATA = Path(__file__).resolve().parents[1] / "interop" / "data"
JOURNEY = (DATA / "journey.csv").read_bytes()


# -- a browser without JavaScript -------------------------------------------------------------
class Fields(HTMLParser):
    """The values a browser would submit with the forms of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.disabled: set[str] = set()
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") in ("hidden", None, "text"):
            self.values[a["name"] or ""] = a.get("value") or ""
        elif tag == "select":
            self._select = a.get("name")
            if self._select:
                self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""
        elif tag == "button" and "disabled" in a and a.get("value"):
            self.disabled.add(a["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def fields(html: str) -> Fields:
    parser = Fields()
    parser.feed(html)
    return parser


def slug_of(app: FastAPI, world: World) -> str:
    return str(app.state.services.workspaces.get(world.owner, world.workspace_id).workspace.slug)


def column(html: str, heading: str) -> str:
    """The form field of the select that reads `heading`."""
    found = re.search(rf'<label for="(column-\d+)">{re.escape(heading)}</label>', html)
    assert found, f"no column {heading!r} on the page"
    return found.group(1)


def preview_rows(html: str) -> list[list[str]]:
    """The preview table's cells as text."""
    body = html.split('class="table import-rows"')[1].split("</tbody>")[0].split("<tbody>")[1]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells])
    return rows


def upload(client: TestClient, slug: str, csrf: str, name: str, data: bytes, **extra: str) -> Any:
    return client.post(
        f"/w/{slug}/import",
        data={"csrf_token": csrf, **extra},
        files={"file": (name, data, "application/octet-stream")},
    )


def resubmit(client: TestClient, slug: str, page: str, action: str = "preview", **changes: str) -> Any:
    """Submit the preview form again as a browser would, with some fields changed."""
    values = {**fields(page).values, **changes, "action": action}
    return client.post(f"/w/{slug}/import", data=values, follow_redirects=False)


def blueprint_count(app: FastAPI, world: World) -> int:
    return len(app.state.services.blueprints.listing(world.owner, world.workspace_id))


# -- journey maps ------------------------------------------------------------------------------
def test_a_journey_map_is_previewed_with_its_mapping_and_nothing_is_created(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    csrf = sign_in(client, "editor")
    slug = slug_of(app, api_world)
    before = blueprint_count(app, api_world)
    new_page = client.get(f"/w/{slug}/new").text
    assert f'href="/w/{slug}/import"' in new_page  # the new-blueprint page links here

    page = upload(client, slug, csrf, "hotel journey.csv", JOURNEY)
    assert page.status_code == 200
    chosen = fields(page.text).values
    assert chosen[column(page.text, "Stage")] == "stage"
    assert chosen[column(page.text, "Customer action")] == "customer"
    assert chosen[column(page.text, "Feeling")] == "emotion"
    assert chosen[column(page.text, "Pain points")] == "pain"
    assert chosen["upload_name"] == "hotel journey.csv"
    assert "5 steps in 3 stages, 5 opportunities." in page.text
    rows = preview_rows(page.text)
    # Stage, Step, Customer action, Evidence, Emotion, Pain point, Opportunities, Also
    assert rows[0][:7] == [
        "Discover",
        "Search",
        "Search for a hotel online",
        "Search results page",
        "+1 curious",
        "Too many similar offers",
        "Compare by distance to the office",
    ]
    assert rows[1][4] == "−1 😕"  # an emoji lands on the −2..+2 scale
    assert rows[1][6] == "Show verified stays Filter reviews by business travellers"  # one per line
    assert rows[3][3] == "Key card Lobby" and "Wait: 8m" in rows[3][7]
    assert 'placeholder="Hotel journey"' in page.text  # the title it will get
    assert blueprint_count(app, api_world) == before


def test_changing_the_mapping_by_resubmitting_the_form_updates_the_preview_and_the_blueprint(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    csrf = sign_in(client, "editor")
    slug = slug_of(app, api_world)
    page = upload(client, slug, csrf, "journey.csv", JOURNEY).text
    thinking, pain = column(page, "Thinking"), column(page, "Pain points")

    changed = resubmit(client, slug, page, **{thinking: "pain", pain: ""})
    assert changed.status_code == 200
    assert fields(changed.text).values[thinking] == "pain"
    assert fields(changed.text).values[pain] == ""
    assert preview_rows(changed.text)[0][5] == "Which one is near the office?"
    assert "detected as Thinking" in changed.text and "detected as Pain points" in changed.text

    created = resubmit(client, slug, changed.text, action="create", title="Hotel booking journey")
    assert created.status_code == 303
    location = created.headers["location"]
    assert re.fullmatch(r"/b/\d+\?done=journey-imported", location)
    blueprint_id = int(location.split("/")[2].split("?")[0])
    opened = app.state.services.blueprints.open(api_world.owner, blueprint_id)
    assert opened.record.title == "Hotel booking journey" and opened.record.version == 1
    first = opened.blueprint.stages[0].steps[0].cards("customer")[0]
    assert first.pain == "Which one is near the office?"
    assert first.notes is None  # Thinking was read as the pain point instead
    versions = app.state.services.blueprints.versions(api_world.owner, blueprint_id)
    assert [v.summary for v in versions] == ["Imported from journey.csv, a journey map"]

    landing = client.get(location)
    assert "Journey map imported. The findings below list what each step still needs." in landing.text
    findings = landing.text.split('id="findings-title"')[1].split("</section>")[0]
    assert "SL105" in findings  # a journey map has no company side yet: the findings say what to add
    assert "no backstage work is mapped" in findings


def test_the_same_field_on_two_columns_is_refused_and_the_upload_is_kept(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    csrf = sign_in(client, "editor")
    slug = slug_of(app, api_world)
    page = upload(client, slug, csrf, "journey.csv", JOURNEY).text
    touchpoint = column(page, "Touchpoint")
    clash = resubmit(client, slug, page, **{touchpoint: "customer"})
    assert clash.status_code == 422
    assert '<code>columns "Customer action" and "Touchpoint"</code>: both are read as Customer action' in unescape(
        clash.text
    )
    kept = fields(clash.text)
    assert kept.values["upload"] == fields(page).values["upload"]  # no need to choose the file again
    assert "create" in kept.disabled
    refused = resubmit(client, slug, clash.text, action="create")
    assert refused.status_code == 422 and blueprint_count(app, api_world) == 1

    fixed = resubmit(client, slug, clash.text, **{touchpoint: "channel"})
    assert fixed.status_code == 200 and "create" not in fields(fixed.text).disabled


def test_a_bad_cell_names_its_row_and_column_and_can_be_fixed_with_the_mapping(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    csrf = sign_in(client, "editor")
    slug = slug_of(app, api_world)
    bad = JOURNEY.replace(b",15m,", b",a good while,")
    page = upload(client, slug, csrf, "journey.csv", bad)
    assert page.status_code == 422
    assert '<code>row 3, column "Duration"</code>' in unescape(page.text)
    assert "a good while" in page.text
    assert "create" in fields(page.text).disabled
    assert preview_rows(page.text)[1][2] == "Read reviews"  # the cells as written, so the mapping can be judged

    ignored = resubmit(client, slug, page.text, **{column(page.text, "Duration"): ""})
    assert ignored.status_code == 200
    created = resubmit(client, slug, ignored.text, action="create")
    assert created.status_code == 303
    blueprint_id = int(created.headers["location"].split("/")[2].split("?")[0])
    card = app.state.services.blueprints.open(api_world.owner, blueprint_id).blueprint.stages[0].steps[0]
    assert card.cards("customer")[0].duration is None


def test_unrecognised_headings_are_chosen_by_hand(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = sign_in(client, "editor")
    slug = slug_of(app, api_world)
    data = b"Phase of trip,What happens,Mood\nArrive,Walk in,neutral\nArrive,Queue,angry\nLeave,Pay,happy\n"
    page = upload(client, slug, csrf, "visit.csv", data)
    assert page.status_code == 200
    assert "Stageline could not tell which columns are which" in page.text
    assert "create" in fields(page.text).disabled
    assert fields(page.text).values[column(page.text, "Mood")] == "emotion"  # what is known is kept
    what = column(page.text, "What happens")
    chosen = resubmit(client, slug, page.text, **{what: "customer", column(page.text, "Phase of trip"): "stage"})
    assert chosen.status_code == 200
    assert [row[:3] for row in preview_rows(chosen.text)] == [
        ["Arrive", "Walk in", "Walk in"],
        ["Arrive", "Queue", "Queue"],
        ["Leave", "Pay", "Pay"],
    ]
    assert "3 steps in 2 stages" in chosen.text
    assert [row[4] for row in preview_rows(chosen.text)] == ["0 neutral", "−2 angry", "+1 happy"]


def test_a_transposed_workbook_offers_its_sheets(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = sign_in(client, "editor")
    slug = slug_of(app, api_world)
    page = upload(client, slug, csrf, "clinic.xlsx", (DATA / "clinic_journey.xlsx").read_bytes())
    assert page.status_code == 200
    values = fields(page.text).values
    assert values["sheet"] == "Journey map"  # the notes sheet is skipped
    assert "one column per step" in page.text
    assert 'placeholder="Clinic appointment – current-state journey map"' in page.text
    notes = resubmit(client, slug, page.text, sheet="Notes")
    assert fields(notes.text).values["sheet"] == "Notes"
    assert "Stageline could not tell which columns are which" in notes.text


def test_the_preview_fragment_follows_the_choices(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = sign_in(client, "editor")
    slug = slug_of(app, api_world)
    page = upload(client, slug, csrf, "journey.csv", JOURNEY).text
    values = {**fields(page).values, column(page, "Feeling"): ""}
    fragment = client.post(f"/w/{slug}/import/preview", data=values)
    assert fragment.status_code == 200
    assert fragment.headers["x-stageline-fragment"] == "import-preview"
    assert "<html" not in fragment.text and 'data-ready="true"' in fragment.text
    assert all(row[4] == "" for row in preview_rows(fragment.text))  # no emotion column any more
    clash = client.post(f"/w/{slug}/import/preview", data={**values, column(page, "Step"): "customer"})
    assert clash.status_code == 422 and 'data-ready="false"' in clash.text and "both are read as" in clash.text


# -- other formats -----------------------------------------------------------------------------
def test_other_formats_are_recognised_by_content_and_created(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    csrf = sign_in(client, "editor")
    slug = slug_of(app, api_world)
    original = small_blueprint()
    files = {
        "Stageline spreadsheet export": ("export.xlsx", write_xlsx(original)),
        "Stageline YAML file": ("hotel.txt", dumps(original).encode()),  # by content, not by name
    }
    files["Stageline spreadsheet export (CSV)"] = ("export.csv", write_csv(original).encode())
    for label, (name, data) in files.items():
        page = upload(client, slug, csrf, name, data)
        assert page.status_code == 200, page.text
        assert label.split(" (")[0] in page.text and 'class="table mapping"' not in page.text
        created = resubmit(client, slug, page.text, action="create")
        assert created.status_code == 303 and created.headers["location"].endswith("done=imported")
        blueprint_id = int(created.headers["location"].split("/")[2].split("?")[0])
        stored = app.state.services.blueprints.open(api_world.owner, blueprint_id).blueprint
        assert dumps(stored) == dumps(original), label  # comes back exactly
    signal = upload(client, slug, csrf, "project.json", (DATA / "signal_project.json").read_bytes())
    assert "Blueprint Signal project" in signal.text
    assert "<dt>Title</dt><dd>FICTIONAL DEMO: Fjord Table restaurant</dd>" in signal.text
    process_list = b"Stage,Service layer,What happens\nArrive,Customer actions,Give booking name\n"
    process = upload(client, slug, csrf, "process.csv", process_list)
    assert "Blueprint Signal project" in process.text and "create" not in fields(process.text).disabled


def test_bad_files_name_the_json_path_or_yaml_line(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = sign_in(client, "editor")
    slug = slug_of(app, api_world)
    project = json.loads((DATA / "signal_project.json").read_text())
    project["data"]["actions"][1]["minutes"] = "lots"
    page = upload(client, slug, csrf, "project.json", json.dumps(project).encode(), title="Kept title")
    assert page.status_code == 422
    assert "<code>$.data.actions[1].minutes</code>: 'lots' is not a number (at least 0" in unescape(page.text)
    assert 'name="file"' in page.text and 'value="Kept title"' in page.text  # choose the fixed file again

    yaml = upload(client, slug, csrf, "hotel.yaml", b"stageline: 1\ntitle: Hotel\nstages:\n  - id: Bad Id\n")
    assert yaml.status_code == 422
    assert "<code>line 4, column" in yaml.text and "Bad Id" in yaml.text
    binary = upload(client, slug, csrf, "photo.png", b"\x89PNG\r\n\x1a\n" + bytes(4000))
    assert binary.status_code == 422 and "this is a binary file" in binary.text
    assert blueprint_count(app, api_world) == 1


def test_size_limits_and_damaged_uploads_get_clear_messages(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = sign_in(client, "editor")
    slug = slug_of(app, api_world)
    big = upload(client, slug, csrf, "huge.csv", JOURNEY + b"x" * (MAX_IMPORT_BYTES + 700_000))
    assert big.status_code == 413
    assert "The file huge.csv is 5.7 MB; imports are limited to 5 MB: split the file" in big.text
    assert 'type="file"' in big.text
    empty = upload(client, slug, csrf, "empty.csv", b"  \n")
    assert empty.status_code == 422 and "The file empty.csv is empty" in empty.text
    none = client.post(f"/w/{slug}/import", data={"csrf_token": csrf})
    assert none.status_code == 422 and "Choose a file to import" in none.text
    page = upload(client, slug, csrf, "journey.csv", JOURNEY).text
    damaged = resubmit(client, slug, page, upload="not-a-kept-file")
    assert damaged.status_code == 422 and "choose the file again" in damaged.text


def test_a_large_kept_upload_travels_back_with_the_form(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = sign_in(client, "editor")
    slug = slug_of(app, api_world)
    rng = random.Random(7)
    lines = [b"Stage,Customer action,Thinking"]
    while sum(len(line) for line in lines) < 2_500_000:
        words = " ".join("".join(rng.choices(string.ascii_letters, k=8)) for _ in range(60))
        lines.append(f"Visit,Do {len(lines)},{words}".encode())
    page = upload(client, slug, csrf, "big.csv", b"\n".join(lines))
    assert page.status_code == 200
    assert len(fields(page.text).values["upload"]) > 1024 * 1024  # more than Starlette's default for a field
    changed = resubmit(client, slug, page.text, **{column(page.text, "Thinking"): "pain"})
    assert changed.status_code == 200, changed.text[:500]
    assert f"{len(lines) - 1:,} steps in 1 stage" in changed.text


def test_a_kept_upload_refuses_a_decompression_bomb() -> None:
    bomb = urlsafe_b64encode(zlib.compress(b"\0" * (MAX_IMPORT_BYTES + 10))).decode()
    with pytest.raises(Invalid, match="choose the file again"):
        Upload.unstash("bomb.csv", bomb)
    kept = Upload.of("C:\\Users\\me\\journey.csv", JOURNEY)
    assert kept.name == "journey.csv"
    assert Upload.unstash(kept.name, kept.stash()) == kept


# -- roles -------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["viewer", "commenter"])
def test_people_who_cannot_create_cannot_import(who: str, client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = sign_in(client, who)
    slug = slug_of(app, api_world)
    assert client.get(f"/w/{slug}/import").status_code == 403
    refused = upload(client, slug, csrf, "journey.csv", JOURNEY)
    assert refused.status_code == 403 and "ask an owner for the editor role" in refused.text
    owner_page = TestClient(app)
    owner_csrf = sign_in(owner_page, "owner")
    stash = fields(upload(owner_page, slug, owner_csrf, "journey.csv", JOURNEY).text).values
    forged = client.post(f"/w/{slug}/import", data={**stash, "csrf_token": csrf, "action": "create"})
    assert forged.status_code == 403
    assert client.post(f"/w/{slug}/import/preview", data={**stash, "csrf_token": csrf}).status_code == 403
    assert blueprint_count(app, api_world) == 1


def test_outsiders_and_forged_forms_get_nothing(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = sign_in(client, "outsider")
    slug = slug_of(app, api_world)
    assert client.get(f"/w/{slug}/import").status_code == 404
    assert upload(client, slug, csrf, "journey.csv", JOURNEY).status_code == 404
    editor = TestClient(app)
    sign_in(editor, "editor")
    no_token = editor.post(f"/w/{slug}/import", files={"file": ("journey.csv", JOURNEY, "text/csv")})
    assert no_token.status_code == 403 and blueprint_count(app, api_world) == 1


# -- REST API ----------------------------------------------------------------------------------
def test_api_imports_a_journey_map_with_a_mapping(client: TestClient, app: FastAPI, api_world: World) -> None:
    auth = token_for(app, api_world.people["editor"])
    url = f"/api/workspaces/{api_world.workspace_id}/blueprints/import"
    files = {"file": ("journey.csv", JOURNEY, "text/csv")}
    dry = client.post(
        url, headers=auth, files=files, data={"dry_run": "true", "map": ["Thinking=pain", "Pain points="]}
    )
    assert dry.status_code == 200, dry.text
    body = dry.json()
    assert body["blueprint"] is None and body["kind"] == "journey" and body["counts"]["steps"] == 5
    read = {c["heading"]: c["field"] for c in body["mapping"]["columns"]}
    assert read["Thinking"] == "pain" and read["Pain points"] is None and read["Feeling"] == "emotion"
    assert body["preview"][0]["pain"] == "Which one is near the office?"
    assert body["preview"][1]["emotion"] == -1 and body["preview"][1]["feeling"] == "😕"
    assert blueprint_count(app, api_world) == 1

    created = client.post(url, headers=auth, files=files, data={"title": "From the API", "map": "Thinking=pain"})
    assert created.status_code == 201, created.text
    body = created.json()
    blueprint_id = body["blueprint"]["id"]
    assert created.headers["location"] == f"/api/blueprints/{blueprint_id}" and created.headers["etag"] == '"1"'
    assert body["blueprint"]["title"] == "From the API" and body["title"] == "From the API"
    assert any(f["name"] == "no-backstage" for f in body["findings"])
    stored = client.get(f"/api/blueprints/{blueprint_id}", headers=auth).json()
    assert stored["version"] == 1


def test_api_import_errors_and_roles(client: TestClient, app: FastAPI, api_world: World) -> None:
    url = f"/api/workspaces/{api_world.workspace_id}/blueprints/import"
    editor = token_for(app, api_world.people["editor"])
    unknown = client.post(url, headers=editor, files={"file": ("j.csv", JOURNEY)}, data={"map": "Mood=emotion"})
    assert unknown.status_code == 422
    error = unknown.json()["error"]
    assert error["code"] == "invalid_import" and "no heading 'Mood' in the table" in error["message"]
    bad = client.post(url, headers=editor, files={"file": ("j.csv", JOURNEY.replace(b",15m,", b",ages,"))})
    problems = bad.json()["error"]["details"]["problems"]
    assert bad.status_code == 422 and problems[0]["where"] == 'row 3, column "Duration"'
    not_a_map = client.post(url, headers=editor, files={"file": ("list.csv", b"Colour,Size\nred,2\n")})
    assert not_a_map.status_code == 422 and "does not look like a journey map" in not_a_map.json()["error"]["message"]
    huge = client.post(url, headers=editor, files={"file": ("big.csv", b"x" * (MAX_IMPORT_BYTES + 1))})
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "too_large"
    viewer = token_for(app, api_world.people["viewer"])
    for data in ({}, {"dry_run": "true"}):
        refused = client.post(url, headers=viewer, files={"file": ("j.csv", JOURNEY)}, data=data)
        assert refused.status_code == 403
    outsider = token_for(app, api_world.people["outsider"])
    assert client.post(url, headers=outsider, files={"file": ("j.csv", JOURNEY)}).status_code == 404
    assert blueprint_count(app, api_world) == 1


def test_the_import_endpoint_is_documented(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/workspaces/{workspace_id}/blueprints/import"]["post"]
    content = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    ref = content["$ref"].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][ref]["properties"]
    assert {"file", "title", "sheet", "map", "dry_run"} <= set(properties)
    assert "HEADING=FIELD" in properties["map"]["description"]
    assert {"201", "200", "413", "422"} <= set(operation["responses"])


def test_a_workbook_journey_map_is_read_from_the_sheet_named(
    app: FastAPI, client: TestClient, api_world: World
) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Summary"
    first.append(["Owner", "Date"])
    sheet = book.create_sheet("Map")
    sheet.append(["Stage", "Doing", "Feeling"])
    sheet.append(["Arrive", "Walk in", 4])
    sheet.append(["Arrive", "Sit down", 2])
    buffer = io.BytesIO()
    book.save(buffer)
    url = f"/api/workspaces/{api_world.workspace_id}/blueprints/import"
    auth = token_for(app, api_world.owner)
    files = {"file": ("visit.xlsx", buffer.getvalue())}
    found = client.post(url, headers=auth, files=files, data={"dry_run": "true"})
    assert found.status_code == 200 and found.json()["mapping"]["sheet"] == "Map"
    named = client.post(url, headers=auth, files=files, data={"dry_run": "true", "sheet": "Summary"})
    assert named.status_code == 422 and "does not look like a journey map" in named.json()["error"]["message"]


def test_other_tools_files_say_what_they_leave_behind(client: TestClient, app: FastAPI, api_world: World) -> None:
    from stageline.formats.interop.ir import to_ir

    csrf = sign_in(client, "editor")
    slug = slug_of(app, api_world)
    project = json.loads((DATA / "signal_project.json").read_text())
    project["data"]["hazards"].append({**project["data"]["hazards"][0], "id": "F3", "basis": "observed"})
    signal = upload(client, slug, csrf, "project.json", json.dumps(project).encode())
    assert signal.status_code == 200 and "Blueprint Signal project" in signal.text
    assert "Not imported: 2 fields Stageline has no place for" in signal.text
    assert "$.hazards[*].basis: fail points carry no basis of their own" in unescape(signal.text)
    document, _ = to_ir(small_blueprint())
    ir = upload(client, slug, csrf, "blueprint.json", json.dumps(document).encode())
    assert ir.status_code == 200, ir.text
    assert "Agentic-service-blueprinting IR" in ir.text and "create" not in fields(ir.text).disabled
