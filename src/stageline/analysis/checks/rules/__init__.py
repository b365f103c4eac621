"""The rule modules, one per theme; importing them registers their rules."""

from stageline.analysis.checks.rules import (
    configuration,
    experience,
    fail_points,
    lines,
    ownership,
    structure,
    time,
    waste,
)

__all__ = ["configuration", "experience", "fail_points", "lines", "ownership", "structure", "time", "waste"]
