"""Subcommands of `stageline`. Each module has `register(app)`; add yours to MODULES."""

from __future__ import annotations

import importlib

import typer

MODULES: list[str] = [
    "validate",
    "fmt",
    "schema",
    "check",
    "metrics",
    "diff",
    "new",
    "render",
    "import_",
    "export",
    "serve",
    "simulate",
    "help_",
]


def register_all(app: typer.Typer) -> None:
    for name in MODULES:
        importlib.import_module(f"stageline.commands.{name}").register(app)
