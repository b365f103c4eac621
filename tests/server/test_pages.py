"""Pages through the in-process client: first-run setup, sign-in limits,
CSRF, invitations, and that reading works without JavaScript."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from helpers.server import PASSWORD, World, form_token, sign_in
from stageline.server.auth import SESSION_COOKIE


def test_first_visitor_sets_up_the_admin_once(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/setup"
    page = client.get("/setup")
    done = client.post(
        "/setup",
        data={"username": "ada", "password": PASSWORD, "workspace": "Research", "form_token": form_token(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert client.get("/setup", follow_redirects=False).headers["location"] == "/signin"
    assert "Welcome to Stageline" in client.get(done.headers["location"]).text


def test_signin_needs_the_form_token_and_is_rate_limited(client: TestClient, api_world: World) -> None:
    assert (
        client.post("/signin", data={"username": "viewer", "password": PASSWORD, "form_token": "x"}).status_code == 403
    )
    token = form_token(client.get("/signin").text)
    for _ in range(5):
        wrong = client.post("/signin", data={"username": "viewer", "password": "not it at all", "form_token": token})
        assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
    limited = client.post("/signin", data={"username": "viewer", "password": PASSWORD, "form_token": token})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0


def test_forms_without_the_session_csrf_token_are_refused(client: TestClient, api_world: World) -> None:
    csrf = sign_in(client, "owner")
    url = f"/b/{api_world.blueprint_id}/rename"
    assert client.post(url, data={"title": "Forged"}).status_code == 403
    assert client.post(url, data={"title": "Renamed", "csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert "<h1>Renamed</h1>" in client.get(f"/b/{api_world.blueprint_id}").text


def test_sign_out_ends_the_server_side_session(client: TestClient, api_world: World) -> None:
    csrf = sign_in(client, "editor")
    cookie = client.cookies[SESSION_COOKIE]
    client.post("/signout", data={"csrf_token": csrf})
    client.cookies.set(SESSION_COOKIE, cookie)  # a copied cookie no longer works
    assert client.get("/account", follow_redirects=False).headers["location"] == "/signin?next=/account"


def test_invitation_link_creates_an_account_with_the_role(client: TestClient, app: FastAPI, api_world: World) -> None:
    csrf = sign_in(client, "owner")
    workspace = app.state.services.workspaces.get(api_world.owner, api_world.workspace_id).workspace
    created = client.post(
        f"/w/{workspace.slug}/invitations",
        data={"role": "commenter", "days": "3", "single_use": "true", "csrf_token": csrf},
    )
    link = re.search(r'value="(http://testserver/join/[^"]+)"', created.text).group(1)
    guest = TestClient(app)
    page = guest.get(link)
    assert "Join Hotel team" in page.text and "Commenter" in page.text
    joined = guest.post(
        link,
        data={"username": "grace", "password": PASSWORD, "display_name": "Grace", "form_token": form_token(page.text)},
        follow_redirects=True,
    )
    assert "Welcome! You joined the workspace." in joined.text
    assert guest.get(link).status_code == 404  # single use


def test_blueprint_page_reads_without_javascript(client: TestClient, api_world: World) -> None:
    sign_in(client, "viewer")
    page = client.get(f"/b/{api_world.blueprint_id}").text
    assert "<svg" in page and "Findings" in page and "Customer time" in page
    assert "Slowest step" in page  # the time model names where the customer's time goes
    assert 'action="/b/' not in page.split('id="comments"')[1].split("</section>")[0]  # viewers get no comment form
    assert "/manage" not in page  # and no management tab
    download = client.get(f"/b/{api_world.blueprint_id}/download.yaml")
    assert download.headers["content-disposition"] == 'attachment; filename="overnight-hotel-stay.yaml"'


def test_download_slides_gives_the_deck_the_cli_writes(client: TestClient, api_world: World) -> None:
    import io

    from pptx import Presentation

    sign_in(client, "viewer")
    page = client.get(f"/b/{api_world.blueprint_id}").text
    assert f'href="/b/{api_world.blueprint_id}/download.pptx">Slides (PowerPoint, Impress)</a>' in page
    deck = client.get(f"/b/{api_world.blueprint_id}/download.pptx")
    assert deck.status_code == 200
    assert deck.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.presentationml")
    assert deck.headers["content-disposition"] == 'attachment; filename="overnight-hotel-stay.pptx"'
    slides = Presentation(io.BytesIO(deck.content)).slides
    assert slides[0].shapes.title.text == "Overnight hotel stay"


def test_pages_take_the_drawing_font_from_the_stylesheet(client: TestClient, api_world: World) -> None:
    from stageline.render.text import REGULAR

    sign_in(client, "viewer")
    page = client.get(f"/b/{api_world.blueprint_id}").text
    found = re.search(r'<svg[^>]*class="stageline-blueprint.*?</svg>', page, re.S)
    assert found is not None
    inline = found.group(0)
    assert "data:font/ttf" not in inline  # the page's policy would block an embedded font anyway
    assert "DejaVu Sans" in inline
    css = client.get("/static/app.css").text
    assert 'font-family: "DejaVu Sans"' in css
    for url in re.findall(r'url\("(/static/fonts/[^"]+)"\)', css):
        font = client.get(url)
        assert font.status_code == 200 and font.content[:4] == b"\x00\x01\x00\x00"
    assert client.get("/static/fonts/DejaVuSans.ttf").content == REGULAR.read_bytes()
    # A downloaded SVG stands alone: it carries its font.
    download = client.get(f"/b/{api_world.blueprint_id}/download.svg")
    assert download.status_code == 200 and "data:font/ttf" in download.text


def test_sign_out_everywhere_can_also_revoke_api_tokens(client: TestClient, app: FastAPI, api_world: World) -> None:
    accounts = app.state.services.accounts
    viewer = api_world.people["viewer"]
    kept = accounts.create_token(viewer, "kept")
    csrf = sign_in(client, "viewer")
    assert client.post("/account/signout-everywhere", data={"csrf_token": csrf}).status_code == 200
    assert accounts.user_for_token(kept.token) is not None  # tokens stay unless asked
    csrf = sign_in(client, "viewer")
    gone = client.post("/account/signout-everywhere", data={"csrf_token": csrf, "tokens": "revoke"})
    assert gone.status_code == 200 and "You are signed out" in gone.text
    assert accounts.user_for_token(kept.token) is None
    assert client.get("/account", follow_redirects=False).status_code == 303


def _upload_pages(api_world: World) -> list[str]:
    slug = api_world.services.workspaces.get(api_world.owner, api_world.workspace_id).workspace.slug
    return [f"/w/{slug}/new", f"/b/{api_world.blueprint_id}/upload"]


def test_a_yaml_upload_too_large_or_not_utf8_is_refused_in_words(client: TestClient, api_world: World) -> None:
    """Both pages that take a blueprint file (a new blueprint, a new version) refuse the
    same files with the same words, and keep the page."""
    from stageline.server.services.importing import MAX_IMPORT_BYTES

    csrf = sign_in(client, "owner")
    for url in _upload_pages(api_world):
        big = b"title: x\n" + b"#" * MAX_IMPORT_BYTES
        refused = client.post(
            url, data={"csrf_token": csrf, "source": "upload"}, files={"file": ("huge.yaml", big, "application/yaml")}
        )
        assert refused.status_code == 422, (url, refused.status_code)
        assert "huge.yaml is larger than 5 MB, the most an upload may be" in refused.text
        latin = "title: Café\n".encode("latin-1")
        refused = client.post(
            url, data={"csrf_token": csrf, "source": "upload"}, files={"file": ("old.yaml", latin, "application/yaml")}
        )
        assert refused.status_code == 422, (url, refused.status_code)
        assert "old.yaml is not a UTF-8 text file: save it as UTF-8" in refused.text


def test_a_yaml_upload_with_a_byte_order_mark_is_read(client: TestClient, api_world: World) -> None:
    from helpers.blueprints import small_blueprint
    from stageline.formats.yaml_format import dumps

    csrf = sign_in(client, "owner")
    text = "\ufeff" + dumps(small_blueprint().model_copy(update={"title": "Marked"}))
    for url in _upload_pages(api_world):
        sent = client.post(
            url,
            data={"csrf_token": csrf, "source": "upload"},
            files={"file": ("bom.yaml", text.encode("utf-8"), "application/yaml")},
            follow_redirects=False,
        )
        assert sent.status_code == 303, (url, sent.text[:500])
