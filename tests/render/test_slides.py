"""Slide decks: the right slides for any blueprint, and files LibreOffice Impress opens and prints."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from pptx import Presentation
from pypdf import PdfReader

import stageline
from helpers.strategies import blueprints
from stageline.model import Blueprint
from stageline.model.elements import Card, FailPoint, Opportunity, Stage, Step
from stageline.render.exports import export, writer_for, writer_named
from stageline.render.slides import STEPS_PER_SLIDE, slide_count

TEMPLATES = Path(stageline.__file__).parent / "templates"
FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _deck(bp: Blueprint) -> bytes:
    """The deck as `stageline export` and the web app's download make it."""
    data = export(bp, writer_named("pptx"))
    assert isinstance(data, bytes)
    return data


def _hotel() -> Blueprint:
    return stageline.load(TEMPLATES / "hotel-stay.yaml")


def _texts(data: bytes) -> list[str]:
    """Every slide's text, in order."""
    deck = Presentation(io.BytesIO(data))
    found = []
    for slide in deck.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        found.append("\n".join(parts))
    return found


def test_the_deck_has_a_title_the_picture_a_slide_per_stage_findings_numbers_and_opportunities() -> None:
    bp = _hotel()
    slides = _texts(_deck(bp))
    findings = len(stageline.check(bp))
    assert len(slides) == slide_count(bp, findings=findings)
    assert slides[0].startswith(bp.title)
    assert slides[1] == "The whole blueprint"
    assert [s.split("\n")[0] for s in slides[2 : 2 + len(bp.stages)]] == [
        f"Stage {i} of {len(bp.stages)}: {stage.title}" for i, stage in enumerate(bp.stages, 1)
    ]
    arrival = slides[2]
    assert "Check in at the desk" in arrival and "⚠ Room not ready" in arrival
    assert "customer time 15m" in arrival
    assert any(s.startswith("What needs attention") for s in slides)
    numbers = next(s for s in slides if s.startswith("The numbers"))
    assert "against a tolerance of 1h 30m" in numbers
    assert slides[-1].startswith("Opportunities") and "Shorter check-in" in slides[-1]
    assert "acts on 5m of time" in slides[-1]


def test_the_overview_is_a_high_resolution_picture() -> None:
    deck = Presentation(io.BytesIO(_deck(_hotel())))
    (picture,) = [shape for shape in deck.slides[1].shapes if shape.shape_type == 13]
    width, height = picture.image.size
    assert width >= 3000 and width * height <= 12_100_000


def test_a_stage_with_many_steps_continues_over_several_slides() -> None:
    steps = [Step(id=f"s{i}", cells={"customer": [Card(id=f"c{i}", text=f"Step {i}")]}) for i in range(12)]
    bp = Blueprint(title="Long stage", stages=[Stage(id="only", title="Only", steps=steps)])
    slides = _texts(_deck(bp))
    parts = [s for s in slides if s.startswith("Stage 1 of 1: Only")]
    assert len(parts) == -(-12 // STEPS_PER_SLIDE) == 3
    assert parts[0].split("\n")[0].endswith("(1/3)") and "Step 11" in parts[2]


def test_text_xml_cannot_hold_is_dropped_not_fatal() -> None:
    # The model refuses such text at every boundary; the deck still never fails on it
    # (built here without validation, as a document stored before that rule would be).
    with pytest.raises(ValueError, match="control character"):
        Blueprint(title="Odd\x07 text")
    card = Card.model_construct(
        id="c", text="Pay\x00 \x0bnow\ufffe", fail=FailPoint.model_construct(text="\x1fdeclined")
    )
    bp = Blueprint(
        title="Odd text",
        stages=[Stage(id="s", title="S", steps=[Step(id="t", cells={"customer": [Card(id="c", text="x")]})])],
        opportunities=[Opportunity(id="o", title="Fix it", targets=["c"])],
    )
    bp.stages[0].steps[0].cells["customer"][0] = card
    bp.title = "Odd\x07 text"
    slides = _texts(_deck(bp))
    assert slides[0].startswith("Odd text") and "Pay now" in slides[2] and "⚠ declined" in slides[2]


@FAST
@given(blueprints(max_stages=2, max_steps=2, max_cards=2))
def test_any_blueprint_makes_a_deck_with_the_expected_slides(bp: Blueprint) -> None:
    data = _deck(bp)
    assert len(Presentation(io.BytesIO(data)).slides) == slide_count(bp, findings=len(stageline.check(bp)))


def test_slides_are_chosen_by_extension_or_name() -> None:
    assert writer_for("deck.pptx").name == "pptx" and writer_named("pptx").binary


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: scripts/install-system-libraries.sh installs libreoffice-impress",
)
def test_libreoffice_impress_opens_and_prints_the_deck(tmp_path: Path) -> None:
    bp = _hotel()
    deck = tmp_path / "hotel.pptx"
    deck.write_bytes(_deck(bp))
    profile = (tmp_path / "profile").as_uri()  # its own profile: parallel runs do not share a lock
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    done = subprocess.run(
        [*command, "--outdir", str(tmp_path), str(deck)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    pdf = tmp_path / "hotel.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    pages = PdfReader(pdf).pages
    assert len(pages) == slide_count(bp, findings=len(stageline.check(bp)))
    text = [page.extract_text() for page in pages]
    assert "Hotel stay" in text[0]
    assert "Stage 1 of 3: Arrival" in text[2] and "Check in at the desk" in text[2]
    assert "The numbers" in text[-2] and "Shorter check-in" in text[-1]
