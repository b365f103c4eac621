"""Event logs: the timestamps an organisation's systems record, read as columns.

A log is rows of events, each with a case id (the customer's visit, order or
ticket), an activity, and either one timestamp (the event happened then) or a
start and an end; a resource (who did it) and a status (did it fail) are
optional. CSV and XLSX files, JSON lines and XES (IEEE 1849-2016) are read
row by row: only compact columns of numbers and the distinct texts are kept,
never the file, so memory follows the number of events at about 40 bytes
each, not the size of the file.

Columns are found by their headings (`case id`, `activity`, `start time`…)
and can be named instead with `--column ROLE=HEADING`. Every problem names the
file, the row and the column, and says what to do: whole-file problems (no
case column, an unknown date format) stop the run; problems of single rows
(an end before its start, a missing end) are warnings and the row is left out
or measured as far as it can be.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gc
import io
import itertools
import json
import operator
import os
import re
import warnings as _warnings
import xml.etree.ElementTree as ElementTree
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from stageline.model.integrity import suggest

ROLES: tuple[str, ...] = ("case", "activity", "timestamp", "start", "end", "resource", "status", "lifecycle")
ROLE_HELP: dict[str, str] = {
    "case": "the case id: one customer's visit, order or ticket",
    "activity": "what happened, matched to a card",
    "timestamp": "when it happened (one time per event)",
    "start": "when the activity started",
    "end": "when the activity ended",
    "resource": "who or what did it (desk-1, Anna)",
    "status": "whether it failed (failed, error) or not",
    "lifecycle": "start or complete, for logs with one row per transition (XES)",
}
_HEADINGS: dict[str, tuple[str, ...]] = {
    "case": (
        "case",
        "case id",
        "caseid",
        "case concept name",
        "case name",
        "trace",
        "trace id",
        "case number",
        "ticket",
        "ticket id",
        "order id",
        "visit",
        "visit id",
        "booking id",
        "customer id",
        "process instance",
        "instance",
    ),
    "activity": ("activity", "concept name", "activity name", "event", "event name", "task", "action", "step"),
    "timestamp": ("timestamp", "time timestamp", "time", "date", "datetime", "date time", "event time", "when"),
    "start": ("start", "start time", "start timestamp", "started", "started at", "begin", "start date"),
    "end": (
        "end",
        "end time",
        "end timestamp",
        "complete",
        "complete time",
        "complete timestamp",
        "completed",
        "completed at",
        "finish",
        "finished",
        "finish time",
        "stop",
        "end date",
    ),
    "resource": ("resource", "org resource", "user", "agent", "employee", "staff", "performer", "operator", "who"),
    "status": ("status", "outcome", "result", "state"),
    "lifecycle": ("lifecycle", "lifecycle transition", "transition", "event type", "lifecycle state"),
}
_FAILED = re.compile(r"\b(fail(ed|ure|s)?|error(ed|s)?|exception|abort(ed)?|unsuccessful|not ok)\b", re.IGNORECASE)
_STARTS = {"start", "started", "begin", "schedule", "assign", "resume"}
_ENDS = {"complete", "completed", "end", "ended", "finish", "finished", "done", "ate_abort", "autoskip", "manualskip"}
MAX_WARNINGS_SHOWN = 5
DETECT_ROWS = 1000
_SNIFF_BYTES = 64 * 1024
CHUNK_ROWS = 50_000  # rows read at once with numpy
EPOCH = dt.datetime(1970, 1, 1)


def heading_key(text: str) -> str:
    """A heading as compared: lower case, separators as single spaces."""
    return " ".join(re.sub(r"[\s_:.\-/()]+", " ", text.lower()).split())


_KNOWN: dict[str, str] = {heading_key(h): role for role, headings in _HEADINGS.items() for h in headings}


# -- problems --------------------------------------------------------------------------------
@dataclass(frozen=True)
class LogProblem:
    """One thing wrong with a log, placed as people look for it: file, row, column."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    severity: str = "error"
    count: int = 1  # how many rows share this warning (the row named is the first)

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row:,}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        more = f" ({self.count - 1:,} more rows like it)" if self.count > 1 else ""
        return f"{', '.join(where)}: {self.severity}: {self.message}{more}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
            "count": self.count,
        }


class EventLogError(ValueError):
    """A log that cannot be read; `problems` lists everything that stops it."""

    def __init__(self, problems: Sequence[LogProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, message: str, row: int | None = None, column: str | None = None) -> EventLogError:
        return cls([LogProblem(file, message, row, column)])


class _Warnings:
    """Warnings of one kind are counted; only the first row of each is kept."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str, str | None], LogProblem] = {}

    def add(self, file: str, kind: str, message: str, row: int | None, column: str | None) -> None:
        key = (file, kind, column)
        known = self._found.get(key)
        if known is None:
            self._found[key] = LogProblem(file, message, row, column, "warning")
        else:
            self._found[key] = LogProblem(
                known.file, known.message, known.row, known.column, "warning", known.count + 1
            )

    def extend(self, problems: Iterable[LogProblem]) -> None:
        for problem in problems:
            self._found[(problem.file, problem.message, problem.column)] = problem

    @property
    def problems(self) -> list[LogProblem]:
        return list(self._found.values())


# -- sources ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class LogSource:
    """A log given as bytes (an upload) rather than a path."""

    name: str
    data: bytes


LogInput = str | os.PathLike[str] | LogSource | Mapping[str, Sequence[Any]] | Any
"""A path, a LogSource, a mapping of column name to values, or a data frame (anything
with `columns` and `itertuples`, such as a pandas DataFrame)."""

Cell = Any
Rows = Iterator[tuple[int, list[Cell]]]


@dataclass
class _Opened:
    name: str
    kind: str  # csv, xlsx, jsonl, xes, frame
    headings: list[str]
    rows: Rows
    row_label: str = "row"


def _name_of(item: LogInput) -> str:
    if isinstance(item, LogSource):
        return item.name
    if isinstance(item, (str, os.PathLike)):
        return str(item)
    return "<data frame>"


def _open_bytes(item: LogInput) -> tuple[str, BinaryIO]:
    name = _name_of(item)
    if isinstance(item, LogSource):
        return name, io.BytesIO(item.data)
    path = Path(item)  # type: ignore[arg-type]
    try:
        return name, path.open("rb")
    except FileNotFoundError:
        raise EventLogError.single(name, "no such file: check the path") from None
    except IsADirectoryError:
        raise EventLogError.single(
            name, "this is a folder; give the path of a log file (CSV, XLSX, XES, JSONL)"
        ) from None
    except PermissionError:
        raise EventLogError.single(name, "permission denied: the file cannot be read") from None


def _kind(name: str, head: bytes) -> str:
    lower = name.lower()
    if head.startswith(b"PK"):
        return "xlsx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if lower.endswith((".xes", ".xml")) or stripped.startswith(b"<"):
        return "xes"
    if lower.endswith((".jsonl", ".ndjson", ".json")) or stripped.startswith(b"{"):
        return "jsonl"
    return "csv"


def _decoded_lines(stream: BinaryIO, name: str, warnings: _Warnings) -> Iterator[str]:
    """Lines of text: UTF-8 (a BOM is dropped) or UTF-16 with its BOM, read at full speed;
    a file with bytes that are not UTF-8 is read line by line (see `_line_by_line`)."""
    head = stream.read(2)
    stream.seek(0)
    if head in (b"\xff\xfe", b"\xfe\xff"):
        return io.TextIOWrapper(stream, encoding="utf-16", newline="")
    sample = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    if sample.count(b"\x00") > len(sample) // 10:
        raise EventLogError.single(
            name, "this is a binary file, not text: save the log as CSV (UTF-8), XLSX, XES or JSON lines"
        )
    if _valid_utf8(stream):
        return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    return _line_by_line(stream, name, warnings)


def _line_by_line(stream: BinaryIO, name: str, warnings: _Warnings) -> Iterator[str]:
    """A file with bytes that are not UTF-8: each such line is read as Windows-1252, with a
    warning naming it."""
    first = True
    for number, raw in enumerate(stream, start=1):
        if first and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        first = False
        if b"\x00" in raw and raw.count(b"\x00") > len(raw) // 4:
            raise EventLogError.single(
                name, "this is a binary file, not CSV text: save the log as CSV (UTF-8), XLSX, XES or JSON lines"
            )
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            warnings.add(
                name,
                "encoding",
                f"bytes that are not UTF-8 (at byte {error.start + 1} of the line) were read as Windows-1252; "
                "save the log as UTF-8",
                number,
                None,
            )
            yield raw.decode("cp1252", errors="replace")


def _valid_utf8(stream: BinaryIO) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while block := stream.read(1 << 20):
            decoder.decode(block)
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)


def _delimiter(line: str) -> str:
    unquoted = "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)
    counts = {d: unquoted.count(d) for d in ",;\t|"}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_csv(name: str, stream: BinaryIO, warnings: _Warnings) -> _Opened:
    lines = _decoded_lines(stream, name, warnings)
    first: str | None = None
    buffered: list[str] = []
    for line in lines:
        buffered.append(line)
        if line.strip():
            first = line
            break
    if first is None:
        raise EventLogError.single(name, "the file is empty: a log needs a heading row and one row per event")

    reader = csv.reader(itertools.chain(buffered, lines), delimiter=_delimiter(first))
    try:
        headings: list[str] = []
        while not any(cell.strip() for cell in headings):
            headings = next(reader)
    except StopIteration:
        raise EventLogError.single(name, "the file is empty: a log needs a heading row and one row per event") from None
    except csv.Error as error:
        raise EventLogError.single(name, f"not valid CSV: {error}", row=reader.line_num) from None

    def rows() -> Rows:
        start = reader.line_num + 1
        try:
            for record in reader:
                if record and (record[0] or any(record)):
                    yield start, record
                start = reader.line_num + 1
        except csv.Error as error:
            raise EventLogError.single(
                name, f"not valid CSV: {error}; save the log again as CSV", row=reader.line_num
            ) from None

    return _Opened(name, "csv", [h.strip() for h in headings], rows())


def _open_xlsx(name: str, stream: BinaryIO) -> _Opened:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise EventLogError.single(
            name, f"cannot open this XLSX workbook ({type(error).__name__}); save it again as .xlsx"
        ) from None
    sheet = workbook[workbook.sheetnames[0]]
    sheet.reset_dimensions()
    values = enumerate(sheet.iter_rows(values_only=True), start=1)
    headings: list[str] | None = None
    for _, row in values:
        if any(cell not in (None, "") for cell in row):
            headings = ["" if cell is None else str(cell).strip() for cell in row]
            break
    if headings is None:
        workbook.close()
        raise EventLogError.single(name, "the workbook's first sheet is empty: put the log in the first sheet")

    def rows() -> Rows:
        try:
            for number, row in values:
                if any(cell not in (None, "") for cell in row):
                    yield number, list(row)
        finally:
            workbook.close()

    return _Opened(name, "xlsx", headings, rows())


def _keyed(name: str, records: Iterator[tuple[int, dict[str, Any]]], kind: str, label: str) -> _Opened:
    """Rows of records with keys (JSON lines, XES events): the headings are the keys of the
    first records, in the order they first appear."""
    first: list[tuple[int, dict[str, Any]]] = []
    for record in records:
        first.append(record)
        if len(first) >= DETECT_ROWS:
            break
    if not first:
        raise EventLogError.single(name, "the file has no events")
    headings: list[str] = []
    for _, keyed in first:
        headings.extend(key for key in keyed if key not in headings)
    position = {heading: i for i, heading in enumerate(headings)}

    def rows() -> Rows:
        for number, record in itertools.chain(first, records):
            cells: list[Any] = [None] * len(headings)
            for key, value in record.items():
                at = position.get(key)
                if at is not None:
                    cells[at] = value
            yield number, cells

    return _Opened(name, kind, headings, rows(), label)


def _json_records(name: str, stream: BinaryIO, warnings: _Warnings) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(_decoded_lines(stream, name, warnings), start=1):
        text = line.strip()
        if not text:
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            warnings.add(name, "json", f"not JSON ({error.msg}); the line is left out", number, None)
            continue
        if not isinstance(record, dict):
            warnings.add(name, "json-object", "each line must be one JSON object; the line is left out", number, None)
            continue
        yield number, {str(key): value for key, value in record.items()}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xes_records(name: str, stream: BinaryIO) -> Iterator[tuple[int, dict[str, Any]]]:
    """Events of an XES log (IEEE 1849-2016): each event's attributes by key, with the
    trace's attributes as `case:KEY` (its `concept:name` is the case id)."""
    trace: dict[str, Any] = {}
    depth = 0  # 1 inside a trace, 2 inside an event
    event: dict[str, Any] = {}
    count = 0
    try:
        for what, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = _local(element.tag)
            if what == "start":
                if tag == "trace":
                    depth, trace = 1, {}
                elif tag == "event" and depth >= 1:
                    depth, event = 2, {}
                continue
            if tag == "event" and depth == 2:
                count += 1
                yield count, {**{f"case:{k}": v for k, v in trace.items()}, **event}
                depth = 1
                element.clear()
            elif tag == "trace":
                depth = 0
                element.clear()
            elif tag in ("string", "date", "int", "float", "boolean", "id"):
                key, value = element.get("key"), element.get("value")
                if key is not None and value is not None:
                    # Only the attributes of the trace or event itself, not nested ones.
                    if depth == 2:
                        event.setdefault(key, value)
                    elif depth == 1:
                        trace.setdefault(key, value)
    except ElementTree.ParseError as error:
        line = error.position[0] if error.position else None
        raise EventLogError.single(
            name, f"not valid XES (XML): {error}; export the log again", row=line, column=None
        ) from None


def _frame(item: Any) -> _Opened:
    """A data frame (pandas and friends) or a mapping of column name to values."""
    if isinstance(item, Mapping):
        headings = [str(key) for key in item]
        columns = [list(values) for values in item.values()]
        lengths = {len(column) for column in columns}
        if len(lengths) > 1:
            raise EventLogError.single("<data>", "the columns have different lengths")

        def rows() -> Rows:
            for i, row in enumerate(zip(*columns, strict=True), start=2):
                yield i, list(row)

        return _Opened("<data>", "frame", headings, rows())
    if hasattr(item, "columns") and hasattr(item, "itertuples"):
        headings = [str(column) for column in item.columns]

        def frame_rows() -> Rows:
            for i, row in enumerate(item.itertuples(index=False, name=None), start=2):
                yield i, [None if _missing(cell) else _plain(cell) for cell in row]

        return _Opened("<data frame>", "frame", headings, frame_rows())
    raise EventLogError.single(
        repr(item)[:60], "give a log as a path, a LogSource, a data frame or a mapping of column to values"
    )


def _missing(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def _plain(value: Any) -> Any:
    """pandas Timestamps are datetimes; numpy scalars are Python numbers."""
    if isinstance(value, dt.datetime):
        return value
    to_pydatetime = getattr(value, "to_pydatetime", None)
    if to_pydatetime is not None:
        return to_pydatetime()
    item = getattr(value, "item", None)
    return item() if item is not None and not isinstance(value, str) else value


def open_log(item: LogInput, warnings: _Warnings | None = None) -> _Opened:
    warnings = warnings if warnings is not None else _Warnings()
    if not isinstance(item, (str, os.PathLike, LogSource)):
        return _frame(item)
    name, stream = _open_bytes(item)
    head = stream.read(8)
    stream.seek(0)
    if not head.strip():
        stream.close()
        raise EventLogError.single(name, "the file is empty: a log needs a heading row and one row per event")
    kind = _kind(name, head)
    if kind == "xlsx":
        return _open_xlsx(name, stream)
    if kind == "xes":
        return _keyed(name, _xes_records(name, stream), "xes", "event")
    if kind == "jsonl":
        return _keyed(name, _json_records(name, stream, warnings), "jsonl", "line")
    return _open_csv(name, stream, warnings)


# -- columns ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Columns:
    """Which heading holds which role in one file; `detected` is what the headings said."""

    file: str
    headings: list[str]
    chosen: dict[str, int]  # role -> position
    detected: dict[str, int]

    def heading(self, role: str) -> str | None:
        at = self.chosen.get(role)
        return None if at is None else self.headings[at]

    def to_dict(self) -> dict[str, str]:
        return {role: self.headings[at] for role, at in self.chosen.items()}


def detect_columns(headings: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for position, heading in enumerate(headings):
        role = _KNOWN.get(heading_key(heading))
        if role is None and heading_key(heading).startswith("case "):
            role = None  # other trace attributes of XES
        if role is not None and role not in found:
            found[role] = position
    # XES: the case id is the trace's name; the event's own name is the activity.
    if "case concept name" in (keys := [heading_key(h) for h in headings]):
        found["case"] = keys.index("case concept name")
    return found


def parse_column_overrides(specs: Iterable[str]) -> dict[str, str | None]:
    """`--column case=Ticket` as {"case": "Ticket"}; `--column status=` ignores a column."""
    found: dict[str, str | None] = {}
    for spec in specs:
        role, sep, heading = spec.partition("=")
        role = role.strip().lower()
        if not sep or role not in ROLES:
            raise EventLogError.single(
                "--column",
                f"{spec!r} is not ROLE=HEADING{suggest(role, ROLES)}; the roles are {', '.join(ROLES)}",
            )
        found[role] = heading.strip() or None
    return found


def choose_columns(file: str, headings: Sequence[str], overrides: Mapping[str, str | None]) -> Columns:
    detected = detect_columns(headings)
    chosen = dict(detected)
    problems: list[LogProblem] = []
    keys = {heading_key(h): i for i, h in enumerate(headings)}
    for role, heading in overrides.items():
        if heading is None:
            chosen.pop(role, None)
            continue
        at = headings.index(heading) if heading in headings else keys.get(heading_key(heading))
        if at is None:
            problems.append(
                LogProblem(
                    file,
                    f"--column {role}={heading}: the log has no such column{suggest(heading, list(headings))}; "
                    f"its columns are {', '.join(repr(h) for h in headings if h)}",
                    column=heading,
                )
            )
            continue
        for other, position in list(chosen.items()):
            if position == at and other != role and other not in overrides:
                del chosen[other]
        chosen[role] = at
    if "start" in chosen and "end" in chosen:
        chosen.pop("timestamp", None) if "timestamp" not in overrides else None
    listing = ", ".join(repr(h) for h in headings if h)
    for role in ("case", "activity"):
        if role not in chosen:
            problems.append(
                LogProblem(
                    file,
                    f"no {role} column ({ROLE_HELP[role]}) among the headings {listing}; "
                    f"name it with --column {role}=HEADING",
                )
            )
    if not ({"timestamp", "start", "end"} & set(chosen)):
        problems.append(
            LogProblem(
                file,
                f"no time column among the headings {listing}: give a timestamp, or a start and an end "
                "(--column timestamp=HEADING, or --column start=HEADING --column end=HEADING)",
            )
        )
    if problems:
        raise EventLogError(problems)
    return Columns(file, list(headings), chosen, detected)


# -- times -----------------------------------------------------------------------------------
_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d/%m/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%b %d %Y %H:%M:%S",
    "%Y%m%d%H%M%S",
)
TIME_HELP = "write times as ISO 8601 (2024-03-01 09:15:00, with +01:00 for a time zone) or as 01/03/2024 09:15"


class TimeReader:
    """Turns the cells of one time column into (UTC seconds, UTC offset seconds or None
    for a naive time). The format is found from the column's first values."""

    def __init__(self, file: str, column: str) -> None:
        self.file, self.column = file, column
        self.format: str | None = None  # None: ISO 8601 (or datetimes from a workbook)

    def detect(self, samples: Sequence[Any]) -> None:
        """The format that reads most of the first values; a value it cannot read is a
        warning later, but a column that mostly cannot be read stops the run."""
        texts = [str(s).strip() for s in samples if isinstance(s, str) and str(s).strip()]
        if not texts:
            return
        iso = sum(_iso(t) is not None for t in texts)
        best, best_count = None, iso
        if iso < len(texts):
            for fmt in _FORMATS:
                count = sum(_strptime(t, fmt) is not None or _iso(t) is not None for t in texts)
                if count > best_count:
                    best, best_count = fmt, count
        if best_count * 2 <= len(texts):
            bad = next(t for t in texts if _iso(t) is None)
            raise EventLogError.single(
                self.file, f"{bad!r} is not a date and time Stageline knows; {TIME_HELP}", column=self.column
            )
        self.format = best

    def read(self, value: Any) -> tuple[float, int | None] | None:
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            found = _iso(text) if self.format is None else _strptime(text, self.format)
            if found is None and self.format is not None:
                found = _iso(text)
            if found is None:
                raise ValueError(text)
            moment = found
        elif isinstance(value, dt.date):
            moment = dt.datetime(value.year, value.month, value.day)
        elif value is None:
            return None
        else:
            raise ValueError(str(value))
        offset = moment.utcoffset()
        if offset is None:
            return (moment - EPOCH).total_seconds(), None
        return moment.timestamp(), int(offset.total_seconds())


def _iso(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _strptime(text: str, fmt: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, fmt)
    except ValueError:
        return None


# -- the log as columns of numbers -------------------------------------------------------------
@dataclass
class FileSummary:
    name: str
    kind: str
    columns: dict[str, str]
    rows: int = 0
    events: int = 0


@dataclass
class EventLog:
    """Every event as numbers: codes into `cases`, `activities` and `resources`; times in
    seconds since 1970 (UTC) with the wall clock's offset; NaN where a time is missing.
    `start` is NaN for logs with one timestamp per event (`end` is that timestamp)."""

    case: np.ndarray
    activity: np.ndarray
    start: np.ndarray
    end: np.ndarray
    offset: np.ndarray
    resource: np.ndarray  # -1: none
    failed: np.ndarray  # -1: no status, 0: ok, 1: failed
    row: np.ndarray  # the row number in its file
    file: np.ndarray  # index into files
    cases: list[str]
    activities: list[str]
    resources: list[str]
    files: list[FileSummary]
    warnings: list[LogProblem] = field(default_factory=list)
    aware: bool = False  # the times carry UTC offsets

    def __len__(self) -> int:
        return int(self.case.size)

    @property
    def has_status(self) -> bool:
        return bool((self.failed >= 0).any())


class _Codes:
    """Distinct texts numbered in the order they first appear (a dict keeps that order)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def code(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def codes(self, texts: list[str]) -> np.ndarray:
        """The codes of many texts at C speed: `len(index)` is taken just before each lookup."""
        index = self.index
        found = map(index.setdefault, texts, map(len, itertools.repeat(index)))
        return np.fromiter(found, dtype=np.int32, count=len(texts))

    @property
    def values(self) -> list[str]:
        return list(self.index)


class _Flags(dict[str, int]):
    """Status words as failed (1), not failed (0) or none given (-1)."""

    def __missing__(self, word: str) -> int:
        flag = self[word] = -1 if not word else 1 if _FAILED.search(word) else 0
        return flag


class _Builder:
    def __init__(self) -> None:
        self.case = array("i")
        self.activity = array("i")
        self.start = array("d")
        self.end = array("d")
        self.offset = array("i")
        self.resource = array("i")
        self.failed = array("b")
        self.row = array("q")
        self.file = array("i")
        self.cases, self.activities, self.resources = _Codes(), _Codes(), _Codes()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.strip() if isinstance(value, str) else str(value)


@dataclass
class _Zones:
    """Which rows had a UTC offset and which did not, and the offsets seen."""

    naive: tuple[str, int, str] | None = None
    aware: tuple[str, int, str, int] | None = None
    offsets: set[int] = field(default_factory=set)


def _read_file(
    opened: _Opened,
    overrides: Mapping[str, str | None],
    builder: _Builder,
    file_index: int,
    warnings: _Warnings,
    zones: _Zones,
) -> FileSummary:
    name = opened.name
    columns = choose_columns(name, opened.headings, overrides)
    buffered: list[tuple[int, list[Cell]]] = []
    for item in opened.rows:
        buffered.append(item)
        if len(buffered) >= DETECT_ROWS:
            break
    if not buffered:
        raise EventLogError.single(name, "the file has headings but no events")

    def at(role: str) -> int:
        return columns.chosen.get(role, -1)

    c_case, c_act, c_ts, c_start, c_end = at("case"), at("activity"), at("timestamp"), at("start"), at("end")
    c_res, c_status, c_life = at("resource"), at("status"), at("lifecycle")
    times: dict[int, TimeReader] = {}
    for position in (c_ts, c_start, c_end):
        if position >= 0:
            reader = TimeReader(name, opened.headings[position])
            reader.detect([cells[position] for _, cells in buffered if position < len(cells)])
            times[position] = reader
    if c_start < 0 and c_end < 0:
        c_end = c_ts  # one time per event: it is when the event ended
    elif c_start >= 0 and c_end < 0 and c_ts >= 0:
        c_end = c_ts
    elif c_end >= 0 and c_start < 0 and c_ts >= 0:
        c_start = c_ts
    heading = opened.headings
    summary = FileSummary(name, opened.kind, columns.to_dict())
    open_starts: dict[tuple[int, int], list[tuple[float, int | None, int]]] = {}
    nan = float("nan")
    b = builder
    case_code, act_code, res_code = b.cases.code, b.activities.code, b.resources.code
    flags = _Flags()

    def time_of(position: int, cells: list[Cell], number: int) -> tuple[float, int | None] | None:
        if position < 0 or position >= len(cells):
            return None
        try:
            return times[position].read(cells[position])
        except ValueError as error:
            warnings.add(
                name,
                f"time-{position}",
                f"{str(error)!r} is not a date and time like the rest of the column; the row is left out. {TIME_HELP}",
                number,
                heading[position],
            )
            raise

    def width_cell(cells: list[Cell], position: int) -> Any:
        return cells[position] if 0 <= position < len(cells) else None

    def slow(rows: Iterable[tuple[int, list[Cell]]]) -> None:
        for number, cells in rows:
            summary.rows += 1
            case = _text(width_cell(cells, c_case))
            activity = _text(width_cell(cells, c_act))
            if not case or not activity:
                missing = "case" if not case else "activity"
                warnings.add(
                    name,
                    f"missing-{missing}",
                    f"no {missing} in this row; the row is left out",
                    number,
                    heading[c_case if not case else c_act],
                )
                continue
            try:
                began = time_of(c_start, cells, number) if c_start >= 0 and c_start != c_end else None
                ended = time_of(c_end, cells, number)
            except ValueError:
                continue
            if c_life >= 0:
                stage = _text(width_cell(cells, c_life)).lower()
                moment = ended if ended is not None else began
                if moment is None:
                    warnings.add(name, "no-time", "no time in this row; the row is left out", number, heading[c_end])
                    continue
                key = (case_code(case), act_code(activity))
                if stage in _STARTS:
                    open_starts.setdefault(key, []).append((moment[0], moment[1], number))
                    continue
                if stage and stage not in _ENDS:
                    continue  # suspend, withdraw, …: not a start or an end of work
                waiting = open_starts.get(key)
                began = (waiting.pop(0)[:2]) if waiting else None
                ended = moment
            if ended is None and began is None:
                warnings.add(
                    name,
                    "no-time",
                    "no time in this row; the row is left out",
                    number,
                    heading[c_end if c_end >= 0 else c_start],
                )
                continue
            if ended is None:
                warnings.add(
                    name,
                    "missing-end",
                    "the activity has a start but no end; its duration is not measured",
                    number,
                    heading[c_end] if c_end >= 0 else None,
                )
            if began is not None and ended is not None and ended[0] < began[0]:
                warnings.add(
                    name,
                    "end-before-start",
                    "the end is before the start; the row is left out (are the columns swapped?)",
                    number,
                    heading[c_end],
                )
                continue
            for moment, position in ((began, c_start), (ended, c_end)):
                if moment is None:
                    continue
                if moment[1] is None:
                    if zones.naive is None:
                        zones.naive = (name, number, heading[position])
                else:
                    zones.offsets.add(moment[1])
                    if zones.aware is None:
                        zones.aware = (name, number, heading[position], moment[1])
            wall = began if began is not None else ended
            assert wall is not None
            b.case.append(case_code(case))
            b.activity.append(act_code(activity))
            b.start.append(began[0] if began is not None else nan)
            b.end.append(ended[0] if ended is not None else nan)
            b.offset.append(wall[1] or 0)
            resource = _text(width_cell(cells, c_res)) if c_res >= 0 else ""
            b.resource.append(res_code(resource) if resource else -1)
            if c_status >= 0:
                word = _text(width_cell(cells, c_status))
                b.failed.append(flags[word])
            else:
                b.failed.append(-1)
            b.row.append(number)
            b.file.append(file_index)
            summary.events += 1

    def fast(chunk: list[tuple[int, list[Cell]]]) -> bool:
        """A chunk of CSV rows at once, with numpy; False when a row needs a closer look
        (an empty cell, a time numpy cannot read, an end before its start), and the chunk
        is then read row by row, which finds and names the problem."""
        rows = [cells for _, cells in chunk]
        picked: dict[int, list[Any] | None] = {}

        def column(position: int) -> list[Any] | None:
            if position not in picked:
                try:
                    picked[position] = list(map(operator.itemgetter(position), rows)) if position >= 0 else None
                except IndexError:  # a short row
                    picked[position] = None
            return picked[position]

        def texts(position: int, blank: bool = False) -> list[str] | None:
            values = column(position)
            if values is None:
                return None
            try:
                found = list(map(str.strip, values))
            except TypeError:  # not text
                return None
            return None if not blank and "" in found else found

        def moments(position: int) -> np.ndarray | None:
            values = column(position)
            if values is None:
                return None
            try:
                with _warnings.catch_warnings():
                    _warnings.simplefilter("error")  # a time zone: read row by row, keeping the offset
                    parsed = np.array(values, dtype="datetime64[ms]")
            except (ValueError, TypeError, UserWarning, DeprecationWarning):
                return None
            if np.isnat(parsed).any():
                return None
            return np.asarray(parsed.astype(np.int64) / 1000.0)

        cases, activities = texts(c_case), texts(c_act)
        if cases is None or activities is None or c_end < 0:
            return False
        ended = moments(c_end)
        if ended is None:
            return False
        began: np.ndarray | None = None
        if c_start >= 0 and c_start != c_end:
            began = moments(c_start)
            if began is None or (ended < began).any():
                return False
        count = len(chunk)
        if zones.naive is None:
            zones.naive = (name, chunk[0][0], heading[c_start if began is not None else c_end])
        b.case.frombytes(b.cases.codes(cases).tobytes())
        b.activity.frombytes(b.activities.codes(activities).tobytes())
        b.start.frombytes((began if began is not None else np.full(count, np.nan)).tobytes())
        b.end.frombytes(ended.tobytes())
        b.offset.frombytes(np.zeros(count, dtype=np.int32).tobytes())
        who = texts(c_res, blank=True)
        if who is not None:
            b.resource.frombytes(b.resources.codes(who).tobytes())  # "" is made -1 at the end
        else:
            b.resource.frombytes(np.full(count, -1, dtype=np.int32).tobytes())
        words = texts(c_status, blank=True)
        if words is not None:
            b.failed.frombytes(np.fromiter(map(flags.__getitem__, words), dtype=np.int8, count=count).tobytes())
        else:
            b.failed.frombytes(np.full(count, -1, dtype=np.int8).tobytes())
        b.row.frombytes(np.fromiter((n for n, _ in chunk), dtype=np.int64, count=count).tobytes())
        b.file.frombytes(np.full(count, file_index, dtype=np.int32).tobytes())
        summary.rows += count
        summary.events += count
        return True

    quick = opened.kind == "csv" and c_life < 0 and all(reader.format is None for reader in times.values())
    every = itertools.chain(buffered, opened.rows)
    while chunk := list(itertools.islice(every, CHUNK_ROWS)):
        if not (quick and fast(chunk)):
            slow(chunk)
    unmatched = sum(len(v) for v in open_starts.values())
    if unmatched:
        first_row = min(row for waiting in open_starts.values() for _, _, row in waiting)
        warnings.extend(
            [
                LogProblem(
                    name,
                    "a start with no matching complete; its activity is not measured",
                    first_row,
                    heading[c_life],
                    "warning",
                    unmatched,
                )
            ]
        )
    return summary


def read_logs(items: Sequence[LogInput], columns: Mapping[str, str | None] | None = None) -> EventLog:
    """Every event of every log, as columns of numbers. Raises EventLogError naming the file,
    row and column of whatever stops the run; warnings travel with the log."""
    if not items:
        raise EventLogError.single("<logs>", "give at least one log file")
    overrides = dict(columns or {})
    builder = _Builder()
    warnings = _Warnings()
    zones = _Zones()
    files: list[FileSummary] = []
    problems: list[LogProblem] = []
    collecting = gc.isenabled()
    gc.disable()  # rows are lists of text, freed as each chunk is done: nothing for the collector
    try:
        for index, item in enumerate(items):
            try:
                opened = open_log(item, warnings)
                files.append(_read_file(opened, overrides, builder, index, warnings, zones))
            except EventLogError as error:
                problems.extend(error.problems)
                files.append(FileSummary(_name_of(item), "", {}))
    finally:
        if collecting:
            gc.enable()
    if problems:
        raise EventLogError(problems)
    if zones.naive is not None and zones.aware is not None:
        naive, aware = zones.naive, zones.aware
        raise EventLogError.single(
            naive[0],
            f"this time has no UTC offset, but {aware[0]} row {aware[1]:,} ({aware[2]!r}) has one "
            f"({_offset_text(aware[3])}): the two cannot be compared. Give every time an offset, or none",
            row=naive[1],
            column=naive[2],
        )
    found = warnings.problems
    if len(zones.offsets) > 1:
        spelled = ", ".join(_offset_text(o) for o in sorted(zones.offsets))
        found.append(
            LogProblem(
                files[0].name,
                f"the times carry {len(zones.offsets)} different UTC offsets ({spelled}); durations are measured "
                "in UTC and hours of the day on each event's own clock",
                severity="warning",
            )
        )
    if not len(builder.case):
        raise EventLogError(
            [*found, LogProblem(files[0].name if len(files) == 1 else "<logs>", "no event could be read from the log")]
        )
    resource = np.frombuffer(builder.resource, dtype=np.int32).copy()
    resources = builder.resources.values
    if "" in builder.resources.index:  # blank resources read at speed: none
        blank = builder.resources.index[""]
        resource = np.where(resource == blank, -1, np.where(resource > blank, resource - 1, resource)).astype(np.int32)
        resources.remove("")
    return EventLog(
        case=np.frombuffer(builder.case, dtype=np.int32).copy(),
        activity=np.frombuffer(builder.activity, dtype=np.int32).copy(),
        start=np.frombuffer(builder.start, dtype=np.float64).copy(),
        end=np.frombuffer(builder.end, dtype=np.float64).copy(),
        offset=np.frombuffer(builder.offset, dtype=np.int32).copy(),
        resource=resource,
        failed=np.frombuffer(builder.failed, dtype=np.int8).copy(),
        row=np.frombuffer(builder.row, dtype=np.int64).copy(),
        file=np.frombuffer(builder.file, dtype=np.int32).copy(),
        cases=builder.cases.values,
        activities=builder.activities.values,
        resources=resources,
        files=files,
        warnings=found,
        aware=zones.aware is not None,
    )


def _offset_text(seconds: int) -> str:
    sign = "+" if seconds >= 0 else "-"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


# -- a preview, for confirming the columns -------------------------------------------------------
@dataclass
class Preview:
    file: str
    kind: str
    headings: list[str]
    detected: dict[str, int]
    rows: list[list[str]]


def preview_log(item: LogInput, limit: int = 8) -> Preview:
    """The headings, the roles found for them and the first rows, as text."""
    opened = open_log(item)
    rows: list[list[str]] = []
    for _, cells in opened.rows:
        rows.append([_cell_text(c) for c in cells])
        if len(rows) >= limit:
            break
    close = getattr(opened.rows, "close", None)
    if close is not None:
        close()
    return Preview(opened.name, opened.kind, opened.headings, detect_columns(opened.headings), rows)


def _cell_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return _text(value)
