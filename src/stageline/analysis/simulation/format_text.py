"""The report in the terminal: rich tables, worst news first."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from stageline.analysis.simulation import display as d
from stageline.analysis.simulation.report import CardResult, Outcome, SimulationReport, Variant


def print_report(report: SimulationReport, console: Console) -> None:
    settings = report.settings
    runs = f"{settings.replications} replication{'s' if settings.replications != 1 else ''}"
    length = (
        f"{settings.customers:,} customers"
        if settings.customers is not None
        else f"a {d.seconds(settings.horizon)} horizon"
    )
    console.print(Text(f"Simulation of {report.title}", style="bold"))
    console.print(f"{length}, arrivals {settings.arrivals}, from {settings.start}; seed {settings.seed}, {runs}")
    console.print()
    _customers(report, console)
    _bottlenecks(report.base, console)
    _resources(report.base, console)
    _steps(report.base, console)
    _cards(report.base, console)
    _fail_points(report, console)
    for variant in report.variants:
        _variant(report, variant, console)
    for note in report.notes:
        console.print(Text(f"Note: {note}", style="dim"))


def _customers(report: SimulationReport, console: Console) -> None:
    c = report.customers
    t = c.total_time
    console.print(Text("Customers", style="bold"))
    if not c.arrived:
        console.print("  no customer arrived: lengthen the horizon or raise the arrival rate")
        console.print()
        return
    console.print(
        f"  {c.completed:,.0f} served of {c.arrived:,.0f} arrived; the last left after "
        f"{d.seconds(report.base.duration)}"
    )
    ci = f" (± {d.seconds(t.ci)})" if t.ci is not None else ""
    console.print(
        f"  time from arrival to leaving: mean {d.seconds(t.mean)}{ci}, p50 {d.seconds(t.p50)}, "
        f"p90 {d.seconds(t.p90)}, p99 {d.seconds(t.p99)}"
    )
    service = c.time_in_service
    if service is not None and service.mean is not None and abs(service.mean - (t.mean or 0.0)) > 0.5:
        console.print(
            f"  time in the service (without the steps the customer is not present for): mean {d.seconds(service.mean)}"
        )
    if c.tolerance is not None:
        style = "red" if (c.over_tolerance or 0) > 0.1 else "green"
        over = Text(f"  over the tolerance of {d.seconds(c.tolerance)}: ")
        over.append(d.share(c.over_tolerance), style=style)
        if c.over_tolerance_ci is not None:
            over.append(f" (± {d.share(c.over_tolerance_ci)})")
        console.print(over)
    if c.cost.mean:
        console.print(
            f"  cost per customer: mean {d.money(c.cost.mean, report.currency)}, "
            f"p90 {d.money(c.cost.p90, report.currency)}"
        )
    console.print()


def _bottlenecks(outcome: Outcome, console: Console) -> None:
    console.print(Text("Bottlenecks", style="bold"))
    if not outcome.bottlenecks:
        console.print("  none: no resource keeps customers waiting or runs above 85 % busy")
    for rank, bottleneck in enumerate(outcome.bottlenecks, 1):
        console.print(f"  {rank}. {bottleneck.explanation}")
    console.print()


def _resources(outcome: Outcome, console: Console) -> None:
    if not outcome.resources:
        return
    wide = console.width >= 110
    table = Table(title="Resources", title_justify="left", title_style="bold")
    table.add_column("Resource")
    table.add_column("Units", justify="right")
    if wide:
        table.add_column("Hours")
    headers = (
        ("Busy", "Queue mean", "Queue max", "Wait mean", "Wait p90", "Visits")
        if wide
        else ("Busy", "Queue", "Max", "Wait", "p90")
    )
    for header in headers:
        table.add_column(header, justify="right")
    for r in outcome.resources.values():
        busy = Text(d.share(r.utilization), style="red" if r.utilization >= 0.85 else "")
        cells = [d.number(r.queue_mean, 2), str(r.queue_max), d.seconds(r.wait.mean), d.seconds(r.wait.p90)]
        if wide:
            table.add_row(r.name, str(r.capacity), r.hours or "always", busy, *cells, d.number(r.visits, 0))
        else:
            table.add_row(r.name, str(r.capacity), busy, *cells)
    console.print(table)
    console.print()


def _steps(outcome: Outcome, console: Console) -> None:
    """Per step, the wait written on the blueprint (observed) beside the queue the
    simulation produced, so a current-state model can be checked against what was seen."""
    steps = [s for s in outcome.steps.values() if s.written_wait > 0 or s.queue_wait > 0.5]
    if not steps:
        return
    table = Table(title="Waits per step: written (observed) and simulated", title_justify="left", title_style="bold")
    table.add_column("Step")
    for header in ("Written wait", "Simulated queue", "Step time"):
        table.add_column(header, justify="right")
    for step in steps:
        title = step.title if step.present else f"{step.title} (not present)"
        table.add_row(title, d.seconds(step.written_wait), d.seconds(step.queue_wait), d.seconds(step.time))
    console.print(table)
    console.print()


def _interesting(card: CardResult) -> bool:
    return bool(card.resource or (card.wait.mean or 0) > 0 or (card.service.mean or 0) > 0)


def _cards(outcome: Outcome, console: Console) -> None:
    cards = [c for c in outcome.cards.values() if _interesting(c)]
    if not cards:
        return
    # A narrow terminal gets the columns that matter most rather than squeezed ones.
    wide = console.width >= 110
    table = Table(title="Cards (times per customer served)", title_justify="left", title_style="bold")
    # An id is what people search for and paste: a long one folds onto a second line, never cut to …
    labels = [c.id if c.on_path else f"{c.id} (off path)" for c in cards]
    table.add_column("Card", overflow="fold")
    if wide:
        table.add_column("Resource")
    table.add_column("Served", justify="right")
    headers = ("Wait mean", "p50", "p90", "p99", "Service mean", "p90 ") if wide else ("Wait", "p90", "Service")
    for header in headers:
        table.add_column(header, justify="right")
    for card, label in zip(cards, labels, strict=True):
        wait = Text(d.seconds(card.wait.mean), style="red" if card.heat >= 0.5 else "")
        if wide:
            table.add_row(
                label,
                card.resource or "",
                d.share(card.share),
                wait,
                d.seconds(card.wait.p50),
                d.seconds(card.wait.p90),
                d.seconds(card.wait.p99),
                d.seconds(card.service.mean),
                d.seconds(card.service.p90),
            )
        else:
            table.add_row(label, d.share(card.share), wait, d.seconds(card.wait.p90), d.seconds(card.service.mean))
    console.print(table)
    console.print()


def _fail_points(report: SimulationReport, console: Console) -> None:
    fails = [c.fail for c in report.cards.values() if c.fail is not None]
    if not fails:
        return
    table = Table(title="Fail points", title_justify="left", title_style="bold")
    table.add_column("Card", overflow="fold")
    table.add_column("Fails when")
    for header in ("p", "Observed", "Times per run", "Recovery time", "Recovery cost"):
        table.add_column(header, justify="right")
    for f in fails:
        table.add_row(
            f.card,
            f.text,
            d.share(f.p),
            d.share(f.rate),
            d.number(f.occurrences, 1),
            d.seconds(f.time),
            d.money(f.cost, report.currency),
        )
    console.print(table)
    console.print()


def _variant(report: SimulationReport, variant: Variant, console: Console) -> None:
    table = Table(title=f"What if {variant.name}", title_justify="left", title_style="bold")
    table.add_column("Metric")
    for header in ("Base", "What if", "Change", "95 % interval"):
        table.add_column(header, justify="right")
    for delta in variant.deltas:
        if delta.difference == 0 and delta.base == 0:
            continue
        better = delta.difference is not None and delta.difference < 0
        style = "green" if better else "red" if delta.difference else ""
        interval = "–" if delta.ci is None else f"± {d.spread(delta.ci, delta.unit, report.currency)}"
        table.add_row(
            delta.metric,
            d.amount(delta.base, delta.unit, report.currency),
            d.amount(delta.variant, delta.unit, report.currency),
            Text(d.signed(delta.difference, delta.unit, report.currency), style=style),
            interval,
        )
    console.print(table)
    console.print()
