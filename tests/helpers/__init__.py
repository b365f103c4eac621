"""Test helpers shared across test packages (import as `helpers.…`)."""
