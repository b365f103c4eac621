"""`stageline import FILE`: a blueprint from a journey map, a Stageline
spreadsheet or a Blueprint Signal project, then the to-do list of what it lacks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import NoReturn

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
from stageline.formats.ingest import COMMAND_LINE, Ingested, Kind, ingest, is_yaml, read_file
from stageline.formats.interop.journey import Progress as ProgressCallback
from stageline.formats.interop.journey import parse_overrides
from stageline.formats.interop.tables import decode_text, is_xlsx
from stageline.model.blueprint import Blueprint

MAX_TODO = 40
_PROGRESS_FROM = 1_000  # rows; smaller files import faster than a bar can draw


class From(StrEnum):
    """The kinds `--from` may name: every kind `ingest` reads but a Stageline YAML file, which needs no import."""

    JOURNEY = Kind.JOURNEY.value
    SPREADSHEET = Kind.SPREADSHEET.value
    SIGNAL = Kind.SIGNAL.value
    IR = Kind.IR.value


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
        help="A journey map (CSV/XLSX), a Stageline spreadsheet export (XLSX/CSV), "
        "a Blueprint Signal project (JSON) or process list (CSV), or an agentic-service-blueprinting IR (JSON).",
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
    kind: From = typer.Option(
        None, "--from", help="What the file is, when recognising it by content is not enough.", show_default=False
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Make a blueprint from a journey map, spreadsheet or Blueprint Signal project.

    A journey map fills the customer lane, evidence, emotions, pain points and
    opportunities; the frontstage, backstage and support lanes are left for the
    team, and the check findings printed afterwards list what each step still
    needs. A spreadsheet exported by `stageline export` comes back exactly.
    A Stageline YAML file is already a blueprint and needs no import.
    Exit status: 0 imported, 2 the file cannot be imported (every problem is listed,
    or it is already a Stageline blueprint), 3 the output cannot be written.
    """
    target = _output_path(file, output)
    try:
        data = read_file(file, COMMAND_LINE)
        overrides = parse_overrides(maps or [], str(file))
    except FormatError as error:
        _refuse(file, None, error)
    # A blueprint needs no import; say so before anything about the output file (which may be itself).
    exists = target is not None and target.exists() and not force
    if exists and not _blueprint_text(data, str(file)):
        env().err.print(
            f"[red]error:[/] {escape(str(target))} already exists; use --force to overwrite it or -o "
            "to choose another file",
            soft_wrap=True,
        )
        raise typer.Exit(ExitStatus.INVALID_INPUT)
    with _progress(f"Importing {file.name}") as progress:
        found = ingest(
            data,
            str(file),
            COMMAND_LINE,
            kind=Kind(kind) if kind is not None else None,
            sheet=sheet,
            overrides=overrides,
            title=title,
            progress=progress,
        )
    if found.kind is Kind.YAML:
        _already_a_blueprint(found, file)
    if not found.ready or found.blueprint is None:
        _refuse(file, found.kind, found.error())
    if target is not None and target.resolve() == file.resolve():
        env().err.print(
            f"[red]error:[/] the blueprint would overwrite {escape(str(file))} itself: choose another file with -o",
            soft_wrap=True,
        )
        raise typer.Exit(ExitStatus.INVALID_INPUT)
    from stageline.formats.files import write_atomic
    from stageline.formats.yaml_format import dumps

    text = dumps(found.blueprint)
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
    _summary(found, found.blueprint, file, target)
    raise typer.Exit(ExitStatus.OK)


def _refuse(file: Path, kind: Kind | None, error: FormatError) -> NoReturn:
    """Every problem, then one line saying what the file was read as."""
    report_problems(error)
    what = f", read as a {kind.noun}" if kind is not None else ""
    count = len(error.problems)
    env().err.print(
        Text(f"Cannot import {file.name}{what}: {count} problem{'s' if count != 1 else ''}"), soft_wrap=True
    )
    raise typer.Exit(ExitStatus.INVALID_INPUT)


def _blueprint_text(data: bytes, name: str) -> bool:
    """Whether the file reads as a Stageline YAML file (told as `ingest` tells it)."""
    if is_xlsx(data):
        return False
    try:
        return is_yaml(name, decode_text(data, name))
    except FormatError:
        return False


def _already_a_blueprint(found: Ingested, file: Path) -> None:
    """A Stageline YAML file: nothing to import. Its problems, if any, and where to go instead."""
    validate = command("validate", str(file))
    if found.problems:
        report_problems(found.error())
        count = len(found.problems)
        env().err.print(
            Text(
                f"{file} is a Stageline blueprint (YAML) with {count} problem{'s' if count != 1 else ''}, "
                f"not a file to import: fix it, then check it with {validate}"
            ),
            soft_wrap=True,
        )
    else:
        env().err.print(
            Text(f"{file} is already a Stageline blueprint: it needs no import. Check it with {validate}"),
            soft_wrap=True,
        )
    raise typer.Exit(ExitStatus.INVALID_INPUT)


def _output_path(file: Path, output: str | None) -> Path | None:
    if output == "-":
        return None
    if output:
        return Path(output)
    return file.with_suffix(".yaml")


def _summary(imported: Ingested, bp: Blueprint, file: Path, target: Path | None) -> None:
    # With YAML on stdout, everything for people goes to stderr.
    console = env().err if target is None else env().out
    assert imported.kind is not None
    steps = sum(len(stage.steps) for stage in bp.stages)
    where = f" → {target}" if target is not None else ""
    console.print(
        Text(f"Imported {imported.kind.noun} {file.name}{where}: {len(bp.stages)} stages, {steps} steps imported"),
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
