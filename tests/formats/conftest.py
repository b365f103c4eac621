"""Every test of the format package runs twice: reading through libyaml's fast
tree (what users get) and through the round-trip parser alone (the reference
that explains problems). Both must give the same blueprints, positions and messages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stageline.formats import fast


@pytest.fixture(autouse=True, params=["fast", "round-trip"])
def yaml_path(request: pytest.FixtureRequest) -> Iterator[str]:
    saved = fast.ENABLED
    fast.ENABLED = request.param == "fast"
    yield request.param
    fast.ENABLED = saved
