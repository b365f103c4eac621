"""The field reference of `docs/format.md`, generated from `schema.OBJECTS`.

    python -m stageline.formats.reference docs/format.md    # rewrite the generated section

A test fails when the committed document differs from what this generates.
"""

from __future__ import annotations

import sys
from pathlib import Path

from stageline.formats.schema import OBJECTS

BEGIN = "<!-- BEGIN GENERATED: field reference (python -m stageline.formats.reference docs/format.md) -->"
END = "<!-- END GENERATED: field reference -->"
TITLES = {
    "blueprint": "Top level",
    "lane": "Lanes (`lanes`)",
    "stage": "Stages (`stages`)",
    "step": "Steps (`steps`)",
    "card": "Cards",
    "failPoint": "Fail points (`fail`)",
    "distribution": "Distributions (`duration: {dist: …}`)",
    "link": "Links (`links`)",
    "opportunity": "Opportunities (`opportunities`)",
    "actor": "Actors (`actors`)",
    "checks": "Checks (`checks`)",
    "simulation": "Simulation (`simulation`)",
    "arrivals": "Arrivals (`simulation.arrivals`)",
    "resource": "Resources (`simulation.resources`)",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def field_reference() -> str:
    """Markdown tables, one per object of the format."""
    parts: list[str] = []
    for name, (description, fields) in OBJECTS.items():
        parts.append(f"### {TITLES[name]}\n\n{description}\n")
        parts.append("| Key | Required | Default | Meaning | Example |\n|---|---|---|---|---|")
        for field in fields:
            example = f"`{field.name}: {field.example}`" if field.example else ""
            parts.append(
                f"| `{field.name}` | {'yes' if field.required else ''} | {_cell(field.default or '')} "
                f"| {_cell(field.description)} | {_cell(example)} |"
            )
        parts.append("")
    return "\n".join(parts).rstrip("\n") + "\n"


def render_into(document: str) -> str:
    """`document` with its generated section replaced by the current reference."""
    start = document.index(BEGIN) + len(BEGIN)
    stop = document.index(END)
    return f"{document[:start]}\n\n{field_reference()}\n{document[stop:]}"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m stageline.formats.reference docs/format.md", file=sys.stderr)
        return 2
    path = Path(argv[0])
    path.write_text(render_into(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
