"""`stageline serve`: run the web app for a team."""

from __future__ import annotations

import typer
from rich.panel import Panel
from rich.table import Table

from stageline.environment import env
from stageline.exit_status import ExitStatus


def _database_label(url: str) -> str:
    if url.startswith("sqlite"):
        return url.split(":///", 1)[-1]
    # Never print a password.
    head, _, tail = url.partition("@")
    return f"{head.split('://')[0]}://…@{tail}" if tail else url


def serve(
    db: str = typer.Option(
        None,
        "--db",
        help="Database URL: sqlite:///path/to/file.db or postgresql://user@host/db "
        "[default: $STAGELINE_DB, else stageline.db in your data directory]",
    ),
    host: str = typer.Option(None, "--host", help="Address to listen on [default: 127.0.0.1]"),
    port: int = typer.Option(None, "--port", help="Port [default: 8000]", min=1, max=65535),
    demo: bool = typer.Option(False, "--demo", help="Give the first admin a workspace of example blueprints."),
) -> None:
    """Run the Stageline web app: a team's blueprints, with accounts, sharing, history and a REST API."""
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from stageline.server import Settings, create_app

    settings = Settings.from_env(database_url=db, host=host, port=port, demo=demo or None)
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
