"""The calibration as text: the drift table ranked by what each card's drift costs the
customer, then arrivals, resources, unmatched activities and conformance."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from stageline.analysis.calibration.result import CalibrationResult, CardCalibration, ResourceCalibration
from stageline.analysis.simulation import display as d


def drift_text(card: CardCalibration) -> str:
    """The observed mean against the designed one: `+24%`, `−3%`."""
    if card.drift is None:
        return "–"
    change = round((card.drift - 1.0) * 100)
    return "±0%" if change == 0 else f"{change:+d}%".replace("-", "−")


def signed_seconds(value: float | None) -> str:
    if value is None:
        return "–"
    sign = "+" if value > 0.05 else "−" if value < -0.05 else "±"
    return sign + d.seconds(abs(value))


def units_text(found: ResourceCalibration) -> str:
    """`3 units at once, 10 seen`: the capacity the simulation gets and the distinct resources."""
    return f"{found.units} unit{'s' if found.units != 1 else ''} at once, {found.seen:,} seen"


def period_text(result: CalibrationResult) -> str:
    return f"{result.period_from[:16].replace('T', ' ')} to {result.period_to[:16].replace('T', ' ')}"


def busiest(values: dict[str, float | None]) -> tuple[str, float] | None:
    known = [(key, value) for key, value in values.items() if value is not None]
    return max(known, key=lambda item: item[1]) if known else None


def print_report(result: CalibrationResult, console: Console) -> None:
    files = ", ".join(name.replace("\\", "/").rsplit("/", 1)[-1] for name in result.sources)
    console.print(f"[bold]Calibration of {_escape(result.title)}[/bold]")
    console.print(
        f"{result.cases:,} cases, {result.events:,} events from {_escape(files)}, {period_text(result)}",
        highlight=False,
    )
    if result.one_timestamp:
        console.print(
            "One time per event: each activity's time is the time since its case's previous event "
            "(its wait and its work together).",
            style="dim",
        )
    console.print()
    table = Table(title="Drift, ranked by what it costs the customer", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("Card", no_wrap=True, overflow="ellipsis", max_width=28)
    for name in ("Events", "Designed", "Observed", "p90", "Drift", "Per case"):
        table.add_column(name, justify="right", no_wrap=True)
    fits = Table(title="Measured (what -o writes)", box=box.SIMPLE_HEAD, title_justify="left")
    fits.add_column("Card", no_wrap=True, overflow="ellipsis", max_width=28)
    fits.add_column("Wait before", justify="right", no_wrap=True)
    fits.add_column("Fitted duration")
    for card in result.ranked():
        observed = card.observed
        table.add_row(
            card.id,
            f"{card.events:,}",
            d.seconds(card.designed),
            d.seconds(observed.mean if observed else None),
            d.seconds(observed.p90 if observed else None),
            drift_text(card),
            signed_seconds(card.extra_per_case),
        )
        fits.add_row(
            card.id,
            d.seconds(card.gap_before.mean if card.gap_before else None),
            _escape(card.fit.text) if card.fit else "–",
        )
    console.print(table)
    console.print(fits)

    arrivals = result.arrivals
    console.print("[bold]Arrivals[/bold]")
    if arrivals.rate_per_hour is None:
        console.print("  one case only: no arrival rate")
    else:
        peak = busiest(arrivals.by_hour)
        day = busiest(arrivals.by_weekday)
        span = f"{arrivals.days:g} days" if arrivals.days >= 2 else d.seconds(arrivals.span)
        line = f"  {arrivals.rate_per_hour:.3g} cases per hour on average over {span}"
        if peak:
            hour = int(peak[0])
            line += f"; busiest hour {hour:02d}:00-{(hour + 1) % 24:02d}:00 at {peak[1]:.3g}/h"
        if day and arrivals.days >= 7:
            line += f"; busiest weekday {day[0]} at {day[1] * 24:.3g} per day"
        console.print(line, highlight=False)
    if result.resources:
        console.print("[bold]Resources[/bold]")
        for name, found in result.resources.items():
            who = ", ".join(found.resources[:6]) + ("…" if len(found.resources) > 6 else "")
            hours = f", working {found.hours}" if found.hours else ", at any hour"
            console.print(f"  {_escape(name)}: {units_text(found)} ({_escape(who)}){hours}", highlight=False)
    console.print()
    if result.unmatched:
        loose = Table(title="Activities that match no card", box=box.SIMPLE_HEAD, title_justify="left")
        loose.add_column("Activity")
        loose.add_column("Events", justify="right")
        loose.add_column("Cases", justify="right")
        for u in result.unmatched[:20]:
            loose.add_row(_escape(u.activity), f"{u.events:,}", f"{u.cases:,}")
        console.print(loose)
        if len(result.unmatched) > 20:
            console.print(f"  and {len(result.unmatched) - 20:,} more (see --format json)")
        console.print("  Match one to a card with --map 'ACTIVITY=CARD-ID'.", style="dim")
    if result.unobserved:
        console.print(f"[bold]Cards no event matched[/bold]: {', '.join(result.unobserved)}", highlight=False)
    console.print()
    _conformance(result, console)


def _conformance(result: CalibrationResult, console: Console) -> None:
    c = result.conformance
    console.print("[bold]Conformance[/bold]")
    share = c.get("fitting_share")
    console.print(
        f"  {d.share(share)} of {_cases(result.cases)} follow the blueprint's order "
        f"({c.get('variant_count', 0):,} distinct path{'' if c.get('variant_count') == 1 else 's'})",
        highlight=False,
    )
    deviations = c.get("deviations") or []
    if deviations:
        console.print("  Most common deviations:")
        for item in deviations[:5]:
            console.print(f"    {_escape(item['deviation'])}: {_cases(item['cases'])} ({d.share(item['share'])})")
    rework = c.get("rework") or {}
    if rework.get("cases"):
        cards = ", ".join(f"{card} ({_cases(v['cases'])})" for card, v in list(rework["cards"].items())[:5])
        console.print(f"  Rework in {d.share(rework['share'])} of cases: {cards}", highlight=False)
    failures = c.get("failures") or {}
    failing = {card: f for card, f in failures.items() if f["failed"]}
    if failing:
        console.print("  Failures (from the status column):")
        for card, f in sorted(failing.items(), key=lambda item: -item[1]["p"]):
            designed = f" (designed {d.share(f['designed'])})" if f.get("designed") is not None else ""
            console.print(f"    {card}: {d.share(f['p'])} of {f['events']:,} events{designed}", highlight=False)


def _cases(count: int) -> str:
    return f"{count:,} case{'' if count == 1 else 's'}"


def _escape(text: str) -> str:
    return text.replace("[", "\\[")
