"""docs/rendering.md: its Python example runs and its option table matches the command."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from stageline.commands.render import render_command
from stageline.render.themes import THEME_NAMES

DOC = Path(__file__).resolve().parents[2] / "docs" / "rendering.md"


def test_python_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), {})


def test_every_option_and_theme_is_documented() -> None:
    text = DOC.read_text()
    checked: list[str] = []
    for parameter in inspect.signature(render_command).parameters.values():
        option = parameter.default
        names = [n for n in (getattr(option, "param_decls", None) or ()) if n.startswith("--")]
        checked.extend(names)
        for name in names:
            assert f"`{name}`" in text, f"{name} is not documented in docs/rendering.md"
    assert "--scale" in checked
    for theme in THEME_NAMES:
        assert f"`{theme}`" in text


def test_the_example_image_exists() -> None:
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", DOC.read_text()):
        assert (DOC.parent / image).is_file()
