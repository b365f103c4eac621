"""Fixtures for the server tests: a migrated database (SQLite in tmp_path, or a
private schema on the PostgreSQL server), the services, the app and clients."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from helpers.server import POSTGRES, World, build_world, fast_settings
from stageline.server import create_app
from stageline.server.db import Database, upgrade
from stageline.server.db.models import Base
from stageline.server.services import Services
from stageline.server.settings import Settings


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """A migrated schema of its own on the PostgreSQL server (one per xdist worker)."""
    admin = create_engine(POSTGRES)
    try:
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:
        pytest.fail(
            f"PostgreSQL is not reachable at 127.0.0.1:5432 (database 'test', user 'postgres'): {error}. "
            "Start it, or run only SQLite tests with -m 'not postgres'."
        )
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    database = Database(url)
    upgrade(database.engine)
    database.dispose()
    yield url
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _truncate(database: Database) -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Each test gets an empty, migrated database on both backends."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "stageline.db"
        url = f"sqlite:///{path}"
        database = Database(url)
        upgrade(database.engine)
        database.dispose()
        yield url
    else:
        url = request.getfixturevalue("postgres_schema_url")
        database = Database(url)
        _truncate(database)
        database.dispose()
        yield url


@pytest.fixture
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("db") / "stageline.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database.engine)
    database.dispose()
    return f"sqlite:///{path}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return fast_settings(database_url)


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    database = Database(settings.database_url)
    yield Services.build(database, settings)
    database.dispose()


@pytest.fixture
def make_world(services: Services) -> Callable[[str], World]:
    return lambda tag="": build_world(services, tag)


@pytest.fixture
def world(services: Services) -> World:
    return build_world(services)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.services.db.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def api_world(app: FastAPI) -> World:
    """The populated instance behind `app`."""
    return build_world(app.state.services)
