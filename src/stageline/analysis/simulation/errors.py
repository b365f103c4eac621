"""The one error a simulation raises for input it cannot run."""

from __future__ import annotations


class SimulationError(ValueError):
    """The blueprint or the options cannot be simulated; the message says what to change."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message
