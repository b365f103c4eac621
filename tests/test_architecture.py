"""docs/architecture.md shows the layers the import-linter contract enforces."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _contract_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    [layers] = [c for c in config["contracts"] if c["type"] == "layers"]
    assert config["root_package"] == "stageline"
    return [" | ".join(part.strip() for part in layer.split("|")) for layer in layers["layers"]]


def _documented_layers() -> list[str]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    diagram = re.search(r"```text\n(.*?)```", text, re.S)
    assert diagram, "docs/architecture.md has no ```text diagram of the layers"
    rows = [line for line in diagram.group(1).splitlines() if line.startswith("stageline.")]
    return [re.split(r"\s{2,}", row)[0].strip() for row in rows]


def test_the_documented_layers_are_the_enforced_ones() -> None:
    assert _documented_layers() == _contract_layers()


def test_every_layer_is_a_package_that_exists() -> None:
    for layer in _contract_layers():
        for module in layer.split(" | "):
            path = ROOT / "src" / Path(*module.split("."))
            assert path.is_dir() or path.with_suffix(".py").is_file(), module


def test_the_readme_links_the_architecture() -> None:
    assert "(docs/architecture.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
