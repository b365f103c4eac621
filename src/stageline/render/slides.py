"""A slide deck of a blueprint for the people who never open the app (PPTX).

    stageline export hotel.yaml -o hotel.pptx

Slides, 16:9, sized for a projector (text 14 pt and up):

1. the title: blueprint, scenario, persona, state;
2. the whole blueprint, drawn by the render layer as a high-resolution PNG;
3. one slide per stage (continued over several when a stage has more steps than
   fit): its steps as columns, lanes as rows, each card's text, fail points
   marked ⚠, and the stage's time, fail points and feeling;
4. the findings that matter: errors and warnings of `stageline check`;
5. the metrics headline: customer time against the tolerance, fail points by
   risk and the emotion curve, as native (editable) charts;
6. the opportunities with their plan and their effect where costed: the time
   and cost of the cards they target.

Made with python-pptx; every text is cleaned of characters XML cannot hold.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_TICK_LABEL_POSITION
from pptx.util import Inches, Pt

from stageline.analysis.checks import Finding
from stageline.analysis.metrics import Metrics
from stageline.model.blueprint import Blueprint
from stageline.model.elements import Card, Opportunity, Stage, mean_seconds
from stageline.model.quantities import humanize_duration

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
STEPS_PER_SLIDE = 5
CARD_TEXT = 90  # characters of a card shown on a stage slide
MAX_FINDINGS = 8
MAX_FAIL_POINTS = 8
MAX_OPPORTUNITIES = 8
IMAGE_PIXELS = 12_000_000  # the whole blueprint: sharp on a 4K projector, small enough to open
INK = RGBColor(0x1F, 0x29, 0x37)
MUTED = RGBColor(0x4B, 0x55, 0x63)
ALERT = RGBColor(0xB9, 0x1C, 0x1C)
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str, limit: int | None = None) -> str:
    """Text XML (and so PPTX) can hold, cut at `limit` characters."""
    text = _UNSAFE.sub("", text).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


class _Deck:
    def __init__(self, bp: Blueprint, findings: Sequence[Finding]) -> None:
        self.bp = bp
        self.findings = findings
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.blank = self.prs.slide_layouts[6]
        self.title_layout = self.prs.slide_layouts[0]

    def slide(self, title: str) -> Any:
        slide = self.prs.slides.add_slide(self.blank)
        box = slide.shapes.add_textbox(MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.9))
        frame = box.text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        run.text = clean(title, 120)
        run.font.size, run.font.bold, run.font.color.rgb = Pt(30), True, INK
        return slide

    def text(self, slide: Any, lines: Iterable[tuple[str, int, bool]], top: int, height: int) -> None:
        """Paragraphs (text, size in points, bold) in a box under the title."""
        box = slide.shapes.add_textbox(MARGIN, top, WIDTH - 2 * MARGIN, height)
        frame = box.text_frame
        frame.word_wrap = True
        first = True
        for text, size, bold in lines:
            paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
            first = False
            run = paragraph.add_run()
            run.text = clean(text)
            run.font.size, run.font.bold = Pt(size), bold
            run.font.color.rgb = INK if bold else MUTED
            paragraph.space_after = Pt(6)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def _minutes(seconds: float) -> str:
    return humanize_duration(seconds) if seconds else "0 s"


def _title_slide(deck: _Deck) -> None:
    bp = deck.bp
    slide = deck.prs.slides.add_slide(deck.title_layout)
    boxes = ((slide.shapes.title, Inches(2.0), Inches(1.5)), (slide.placeholders[1], Inches(3.7), Inches(2.6)))
    for shape, top, height in boxes:
        shape.left, shape.top, shape.width, shape.height = MARGIN, top, WIDTH - 2 * MARGIN, height
    slide.shapes.title.text = clean(bp.title, 150)
    details = [bp.scenario, bp.persona and f"Persona: {bp.persona}", bp.goal and f"Goal: {bp.goal}"]
    state = "Future state" if bp.state == "future" else "Current state"
    cards = sum(1 for _ in bp.cards())
    summary = f"{state} · {len(bp.stages)} stages · {sum(len(s.steps) for s in bp.stages)} steps · {cards} cards"
    subtitle = slide.placeholders[1].text_frame
    subtitle.text = clean("\n".join([*(d for d in details if d), summary]), 600)
    for paragraph in subtitle.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(20)


def _overview_slide(deck: _Deck) -> None:
    from stageline.render import drawing
    from stageline.render.png import to_png

    slide = deck.slide("The whole blueprint")
    picture = drawing(deck.bp, findings=deck.findings)
    scale = min(4.0, (IMAGE_PIXELS / max(1.0, picture.width * picture.height)) ** 0.5)
    png = to_png(picture, scale=scale)
    top, room_w, room_h = Inches(1.2), WIDTH - 2 * MARGIN, HEIGHT - Inches(1.5)
    ratio = picture.width / max(1.0, picture.height)
    width = room_w if room_w / ratio <= room_h else int(room_h * ratio)
    height = int(width / ratio)
    slide.shapes.add_picture(io.BytesIO(png), int((WIDTH - width) / 2), top, width, height)


def _card_line(card: Card) -> str:
    text = clean(card.text, CARD_TEXT)
    details = [clean(card.actor, 30)] if card.actor else []
    if card.duration is not None:
        details.append(humanize_duration(mean_seconds(card.duration)))
    if details:
        text += f" ({', '.join(details)})"
    if card.fail is not None:
        text += f"\n⚠ {clean(card.fail.text, 60)}"
    return text


def _stage_slides(deck: _Deck, metrics: Any) -> None:
    bp = deck.bp
    by_stage = {m.stage: m for m in metrics.stages} if metrics is not None else {}
    feelings = {p.step: p.emotion for p in metrics.emotion_curve} if metrics is not None else {}
    for number, stage in enumerate(bp.stages, 1):
        chunks = [stage.steps[i : i + STEPS_PER_SLIDE] for i in range(0, len(stage.steps), STEPS_PER_SLIDE)] or [[]]
        for part, steps in enumerate(chunks):
            more = f" ({part + 1}/{len(chunks)})" if len(chunks) > 1 else ""
            slide = deck.slide(f"Stage {number} of {len(bp.stages)}: {stage.title}{more}")
            _stage_summary(deck, slide, stage, by_stage.get(stage.id), [feelings.get(s.id) for s in stage.steps])
            if not steps:
                deck.text(slide, [("No steps mapped yet.", 20, False)], Inches(1.9), Inches(1))
                continue
            lanes = [lane for lane in bp.lanes if any(step.cards(lane.id) for step in steps)]
            rows, cols = len(lanes) + 1, len(steps) + 1
            top = Inches(1.9)
            table = slide.shapes.add_table(rows, cols, MARGIN, top, WIDTH - 2 * MARGIN, HEIGHT - top - MARGIN).table
            table.columns[0].width = Inches(2.0)
            for c in range(1, cols):
                table.columns[c].width = int((WIDTH - 2 * MARGIN - Inches(2.0)) / (cols - 1))
            size = Pt(14) if len(lanes) <= 4 else Pt(12)
            _cell(table.cell(0, 0), "", size, bold=True)
            for c, step in enumerate(steps, 1):
                _cell(table.cell(0, c), step.display_title, size, bold=True)
            for r, lane in enumerate(lanes, 1):
                _cell(table.cell(r, 0), lane.title, size, bold=True)
                for c, step in enumerate(steps, 1):
                    cards = step.cards(lane.id)
                    alert = any(card.fail is not None for card in cards)
                    _cell(table.cell(r, c), "\n".join(_card_line(card) for card in cards), size, alert=alert)


def _stage_summary(deck: _Deck, slide: Any, stage: Stage, measured: Any, feelings: list[float | None]) -> None:
    facts = [f"{len(stage.steps)} steps"]
    if measured is not None:
        facts += [f"customer time {_minutes(measured.customer_time)}", f"{measured.fail_points} fail points"]
        if measured.wait:
            facts.append(f"waiting {_minutes(measured.wait)}")
    known = [f for f in feelings if f is not None]
    if known:
        mean = sum(known) / len(known)
        facts.append(f"feeling {mean:+.1f} (−2 to +2)")
    deck.text(slide, [(" · ".join(facts), 18, False)], Inches(1.15), Inches(0.6))


def _cell(cell: Any, text: str, size: Pt, *, bold: bool = False, alert: bool = False) -> None:
    frame = cell.text_frame
    frame.word_wrap = True
    lines = clean(text).split("\n") if text else [""]
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold = size, bold
        if line.startswith("⚠") or (alert and line.startswith("⚠")):
            run.font.color.rgb = ALERT


def _findings_slide(deck: _Deck, findings: list[dict[str, Any]] | None) -> None:
    if not findings:
        return
    ranked = [f for f in findings if f["severity"] in ("error", "warning")] or findings
    ranked.sort(key=lambda f: {"error": 0, "warning": 1}.get(str(f["severity"]), 2))
    slide = deck.slide(f"What needs attention ({len(ranked)} findings)")
    lines = []
    for finding in ranked[:MAX_FINDINGS]:
        where = finding.get("card") or finding.get("step") or finding.get("stage") or "the blueprint"
        lines.append((f"{str(finding['severity']).capitalize()} · {where}", 14, True))
        lines.append((clean(str(finding["message"]), 200), 16, False))
    if len(ranked) > MAX_FINDINGS:
        lines.append((f"… and {len(ranked) - MAX_FINDINGS} more: run stageline check", 14, False))
    deck.text(slide, lines, Inches(1.2), HEIGHT - Inches(1.6))


def _chart(slide: Any, kind: Any, data: CategoryChartData, left: int, top: int, width: int, title: str) -> Any:
    frame = slide.shapes.add_chart(kind, left, top, width, Inches(4.6), data)
    chart = frame.chart
    chart.has_title = True
    chart.chart_title.text_frame.text = title
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(16)
    chart.font.size = Pt(12)
    return chart


def _metrics_slide(deck: _Deck, metrics: Any) -> None:
    if metrics is None:
        return
    totals = metrics.totals
    slide = deck.slide("The numbers")
    minutes = totals.customer_time / 60
    head = f"Customer time {_minutes(totals.customer_time)}"
    if totals.tolerance is not None:
        share = totals.customer_time / totals.tolerance if totals.tolerance else 0
        verdict = "over" if share > 1 else "within"
        head += f" against a tolerance of {_minutes(totals.tolerance)}: {share:.0%}, {verdict}"
    head += f" · {totals.fail_points} fail points (risk {totals.fail_point_risk}) · {totals.handoffs.total} handoffs"
    deck.text(slide, [(head, 18, True)], Inches(1.15), Inches(0.8))
    third = int((WIDTH - 2 * MARGIN) / 3)
    top = Inches(2.3)
    time = CategoryChartData()
    time.categories = ["Customer time", "Tolerance"] if totals.tolerance is not None else ["Customer time"]
    values = [round(minutes, 1)] + ([round(totals.tolerance / 60, 1)] if totals.tolerance is not None else [])
    time.add_series("Minutes", values)
    chart = _chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, time, MARGIN, top, third, "Time (minutes)")
    chart.has_legend = False
    risks = CategoryChartData()
    ranked = metrics.fail_points[:MAX_FAIL_POINTS]
    risks.categories = [clean(p.text, 28) or p.card for p in ranked] or ["none"]
    risks.add_series("Risk", [p.risk for p in ranked] or [0])
    chart = _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, risks, MARGIN + third, top, third, "Fail points by risk")
    chart.has_legend = False
    chart.category_axis.reverse_order = True  # the riskiest on top
    curve = CategoryChartData()
    points = metrics.emotion_curve
    curve.categories = [clean(p.title, 20) or p.step for p in points] or ["none"]
    curve.add_series("Feeling", [p.emotion for p in points] or [None])
    chart = _chart(slide, XL_CHART_TYPE.LINE_MARKERS, curve, MARGIN + 2 * third, top, third, "Emotion curve (−2 to +2)")
    chart.has_legend = False
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale = -2, 2
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW


def _effect(bp: Blueprint, opportunity: Opportunity) -> str:
    """What the targeted cards cost in time and money: the most the opportunity can move."""
    cards = [bp.card(t) for t in opportunity.targets if t in bp.index.cards]
    seconds = sum(mean_seconds(c.duration) + (c.wait or 0) for c in cards)
    cost = sum(c.cost or 0 for c in cards)
    parts = []
    if seconds:
        parts.append(f"{_minutes(seconds)} of time")
    if cost:
        parts.append(f"{cost:,.2f} {bp.currency or ''}".strip() + " of cost")
    fails = sum(1 for c in cards if c.fail is not None)
    if fails:
        parts.append(f"{fails} fail point{'s' if fails > 1 else ''}")
    return "acts on " + ", ".join(parts) if parts else ""


def _opportunities_slide(deck: _Deck) -> None:
    bp = deck.bp
    if not bp.opportunities:
        return
    slide = deck.slide(f"Opportunities ({len(bp.opportunities)})")
    lines = []
    for opportunity in bp.opportunities[:MAX_OPPORTUNITIES]:
        plan: list[str] = [opportunity.status]
        if opportunity.owner:
            plan.append(f"owner {clean(opportunity.owner, 40)}")
        if opportunity.value is not None or opportunity.effort is not None:
            plan.append(f"value {opportunity.value or '?'} / effort {opportunity.effort or '?'}")
        if opportunity.due is not None:
            plan.append(f"due {opportunity.due.isoformat()}")
        lines.append((clean(opportunity.title, 120), 18, True))
        detail = " · ".join(plan)
        if opportunity.measure:
            detail += f" · measure: {clean(opportunity.measure, 60)}"
            if opportunity.target:
                detail += f" → {clean(opportunity.target, 40)}"
        effect = _effect(bp, opportunity)
        if effect:
            detail += f" · {effect}"
        lines.append((detail, 14, False))
    if len(bp.opportunities) > MAX_OPPORTUNITIES:
        lines.append((f"… and {len(bp.opportunities) - MAX_OPPORTUNITIES} more", 14, False))
    deck.text(slide, lines, Inches(1.2), HEIGHT - Inches(1.6))


def write_pptx(bp: Blueprint, findings: Sequence[Finding], metrics: Metrics) -> bytes:
    """The deck of `bp` as PPTX bytes, showing the findings and metrics the caller measured
    (`stageline.render.exports` does: the same path for the CLI and the web app)."""
    deck = _Deck(bp, findings)
    _title_slide(deck)
    _overview_slide(deck)
    _stage_slides(deck, metrics)
    _findings_slide(deck, [finding.to_json() for finding in findings])
    _metrics_slide(deck, metrics)
    _opportunities_slide(deck)
    return deck.save()


def slide_count(bp: Blueprint, *, findings: int) -> int:
    """How many slides `write_pptx` makes (for tests and the web page's summary)."""
    stages = sum(max(1, -(-len(stage.steps) // STEPS_PER_SLIDE)) for stage in bp.stages)
    return 2 + stages + (1 if findings else 0) + 1 + (1 if bp.opportunities else 0)


__all__ = ["clean", "slide_count", "write_pptx"]
