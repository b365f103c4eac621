"""The benchmark generator: exact sizes, valid blueprints, the same one every time."""

from __future__ import annotations

import importlib.util

from conftest import ROOT
from stageline.analysis.checks import check
from stageline.model import check_integrity

# benchmarks/ is not an installed package; load the generator from its file.
_spec = importlib.util.spec_from_file_location("benchmarks_generate", ROOT / "benchmarks" / "generate.py")
assert _spec is not None and _spec.loader is not None
_generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_generate)
generate_blueprint = _generate.generate_blueprint


def test_generated_blueprint_has_the_requested_size_and_is_valid() -> None:
    bp = generate_blueprint(cards=300, links=600, seed=3)
    assert len(list(bp.cards())) == 300 and len(bp.links) == 600
    assert check_integrity(bp) == []
    assert generate_blueprint(cards=300, links=600, seed=3) == bp
    assert generate_blueprint(cards=300, links=600, seed=4) != bp
    assert check(bp)  # realistic enough to have something to find
