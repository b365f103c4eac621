"""Journey maps to blueprints: layouts, headings, values, mapping overrides and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from stageline.formats.errors import FormatError
from stageline.formats.interop import values
from stageline.formats.interop.errors import describe
from stageline.formats.interop.journey import (
    FIELDS,
    HEADINGS,
    detect_mapping,
    field_for_heading,
    import_journey,
    preview,
    read_journey,
)
from stageline.formats.interop.tables import read_csv
from stageline.model.integrity import check_integrity

DATA = Path(__file__).parent / "data"


def _csv(text: str, name: str = "journey.csv") -> bytes:
    return text.encode("utf-8")


def _import(text: str, **options: object) -> object:
    return read_journey(_csv(text), source="journey.csv", **options)  # type: ignore[arg-type]


def test_row_per_step_map_fills_customer_lane_evidence_emotions_pains_and_opportunities() -> None:
    bp = read_journey(DATA / "journey.csv")
    assert [(s.id, [t.id for t in s.steps]) for s in bp.stages] == [
        ("discover", ["search", "compare"]),
        ("book", ["book-room"]),
        ("stay", ["check-in", "sleep"]),
    ]
    check_in = bp.card("check-in.customer")
    assert check_in.text == "Check in at the desk"
    assert (check_in.channel, check_in.emotion, check_in.duration, check_in.wait) == ("in-person", -2, 240, 480)
    assert check_in.pain == "Queue at the desk"
    assert check_in.notes == "Thinking: Is my room ready?"
    assert [c.text for c in bp.step("check-in").cards("evidence")] == ["Key card", "Lobby"]
    assert bp.step("search").title == "Search"
    for lane in ("frontstage", "backstage", "support"):
        assert not any(step.cards(lane) for _, step in bp.steps())
    titles = {o.title: o.targets for o in bp.opportunities}
    assert titles["Show verified stays"] == ["compare.customer"]
    assert titles["Filter reviews by business travellers"] == ["compare.customer"]
    assert check_integrity(bp) == []


def test_transposed_map_with_merged_stage_cells_and_a_title_row() -> None:
    bp = read_journey(DATA / "clinic_journey.xlsx")
    assert bp.title == "Clinic appointment – current-state journey map"
    assert [(s.title, [t.id for t in s.steps]) for s in bp.stages] == [
        ("Before the visit", ["book", "get-reminder"]),
        ("At the clinic", ["arrive", "see-the-doctor"]),
    ]
    book = bp.card("book.customer")
    assert (book.channel, book.emotion, book.duration, book.wait) == ("phone", -1, 300, 720)
    assert bp.card("arrive.customer").emotion == -2
    assert bp.card("see-the-doctor.customer").duration == 900
    assert [o.title for o in bp.opportunities] == ["Online booking", "Call-back instead of hold", "Self check-in kiosk"]


def test_transposed_csv_is_detected() -> None:
    table = read_csv((DATA / "journey_transposed.csv").read_text(), "t.csv")
    mapping = detect_mapping(table)
    assert mapping.layout == "columns"
    bp = import_journey(table, mapping)
    assert [c.emotion for _, c in bp.cards()] == [1, -1, 2]  # 4, 2, 5 on a 1..5 scale


def test_the_sheet_can_be_named(tmp_path: Path) -> None:
    bp = read_journey(DATA / "clinic_journey.xlsx", sheet="Journey map")
    assert len(bp.stages) == 2
    with pytest.raises(FormatError, match=r"no sheet named 'Journey'.*did you mean 'Journey map'"):
        read_journey(DATA / "clinic_journey.xlsx", sheet="Journey")


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Stage", "stage"),
        ("PHASE", "stage"),
        ("Touchpoint name", "step"),
        ("Customer actions", "customer"),
        ("Doing", "customer"),
        ("Touchpoint", "channel"),
        ("Channel", "channel"),
        ("Thoughts", "thinking"),
        ("Feeling", "emotion"),
        ("Emotions", "emotion"),
        ("Pain-points", "pain"),
        ("Opportunities", "opportunity"),
        ("Physical evidence", "evidence"),
        ("Time", "duration"),
        ("Wait time", "wait"),
        ("Customer actions (doing)", "customer"),
        ("Pains & frustrations", None),
        ("Backstage", "backstage"),
        ("", None),
        ("Notes", None),
    ],
)
def test_headings_are_recognised_with_synonyms(heading: str, field: str | None) -> None:
    assert field_for_heading(heading) == field


def test_every_synonym_belongs_to_one_field() -> None:
    total = sum(len(f.headings) for f in FIELDS)
    assert len(HEADINGS) == total


def test_title_rows_above_the_headings_are_skipped() -> None:
    bp = _import("My journey,,\nStage,Step,Doing\nA,One,Do one\nA,Two,Do two\n")
    assert bp.title == "My journey"
    assert [step.id for _, step in bp.steps()] == ["one", "two"]


@pytest.mark.parametrize(
    ("cell", "scale", "expected"),
    [
        ("frustrated", (-2, 2), -2),
        ("happy", (-2, 2), 1),
        ("Very happy!", (-2, 2), 2),
        ("unhappy", (-2, 2), -1),
        ("😀", (-2, 2), 2),
        ("😐 neutral", (-2, 2), 0),
        ("-2", (-2, 2), -2),
        ("+1", (-2, 2), 1),
        (5, (1, 5), 2),
        (1, (1, 5), -2),
        (3, (1, 5), 0),
        (10, (1, 10), 2),
        (1, (1, 10), -2),
        ("", (-2, 2), None),
    ],
)
def test_emotions_from_words_emoji_and_scales(cell: object, scale: tuple[int, int], expected: int | None) -> None:
    assert values.emotion(cell, values.EmotionScale(*scale)) == expected  # type: ignore[arg-type]


def test_the_emotion_scale_is_decided_per_column() -> None:
    assert values.EmotionScale.of(["-1", "2", "0"]) == values.EmotionScale(-2, 2)
    assert values.EmotionScale.of(["1", "4", "5", "happy"]) == values.EmotionScale(1, 5)
    assert values.EmotionScale.of([3, 7, 10]) == values.EmotionScale(1, 10)
    assert values.EmotionScale.of([0, 7, 10]) == values.EmotionScale(0, 10)


@pytest.mark.parametrize(
    ("cell", "seconds"),
    [
        ("5m", 300),
        ("10 minutes", 600),
        ("2 hours", 7200),
        ("1h 30m", 5400),
        ("1 hour and 5 minutes", 3900),
        (5, 300),
        ("2.5", 150),
        ("45s", 45),
        ("", None),
        ("-", None),
    ],
)
def test_durations_as_people_write_them(cell: object, seconds: float | None) -> None:
    assert values.duration(cell) == seconds  # type: ignore[arg-type]


def test_a_bad_feeling_is_reported_with_row_and_column() -> None:
    text = "Stage,Step,Doing,Feeling\nA,One,Do one,-1\nA,Two,Do two,meh-ish\nA,Three,Do three,7\n"
    with pytest.raises(FormatError) as caught:
        _import(text)
    messages = [describe(p) for p in caught.value.problems]
    assert "journey.csv:row 3, column \"Feeling\": 'meh-ish' is not an emotion; use -2..2" in messages[0]
    assert "words like frustrated/happy" in messages[0]
    assert 'journey.csv:row 4, column "Feeling": 7 is outside the -2..2 scale' in messages[1]


def test_quoted_multiline_cells_keep_the_row_number_of_their_record() -> None:
    text = 'Step,Doing,Time\nOne,"Do\none",5m\nTwo,Do two,soon\n'
    with pytest.raises(FormatError) as caught:
        _import(text)
    assert describe(caught.value.problems[0]).startswith("journey.csv:row 4, column \"Time\": 'soon' is not a duration")


def test_transposed_problems_name_the_field_row_and_the_step_column() -> None:
    with pytest.raises(FormatError) as caught:
        _import("Step,One,Two\nDoing,Do one,Do two\nFeeling,happy,bof\n")
    assert describe(caught.value.problems[0]).startswith('journey.csv:row 3 "Feeling", column C:')


def test_map_overrides_headings_and_ignores_columns() -> None:
    text = "Phase,The guest,Notes\nA,Walk in,x\nB,Sit down,y\n"
    with pytest.raises(FormatError, match="does not look like a journey map"):
        _import(text)
    bp = _import(text, overrides={"The guest": "customer"})
    assert [c.text for _, c in bp.cards()] == ["Walk in", "Sit down"]
    ignored = _import("Step,Doing,Feeling\nOne,Do,awful\n", overrides={"Feeling": ""})
    assert ignored.card("one.customer").emotion is None


def test_map_with_an_unknown_field_or_heading_suggests_the_right_one() -> None:
    text = "Step,Doing\nOne,Do one\n"
    with pytest.raises(FormatError, match="unknown field 'custmer' \\(did you mean 'customer'\\?\\)"):
        _import(text, overrides={"Doing": "custmer"})
    with pytest.raises(FormatError, match="no heading 'Doign' in the table \\(did you mean 'Doing'\\?\\)"):
        _import(text, overrides={"Doign": "customer"})


def test_ids_are_slugified_and_unique_and_stages_group_consecutive_rows() -> None:
    text = (
        "Stage,Step,Doing\nArrival,Check-in at the desk!,A\nArrival,Check-in at the desk!,B\n"
        "Stay,Customer,C\nArrival,Ünïcödé café,D\nArrival,,Only an action\n"
    )
    bp = _import(text)
    assert [s.id for s in bp.stages] == ["arrival", "stay", "arrival-2"]
    assert [step.id for _, step in bp.steps()] == [
        "check-in-at-the-desk",
        "check-in-at-the-desk-2",
        "customer-2",
        "unicode-cafe",
        "only-an-action",
    ]
    assert check_integrity(bp) == []


def test_a_step_without_action_or_name_is_reported() -> None:
    with pytest.raises(FormatError) as caught:
        _import("Step,Doing,Feeling\n,,happy\n")
    assert "no customer action or step name" in caught.value.problems[0].message


def test_a_table_that_is_not_a_journey_map_says_which_headings_work() -> None:
    with pytest.raises(FormatError) as caught:
        _import("Name,Price\nTea,2\n")
    message = caught.value.problems[0].message
    assert "does not look like a journey map" in message and "customer action" in message and "--map" in message


def test_preview_and_mapping_json_for_the_web_app() -> None:
    table = read_csv((DATA / "journey.csv").read_text(), "journey.csv")
    mapping = detect_mapping(table)
    data = mapping.to_json()
    assert data["layout"] == "rows"
    assert {"heading": "Feeling", "field": "emotion"} in data["columns"]
    rows = preview(table, mapping, limit=2)
    assert rows[0]["customer"] == "Search for a hotel online" and len(rows) == 2


def test_semicolon_csv_from_excel_with_a_decimal_comma_locale() -> None:
    bp = read_journey("Stage;Step;Doing;Time\nA;One;Do one;2,5\n".encode("cp1252"), source="j.csv")
    assert bp.card("one.customer").duration == 150


def test_cp1252_csv_is_decoded() -> None:
    bp = read_journey("Step,Doing\nCafé,Pay €5\n".encode("cp1252"), source="j.csv")
    assert bp.card("cafe.customer").text == "Pay €5"


def test_progress_is_reported_for_large_maps() -> None:
    rows = "".join(f"S{i // 100},Step {i},Do {i}\n" for i in range(1200))
    seen: list[tuple[int, int]] = []
    bp = read_journey(
        ("Stage,Step,Doing\n" + rows).encode(), source="big.csv", progress=lambda d, t: seen.append((d, t))
    )
    assert len(list(bp.steps())) == 1200
    assert seen[-1] == (1200, 1200) and seen[0] == (500, 1200)


def test_xlsx_numbers_and_times_are_read(tmp_path: Path) -> None:
    import datetime as dt

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Step", "Doing", "Feeling", "Duration"])
    sheet.append(["One", "Do one", 4, dt.time(0, 5)])
    sheet.append(["Two", "Do two", 1.0, 2])
    path = tmp_path / "numbers.xlsx"
    workbook.save(path)
    bp = read_journey(path)
    assert (bp.card("one.customer").emotion, bp.card("one.customer").duration) == (1, 300)
    assert (bp.card("two.customer").emotion, bp.card("two.customer").duration) == (-2, 120)
