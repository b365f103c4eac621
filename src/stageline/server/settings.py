"""How a Stageline server is configured: command-line options over environment
variables over defaults. One frozen object, passed to `create_app`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from platformdirs import user_data_dir

DEFAULT_MAX_BODY = 10 * 1024 * 1024


def default_database_url() -> str:
    """An SQLite file in the user's data directory."""
    return f"sqlite:///{Path(user_data_dir('stageline')) / 'stageline.db'}"


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste (`postgresql://`, `postgres://`) and pick psycopg 3."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    host: str = "127.0.0.1"
    port: int = 8000
    demo: bool = False
    # Mark cookies Secure when the request arrived over HTTPS; behind a proxy,
    # believe its X-Forwarded-Proto only when told to.
    trust_proxy: bool = False
    # How many proxies in front of this server append to X-Forwarded-For.
    trusted_proxies: int = 1
    force_secure_cookies: bool = False
    max_body_bytes: int = DEFAULT_MAX_BODY
    session_days: int = 30
    trash_days: int = 30
    signin_failures: int = 5
    signin_window_seconds: int = 15 * 60
    # Argon2 cost; tests lower it, production keeps the library's defaults.
    password_time_cost: int = 3
    password_memory_cost: int = 65536

    def __post_init__(self) -> None:
        object.__setattr__(self, "database_url", normalise_database_url(self.database_url))

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        path = self.database_url.split(":///", 1)[-1].split("?", 1)[0]
        return Path(path) if path and path != ":memory:" else None

    @property
    def base_url(self) -> str:
        host = "localhost" if self.host in {"127.0.0.1", "0.0.0.0", "::"} else self.host
        return f"http://{host}:{self.port}"

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from STAGELINE_* environment variables; `overrides` (non-None) win."""
        values: dict[str, object] = {}
        if url := os.environ.get("STAGELINE_DB"):
            values["database_url"] = url
        if host := os.environ.get("STAGELINE_HOST"):
            values["host"] = host
        if port := os.environ.get("STAGELINE_PORT"):
            values["port"] = int(port)
        if max_body := os.environ.get("STAGELINE_MAX_BODY_MB"):
            values["max_body_bytes"] = int(float(max_body) * 1024 * 1024)
        values["trust_proxy"] = _flag("STAGELINE_TRUST_PROXY")
        if proxies := os.environ.get("STAGELINE_TRUSTED_PROXIES"):
            values["trusted_proxies"] = max(1, int(proxies))
        values["force_secure_cookies"] = _flag("STAGELINE_SECURE_COOKIES")
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]
