"""Storage: migrations from empty on both databases, SQLite pragmas, settings."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from helpers.server import POSTGRES
from stageline.server.db import Database, upgrade
from stageline.server.db.migrate import downgrade
from stageline.server.db.models import Base
from stageline.server.settings import Settings, normalise_database_url


def _assert_schema_matches_models(database: Database) -> None:
    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_sqlite_upgrade_from_empty_matches_models_and_downgrades(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'nested' / 'fresh.db'}")
    upgrade(database.engine)
    _assert_schema_matches_models(database)
    upgrade(database.engine)  # a second start is a no-op
    downgrade(database.engine, "base")
    assert set(inspect(database.engine).get_table_names()) == {"alembic_version"}
    database.dispose()


@pytest.mark.postgres
def test_postgres_upgrade_from_empty_matches_models() -> None:
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        database = Database(f"{POSTGRES}?options=-csearch_path%3D{schema}")
        upgrade(database.engine)
        _assert_schema_matches_models(database)
        assert "blueprints" in inspect(database.engine).get_table_names(schema=schema)
        database.dispose()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'wal.db'}")
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    database.dispose()


def test_sqlite_writes_are_serialised(tmp_path: Path) -> None:
    """Many threads writing at once: no 'database is locked', nothing lost."""
    database = Database(f"sqlite:///{tmp_path / 'busy.db'}")
    upgrade(database.engine)
    from stageline.server.db.models import Workspace

    def write(number: int) -> None:
        for item in range(10):
            with database.write() as session:
                session.add(Workspace(slug=f"w-{number}-{item}", name="W"))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with database.read() as session:
        assert session.query(Workspace).count() == 80
    database.dispose()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls_are_normalised(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAGELINE_DB", "postgresql://team@db/stageline")
    monkeypatch.setenv("STAGELINE_TRUST_PROXY", "yes")
    settings = Settings.from_env(port=9000)
    assert settings.database_url == "postgresql+psycopg://team@db/stageline"
    assert settings.trust_proxy and settings.port == 9000 and not settings.is_sqlite
    default = Settings()
    assert default.is_sqlite and default.sqlite_path is not None and default.sqlite_path.name == "stageline.db"
