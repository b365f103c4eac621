"""How a Stageline server is configured: command-line options over environment
variables over defaults. One frozen object, passed to `create_app`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from platformdirs import user_data_dir

DEFAULT_MAX_BODY = 10 * 1024 * 1024
# A file imported through the web app at most (journey maps, blueprints, event logs),
# and the most a server may be set to take: what `stageline import` reads.
DEFAULT_MAX_IMPORT = 5 * 1024 * 1024
MAX_IMPORT_CEILING = 50 * 1024 * 1024
MB = 1024 * 1024


class SettingError(ValueError):
    """A setting that cannot be used; the message names it and says what to write."""


def _env_number(name: str, example: str, low: float, high: float, *, whole: bool = False) -> float | None:
    """The number in environment variable `name` (None when unset or blank), within [low, high]."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(int(raw)) if whole else float(raw)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise SettingError(f"{name}={raw!r} is not {kind}; write e.g. {name}={example}") from None
    if not low <= value <= high:  # a NaN fails too
        raise SettingError(f"{name}={raw} is out of range: give {low:g} to {high:g}, e.g. {name}={example}")
    return value


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
    max_import_bytes: int = DEFAULT_MAX_IMPORT
    session_days: int = 30
    trash_days: int = 30
    signin_failures: int = 5
    signin_window_seconds: int = 15 * 60
    # Argon2 cost; tests lower it, production keeps the library's defaults.
    password_time_cost: int = 3
    password_memory_cost: int = 65536

    def __post_init__(self) -> None:
        object.__setattr__(self, "database_url", normalise_database_url(self.database_url))
        if self.max_import_bytes > MAX_IMPORT_CEILING:
            raise SettingError(
                f"the import limit ({_mb(self.max_import_bytes)}, STAGELINE_MAX_IMPORT_MB) is more than "
                f"{_mb(MAX_IMPORT_CEILING)}, the most a server takes; import larger files with `stageline import`"
            )
        if self.max_import_bytes + MB > self.max_body_bytes:
            raise SettingError(
                f"the import limit ({_mb(self.max_import_bytes)}, STAGELINE_MAX_IMPORT_MB) leaves no room under the "
                f"request limit ({_mb(self.max_body_bytes)}, STAGELINE_MAX_BODY_MB); set STAGELINE_MAX_BODY_MB to "
                f"at least {(self.max_import_bytes + MB) / MB:g}"
            )

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
        if (port := _env_number("STAGELINE_PORT", "8000", 1, 65535, whole=True)) is not None:
            values["port"] = int(port)
        if (max_body := _env_number("STAGELINE_MAX_BODY_MB", "20", 1, 1024)) is not None:
            values["max_body_bytes"] = int(max_body * MB)
        if (max_import := _env_number("STAGELINE_MAX_IMPORT_MB", "8", 0.01, MAX_IMPORT_CEILING / MB)) is not None:
            values["max_import_bytes"] = int(max_import * MB)
        values["trust_proxy"] = _flag("STAGELINE_TRUST_PROXY")
        if (proxies := _env_number("STAGELINE_TRUSTED_PROXIES", "1", 1, 32, whole=True)) is not None:
            values["trusted_proxies"] = int(proxies)
        values["force_secure_cookies"] = _flag("STAGELINE_SECURE_COOKIES")
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]


def _mb(size: int) -> str:
    return f"{size / MB:g} MB"
