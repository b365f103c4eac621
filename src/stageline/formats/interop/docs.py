"""The generated part of docs/interop.md: recognised journey-map headings and
feeling words, straight from the tables the importer uses.

Regenerate with `python -m stageline.formats.interop.docs`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .journey import FIELDS
from .values import CHANNEL_SYNONYMS, EMOTION_WORDS

REGENERATE = "python -m stageline.formats.interop.docs"
START = "<!-- generated: journey headings (edit src/stageline/formats/interop/journey.py, then run "
END = "<!-- end generated -->"


def headings_markdown() -> str:
    lines = [
        f"{START}`{REGENERATE}`) -->",
        "",
        "| Field | Where it goes | Recognised headings |",
        "| --- | --- | --- |",
    ]
    for field in FIELDS:
        headings = ", ".join(f"`{h}`" for h in field.headings)
        lines.append(f"| `{field.name}` | {field.description} | {headings} |")
    lines += ["", "Feelings, by the score they map to:", ""]
    for score in sorted(EMOTION_WORDS):
        lines.append(f"- **{score:+d}**: {', '.join(EMOTION_WORDS[score])}")
    lines += ["", "Channels written as a standard channel:", ""]
    for channel, synonyms in CHANNEL_SYNONYMS.items():
        lines.append(f"- **{channel}**: {', '.join(synonyms)}")
    lines += ["", END]
    return "\n".join(lines)


def updated(document: str) -> str:
    """`document` with its generated block replaced by the current one."""
    start = document.index(START)
    end = document.index(END, start) + len(END)
    return document[:start] + headings_markdown() + document[end:]


def main() -> int:
    path = Path(__file__).resolve().parents[4] / "docs" / "interop.md"
    path.write_text(updated(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
