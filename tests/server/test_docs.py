"""docs/server.md stays true: the roles table and the API calls it shows."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI

from helpers.server import app_routes
from stageline.server.services.access import capability_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "server.md"


def test_roles_table_is_generated_from_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- roles-table:start")[1].split("-->", 1)[1].split("<!-- roles-table:end -->")[0]
    assert block.strip() == capability_table(), "regenerate the table with access.capability_table()"


def test_every_curl_example_names_a_real_endpoint(app: FastAPI) -> None:
    patterns = [
        (method, re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")) for method, path in app_routes(app)
    ]
    text = DOC.read_text(encoding="utf-8").replace("\\\n", " ")
    calls = re.findall(r"^curl (.*)$", text, flags=re.MULTILINE)
    assert len(calls) > 10
    for call in calls:
        url = re.search(r"\$STAGELINE(/api/[^\s\"?]*)", call)
        assert url, call
        explicit = re.search(r"-X (\w+)", call)
        method = explicit.group(1) if explicit else ("POST" if re.search(r"(-d |--data)", call) else "GET")
        assert any(m == method and pattern.match(url.group(1)) for m, pattern in patterns), f"{method} {url.group(1)}"


SECURITY = DOC.parent / "security.md"


def test_security_doc_names_real_tests_and_the_limits_in_the_code() -> None:
    from stageline.model.text import MAX_DEPTH
    from stageline.server.security.ratelimit import MAX_DELAY, PER_SOURCE
    from stageline.server.services.blueprints import MAX_CARDS
    from stageline.server.services.importing import MAX_ROWS, MAX_STEPS

    text = SECURITY.read_text(encoding="utf-8")
    root = DOC.parents[1]
    named = set(re.findall(r"`(tests/[\w/]+\.py)`", text))
    assert len(named) >= 8
    assert [path for path in sorted(named) if not (root / path).is_file()] == []
    for value in (f"{MAX_DEPTH} levels", f"{MAX_CARDS:,} ", f"{MAX_ROWS:,} ", f"{MAX_STEPS:,}"):
        assert value in text, value
    assert f"{PER_SOURCE} failures" in text and f"{MAX_DELAY:g} s" in text
