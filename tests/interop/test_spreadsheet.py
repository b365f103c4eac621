"""Stageline's XLSX and CSV exports: lossless round trips, formula injection,
edits made in the spreadsheet, and clear errors for broken sheets."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

import stageline
from helpers.blueprints import small_blueprint
from helpers.strategies import blueprints
from stageline.analysis.insights import insights
from stageline.formats.errors import FormatError
from stageline.formats.ingest import Kind, read_any
from stageline.formats.interop import spreadsheet
from stageline.formats.interop.cells import decode_xlsx, encode_xlsx, protect_csv, unprotect_csv
from stageline.model import Blueprint

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DANGEROUS = [
    "=1+1",
    "+SUM(A1:A9)",
    "-2+3",
    "@cmd",
    "\t=tab",
    "\r=cr",
    '=HYPERLINK("http://x","y")',
    "'=already quoted",
    "''=twice",
    "'plain apostrophe",
]


def _xlsx_round_trip(bp: Blueprint) -> Blueprint:
    return read_any(spreadsheet.write_xlsx(bp), "bp.xlsx").blueprint


def _csv_round_trip(bp: Blueprint) -> Blueprint:
    return read_any(spreadsheet.write_csv(bp).encode("utf-8"), "bp.csv").blueprint


def test_small_blueprint_round_trips_through_xlsx_and_csv() -> None:
    bp = small_blueprint()
    assert _xlsx_round_trip(bp) == bp
    assert _csv_round_trip(bp) == bp


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_round_trips(path: Path) -> None:
    bp = stageline.load(path)
    assert _xlsx_round_trip(bp) == bp
    assert _csv_round_trip(bp) == bp
    assert stageline.dumps(_xlsx_round_trip(bp)) == stageline.dumps(bp)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints())
def test_any_blueprint_round_trips_through_csv(bp: Blueprint) -> None:
    assert _csv_round_trip(bp) == bp


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints(max_stages=2, max_steps=2, max_cards=2))
def test_any_blueprint_round_trips_through_xlsx(bp: Blueprint) -> None:
    assert _xlsx_round_trip(bp) == bp


def test_csv_and_xlsx_are_recognised_as_stageline_exports() -> None:
    bp = small_blueprint()
    assert read_any(spreadsheet.write_xlsx(bp), "a.xlsx").kind is Kind.SPREADSHEET
    assert read_any(spreadsheet.write_csv(bp).encode(), "a.csv").kind is Kind.SPREADSHEET


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_neutralises_formulas_and_restores_them(text: str) -> None:
    protected = protect_csv(text)
    assert not protected.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unprotect_csv(protected) == text


@pytest.mark.parametrize("text", ["plain", "it's", "'tis", "'", "a=b", "", "3-2"])
def test_csv_leaves_harmless_text_alone(text: str) -> None:
    assert protect_csv(text) == text
    assert unprotect_csv(text) == text


def _formula_blueprint() -> Blueprint:
    bp = small_blueprint()
    bp.card("check-in.customer").text = '=HYPERLINK("http://evil","click")'
    bp.card("registration").notes = "+cmd|' /C calc'!A0"
    bp.card("room.customer").pain = "@SUM(1)"
    bp.card("check-in.backstage").actor = "-2+5"
    bp.opportunities[0].title = "=1+1"
    return bp


def test_csv_export_contains_no_cell_that_starts_a_formula() -> None:
    bp = _formula_blueprint()
    text = spreadsheet.write_csv(bp)
    for row in csv.reader(io.StringIO(text)):
        for value in row:
            if value and value[0] in "=+@\t\r":
                pytest.fail(f"cell {value!r} would run as a formula")
            if value.startswith("-"):
                float(value)  # only negative numbers may start with a minus
    assert _csv_round_trip(bp) == bp


def test_xlsx_export_stores_formula_like_text_as_plain_strings() -> None:
    bp = _formula_blueprint()
    data = spreadsheet.write_xlsx(bp)
    workbook = load_workbook(io.BytesIO(data))
    texts = {'=HYPERLINK("http://evil","click")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+5", "=1+1"}
    seen = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if cell.value in texts:
                    assert cell.data_type == "s" and cell.quotePrefix
                    seen.add(cell.value)
    assert seen == texts
    assert _xlsx_round_trip(bp) == bp


@pytest.mark.parametrize("text", ["a\x0bb", "_x0041_ literal", "bell\x07", "cr\ronly", "x_x00ZZ_y", "_x005F_"])
def test_xlsx_text_encoding_keeps_every_character(text: str) -> None:
    assert decode_xlsx(encode_xlsx(text)) == text


def test_edits_made_in_the_spreadsheet_are_read_back() -> None:
    bp = small_blueprint()
    workbook = load_workbook(io.BytesIO(spreadsheet.write_xlsx(bp)))
    cards = workbook["Cards"]
    headings = [c.value for c in cards[1]]
    text_at, id_at = headings.index("text") + 1, headings.index("id") + 1
    for row in range(2, cards.max_row + 1):
        if cards.cell(row, id_at).value == "room.customer":
            cards.cell(row, text_at).value = "Walk to the room"
    new = cards.max_row + 1
    for name, value in {"step": "room", "lane": "frontstage", "text": "Offer a late checkout"}.items():
        cards.cell(new, headings.index(name) + 1).value = value
    out = io.BytesIO()
    workbook.save(out)
    edited = read_any(out.getvalue(), "edited.xlsx").blueprint
    assert edited.card("room.customer").text == "Walk to the room"
    texts = [c.text for c in edited.step("room").cards("frontstage")]
    assert texts == ["Bellhop carries bags", "Offer a late checkout"]
    assert edited.step("room").cards("frontstage")[1].id == "room.frontstage.2"


def test_a_broken_cell_is_reported_with_sheet_row_and_column() -> None:
    workbook = load_workbook(io.BytesIO(spreadsheet.write_xlsx(small_blueprint())))
    cards = workbook["Cards"]
    headings = [c.value for c in cards[1]]
    cards.cell(3, headings.index("emotion") + 1).value = "very"
    cards.cell(4, headings.index("lane") + 1).value = "frontstag"
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(FormatError) as caught:
        read_any(out.getvalue(), "team.xlsx")
    paths = {problem.path: problem.message for problem in caught.value.problems}
    assert 'sheet Cards, row 3, column "emotion"' in paths
    assert "'very' is not a number" in paths['sheet Cards, row 3, column "emotion"']
    assert "did you mean 'frontstage'" in paths['sheet Cards, row 4, column "lane"']


def test_csv_with_an_unknown_kind_names_the_row() -> None:
    text = spreadsheet.write_csv(small_blueprint()).replace("\r\nlink,", "\r\nlnk,", 1)
    with pytest.raises(FormatError) as caught:
        read_any(text.encode(), "bp.csv")
    problem = caught.value.problems[0]
    assert problem.path.startswith("row ") and 'column "kind"' in problem.path
    assert "did you mean 'link'" in problem.message


def test_the_grid_sheet_is_laid_out_as_people_draw_it() -> None:
    bp = small_blueprint()
    sheet = load_workbook(io.BytesIO(spreadsheet.write_xlsx(bp)))["Blueprint"]
    assert sheet.freeze_panes == "B5"
    assert sheet["B3"].value == "Arrival" and sheet["C3"].value == "Stay"
    assert [sheet.cell(5 + i, 1).value for i in range(len(bp.lanes))] == [lane.title for lane in bp.lanes]
    customer_row = 5 + bp.lane_ids().index("customer")
    assert sheet.cell(customer_row, 2).value.startswith("Check in")
    assert sheet.cell(customer_row, 2).alignment.wrap_text
    # The line of interaction is a thick border under the customer lane.
    assert sheet.cell(customer_row, 2).border.bottom.style == "thick"
    visibility_row = 5 + bp.lane_ids().index("frontstage")
    assert sheet.cell(visibility_row, 3).border.bottom.style == "thick"
    assert sheet.column_dimensions["B"].width == 30


def test_workbook_has_the_sheets_people_and_the_re_import_need() -> None:
    bp = small_blueprint()
    names = load_workbook(io.BytesIO(spreadsheet.write_xlsx(bp, insights(bp)))).sheetnames
    for name in (
        "Blueprint",
        "Cards",
        "Links",
        "Fail points",
        "Opportunities",
        "Findings",
        "Metrics",
        "Steps",
        "Stages",
        "Lanes",
        "About",
    ):
        assert name in names
    assert names[0] == "Blueprint"


def test_fail_points_sheet_is_ranked_by_risk() -> None:
    bp = small_blueprint()
    bp.card("room.backstage").fail = bp.card("registration").fail.model_copy(
        update={
            "severity": 5,  # type: ignore[union-attr]
            "likelihood": 5,
        }
    )
    sheet = load_workbook(io.BytesIO(spreadsheet.write_xlsx(bp)))["Fail points"]
    risks = [row[8].value for row in sheet.iter_rows(min_row=2)]
    assert risks == [25, 8]
