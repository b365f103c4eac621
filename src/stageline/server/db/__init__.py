"""Storage: SQLAlchemy models, the engine, and migrations run at start."""

from stageline.server.db.engine import Database
from stageline.server.db.migrate import upgrade

__all__ = ["Database", "upgrade"]
