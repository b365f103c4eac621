"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest

from helpers.blueprints import small_blueprint
from stageline import environment
from stageline.model import Blueprint

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def console() -> Iterator[environment.Environment]:
    """Commands write here instead of the terminal; read `.stdout.getvalue()`."""
    env = environment.Environment(stdout=StringIO(), stderr=StringIO(), stdin=StringIO(), width=120)
    environment.use(env)
    yield env
    environment.use(None)


@pytest.fixture
def hotel() -> Blueprint:
    return small_blueprint()
