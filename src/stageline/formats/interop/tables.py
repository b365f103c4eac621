"""CSV and XLSX files as a grid of cells, each with the row number people see.

Both importers (journey maps and Stageline's own spreadsheets) read through
here, so encodings, delimiters, sheets and size limits are handled once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stageline.formats.errors import FormatError
from stageline.formats.files import unreadable

MAX_BYTES = 50 * 1024 * 1024
_SNIFF_BYTES = 64 * 1024

Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None


@dataclass
class Table:
    """Rows of cells as read. `numbers[i]` is the 1-based row (CSV line or sheet
    row) of `rows[i]`; `source` names the file in messages."""

    source: str
    rows: list[list[Cell]]
    numbers: list[int]
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def value(self, row: int, column: int) -> Cell:
        cells = self.rows[row]
        return cells[column] if column < len(cells) else None

    def text(self, row: int, column: int) -> str:
        return cell_text(self.value(row, column))


def cell_text(value: Cell) -> str:
    """A cell as the text a person reads in it: `3` not `3.0`, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip() if isinstance(value, str) else str(value)


WORKBOOK = "xl/workbook.xml"  # the member that makes a ZIP archive an XLSX workbook


def zip_names(data: bytes) -> list[str] | None:
    """The member names of a ZIP archive (an XLSX workbook is one); None when `data` is no
    ZIP, or a damaged one: a broken directory, an unknown zip version, a cut-short file."""
    if not data.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError):
        return None


def is_xlsx(data: bytes) -> bool:
    return WORKBOOK in (zip_names(data) or ())


def read_bytes(path: str | Path) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FormatError.single(
                str(path),
                f"the file is {size / 1024 / 1024:.0f} MB; imports are limited to "
                f"{MAX_BYTES // 1024 // 1024} MB: split it",
            )
        return path.read_bytes()
    except OSError as error:
        raise FormatError([unreadable(path, error, wanted="a .csv or .xlsx file")]) from None


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), BOM-marked UTF-16, or the Windows code page
    Excel uses when it saves "CSV" on Windows."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    sample = data[:_SNIFF_BYTES]
    # A stray NUL in a cell is text; NULs everywhere are a binary file (or UTF-16 without its mark).
    if sample.count(b"\x00") > len(sample) // 10:
        raise FormatError.single(source, "this is a binary file, not CSV text: save the sheet as CSV (UTF-8) or XLSX")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    """The separator of the first line: `,` normally, `;` where Excel uses a decimal comma, or tab."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = "".join(part for i, part in enumerate(first.split('"')) if i % 2 == 0)
    counts = {d: unquoted.count(d) for d in ",;\t|"}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def too_many_rows(source: str, limit: int, line: int) -> FormatError:
    return FormatError.single(
        source,
        f"this file has more than {limit:,} rows, more than can be imported at a time: split it into several files",
        line=line,
    )


def read_csv(text: str, source: str, max_rows: int | None = None) -> Table:
    """Every record with the line it starts on; quoted fields may span lines.
    Reading stops with an error at the first record past `max_rows`."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[list[Cell]] = []
    numbers: list[int] = []
    start = 1
    try:
        for record in reader:
            if max_rows is not None and len(rows) >= max_rows:
                raise too_many_rows(source, max_rows, start)
            rows.append(list(record))
            numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        raise FormatError.single(
            source,
            f"not valid CSV near line {reader.line_num}: {error}; save the sheet again as CSV",
            line=reader.line_num,
        ) from None
    return Table(source, rows, numbers)


def _open_workbook(data: bytes, source: str) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FormatError.single(
            source,
            f"cannot open this XLSX workbook ({type(error).__name__}: {error}); "
            "save it again from your spreadsheet program as .xlsx",
        ) from None


def _sheet_rows(sheet: Any, source: str, max_rows: int | None = None) -> Iterator[tuple[int, list[Cell]]]:
    # Files written by other programs often carry a wrong <dimension>; read what is there.
    sheet.reset_dimensions()
    # Streamed (read-only mode): a sheet of a million rows stops at the limit, blank rows counted too.
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if max_rows is not None and number > max_rows:
            raise too_many_rows(f"{source}, sheet {sheet.title!r}", max_rows, number)
        yield number, list(row)


def read_xlsx(data: bytes, source: str, sheet: str | None = None, max_rows: int | None = None) -> Table:
    """One sheet: the named one, else the first sheet with any content."""
    workbook = _open_workbook(data, source)
    try:
        names = list(workbook.sheetnames)
        if sheet is not None:
            if sheet not in names:
                from stageline.model.integrity import suggest

                raise FormatError.single(
                    source, f"no sheet named {sheet!r}{suggest(sheet, names)}; the workbook has {', '.join(names)}"
                )
            candidates: Sequence[str] = [sheet]
        else:
            candidates = names
        for name in candidates:
            rows: list[list[Cell]] = []
            numbers: list[int] = []
            for number, row in _sheet_rows(workbook[name], source, max_rows):
                if any(cell not in (None, "") for cell in row):
                    rows.append(row)
                    numbers.append(number)
            if rows or sheet is not None:
                return Table(source, rows, numbers, sheet=name, sheets=names)
        return Table(source, [], [], sheet=names[0] if names else None, sheets=names)
    finally:
        workbook.close()


def read_xlsx_sheets(data: bytes, source: str, max_rows: int | None = None) -> dict[str, Table]:
    """Every sheet of a workbook, rows kept in place (blank rows dropped)."""
    workbook = _open_workbook(data, source)
    try:
        tables: dict[str, Table] = {}
        for name in workbook.sheetnames:
            rows: list[list[Cell]] = []
            numbers: list[int] = []
            for number, row in _sheet_rows(workbook[name], source, max_rows):
                if any(cell not in (None, "") for cell in row):
                    rows.append(row)
                    numbers.append(number)
            tables[name] = Table(source, rows, numbers, sheet=name, sheets=list(workbook.sheetnames))
        return tables
    finally:
        workbook.close()


def read_table(data: bytes, source: str, *, sheet: str | None = None) -> Table:
    """A CSV or XLSX file (told apart by content) as a Table."""
    if is_xlsx(data):
        return read_xlsx(data, source, sheet)
    if sheet is not None:
        raise FormatError.single(source, "--sheet applies to XLSX workbooks; this file is CSV text")
    return read_csv(decode_text(data, source), source)
