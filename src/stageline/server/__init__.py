"""The Stageline web app: `stageline serve`.

from stageline.server import Settings, create_app
app = create_app(Settings(database_url="sqlite:///team.db"))
"""

from stageline.server.app import create_app
from stageline.server.settings import SettingError, Settings

__all__ = ["SettingError", "Settings", "create_app"]
