"""The domain model: a blueprint, its elements, and the operations that change it."""

from typing import TYPE_CHECKING, Any

from stageline.model.blueprint import FORMAT_VERSION, Blueprint, Index, Line, Place
from stageline.model.elements import (
    DEFAULT_LANES,
    STANDARD_CHANNELS,
    STANDARD_LANES,
    Actor,
    Arrivals,
    Card,
    ChecksConfig,
    Distribution,
    FailPoint,
    Lane,
    Link,
    Opportunity,
    Resource,
    Simulation,
    Stage,
    Step,
    mean_seconds,
)
from stageline.model.integrity import Problem, check_integrity

if TYPE_CHECKING:
    from stageline.model.builder import BlueprintBuilder
    from stageline.model.operations import Operation, OperationError, apply_all, parse_operation

# The operations (a large tagged union of pydantic models) load on first use:
# reading a file or drawing it does not need them.
_LAZY = {
    "BlueprintBuilder": "stageline.model.builder",
    "Operation": "stageline.model.operations",
    "OperationError": "stageline.model.operations",
    "apply_all": "stageline.model.operations",
    "parse_operation": "stageline.model.operations",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_LANES",
    "FORMAT_VERSION",
    "STANDARD_CHANNELS",
    "STANDARD_LANES",
    "Actor",
    "Arrivals",
    "Blueprint",
    "BlueprintBuilder",
    "Card",
    "ChecksConfig",
    "Distribution",
    "FailPoint",
    "Index",
    "Lane",
    "Line",
    "Link",
    "Operation",
    "OperationError",
    "Opportunity",
    "Place",
    "Problem",
    "Resource",
    "Simulation",
    "Stage",
    "Step",
    "apply_all",
    "check_integrity",
    "mean_seconds",
    "parse_operation",
]
