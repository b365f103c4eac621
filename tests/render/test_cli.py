"""`stageline render`: formats from the extension, clear errors, exit statuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from stageline.cli import main
from stageline.environment import Environment

HOTEL = """\
stageline: 1
title: Tiny hotel
stages:
  - id: arrival
    title: Arrival
    steps:
      - id: check-in
        customer: Check in
        frontstage: {id: registration, text: Register the guest, actor: Clerk}
links:
  - {from: check-in.customer, to: registration}
"""


@pytest.fixture
def hotel_file(tmp_path: Path) -> Path:
    path = tmp_path / "hotel.yaml"
    path.write_text(HOTEL)
    return path


@pytest.mark.parametrize(
    ("name", "magic"),
    [("out.svg", b"<?xml"), ("out.png", b"\x89PNG"), ("out.pdf", b"%PDF"), ("out.html", b"<!DOCTYPE html>")],
)
def test_the_extension_chooses_the_format(
    console: Environment, hotel_file: Path, tmp_path: Path, name: str, magic: bytes
) -> None:
    out = tmp_path / name
    assert main(["render", str(hotel_file), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(magic)
    assert f"wrote {out}" in console.stdout.getvalue()


def test_dash_writes_svg_to_stdout(console: Environment, hotel_file: Path) -> None:
    assert main(["render", str(hotel_file), "-o", "-", "--theme", "dark", "--lanes", "customer,frontstage"]) == 0
    out = console.stdout.getvalue()
    assert out.startswith("<?xml") and "theme-dark" in out and "Register the guest" in out


def test_options_reach_the_renderer(console: Environment, hotel_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "big.png"
    assert main(["render", str(hotel_file), "-o", str(out), "--scale", "1", "--findings", "--stages", "arrival"]) == 0
    small = tmp_path / "small.png"
    assert main(["render", str(hotel_file), "-o", str(small), "--scale", "0.5"]) == 0
    assert int.from_bytes(out.read_bytes()[16:20], "big") == 2 * int.from_bytes(small.read_bytes()[16:20], "big")


def test_unknown_stage_suggests_one_and_exits_2(console: Environment, hotel_file: Path, tmp_path: Path) -> None:
    assert main(["render", str(hotel_file), "-o", str(tmp_path / "x.svg"), "--stages", "arival"]) == 2
    err = console.stderr.getvalue()
    assert "unknown stage 'arival'" in err and "did you mean 'arrival'" in err
    assert not (tmp_path / "x.svg").exists()


def test_invalid_file_reports_its_problems_and_exits_2(console: Environment, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "stageline: 1\ntitle: Broken\nstages:\n  - id: a\n    title: A\n    steps:\n      - id: s\n"
        "        customer: {text: Hi, emotion: 7}\n"
    )
    assert main(["render", str(bad), "-o", str(tmp_path / "x.svg")]) == 2
    err = console.stderr.getvalue()
    assert "bad.yaml:8" in err and "emotion" in err
    assert main(["render", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "x.svg")]) == 2


def test_unknown_extension_and_binary_to_stdout_are_refused(console: Environment, hotel_file: Path) -> None:
    assert main(["render", str(hotel_file), "-o", "out.gif"]) == 2
    assert "cannot tell the format" in console.stderr.getvalue()
    assert main(["render", str(hotel_file), "-o", "-", "--format", "png"]) == 2
    assert "binary" in console.stderr.getvalue()


def test_unwritable_output_exits_3(console: Environment, hotel_file: Path, tmp_path: Path) -> None:
    assert main(["render", str(hotel_file), "-o", str(tmp_path / "no" / "such" / "dir.svg")]) == 3
    assert "cannot write" in console.stderr.getvalue()
