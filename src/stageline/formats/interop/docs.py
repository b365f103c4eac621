"""The generated parts of docs/interop.md: recognised journey-map headings and
feeling words, and what maps to what for each other tool's format, straight
from the tables the importers and exporters use.

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


MAPPING_START = "<!-- generated: {name} mapping (edit the MAPPING of its module, then run "


def mapping_markdown(name: str, mapping: dict[str, tuple[tuple[str, str], ...]], other: str, note: str = "") -> str:
    """A table per part of another tool's format: its field → where it goes in Stageline."""
    lines = [f"{MAPPING_START.format(name=name)}`{REGENERATE}`) -->", ""]
    for part, rows in mapping.items():
        lines += [f"| {other}: `{part}` | Stageline |", "| --- | --- |"]
        lines += [f"| `{field.replace(', ', '`, `')}` | {where} |" for field, where in rows]
        lines.append("")
    if note:
        lines += [note, ""]
    lines.append(END)
    return "\n".join(lines)


def _blocks() -> list[tuple[str, str]]:
    from . import ir, signal

    return [
        (START, headings_markdown()),
        (
            MAPPING_START.format(name="signal"),
            mapping_markdown(
                "signal", signal.MAPPING, "Blueprint Signal", f"Not written to Signal: {signal.NOT_WRITTEN}."
            ),
        ),
        (
            MAPPING_START.format(name="ir"),
            mapping_markdown("ir", ir.MAPPING, "IR", f"Not written to the IR: {ir.NOT_WRITTEN}."),
        ),
    ]


def updated(document: str) -> str:
    """`document` with its generated blocks replaced by the current ones."""
    for start_marker, block in _blocks():
        start = document.index(start_marker)
        end = document.index(END, start) + len(END)
        document = document[:start] + block + document[end:]
    return document


def main() -> int:
    path = Path(__file__).resolve().parents[4] / "docs" / "interop.md"
    path.write_text(updated(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
