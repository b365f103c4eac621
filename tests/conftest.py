"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from hypothesis import settings

from helpers.blueprints import small_blueprint
from stageline import environment
from stageline.model import Blueprint

# CI runs the property tests on a fixed seed, so a run is reproducible and a
# submission cannot fail on a draw nobody saw; local runs keep exploring new
# examples (and print a blob to reproduce any failure they find). Neither has
# a deadline: speed is measured in benchmarks/, and on a busy two-core machine
# a slow draw is noise, not a finding (it made runs fail as "flaky").
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.hookimpl(tryfirst=True)  # before xdist's loadgroup reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests are slow, and run one after another on one xdist worker
    (`--dist loadgroup`): two Chromiums at once on two cores starve everything else."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
            item.add_marker(pytest.mark.slow)


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
