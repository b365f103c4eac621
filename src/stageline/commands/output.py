"""What the commands that write reports share: a progress bar on stderr, errors
as `FILE: error: message` (the one problem printer) with a hint, and writing the report to stdout or,
atomically, to a file (nothing written when it fails)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from stageline.commands.problems import print_problems
from stageline.environment import env
from stageline.exit_status import ExitStatus
from stageline.formats.errors import FormatProblem
from stageline.formats.files import write_atomic


@contextmanager
def progress_bar(show: bool, label: str = "simulating") -> Iterator[Callable[[int, int], None] | None]:
    """A callback (done, total) drawing a bar on stderr, or None when not shown."""
    if not show:
        yield None
        return
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=env().err,
        transient=True,
    )
    task = bar.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield update


def print_error(file: Path | str, message: str, hint: str | None = None) -> None:
    """`file: error: message` by the one problem printer; the hint (which may be a block
    of YAML to paste) on the lines after it."""
    err = env().err
    print_problems(err, [FormatProblem(str(file), 0, 0, "", message)])
    if hint:
        err.print(hint, highlight=False, markup=False, soft_wrap=True)


def write_output(text: str, output: Path | None) -> None:
    """`text` to stdout, or atomically to `output` (nothing written when it fails)."""
    if output is None:
        env().out.file.write(text)
        env().out.file.flush()
        return
    try:
        write_atomic(output, text)
    except OSError as error:
        env().err.print(f"cannot write {output}: {error.strerror or error}")
        raise typer.Exit(ExitStatus.ERROR) from None
    env().err.print(f"wrote {output}")


def write_report(
    output_format: str,
    output: Path | None,
    *,
    text: Callable[[Console], None],
    json: Callable[[], str],
    html: Callable[[], str],
) -> None:
    """A report as people read it on the terminal, or as text, JSON or HTML to stdout or
    atomically to `output` (the report commands share this)."""
    if output_format == "text" and output is None:
        text(env().out)
        return
    if output_format == "json":
        body = json() + "\n"
    elif output_format == "html":
        body = html()
    else:
        console = Console(file=io.StringIO(), width=120, record=True)
        text(console)
        body = console.export_text()
    write_output(body, output)
