"""docs/editors.md stays true: the schema line `stageline new` writes, the schema the
web app serves, and the schema itself accepting every shipped blueprint."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from stageline import environment
from stageline.cli import main
from stageline.formats.schema import schema_text, shipped_schema
from stageline.templates import template_names, template_text

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "editors.md"
BLUEPRINTS = sorted((ROOT / "examples").glob("*.yaml"))
MODELINE = "# yaml-language-server: $schema=stageline.schema.json\n"


def plain_yaml(text: str) -> object:
    # Dates stay text, as the YAML language server reads them (YAML 1.2 has no timestamps).
    return json.loads(json.dumps(YAML(typ="safe", pure=True).load(text), default=str))


@pytest.mark.parametrize("path", BLUEPRINTS, ids=[path.stem for path in BLUEPRINTS])
def test_the_schema_accepts_every_example(path: Path) -> None:
    validator = Draft202012Validator(json.loads(shipped_schema()))
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(plain_yaml(path.read_text()))]
    assert errors == []


@pytest.mark.parametrize("name", template_names())
def test_the_schema_accepts_every_template(name: str) -> None:
    Draft202012Validator.check_schema(json.loads(schema_text()))
    validator = Draft202012Validator(json.loads(schema_text()))
    assert list(validator.iter_errors(plain_yaml(template_text(name)))) == []


def test_the_schema_refuses_what_validate_refuses() -> None:
    validator = Draft202012Validator(json.loads(shipped_schema()))
    bad = plain_yaml((ROOT / "tests" / "formats" / "broken" / "misspelt-card-key.yaml").read_text())
    assert any("duraton" in error.message for error in validator.iter_errors(bad))


def test_new_writes_the_modeline_and_the_schema_beside_the_file(
    console: environment.Environment, tmp_path: Path
) -> None:
    target = tmp_path / "hotel.yaml"
    assert main(["new", "-t", "hotel-stay", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith(MODELINE)
    assert (tmp_path / "stageline.schema.json").read_text(encoding="utf-8") == schema_text()
    assert "editors with a YAML plugin" in console.stdout.getvalue()
    # the documented first line is the one written
    assert MODELINE.strip() in DOC.read_text(encoding="utf-8")
    # fmt keeps it first
    assert main(["fmt", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith(MODELINE)


def test_new_never_overwrites_a_schema_file_that_is_not_ours(console: environment.Environment, tmp_path: Path) -> None:
    (tmp_path / "stageline.schema.json").write_text('{"title": "something else"}\n', encoding="utf-8")
    assert main(["new", str(tmp_path / "a.yaml")]) == 0
    assert (tmp_path / "stageline.schema.json").read_text(encoding="utf-8") == '{"title": "something else"}\n'


def test_new_with_a_url_or_without_a_schema(console: environment.Environment, tmp_path: Path) -> None:
    url = "https://stageline.example.org/schema/stageline-1.json"
    assert main(["new", "--schema", url, str(tmp_path / "a.yaml")]) == 0
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8").startswith(f"# yaml-language-server: $schema={url}\n")
    assert not (tmp_path / "stageline.schema.json").exists()
    assert main(["new", "--no-schema", str(tmp_path / "b.yaml")]) == 0
    assert (tmp_path / "b.yaml").read_text(encoding="utf-8") == template_text("blank")


def test_every_settings_snippet_in_the_doc_is_valid_json_or_lua() -> None:
    text = DOC.read_text(encoding="utf-8")
    for block in re.findall(r"```jsonc?\n(.*?)```", text, re.S):
        json.loads(re.sub(r"^\s*//.*$", "", block, flags=re.M))
    assert "yamlls" in text and "JSON Schema Mappings" in text
