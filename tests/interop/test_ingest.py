"""`formats.ingest`: what a file is told by its content, a blueprint drafted from
it, and every problem reported, never raised; the limits each caller gives."""

from __future__ import annotations

import json
import random
import re
import struct
from pathlib import Path

import pytest

from helpers.blueprints import small_blueprint
from stageline.formats.errors import FormatError
from stageline.formats.ingest import Kind, Limits, ingest, read_any, read_file
from stageline.formats.interop.spreadsheet import write_csv, write_xlsx
from stageline.formats.yaml_format import dumps

DATA = Path(__file__).resolve().parents[1] / "interop" / "data"
JOURNEY = (DATA / "journey.csv").read_bytes()


def _seeds() -> list[tuple[str, bytes]]:
    bp = small_blueprint()
    return [
        ("journey.csv", JOURNEY),
        ("clinic.xlsx", (DATA / "clinic_journey.xlsx").read_bytes()),
        ("project.json", (DATA / "signal_project.json").read_bytes()),
        ("export.xlsx", write_xlsx(bp)),
        ("export.csv", write_csv(bp).encode()),
        ("hotel.yaml", dumps(bp).encode()),
    ]


def test_damaged_files_are_problems_never_exceptions() -> None:
    """Bytes flipped, files cut short and junk inserted, read as found and as each kind forced."""
    rng = random.Random(20261203)
    seeds = _seeds()
    for _ in range(600):
        name, data = rng.choice(seeds)
        mutated = bytearray(data)
        how = rng.randrange(3)
        if how == 0:
            for _ in range(rng.randrange(1, 20)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        elif how == 1:
            del mutated[rng.randrange(len(mutated)) :]
        else:
            at = rng.randrange(len(mutated))
            mutated[at:at] = rng.randbytes(rng.randrange(1, 50))
        kind = rng.choice([None, *Kind])
        found = ingest(bytes(mutated), name, kind=kind, strict=rng.random() < 0.5)
        assert found.ready or found.problems or found.note, (name, how, kind)


def test_a_workbook_of_an_unknown_zip_version_is_a_damaged_file() -> None:
    data = bytearray(write_xlsx(small_blueprint()))
    central = data.index(b"PK\x01\x02")
    data[central + 6 : central + 8] = struct.pack("<H", 99)  # "version needed to extract": 9.9
    found = ingest(bytes(data), "export.xlsx")
    assert found.kind is None and found.blueprint is None
    assert "damaged or incomplete ZIP file" in found.problems[0].message


def test_forcing_a_kind_the_file_is_not_is_a_problem() -> None:
    journey_as_export = ingest(JOURNEY, "journey.csv", kind=Kind.SPREADSHEET)
    assert "not a Stageline spreadsheet export" in journey_as_export.problems[0].message
    workbook_as_ir = ingest(write_xlsx(small_blueprint()), "export.xlsx", kind=Kind.IR)
    assert "this is an XLSX workbook" in workbook_as_ir.problems[0].message
    csv_as_ir = ingest(JOURNEY, "journey.csv", kind=Kind.IR)
    assert "is JSON; this file is not" in csv_as_ir.problems[0].message


def test_a_blueprint_is_told_by_content_in_any_spelling() -> None:
    bp = small_blueprint()
    for name, data in (
        ("notes.txt", dumps(bp).encode()),
        ("hotel.yaml", dumps(bp).encode("utf-16")),
        ("hotel.json", json.dumps({"stageline": 1, "title": "Hotel", "stages": []}).encode()),
    ):
        found = ingest(data, name)
        assert found.kind is Kind.YAML, (name, found.problems)
    assert ingest(dumps(bp).encode(), "hotel.yaml").blueprint == bp


def test_the_title_applies_to_every_kind() -> None:
    bp = small_blueprint()
    for name, data in (("journey.csv", JOURNEY), ("export.xlsx", write_xlsx(bp)), ("hotel.yaml", dumps(bp).encode())):
        found = ingest(data, name, title="  Named here  ")
        assert found.blueprint is not None and found.blueprint.title == "Named here", name


def test_limits_are_the_callers() -> None:
    rows = b"Stage,Step,Customer action\n" + b"".join(b"A,S%d,Do %d\n" % (n, n) for n in range(30))
    assert ingest(rows, "j.csv").ready
    steps = ingest(rows, "j.csv", Limits(max_steps=20, advice=", or ask for help"))
    assert steps.problems[0].message == (
        "this journey map has 30 rows; imports are limited to 20 steps at a time: "
        "split it into several blueprints, or ask for help"
    )
    read = ingest(rows, "j.csv", Limits(max_rows=10))
    assert "more than 10 rows" in read.problems[0].message and read.problems[0].line == 11
    size = ingest(rows, "j.csv", Limits(max_bytes=100))
    assert size.problems[0].message.startswith(f"the file j.csv is {len(rows)} bytes; imports are limited to 100 bytes")


def test_read_file_refuses_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as file:
        file.truncate(2 * 1024 * 1024)  # sparse: nothing is read to refuse it
    with pytest.raises(FormatError, match=re.escape("the file huge.csv is 2.0 MB; imports are limited to 1 MB")):
        read_file(huge, Limits(max_bytes=1024 * 1024))
    with pytest.raises(FormatError, match="no such file"):
        read_file(tmp_path / "nope.csv")


def test_read_any_raises_every_problem() -> None:
    bad = JOURNEY.replace(b",15m,", b",a good while,").replace(b",frustrated,", b",meh-ish,")
    with pytest.raises(FormatError) as raised:
        read_any(bad, "bad.csv")
    assert [p.path for p in raised.value.problems] == ['row 3, column "Duration"', 'row 6, column "Feeling"']
    assert read_any(JOURNEY, "journey.csv").kind is Kind.JOURNEY
