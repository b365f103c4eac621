"""`stageline new FILE`: start a blueprint from a packaged template."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape as _escape

from stageline.commands.invocation import command, program
from stageline.environment import env
from stageline.exit_status import ExitStatus
from stageline.formats.files import write_atomic
from stageline.formats.schema import SCHEMA_FILE, SCHEMA_TITLE, schema_text
from stageline.templates import DEFAULT_TEMPLATE, UnknownTemplateError, list_templates, template_names, template_text

STDOUT = "-"


def register(app: typer.Typer) -> None:
    app.command("new")(new_command)


def _complete_template(incomplete: str) -> list[str]:
    return [name for name in template_names() if name.startswith(incomplete)]


def new_command(
    file: str = typer.Argument(
        None, help="The blueprint file to create (.yaml), or - to print the template.", show_default=False
    ),
    template: str = typer.Option(
        DEFAULT_TEMPLATE,
        "--template",
        "-t",
        metavar="NAME",
        help="Template to start from; see --list.",
        autocompletion=_complete_template,
    ),
    title: str = typer.Option(
        None, "--title", metavar="TITLE", help="Title of the new blueprint (the template's otherwise)."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
    schema: str | None = typer.Option(
        None,
        "--schema",
        help="Where editors find the JSON Schema, written on the file's first line: a path relative to FILE "
        f"(written there when missing; {SCHEMA_FILE} by default) or a URL such as your Stageline server's "
        "/schema/stageline-1.json.",
        show_default=False,
        metavar="PATH|URL",
    ),
    no_schema: bool = typer.Option(False, "--no-schema", help="Leave out the schema line (and the schema file)."),
    list_: bool = typer.Option(False, "--list", "-l", help="List the templates and exit."),
) -> None:
    """Create a blueprint file from a template, ready to edit.

    The blank template has one step with the five lanes and notes on what goes where;
    the others (hotel stay, online order and return, clinic appointment, SaaS onboarding)
    are realistic starting points to adapt. Exit status 2 when FILE exists (use --force)
    or the template does not.
    """
    if list_:
        _print_templates()
        raise typer.Exit(ExitStatus.OK)
    if not file:
        raise _fail(
            f"give the file to create, e.g. `{command('new', 'hotel.yaml')}` "
            f"(or `{command('new', '--list')}` to see the templates)",
            ExitStatus.INVALID_INPUT,
        )
    if not no_schema and schema is None and file != STDOUT:
        schema = SCHEMA_FILE  # printed templates get a schema line only when asked
    try:
        text = template_text(template, title=title, schema=None if no_schema else schema)
    except UnknownTemplateError as error:
        raise _fail(f"{_escape(str(error))}; see `{command('new', '--list')}`", ExitStatus.INVALID_INPUT) from None
    except ValueError as error:
        raise _fail(f"--title: {_escape(str(error))}", ExitStatus.INVALID_INPUT) from None

    if file == STDOUT:
        env().out.print(text, end="", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(ExitStatus.OK)
    _write(Path(file), text, force=force)
    _print_next_steps(Path(file), template)
    if not no_schema and schema is not None:
        _write_schema_beside(Path(file), schema)


def _write(path: Path, text: str, *, force: bool) -> None:
    where = _escape(str(path))
    if path.is_dir():
        raise _fail(
            f"{where} is a folder; give the name of the file to create, e.g. {where}/blueprint.yaml",
            ExitStatus.INVALID_INPUT,
        )
    if not path.parent.is_dir():
        raise _fail(f"the folder {_escape(str(path.parent))} does not exist; create it first", ExitStatus.INVALID_INPUT)
    try:
        if force:
            write_atomic(path, text)
        else:
            # Exclusive creation: never overwrite, even if the file appears meanwhile.
            with path.open("x", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
    except FileExistsError:
        raise _fail(
            f"{where} already exists; choose another name, or add --force to overwrite it", ExitStatus.INVALID_INPUT
        ) from None
    except OSError as error:
        raise _fail(f"cannot write {where}: {_escape(error.strerror or str(error))}", ExitStatus.ERROR) from None


def _write_schema_beside(path: Path, schema: str) -> None:
    """Write the JSON Schema the new file's first line points at, when that is a local path
    that holds no schema yet or an older Stageline schema; never overwrite another file."""
    if "://" in schema:
        return
    target = path.parent / schema
    text = schema_text()
    try:
        if target.exists():
            current = target.read_text(encoding="utf-8")
            if current == text or SCHEMA_TITLE not in current[:400]:
                return
            action = "Updated"
        else:
            action = "Wrote"
        write_atomic(target, text)
    except OSError as error:
        env().err.print(
            f"[yellow]warning:[/] cannot write {_escape(str(target))} ({_escape(error.strerror or str(error))}); "
            "editors will not complete this file until it exists: run `stageline schema -o` with that path",
            soft_wrap=True,
        )
        return
    env().out.print(
        f"{action} {_escape(str(target))}: editors with a YAML plugin now complete and check the file as you type.",
        soft_wrap=True,
    )


def _print_next_steps(path: Path, template: str) -> None:
    file, picture = str(path), str(path.with_suffix(".svg"))
    out = env().out
    out.print(f"Created [bold]{_escape(str(path))}[/] from the [bold]{_escape(template)}[/] template.", soft_wrap=True)
    steps = [
        (command("validate", file), "is it a valid blueprint?"),
        (command("check", file), "what is missing or risky"),
        (command("simulate", file), "where it breaks under load"),
        (command("render", file, "-o", picture), "draw it"),
    ]
    width = max(len(line) for line, _ in steps)
    out.print("Edit it, replacing the notes marked -> with what you find out; then:", soft_wrap=True)
    for line, purpose in steps:
        out.print(f"  {_escape(line.ljust(width))}   [dim]# {purpose}[/]", soft_wrap=True)


def _print_templates() -> None:
    templates = list_templates()
    width = max(len(template.name) for template in templates)
    for template in templates:
        marker = " [dim](default)[/]" if template.name == DEFAULT_TEMPLATE else ""
        env().out.print(
            f"[bold]{template.name.ljust(width)}[/]   {_escape(template.description)}{marker}", soft_wrap=True
        )
    env().out.print(f"\nStart from one with: {program()} new --template NAME FILE", soft_wrap=True)


def _fail(message: str, status: ExitStatus) -> typer.Exit:
    """Print `message` (rich markup) as an error; the exit to raise."""
    env().err.print(f"[red]error:[/] {message}", soft_wrap=True)
    return typer.Exit(status)
