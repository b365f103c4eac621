"""The domain model: a blueprint, its elements, and the operations that change it."""

from stageline.model.blueprint import FORMAT_VERSION, Blueprint, Index, Line, Place
from stageline.model.builder import BlueprintBuilder
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
from stageline.model.operations import Operation, OperationError, apply_all, parse_operation

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
