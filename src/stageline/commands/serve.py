"""`stageline serve`: run the web app for a team."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from stageline.environment import env
from stageline.exit_status import ExitStatus

SQLITE_RULE = (
    "a plain path (team.db, /srv/stageline/team.db) or sqlite:///RELATIVE/PATH.db, "
    "sqlite:////ABSOLUTE/PATH.db (four slashes)"
)


class Refused(Exception):
    """A --db value Stageline will not open; the message says what to write instead."""


def database_url(value: str, cwd: Path | None = None) -> str:
    """The SQLAlchemy URL for a --db (or STAGELINE_DB) value.

    SQLite: a plain path is a file, relative to the current folder or absolute;
    `sqlite:///PATH` is relative to the current folder and `sqlite:////PATH`
    absolute (SQLAlchemy's rule). The result names the file by its absolute path,
    and its folder must exist: a path that only works as an absolute one
    (`sqlite:///tmp/x/team.db` when ./tmp/x does not exist) is refused with the
    URL that was meant, never created somewhere unexpected. PostgreSQL:
    `postgresql://…` as is. Anything else is refused."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    here = cwd or Path.cwd()
    if "://" not in value:
        return f"sqlite:///{_sqlite_file(Path(value).expanduser(), here, value)}"
    try:
        url = make_url(value)
    except ArgumentError:
        raise Refused(
            f"{value!r} is not a database URL; give {SQLITE_RULE}, or postgresql://USER@HOST/DATABASE"
        ) from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise Refused(f"an in-memory SQLite database would lose everything at exit; give {SQLITE_RULE}")
        file = _sqlite_file(Path(url.database).expanduser(), here, value)
        return url.set(database=str(file)).render_as_string(hide_password=False)
    if backend in ("postgresql", "postgres"):  # the server's settings accept postgres:// too
        return value
    raise Refused(
        f"Stageline does not run on {backend}; use SQLite (--db team.db) or PostgreSQL (--db postgresql://USER@HOST/DB)"
    )


def _sqlite_file(path: Path, cwd: Path, given: str) -> Path:
    file = path if path.is_absolute() else cwd / path
    if file.is_dir():
        raise Refused(f"{file} is a folder; give the database file, e.g. {file / 'stageline.db'}")
    if not file.parent.is_dir():
        meant = Path("/") / path
        hint = (
            f" (sqlite:/// is relative to the current folder: for {meant} write sqlite:///{meant} or --db {meant})"
            if "://" in given and not path.is_absolute()
            else "; create it first"
        )
        raise Refused(f"the folder {file.parent} for the database {given} does not exist{hint}")
    return file.resolve()


def _database_label(url: str) -> str:
    if url.startswith("sqlite"):
        return str(Path(url.split(":///", 1)[-1]).resolve())
    # Never print a password.
    head, _, tail = url.partition("@")
    return f"{head.split('://')[0]}://…@{tail}" if tail else url


def _port_in_use(host: str, port: int) -> bool:
    """Whether something already listens on `host`:`port` (checked before saying we run)."""
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[
            0
        ]
    except OSError:
        return False  # uvicorn reports a host it cannot resolve
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            return True
    return False


def _refuse(message: str) -> typer.Exit:
    env().err.print(f"[red]error:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(ExitStatus.INVALID_INPUT)


def serve(
    db: str = typer.Option(
        None,
        "--db",
        metavar="URL|FILE",
        help="Database: a SQLite file path, sqlite:///path/to/file.db or postgresql://user@host/db "
        "[default: $STAGELINE_DB, else stageline.db in your data directory]",
    ),
    host: str = typer.Option(None, "--host", metavar="ADDRESS", help="Address to listen on [default: 127.0.0.1]"),
    port: int = typer.Option(None, "--port", help="Port [default: 8000]", min=1, max=65535),
    demo: bool = typer.Option(False, "--demo", help="Give the first admin a workspace of example blueprints."),
) -> None:
    """Run the Stageline web app: a team's blueprints, with accounts, sharing, history and a REST API."""
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from stageline.server import SettingError, Settings, create_app

    given = db or os.environ.get("STAGELINE_DB")
    try:
        url = database_url(given) if given else None
    except Refused as refused:
        raise _refuse(f"--db: {refused}") from None
    try:
        settings = Settings.from_env(database_url=url, host=host, port=port, demo=demo or None)
    except SettingError as error:
        raise _refuse(str(error)) from None
    if _port_in_use(settings.host, settings.port):
        raise _refuse(
            f"port {settings.port} on {settings.host} is already in use (another Stageline, or another program); "
            f"choose another with --port"
        )
    out = env().out
    try:
        app = create_app(settings)
    except (SQLAlchemyError, OSError) as error:
        env().err.print(
            f"[bold red]Cannot open the database[/] {_database_label(settings.database_url)}:\n  {error}\n"
            "Check the --db URL (or STAGELINE_DB) and that the server or folder is reachable."
        )
        raise typer.Exit(ExitStatus.ERROR) from None
    services = app.state.services
    url = settings.base_url
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")  # a long path or URL wraps; it is never cut
    table.add_row("[bold]Open[/]", f"[link={url}]{url}[/link]")
    table.add_row("[bold]Database[/]", _database_label(settings.database_url))
    table.add_row("[bold]API[/]", f"{url}/api/docs")
    if services.accounts.needs_setup():
        step = f"Open {url} — the first person to open it creates the admin account."
        if settings.demo:
            step += " They get a workspace of example blueprints."
    else:
        step = f"Open {url} and sign in. Invite people from a workspace's Members page."
    table.add_row("[bold]Next[/]", step)
    out.print(Panel(table, title="Stageline is running", border_style="blue", expand=False))
    out.print("[dim]Press Ctrl+C to stop.[/]")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", proxy_headers=settings.trust_proxy)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
