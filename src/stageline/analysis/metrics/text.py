"""Metrics for people: rich tables that fit a 100-column terminal."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from stageline.analysis.checks.formatters.text import counted
from stageline.analysis.metrics.results import Metrics
from stageline.model.quantities import humanize_duration

TOP = 10
EMOTION_STYLES = {-2: "bold red", -1: "red", 0: "white", 1: "green", 2: "bold green"}


def print_metrics(m: Metrics, console: Console) -> None:
    for part in renderables(m):
        console.print(part)
        console.print()


def renderables(m: Metrics) -> list[RenderableType]:
    parts: list[RenderableType] = [_overview(m), _stages(m), _lanes(m)]
    if m.fail_points:
        parts.append(_fail_points(m))
    if m.workload:
        parts.append(_workload(m))
    if m.single_points_of_failure:
        parts.append(_dependencies(m))
    if m.critical_path.cards:
        parts.append(_critical_path(m))
    if m.emotion_curve:
        parts.append(_emotion_curve(m))
    return parts


def _time(seconds: float) -> str:
    return humanize_duration(seconds) if seconds else "–"


def _amount(amount: float) -> str:
    return f"{amount:,.2f}" if amount else "–"


def _money(m: Metrics, amount: float) -> str:
    if not amount or not m.currency:
        return _amount(amount)
    return f"{_amount(amount)} {m.currency}"


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)


def _overview(m: Metrics) -> RenderableType:
    t = m.totals
    heading = Text(m.title, style="bold underline")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    time = Text(humanize_duration(t.customer_time))
    if t.tolerance is not None and t.tolerance_share is not None:
        over = t.tolerance_share > 1
        time.append(
            f" of {humanize_duration(t.tolerance)} tolerance ({t.tolerance_share:.0%})",
            style="bold red" if over else "green",
        )
    else:
        time.append("  (no tolerance set)", style="dim")
    grid.add_row("Customer-facing time", time)
    grid.add_row("  of which waiting", _time(t.wait))
    if t.elapsed_time != t.customer_time:
        grid.add_row(
            "Elapsed time", f"{humanize_duration(t.elapsed_time)}  (with the steps the customer is not present for)"
        )
    slowest = next((s for s in m.steps if s.step == m.critical_path.slowest_step), None)
    if slowest is not None:
        grid.add_row("Slowest step", f"{slowest.title} ({humanize_duration(slowest.customer_time)})")
    wait = m.critical_path.longest_wait
    if wait is not None:
        grid.add_row("Longest wait", f"before {wait.text!r} in step {wait.step}")
    if m.bottleneck:
        busiest = next(a for a in m.workload if a.actor == m.bottleneck)
        how = (
            f"{busiest.utilisation:.0%} busy at the arrival rate"
            if busiest.utilisation is not None
            else f"{busiest.share:.0%} of the people's work time"
        )
        grid.add_row("Bottleneck", f"{busiest.actor} ({how})")
    grid.add_row("Backstage work time", _time(t.backstage_time))
    grid.add_row("Cost", _money(m, t.cost))
    grid.add_row(
        "Structure",
        ", ".join(
            _count(n, noun)
            for n, noun in ((t.stages, "stage"), (t.steps, "step"), (t.cards, "card"), (t.links, "link"))
        ),
    )
    grid.add_row("Moments of truth", str(t.moments_of_truth))
    h = t.handoffs
    grid.add_row(
        "Handoffs",
        f"{h.total}  ({h.people_to_people} people to people, {h.people_to_system} people to system, "
        f"{h.between_departments} between departments, {h.internal_interaction} across the line of internal "
        "interaction)",
    )
    recovery = f", {t.fail_points_without_recovery} without recovery" if t.fail_points_without_recovery else ""
    grid.add_row("Fail points", f"{t.fail_points} (total risk {t.fail_point_risk}{recovery})")
    grid.add_row("Pain points", str(t.pain_points))
    if any(m.findings.values()):
        # "1 error, 3 warnings, 2 info", never "0 errors".
        findings = ", ".join(label for label, _ in counted(m.findings))
        grid.add_row("Check findings", f"{findings}  (`stageline check` lists them)")
    else:
        grid.add_row("Check findings", Text("none", style="green"))
    return Group(heading, grid)


def _stages(m: Metrics) -> Table:
    table = _table("Per stage")
    # Two-line headers, the currency in the header and single spaces between
    # columns keep the table within 80 columns: the stage names wrap, the numbers never do.
    table.collapse_padding = True
    table.add_column("Stage", min_width=8, overflow="fold")
    cost = f"Cost\n{m.currency}" if m.currency else "Cost"
    for name in ("Steps", "Customer\ntime", "Wait", "Back-\nstage", cost, "Fail\npoints", "Risk", "MoT", "Hand-\noffs"):
        table.add_column(name, justify="right", no_wrap=True)
    for s in m.stages:
        table.add_row(
            s.title,
            str(s.steps),
            _time(s.customer_time),
            _time(s.wait),
            _time(s.backstage_time),
            _amount(s.cost),
            str(s.fail_points),
            str(s.fail_point_risk),
            str(s.moments_of_truth),
            str(s.handoffs),
        )
    t = m.totals
    table.add_section()
    table.add_row(
        Text("Total", style="bold"),
        str(t.steps),
        _time(t.customer_time),
        _time(t.wait),
        _time(t.backstage_time),
        _amount(t.cost),
        str(t.fail_points),
        str(t.fail_point_risk),
        str(t.moments_of_truth),
        str(t.handoffs.total),
    )
    table.caption = "Customer time: see docs/time-model.md; MoT = moments of truth"
    table.caption_justify = "left"
    return table


def _lanes(m: Metrics) -> Table:
    table = _table("Per lane")
    table.add_column("Lane")
    table.add_column("Cards", justify="right")
    table.add_column("Fail points", justify="right")
    for lane, cards in m.cards_per_lane.items():
        table.add_row(lane, str(cards), str(m.fail_points_by_lane.get(lane, 0)))
    side = m.fail_points_by_side
    table.caption = f"Fail points: {side['visible']} visible to the customer, {side['hidden']} below the line"
    table.caption_justify = "left"
    return table


def _fail_points(m: Metrics) -> Table:
    table = _table(f"Fail points by risk (severity × likelihood){_more(len(m.fail_points))}")
    table.add_column("Risk", justify="right", no_wrap=True)
    table.add_column("S×L", no_wrap=True)
    table.add_column("Fail point", ratio=3)
    table.add_column("Where", ratio=2)
    table.add_column("Recovery", ratio=3)
    for f in m.fail_points[:TOP]:
        score = f"{f.severity or '?'}×{f.likelihood or '?'}"
        side = "visible" if f.visible else "hidden"
        recovery = Text(f.recovery) if f.recovery else Text("none", style="bold red")
        table.add_row(str(f.risk), score, f.text, f"{f.step} / {f.lane} ({side})", recovery)
    return table


def _workload(m: Metrics) -> Table:
    table = _table("Workload per customer (people, then systems)")
    table.add_column("Actor", ratio=3)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Time", justify="right", no_wrap=True)
    table.add_column("Share", justify="right", no_wrap=True)
    table.add_column("Busy", justify="right", no_wrap=True)
    table.add_column("Steps", ratio=3)
    for row in m.workload[: TOP * 2]:
        busy = f"{row.utilisation:.0%}" if row.utilisation is not None else "–"
        table.add_row(row.actor, row.kind, _time(row.seconds), f"{row.share:.0%}", busy, ", ".join(row.steps))
    table.caption = "Share: of the people's (or the systems') work time; Busy: utilisation at the arrival rate"
    table.caption_justify = "left"
    return table


def _dependencies(m: Metrics) -> Table:
    table = _table(
        f"Single points of failure: hidden work many customer steps need{_more(len(m.single_points_of_failure))}"
    )
    table.add_column("Card", ratio=3)
    table.add_column("Lane", no_wrap=True)
    table.add_column("Steps", justify="right", no_wrap=True)
    table.add_column("Customer steps depending on it", ratio=3)
    for d in m.single_points_of_failure[:TOP]:
        table.add_row(d.text, d.lane, str(len(d.steps)), ", ".join(d.steps))
    return table


def _critical_path(m: Metrics) -> Table:
    chain = m.critical_path
    table = _table(
        f"Critical path through the time model: {humanize_duration(chain.seconds)}, {len(chain.cards)} cards"
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Card", ratio=3)
    table.add_column("Step", ratio=1)
    table.add_column("Lane", no_wrap=True)
    table.add_column("Time", justify="right", no_wrap=True)
    for number, item in enumerate(chain.path, start=1):
        table.add_row(str(number), item.text, item.step, item.lane, _time(item.seconds))
    return table


def _emotion_curve(m: Metrics) -> Table:
    table = _table("Emotion curve")
    table.add_column("Step", ratio=2)
    table.add_column("Emotion", no_wrap=True, min_width=12)
    table.add_column("Pain", ratio=3)
    for point in m.emotion_curve:
        table.add_row(point.title, _emotion_bar(point.emotion), "; ".join(point.pain))
    return table


def _emotion_bar(score: float | None) -> Text:
    if score is None:
        return Text("–", style="dim")
    rounded = max(-2, min(2, round(score)))
    marks = ("▼" if rounded < 0 else "▲") * abs(rounded)
    return Text(f"{score:+.1f} {marks}", style=EMOTION_STYLES[rounded])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _more(count: int) -> str:
    return f", top {TOP} of {count}" if count > TOP else ""
