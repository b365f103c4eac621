"""The import page in headless Chromium against a real `stageline serve`: an
editor uploads a journey map, changes what a column holds, sees the preview
redrawn in place (the page's module, no reload), and creates the blueprint.

Set STAGELINE_SCREENSHOTS=<dir> to keep screenshots of the page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from helpers.browser import chromium
from helpers.live_server import Instance, ServerProcess, cookie, populate

pytestmark = pytest.mark.browser

JOURNEY = Path(__file__).resolve().parents[1] / "interop" / "data" / "journey.csv"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def instance(tmp_path: Path) -> Instance:
    return populate(f"sqlite:///{tmp_path / 'import.db'}")


@pytest.fixture
def server(instance: Instance, tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(instance.database_url, tmp_path / "server.log").start()
    yield process
    process.stop()


def shoot(page: Page, name: str) -> None:
    folder = os.environ.get("STAGELINE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def cell(page: Page, row: int, column: int) -> str:
    return page.locator("table.import-rows tbody tr").nth(row).locator("td").nth(column).inner_text().strip()


def test_upload_change_a_column_see_the_preview_follow_and_create(
    browser: Browser, instance: Instance, server: ServerProcess
) -> None:
    slug = instance.services.workspaces.get(instance.world.owner, instance.world.workspace_id).workspace.slug
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    context.add_cookies([cookie(instance, "editor", server)])  # type: ignore[list-item]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{server.url}/w/{slug}/new")
    page.get_by_role("link", name="Import a journey map or file").click()
    shoot(page, "import-choose")
    page.get_by_label("File").set_input_files(str(JOURNEY))
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("heading", name="journey.csv")).to_be_visible()
    expect(page.get_by_role("button", name="Update preview")).to_be_hidden()  # the module redraws instead
    assert page.get_by_label("Pain points").input_value() == "pain"
    assert cell(page, 0, 5) == "Too many similar offers"
    assert cell(page, 0, 4) == "+1 curious"
    shoot(page, "import-preview")

    page.evaluate("() => { window.samePage = true; }")
    page.get_by_label("Thinking").select_option(label="Pain points")
    expect(page.locator("table.import-rows tbody tr").first.locator("td").nth(5)).to_have_text(
        "Which one is near the office?"
    )
    # One column per field: the pain points moved from their own column to Thinking.
    assert page.get_by_label("Pain points").input_value() == ""
    assert page.evaluate("() => window.samePage") is True  # redrawn in place, not reloaded
    expect(page.get_by_role("button", name="Create blueprint")).to_be_enabled()

    page.get_by_label("Title").fill("Business trip")
    page.get_by_role("button", name="Create blueprint").click()
    expect(page.get_by_role("status")).to_contain_text("Journey map imported")
    expect(page.get_by_role("heading", name="Business trip")).to_be_visible()
    expect(page.locator("#findings-title")).to_be_visible()
    expect(page.locator(".findings")).to_contain_text("no backstage work is mapped")
    shoot(page, "import-created")

    blueprint_id = int(page.url.split("/b/")[1].split("?")[0])
    stored = instance.services.blueprints.open(instance.world.owner, blueprint_id)
    assert stored.record.version == 1
    assert stored.blueprint.stages[0].steps[0].cards("customer")[0].pain == "Which one is near the office?"
    assert errors == []
