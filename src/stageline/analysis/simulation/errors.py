"""The one error a simulation raises for input it cannot run."""

from __future__ import annotations


class SimulationError(ValueError):
    """The blueprint or the options cannot be simulated; the message says what to change.

    `path` is where the trouble is written in the blueprint file, as keys and list
    indexes from the top (`("simulation", "resources", "Front desk clark")`), and
    `card` the id of the card at fault, when the error is about one; `stageline check`
    (SL405 simulation-cannot-run) reports the error there."""

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        path: tuple[str | int, ...] = (),
        card: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path
        self.card = card

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message
