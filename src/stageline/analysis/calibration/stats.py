"""Summaries and fitted distributions of observed durations (numpy only).

A fit chooses among the shapes the simulation accepts (docs/simulation.md):
constant, exponential, uniform, triangular, normal and lognormal, each with
parameters from the sample (moments, or its range for uniform and triangular),
and keeps the one whose cumulative distribution lies closest to the sample's
by the Kolmogorov–Smirnov distance (the largest gap between the two curves).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from stageline.model.elements import Distribution
from stageline.model.quantities import format_duration

FIT_SAMPLE = 20_000  # values a fit is measured on (evenly spaced order statistics)
MIN_FIT = 5  # fewer observations are written as their mean
CONSTANT_CV = 0.02  # a spread this small (sd / mean) is a constant duration


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float
    p50: float
    p90: float
    sd: float

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "mean": _r(self.mean), "p50": _r(self.p50), "p90": _r(self.p90)}


def summarise(values: np.ndarray) -> Summary | None:
    values = values[np.isfinite(values)]
    if not values.size:
        return None
    p50, p90 = np.percentile(values, [50, 90])
    return Summary(int(values.size), float(values.mean()), float(p50), float(p90), float(values.std()))


def _r(value: float) -> float:
    return round(float(value), 3)


@dataclass(frozen=True)
class Fit:
    dist: str
    params: dict[str, float]  # seconds
    ks: float | None  # distance of the chosen shape; None when too few values to tell
    candidates: dict[str, float]

    def distribution(self) -> float | Distribution:
        """The blueprint's duration: a distribution, or plain seconds for a constant."""
        if self.dist == "constant":
            return self.params["mean"]
        return Distribution(dist=self.dist, **self.params)

    @property
    def text(self) -> str:
        """In the blueprint's own syntax: `4m` or `{dist: lognormal, mean: 4m12s, sd: 1m3s}`."""
        if self.dist == "constant":
            return format_duration(self.params["mean"])
        inner = ", ".join(f"{name}: {format_duration(value)}" for name, value in self.params.items())
        return f"{{dist: {self.dist}, {inner}}}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "dist": self.dist,
            **{name: _r(value) for name, value in self.params.items()},
            "ks": None if self.ks is None else round(self.ks, 4),
            "candidates": {name: round(value, 4) for name, value in self.candidates.items()},
            "yaml": self.text,
        }


def _round_seconds(value: float) -> float:
    """Whole seconds, or tenths under ten seconds: what a person would write."""
    value = max(float(value), 0.0)
    return float(round(value)) if value >= 10 else round(value, 1)


def fit(values: np.ndarray) -> Fit | None:
    values = np.sort(values[np.isfinite(values)])
    if not values.size:
        return None
    mean, sd = float(values.mean()), float(values.std(ddof=1)) if values.size > 1 else 0.0
    if values.size < MIN_FIT or mean <= 0 or sd <= CONSTANT_CV * mean:
        return Fit("constant", {"mean": _round_seconds(mean)}, None, {})
    if values.size > FIT_SAMPLE:
        values = values[np.linspace(0, values.size - 1, FIT_SAMPLE).round().astype(np.int64)]
    low, high = float(values[0]), float(values[-1])
    shapes: dict[str, dict[str, float]] = {
        "exponential": {"mean": mean},
        "normal": {"mean": mean, "sd": sd},
        "lognormal": {"mean": mean, "sd": sd},
        "uniform": {"min": low, "max": high},
    }
    mode = 3 * mean - low - high
    if low <= mode <= high:
        shapes["triangular"] = {"min": low, "mode": mode, "max": high}
    rounded = {name: {k: _round_seconds(v) for k, v in params.items()} for name, params in shapes.items()}
    valid = {name: params for name, params in rounded.items() if _valid(name, params)}
    empirical_hi = np.arange(1, values.size + 1) / values.size
    empirical_lo = np.arange(0, values.size) / values.size
    distances: dict[str, float] = {}
    for name, params in valid.items():
        model = _cdf(name, params, values)
        distances[name] = float(max((empirical_hi - model).max(), (model - empirical_lo).max()))
    best = min(distances, key=lambda name: distances[name])
    return Fit(best, valid[best], distances[best], distances)


def _valid(name: str, params: dict[str, float]) -> bool:
    if name in ("exponential",):
        return params["mean"] > 0
    if name in ("normal", "lognormal"):
        return params["mean"] > 0 and params["sd"] > 0
    if name == "uniform":
        return params["max"] > params["min"]
    return params["min"] <= params["mode"] <= params["max"] and params["max"] > params["min"]


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz and Stegun 7.1.26: error below 1.5e-7, plenty for a distance between curves."""
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.asarray(sign * (1.0 - poly * np.exp(-x * x)))


def _phi(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + _erf(z / math.sqrt(2.0)))


def _cdf(name: str, p: dict[str, float], x: np.ndarray) -> np.ndarray:
    if name == "exponential":
        return np.asarray(1.0 - np.exp(-x / p["mean"]))
    if name == "normal":
        # The simulation cuts a normal duration at zero.
        below = _phi(np.asarray(-p["mean"] / p["sd"]))
        return np.asarray((_phi((x - p["mean"]) / p["sd"]) - below) / (1.0 - below))
    if name == "lognormal":
        sigma2 = math.log(1.0 + (p["sd"] / p["mean"]) ** 2)
        mu = math.log(p["mean"]) - sigma2 / 2
        safe = np.maximum(x, 1e-12)
        return np.asarray(np.where(x > 0, _phi((np.log(safe) - mu) / math.sqrt(sigma2)), 0.0))
    if name == "uniform":
        return np.asarray(np.clip((x - p["min"]) / (p["max"] - p["min"]), 0.0, 1.0))
    a, c, b = p["min"], p["mode"], p["max"]
    left = np.where(c > a, (x - a) ** 2 / ((b - a) * (c - a) if c > a else 1.0), 0.0)
    right = 1.0 - np.where(b > c, (b - x) ** 2 / ((b - a) * (b - c) if b > c else 1.0), 0.0)
    return np.asarray(np.clip(np.where(x <= a, 0.0, np.where(x <= c, left, np.where(x < b, right, 1.0))), 0, 1))
