"""Starting points for new blueprints, shipped with the package.

Each template is a YAML file in `stageline/templates/` whose first line is
`# description: <one line>`. The command line (`stageline new`) and the web
app ("new from template") both read them through this module:

    for template in list_templates():
        print(template.name, template.description)
    text = template_text("hotel-stay", title="Hotel stay, Lisbon")
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from io import StringIO

from ruamel.yaml import YAML

from stageline.model.integrity import suggest

DEFAULT_TEMPLATE = "blank"
_SUFFIX = ".yaml"
_DESCRIPTION = re.compile(r"^#\s*description:\s*(?P<text>.+?)\s*$")
# The blueprint's own title: a top-level key, so it starts the line.
_TITLE = re.compile(r"^title:[^\n]*$", re.MULTILINE)


@dataclass(frozen=True)
class Template:
    name: str
    description: str


class UnknownTemplateError(LookupError):
    """No packaged template has this name; the message suggests the closest one."""

    def __init__(self, name: str, choices: list[str]) -> None:
        self.name = name
        self.choices = choices
        super().__init__(
            f"there is no template {name!r}{_hint(name, choices)}; the templates are: {', '.join(choices)}"
        )


def _hint(name: str, choices: list[str]) -> str:
    # People type the first word of a template ("clinic", "saas"): a name that
    # contains what they typed is a better guess than the closest spelling.
    wanted = name.strip().lower()
    containing = [choice for choice in choices if wanted and wanted in choice]
    if len(containing) == 1:
        return f" (did you mean {containing[0]!r}?)"
    return suggest(wanted, choices)


def _folder() -> Traversable:
    return files("stageline").joinpath("templates")


@cache
def _catalogue() -> dict[str, Template]:
    found: dict[str, Template] = {}
    for entry in _folder().iterdir():
        if not entry.name.endswith(_SUFFIX) or not entry.is_file():
            continue
        name = entry.name[: -len(_SUFFIX)]
        first_line = entry.read_text(encoding="utf-8").split("\n", 1)[0]
        match = _DESCRIPTION.match(first_line)
        found[name] = Template(name, match["text"] if match else "")
    # The blank template first (it is the default), then by name.
    return {name: found[name] for name in sorted(found, key=lambda n: (n != DEFAULT_TEMPLATE, n))}


def list_templates() -> list[Template]:
    """Every packaged template, the blank one first."""
    return list(_catalogue().values())


def template_names() -> list[str]:
    return list(_catalogue())


def template_text(name: str, *, title: str | None = None, schema: str | None = None) -> str:
    """The YAML text of a template, comments included; with `title`, the
    blueprint's title replaced; with `schema`, a first line that points editors'
    YAML language server at the JSON Schema there. Raises `UnknownTemplateError`."""
    if name not in _catalogue():
        raise UnknownTemplateError(name, template_names())
    text = _folder().joinpath(name + _SUFFIX).read_text(encoding="utf-8")
    if title is not None:
        text = retitle(text, title)
    if schema is not None:
        text = modeline(schema) + text
    return text


def modeline(schema: str) -> str:
    """The comment VS Code, JetBrains and Neovim YAML plugins read to find a file's JSON Schema."""
    return f"# yaml-language-server: $schema={schema}\n"


def retitle(text: str, title: str) -> str:
    """`text` with its top-level `title:` line set to `title` (whitespace runs,
    line breaks included, become single spaces); everything else untouched."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("a blueprint's title cannot be empty")
    new_text, count = _TITLE.subn(lambda _: _title_line(title), text, count=1)
    if count == 0:
        raise ValueError("the template has no top-level title line")
    return new_text


def _title_line(title: str) -> str:
    # Let the YAML emitter quote and escape: titles come from people and may hold
    # anything, colons, quotes and '#' included.
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.width = 1_000_000  # one line, however long
    stream = StringIO()
    yaml.dump({"title": title}, stream)
    return stream.getvalue().rstrip("\n")
