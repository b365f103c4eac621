"""Random durations and the random streams they are drawn from.

Every random quantity has its own stream, keyed by the seed, the replication and
a stable name (a card id, a link key). Variants of a what-if therefore see the
same customers, the same service times and the same branch choices
(common random numbers), so their differences are the change, not the noise.
Draws are made in numpy batches; each draw consumes the same number of
standard variates whatever the parameters, which keeps streams aligned when a
what-if rescales a duration.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from stageline.model.elements import Distribution

Shape = Literal["constant", "exponential", "uniform", "triangular", "normal", "lognormal"]


def stream(seed: int, replication: int, kind: str, name: str = "") -> np.random.Generator:
    """An independent random stream for one named quantity of one replication."""
    entropy = [seed % 2**64, replication, zlib.crc32(kind.encode()), zlib.crc32(name.encode())]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))


@dataclass(frozen=True)
class Duration:
    """A service time in seconds: fixed or drawn from a distribution."""

    shape: Shape
    mean: float = 0.0
    sd: float = 0.0
    low: float = 0.0
    mode: float = 0.0
    high: float = 0.0

    @classmethod
    def of(cls, value: float | Distribution | None) -> Duration | None:
        if value is None:
            return None
        if not isinstance(value, Distribution):
            return cls("constant", mean=float(value))
        return cls(
            value.dist,
            mean=value.mean or 0.0,
            sd=value.sd or 0.0,
            low=value.min or 0.0,
            mode=value.mode or 0.0,
            high=value.max or 0.0,
        )

    @property
    def expected(self) -> float:
        if self.shape == "uniform":
            return (self.low + self.high) / 2
        if self.shape == "triangular":
            return (self.low + self.mode + self.high) / 3
        return self.mean

    @property
    def random(self) -> bool:
        return self.shape != "constant"

    def scaled(self, factor: float) -> Duration:
        """The same shape, every time multiplied by `factor` (all six shapes are scale families)."""
        return replace(
            self,
            mean=self.mean * factor,
            sd=self.sd * factor,
            low=self.low * factor,
            mode=self.mode * factor,
            high=self.high * factor,
        )

    def with_mean(self, seconds: float) -> Duration:
        """The same shape rescaled to a new mean."""
        if self.expected <= 0:
            return Duration("constant", mean=seconds)
        return self.scaled(seconds / self.expected)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.shape == "constant":
            return np.full(n, self.mean)
        if self.shape == "exponential":
            return rng.standard_exponential(n) * self.mean
        if self.shape == "uniform":
            return self.low + (self.high - self.low) * rng.random(n)
        if self.shape == "triangular":
            return self._triangular(rng.random(n))
        z = rng.standard_normal(n)
        if self.shape == "normal":
            # A duration cannot be negative; a wide normal is cut at zero.
            return np.maximum(self.mean + self.sd * z, 0.0)
        return self._lognormal(z)

    def _triangular(self, u: np.ndarray) -> np.ndarray:
        width = self.high - self.low
        if width <= 0:
            return np.full(u.shape, self.low)
        split = (self.mode - self.low) / width
        rising = self.low + np.sqrt(u * width * (self.mode - self.low))
        falling = self.high - np.sqrt((1.0 - u) * width * (self.high - self.mode))
        return np.where(u < split, rising, falling)

    def _lognormal(self, z: np.ndarray) -> np.ndarray:
        # `mean` and `sd` describe the duration itself, not its logarithm.
        if self.mean <= 0:
            return np.zeros(z.shape)
        sigma2 = math.log1p((self.sd / self.mean) ** 2)
        return np.exp(math.log(self.mean) - sigma2 / 2 + math.sqrt(sigma2) * z)

    def describe(self) -> str:
        from stageline.model.quantities import humanize_duration as h

        if self.shape == "constant":
            return h(self.mean)
        if self.shape == "exponential":
            return f"exponential, mean {h(self.mean)}"
        if self.shape == "uniform":
            return f"uniform {h(self.low)} to {h(self.high)}"
        if self.shape == "triangular":
            return f"triangular {h(self.low)} / {h(self.mode)} / {h(self.high)}"
        return f"{self.shape}, mean {h(self.mean)}, sd {h(self.sd)}"
