"""`stageline diff` end to end: formats, exit statuses, git revisions."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import EXAMPLES
from helpers.blueprints import small_blueprint
from stageline import dumps, environment
from stageline.cli import main
from stageline.model.operations import Rename, SetProperty, apply_all

CURRENT = EXAMPLES / "hotel-stay.yaml"
FUTURE = EXAMPLES / "hotel-stay-future.yaml"


def out(console: environment.Environment) -> str:
    return console.stdout.getvalue()  # type: ignore[attr-defined,no-any-return]


def err(console: environment.Environment) -> str:
    return console.stderr.getvalue()  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old = small_blueprint()
    new = old.copy_deep()
    apply_all(
        new,
        [
            SetProperty(target="registration", field="duration", value="2m"),
            SetProperty(field="state", value="future"),
            Rename(id="check-in.customer", new_id="arrive"),
        ],
    )
    paths = (tmp_path / "old.yaml", tmp_path / "new.yaml")
    paths[0].write_text(dumps(old), encoding="utf-8")
    paths[1].write_text(dumps(new), encoding="utf-8")
    return paths


def test_text_report(console: environment.Environment, pair: tuple[Path, Path]) -> None:
    assert main(["diff", str(pair[0]), str(pair[1])]) == 0
    text = out(console)
    assert "Arrival › Check in" in text
    assert "duration: 4m → 2m" in text
    assert 'id: "check-in.customer" → "arrive"' in text
    assert "Customer time" in text and "better" in text
    assert text.splitlines()[-1].startswith("3 changes (3 changed)") and "better" in text.splitlines()[-1]


def test_identical_files_say_so(console: environment.Environment, pair: tuple[Path, Path]) -> None:
    assert main(["diff", str(pair[0]), str(pair[0]), "--exit-code"]) == 0
    assert out(console).rstrip().endswith("No differences.")


def test_exit_code_reports_differences(console: environment.Environment, pair: tuple[Path, Path]) -> None:
    assert main(["diff", str(pair[0]), str(pair[1]), "--exit-code", "--no-metrics"]) == 1
    assert main(["diff", str(pair[0]), str(pair[1]), "--no-metrics"]) == 0


def test_json_contract(console: environment.Environment, pair: tuple[Path, Path]) -> None:
    assert main(["diff", str(pair[0]), str(pair[1]), "--format", "json"]) == 0
    data = json.loads(out(console))
    assert {"added", "removed", "changed", "moved", "metrics"} <= set(data)
    assert data["added"] == [] and data["removed"] == [] and data["moved"] == []
    by_id = {change["id"]: change for change in data["changed"]}
    assert by_id["registration"]["fields"] == {"duration": [240.0, 120.0]}
    assert by_id["arrive"]["fields"] == {"id": ["check-in.customer", "arrive"]}
    assert by_id[None]["fields"] == {"state": ["current", "future"]}
    assert data["metrics"]["customer_time"][0] > data["metrics"]["customer_time"][1]
    assert data["renamed"]["check-in.customer->registration"] == "arrive->registration"


def test_invalid_input_exits_2_with_the_place_of_the_problem(console: environment.Environment, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("stageline: 1\ntitle: Broken\ntolerance: soon\n", encoding="utf-8")
    assert main(["diff", str(broken), str(CURRENT)]) == 2
    assert f"{broken}:3:" in err(console) and "tolerance" in err(console)
    assert main(["diff", str(tmp_path / "missing.yaml"), str(CURRENT)]) == 2
    assert "missing.yaml: error: no such file; check the path" in err(console)


def test_standard_input(console: environment.Environment, pair: tuple[Path, Path]) -> None:
    console.stdin.write(pair[0].read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    console.stdin.seek(0)  # type: ignore[attr-defined]
    assert main(["diff", "-", str(pair[1]), "--format", "json", "--no-metrics"]) == 0
    assert len(json.loads(out(console))["changed"]) == 3


def test_output_file(console: environment.Environment, pair: tuple[Path, Path], tmp_path: Path) -> None:
    target = tmp_path / "changes.txt"
    assert main(["diff", str(pair[0]), str(pair[1]), "-o", str(target)]) == 0
    written = target.read_text(encoding="utf-8")
    assert "duration: 4m → 2m" in written and "\x1b[" not in written
    assert f"wrote {target}" in err(console)
    assert main(["diff", str(pair[0]), str(pair[1]), "-o", str(tmp_path / "no" / "such" / "dir.txt")]) == 3


def test_svg_is_well_formed_and_highlights_changes(console: environment.Environment) -> None:
    assert main(["diff", str(CURRENT), str(FUTURE), "--format", "svg", "--no-metrics"]) == 0
    svg = out(console)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    for status in ("is-added", "is-removed", "is-changed"):
        assert status in svg
    # A removed card is still drawn, in red.
    assert "Key card encoder and door lock system" in svg


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.classes.extend((dict(attrs).get("class") or "").split())
        if tag not in {"meta", "br", "img", "input", "link", "path", "rect", "circle", "line", "use", "stop"}:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.classes.extend((dict(attrs).get("class") or "").split())

    def handle_endtag(self, tag: str) -> None:
        if tag in {"meta", "br", "img", "input", "link", "path", "rect", "circle", "line", "use", "stop"}:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()


def test_html_report_is_well_formed(console: environment.Environment, tmp_path: Path) -> None:
    target = tmp_path / "changes.html"
    assert main(["diff", str(CURRENT), str(FUTURE), "--format", "html", "-o", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    assert parser.stack == []
    assert {"diff-added", "diff-removed", "diff-changed", "is-added", "is-removed", "better"} <= set(parser.classes)
    assert "<svg" in page and "<?xml" not in page


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_revision(
    console: environment.Environment, pair: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    blueprint = tmp_path / "hotel.yaml"
    blueprint.write_text(pair[0].read_text(encoding="utf-8"), encoding="utf-8")
    git("add", "hotel.yaml")
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "current state")
    blueprint.write_text(pair[1].read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["diff", "HEAD:hotel.yaml", "hotel.yaml", "--format", "json", "--no-metrics"]) == 0
    assert len(json.loads(out(console))["changed"]) == 3
    assert main(["diff", "HEAD~5:hotel.yaml", "hotel.yaml"]) == 2
    assert "HEAD~5" in err(console)


@pytest.mark.parametrize(
    ("name", "value", "reads"),
    [
        ("simulation.resources.Front desk clerk", {"capacity": 1}, "capacity: 1"),
        ("opportunities.mobile-key.targets", ["check-in.customer", "registration"], "check-in.customer, registration"),
        ("fail", {"text": "Room not ready", "recovery_time": 300}, "text: Room not ready, recovery_time: 5m"),
        ("evidence", [], "none"),
        ("text", "Check in", '"Check in"'),
    ],
)
def test_compare_shows_values_as_people_read_them(name: str, value: object, reads: str) -> None:
    """Lists and mappings read as words, never raw JSON ({"capacity": 1}, ["a", "b"])."""
    from stageline.analysis.diff.summary import field_value

    assert field_value(name, value) == reads
