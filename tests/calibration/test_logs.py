"""Reading event logs: every format, several files, columns by name or by choice, and each
kind of bad input as a clear problem naming the file, row and column, never a traceback."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import stageline
from helpers.eventlogs import FRONT_DESK, HEADINGS, front_desk_log, write_csv
from stageline.analysis.calibration import CalibrationError, EventLogError, LogSource
from stageline.formats.eventlog import preview_log, read_logs
from stageline.model import Blueprint

ROWS = [
    ["g1", "Give name at the desk", "2024-03-04 09:00:00", "2024-03-04 09:01:00", "", ""],
    ["g1", "register", "2024-03-04 09:03:00", "2024-03-04 09:08:00", "desk-1", "ok"],
    ["g1", "take-key", "2024-03-04 09:08:05", "2024-03-04 09:08:35", "", ""],
    ["g2", "Give name at the desk", "2024-03-04 10:00:00", "2024-03-04 10:02:00", "", ""],
    ["g2", "register", "2024-03-04 10:02:00", "2024-03-04 10:05:00", "desk-2", "failed"],
    ["g2", "take-key", "2024-03-04 10:05:10", "2024-03-04 10:05:40", "", ""],
]


@pytest.fixture(scope="module")
def bp() -> Blueprint:
    return stageline.loads(FRONT_DESK)


def problems(error: pytest.ExceptionInfo[EventLogError]) -> list[str]:
    return [str(p) for p in error.value.problems]


def warnings_of(result: stageline.analysis.calibration.CalibrationResult) -> list[str]:  # type: ignore[name-defined]
    return [str(w) for w in result.warnings]


# -- formats ----------------------------------------------------------------------------------
def test_csv_with_start_and_end(tmp_path: Path, bp: Blueprint) -> None:
    result = stageline.calibrate(bp, write_csv(tmp_path / "log.csv", ROWS))
    assert result.cases == 2 and result.events == 6
    register = result.cards["register"]
    assert register.observed is not None and register.observed.mean == 240.0
    assert register.gap_before is not None and register.gap_before.mean == 60.0
    assert register.fail is not None and register.fail["p"] == 0.5
    assert result.files[0]["columns"] == {
        "case": "Case ID",
        "activity": "Activity",
        "start": "Start Time",
        "end": "End Time",
        "resource": "Resource",
        "status": "Status",
    }
    assert result.period_from == "2024-03-04T09:00:00" and result.period_to == "2024-03-04T10:05:40"


def test_xlsx_with_real_dates(tmp_path: Path, bp: Blueprint) -> None:
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(["Case", "Activity", "Start", "End"])
    for row in ROWS:
        sheet.append([row[0], row[1], dt.datetime.fromisoformat(row[2]), dt.datetime.fromisoformat(row[3])])
    book.save(tmp_path / "log.xlsx")
    result = stageline.calibrate(bp, tmp_path / "log.xlsx")
    assert result.events == 6 and result.cards["register"].observed.mean == 240.0


def test_json_lines(tmp_path: Path, bp: Blueprint) -> None:
    lines = [json.dumps({"case": r[0], "activity": r[1], "start": r[2], "end": r[3]}) for r in ROWS]
    (tmp_path / "log.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = stageline.calibrate(bp, tmp_path / "log.jsonl")
    assert result.events == 6 and result.cards["take-key"].observed.mean == 30.0


XES = """<?xml version="1.0" encoding="UTF-8" ?>
<log xes.version="1.0" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <global scope="event"><string key="concept:name" value="__INVALID__"/></global>
  <classifier name="Activity" keys="concept:name"/>
  <string key="concept:name" value="front desk"/>
  {traces}
</log>
"""
TRACE = """<trace><string key="concept:name" value="{case}"/>{events}</trace>"""
EVENT = """<event><string key="concept:name" value="{activity}"/><string key="org:resource" value="{who}"/>
<string key="lifecycle:transition" value="{transition}"/><date key="time:timestamp" value="{time}"/></event>"""


def xes_text() -> str:
    traces = []
    for case in ("g1", "g2"):
        rows = [r for r in ROWS if r[0] == case]
        events = []
        for r in rows:
            for transition, time in (("start", r[2]), ("complete", r[3])):
                stamp = time.replace(" ", "T") + ".000+01:00"
                events.append(EVENT.format(activity=r[1], who=r[4] or "guest", transition=transition, time=stamp))
        traces.append(TRACE.format(case=case, events="".join(events)))
    return XES.format(traces="\n".join(traces))


def test_xes_pairs_start_and_complete(tmp_path: Path, bp: Blueprint) -> None:
    (tmp_path / "log.xes").write_text(xes_text(), encoding="utf-8")
    result = stageline.calibrate(bp, tmp_path / "log.xes")
    assert result.cases == 2 and result.events == 6
    assert result.cards["register"].observed.mean == 240.0
    assert result.files[0]["columns"]["case"] == "case:concept:name"
    assert result.files[0]["columns"]["activity"] == "concept:name"
    # Times with an offset: the hour of the day is the event's own clock (09:00 +01:00).
    assert result.arrivals.by_hour["9"] is not None
    assert result.period_from == "2024-03-04T09:00:00+01:00"
    # desk-1 registers at 09:03-09:08, desk-2 at 10:02-10:05: two clerks seen, never two at once.
    clerk = result.resources["Front desk clerk"]
    assert (clerk.units, clerk.seen) == (1, 2)


def test_one_timestamp_per_event(tmp_path: Path, bp: Blueprint) -> None:
    rows = [[r[0], r[1], r[3]] for r in ROWS]
    result = stageline.calibrate(bp, write_csv(tmp_path / "log.csv", rows, ["case", "activity", "timestamp"]))
    assert result.one_timestamp
    # The time since the case's previous event: 09:01 -> 09:08.
    assert result.cards["register"].observed.mean == pytest.approx((420 + 180) / 2)
    assert result.cards["register"].gap_before is None


def test_several_files_are_one_log(tmp_path: Path, bp: Blueprint) -> None:
    first = write_csv(tmp_path / "a.csv", ROWS[:3])
    second = write_csv(tmp_path / "b.csv", ROWS[3:])
    result = stageline.calibrate(bp, [first, second])
    assert result.cases == 2 and result.events == 6 and len(result.sources) == 2


def test_a_mapping_of_columns_and_an_upload(bp: Blueprint) -> None:
    frame = {heading: [row[i] for row in ROWS] for i, heading in enumerate(HEADINGS)}
    assert stageline.calibrate(bp, frame).events == 6
    text = "\n".join(",".join(r) for r in [HEADINGS, *ROWS]).encode()
    assert stageline.calibrate(bp, LogSource("upload.csv", text)).events == 6


def test_column_overrides_and_map(tmp_path: Path, bp: Blueprint) -> None:
    rows = [[r[0], "Sign the form" if r[1] == "register" else r[1], r[2], r[3]] for r in ROWS]
    path = write_csv(tmp_path / "log.csv", rows, ["Caller", "What", "From", "To"])
    with pytest.raises(EventLogError) as error:
        stageline.calibrate(bp, path)
    assert "no case column" in problems(error)[0] and "--column case=HEADING" in problems(error)[0]
    result = stageline.calibrate(
        bp,
        path,
        columns={"case": "Caller", "activity": "What", "start": "From", "end": "To"},
        activity_map={"Sign the form": "register"},
    )
    assert result.matching["Sign the form"] == {"card": "register", "how": "map"}
    assert result.unmatched == []


def test_preview_detects_columns(tmp_path: Path) -> None:
    preview = preview_log(write_csv(tmp_path / "log.csv", ROWS))
    assert preview.headings == HEADINGS
    assert preview.detected == {"case": 0, "activity": 1, "start": 2, "end": 3, "resource": 4, "status": 5}
    assert preview.rows[0][:2] == ["g1", "Give name at the desk"]


# -- bad input --------------------------------------------------------------------------------
def test_empty_file(tmp_path: Path, bp: Blueprint) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(EventLogError) as error:
        stageline.calibrate(bp, tmp_path / "empty.csv")
    assert problems(error) == [
        f"{tmp_path / 'empty.csv'}: error: the file is empty: a log needs a heading row and one row per event"
    ]
    (tmp_path / "headings.csv").write_text("case,activity,timestamp\n")
    with pytest.raises(EventLogError) as error:
        stageline.calibrate(bp, tmp_path / "headings.csv")
    assert "headings but no events" in problems(error)[0]


def test_missing_file_and_unknown_column(tmp_path: Path, bp: Blueprint) -> None:
    with pytest.raises(EventLogError) as error:
        stageline.calibrate(bp, tmp_path / "nope.csv")
    assert "no such file" in problems(error)[0]
    path = write_csv(tmp_path / "log.csv", ROWS)
    with pytest.raises(EventLogError) as error:
        stageline.calibrate(bp, path, columns={"resource": "Clerk"})
    message = problems(error)[0]
    assert "column 'Clerk'" in message and "no such column" in message and "'Resource'" in message


def test_nothing_matches(tmp_path: Path, bp: Blueprint) -> None:
    rows = [[r[0], f"step {i}", r[2], r[3]] for i, r in enumerate(ROWS)]
    with pytest.raises(CalibrationError) as error:
        stageline.calibrate(bp, write_csv(tmp_path / "log.csv", rows, HEADINGS[:4]))
    assert "no activity of the log matches a card" in error.value.message and "'step 0'" in error.value.message
    assert error.value.hint is not None and "--map" in error.value.hint
    with pytest.raises(CalibrationError) as error:
        stageline.calibrate(bp, write_csv(tmp_path / "log.csv", ROWS), activity_map={"register": "registr"})
    assert "'registr'" in error.value.message and "did you mean 'register'" in error.value.message


def test_unknown_date_format(tmp_path: Path, bp: Blueprint) -> None:
    rows = [[r[0], r[1], "last tuesday", r[3]] for r in ROWS]
    with pytest.raises(EventLogError) as error:
        stageline.calibrate(bp, write_csv(tmp_path / "log.csv", rows, HEADINGS[:4]))
    assert problems(error) == [
        f"{tmp_path / 'log.csv'}, column 'Start Time': error: 'last tuesday' is not a date and time Stageline knows; "
        "write times as ISO 8601 (2024-03-01 09:15:00, with +01:00 for a time zone) or as 01/03/2024 09:15"
    ]


def test_other_date_formats_are_detected(tmp_path: Path, bp: Blueprint) -> None:
    def european(text: str) -> str:
        date, time = text.split(" ")
        y, m, d = date.split("-")
        return f"{d}/{m}/{y} {time[:5]}"

    rows = [[r[0], r[1], european(r[2]), european(r[3])] for r in ROWS]
    result = stageline.calibrate(bp, write_csv(tmp_path / "log.csv", rows, HEADINGS[:4]))
    assert result.cards["register"].observed.mean == 240.0


def test_a_bad_time_in_one_row_is_a_warning(tmp_path: Path, bp: Blueprint) -> None:
    rows = [list(r) for r in ROWS]
    rows[4][3] = "soon"
    result = stageline.calibrate(bp, write_csv(tmp_path / "log.csv", rows))
    assert result.events == 5
    assert warnings_of(result) == [
        f"{tmp_path / 'log.csv'}, row 6, column 'End Time': warning: 'soon' is not a date and time like the rest of "
        "the column; the row is left out. write times as ISO 8601 (2024-03-01 09:15:00, with +01:00 for a time "
        "zone) or as 01/03/2024 09:15"
    ]


def test_end_before_start_and_missing_end(tmp_path: Path, bp: Blueprint) -> None:
    rows = [list(r) for r in ROWS]
    rows[1][2], rows[1][3] = rows[1][3], rows[1][2]  # swapped
    rows[4][3] = ""
    result = stageline.calibrate(bp, write_csv(tmp_path / "log.csv", rows))
    found = warnings_of(result)
    assert any("row 3, column 'End Time': warning: the end is before the start" in w for w in found)
    assert any("row 6, column 'End Time': warning: the activity has a start but no end" in w for w in found)
    register = result.cards["register"]
    assert register.events == 1 and register.observed is None


def test_unsorted_and_duplicate_events(tmp_path: Path, bp: Blueprint) -> None:
    rows = [ROWS[2], ROWS[0], ROWS[1], ROWS[1], *ROWS[3:]]
    result = stageline.calibrate(bp, write_csv(tmp_path / "log.csv", rows))
    found = warnings_of(result)
    assert any("row 3: warning: events of case 'g1' are not in time order" in w for w in found), found
    assert any("row 5: warning: the same event is in the log twice" in w for w in found), found
    assert result.events == 6
    assert result.conformance["fitting_share"] == 1.0  # sorted by time, the cases follow the blueprint


def test_naive_and_aware_times_mixed(tmp_path: Path, bp: Blueprint) -> None:
    rows = [list(r) for r in ROWS]
    rows[3][2] = "2024-03-04T10:00:00+01:00"
    rows[3][3] = "2024-03-04T10:02:00+01:00"
    with pytest.raises(EventLogError) as error:
        stageline.calibrate(bp, write_csv(tmp_path / "log.csv", rows))
    message = problems(error)[0]
    assert "row 2, column 'Start Time'" in message and "has no UTC offset" in message and "row 5" in message


def test_different_offsets_are_a_warning(tmp_path: Path, bp: Blueprint) -> None:
    rows = [[r[0], r[1], r[2] + ("+01:00" if r[0] == "g1" else "+02:00"), r[3] + "+01:00"] for r in ROWS]
    result = stageline.calibrate(bp, write_csv(tmp_path / "log.csv", rows, HEADINGS[:4]))
    assert any("2 different UTC offsets (+01:00, +02:00)" in w for w in warnings_of(result))


def test_bytes_that_are_not_utf8(tmp_path: Path, bp: Blueprint) -> None:
    text = "\n".join(",".join(r) for r in [HEADINGS, *ROWS]).encode().replace(b"desk-2", b"caf\xe9")
    (tmp_path / "log.csv").write_bytes(text)
    result = stageline.calibrate(bp, tmp_path / "log.csv")
    assert any("row 6: warning: bytes that are not UTF-8" in w for w in warnings_of(result))
    assert "café" in result.resources["Front desk clerk"].resources


def test_a_binary_file_and_a_broken_xes(tmp_path: Path, bp: Blueprint) -> None:
    (tmp_path / "log.csv").write_bytes(b"\x00\x01\x00\x02" * 100)
    with pytest.raises(EventLogError) as error:
        stageline.calibrate(bp, tmp_path / "log.csv")
    assert "binary file" in problems(error)[0]
    (tmp_path / "log.xes").write_text(xes_text()[:900], encoding="utf-8")
    with pytest.raises(EventLogError) as error:
        stageline.calibrate(bp, tmp_path / "log.xes")
    assert "not valid XES" in problems(error)[0]


def test_generated_logs_read_back_exactly(tmp_path: Path) -> None:
    truth = front_desk_log(days=2, seed=1)
    log = read_logs([write_csv(tmp_path / "log.csv", truth.rows)])
    assert len(log) == len(truth.rows) and len(log.cases) == truth.cases
    assert log.warnings == []


# -- hostile input ----------------------------------------------------------------------------

CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2024-03-04 09:00", "04/03/2024 09:00", "2024-03-04T09:00+01:00", "", "register", "ok"]),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    headings=st.lists(st.sampled_from([*HEADINGS, "when", "x", ""]), min_size=1, max_size=6),
    rows=st.lists(st.lists(CELL, max_size=7), max_size=8),
    junk=st.binary(max_size=40),
)
def test_any_log_is_a_result_or_a_clear_problem(
    tmp_path_factory: pytest.TempPathFactory, headings: list[str], rows: list[list[str]], junk: bytes
) -> None:
    text = io.StringIO()
    csv.writer(text).writerows([headings, *rows])
    path = tmp_path_factory.mktemp("hostile") / "log.csv"
    path.write_bytes(text.getvalue().encode("utf-8", "surrogatepass") + junk)
    try:
        result = stageline.calibrate(stageline.loads(FRONT_DESK), path)
    except (EventLogError, CalibrationError) as error:
        assert str(error).strip()
        return
    assert result.events >= 1 and result.to_json()
