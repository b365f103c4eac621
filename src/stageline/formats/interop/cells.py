"""Text in spreadsheet cells: keep formulas from running, keep every character.

Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (and some
treat a leading tab or carriage return the same way) as a formula: "CSV
injection" (OWASP). On export such text gets a leading apostrophe in CSV, the
same mark people type in Excel to say "this is text"; XLSX text cells are
written as strings with Excel's quote-prefix flag instead, which keeps them text
even after someone edits them. A Stageline re-import removes exactly the
apostrophes it added, so the round trip is lossless.

XLSX (XML 1.0) cannot hold most control characters; they are written with the
`_xHHHH_` escape that Excel itself uses and decoded on re-import.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text that would start a formula, possibly behind apostrophes we added before:
# a second export must add one more so that the re-import can remove one.
_NEEDS_APOSTROPHE = re.compile(r"^'*[=+\-@\t\r]")
_XLSX_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_XLSX_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def starts_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def protect_csv(text: str) -> str:
    """`=1+1` → `'=1+1`; any other text unchanged (unless it already looks protected)."""
    return "'" + text if _NEEDS_APOSTROPHE.match(text) else text


def unprotect_csv(text: str) -> str:
    """Undo `protect_csv`: removes one apostrophe before formula-like text."""
    return text[1:] if text.startswith("'") and _NEEDS_APOSTROPHE.match(text) else text


def encode_xlsx(text: str) -> str:
    """Characters XML cannot carry as `_xHHHH_`; a literal `_xHHHH_` keeps its underscore as `_x005F_`."""
    return _XLSX_ESCAPE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def decode_xlsx(text: str) -> str:
    if "_x" not in text:
        return text
    return _XLSX_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
