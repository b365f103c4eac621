"""`stageline import FILE`: a blueprint from a journey map, a Stageline
spreadsheet or a Blueprint Signal project, then the to-do list of what it lacks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from stageline.commands.invocation import command, program
from stageline.commands.problems import print_problems
from stageline.environment import env
from stageline.exit_status import ExitStatus
from stageline.formats.errors import FormatError
from stageline.formats.interop.journey import Progress as ProgressCallback
from stageline.formats.interop.journey import parse_overrides
from stageline.formats.interop.registry import Imported, Source, read_any
from stageline.formats.interop.tables import read_bytes
from stageline.model.blueprint import Blueprint

MAX_TODO = 40
_PROGRESS_FROM = 1_000  # rows; smaller files import faster than a bar can draw


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)


def report_problems(error: FormatError) -> None:
    print_problems(env().err, error.problems)


@contextmanager
def _progress(label: str) -> Iterator[ProgressCallback]:
    """A progress bar on stderr, shown only once a large file reports progress."""
    bar: Progress | None = None
    task = None

    def update(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            if total < _PROGRESS_FROM:
                return
            bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=env().err,
                transient=True,
            )
            bar.start()
            task = bar.add_task(label, total=total)
        assert task is not None
        bar.update(task, completed=done)

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()


def import_command(
    file: Path = typer.Argument(
        ...,
        help="A journey map (CSV/XLSX), a Stageline spreadsheet export (XLSX/CSV) or "
        "a Blueprint Signal project (JSON) or process list (CSV).",
        show_default=False,
    ),
    output: str = typer.Option(
        None,
        "--output",
        "-o",
        help="The blueprint YAML to write ('-' for standard output); default: FILE with a .yaml extension.",
        show_default=False,
    ),
    maps: list[str] = typer.Option(
        None,
        "--map",
        help="Read a heading as a field: --map 'What they do=customer' (repeatable; 'Heading=' ignores it).",
        show_default=False,
    ),
    sheet: str = typer.Option(
        None,
        "--sheet",
        help="The XLSX sheet holding the journey map (default: the first sheet that reads as one).",
        show_default=False,
    ),
    title: str = typer.Option(
        None, "--title", help="Title of the new blueprint (default: from the file name).", show_default=False
    ),
    kind: Source = typer.Option(
        None, "--from", help="What the file is, when recognising it by content is not enough.", show_default=False
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Make a blueprint from a journey map, spreadsheet or Blueprint Signal project.

    A journey map fills the customer lane, evidence, emotions, pain points and
    opportunities; the frontstage, backstage and support lanes are left for the
    team, and the check findings printed afterwards list what each step still
    needs. A spreadsheet exported by `stageline export` comes back exactly.
    Exit status: 0 imported, 2 the file cannot be read (every problem is listed),
    3 the output cannot be written.
    """
    target = _output_path(file, output)
    if target is not None and target.exists() and not force:
        env().err.print(
            f"[red]error:[/] {escape(str(target))} already exists; use --force to overwrite it or -o "
            "to choose another file"
        )
        raise typer.Exit(ExitStatus.INVALID_INPUT)
    try:
        data = read_bytes(file)
        overrides = parse_overrides(maps or [], str(file))
        with _progress(f"Importing {file.name}") as progress:
            imported = read_any(
                data, str(file), kind=kind, sheet=sheet, overrides=overrides, title=title, progress=progress
            )
    except FormatError as error:
        report_problems(error)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    from stageline.formats.files import write_atomic
    from stageline.formats.yaml_format import dumps

    text = dumps(imported.blueprint)
    if target is None:
        env().stdout.write(text)
        env().stdout.flush()
    else:
        try:
            write_atomic(target, text)
        except OSError as error:
            reason = error.strerror or str(error)
            env().err.print(f"[red]error:[/] cannot write {escape(str(target))}: {escape(reason)}", soft_wrap=True)
            raise typer.Exit(ExitStatus.ERROR) from None
    _summary(imported, file, target)
    raise typer.Exit(ExitStatus.OK)


def _output_path(file: Path, output: str | None) -> Path | None:
    if output == "-":
        return None
    if output:
        return Path(output)
    return file.with_suffix(".yaml")


def _summary(imported: Imported, file: Path, target: Path | None) -> None:
    # With YAML on stdout, everything for people goes to stderr.
    console = env().err if target is None else env().out
    bp = imported.blueprint
    steps = sum(len(stage.steps) for stage in bp.stages)
    where = f" → {target}" if target is not None else ""
    console.print(
        Text(f"Imported {imported.kind.label} {file.name}{where}: {len(bp.stages)} stages, {steps} steps imported"),
        soft_wrap=True,
    )
    mapping = imported.mapping
    if mapping is not None:
        read = ", ".join(f"{mapping.headings[i]} → {name}" for i, name in sorted(mapping.fields.items()))
        console.print(Text(f"Columns read: {read}", style="dim"), soft_wrap=True)
        if mapping.unmapped:
            console.print(
                Text(f"Ignored: {', '.join(mapping.unmapped)} (map them with --map 'Heading=field')", style="dim")
            )
    for item in imported.unmapped:
        console.print(Text.assemble(("not imported: ", "yellow"), str(item)), soft_wrap=True)
    _todo(bp, console, target)


def _todo(bp: Blueprint, console: Console, target: Path | None) -> None:
    from stageline.analysis.checks import check

    findings = check(bp)
    if not findings:
        console.print("Nothing left to do: every check passes.")
        return
    console.print(f"\nTo do ({len(findings)} findings from stageline check):")
    for finding in findings[:MAX_TODO]:
        where = finding.card or finding.step or finding.stage or "blueprint"
        line = Text("  ")
        line.append(
            f"{finding.severity.value:<7} ",
            style={"error": "red", "warning": "yellow"}.get(finding.severity.value, "cyan"),
        )
        line.append(f"{finding.rule} ", style="dim")
        line.append(f"{where}: ", style="bold")
        line.append(finding.message)
        console.print(line, soft_wrap=True)
    if len(findings) > MAX_TODO:
        rest = command("check", str(target)) if target is not None else f"{program()} check on the saved file"
        console.print(Text(f"  … and {len(findings) - MAX_TODO} more: run {rest}"), soft_wrap=True)
