"""The console's settings: console.yml for behaviour, the environment for secrets and addresses.

    CONSOLE_SECRET_KEY    signs the session cookies (required; bot/launcher.py makes one for
                          `make run`)
    STAFF_API_TOKEN       bearer token of the Rasa server's staff endpoints (bot/channels/staff.py)
    RASA_URL              the Rasa server (default http://127.0.0.1:5005)
    CONSOLE_DATABASE_URL  an SQLAlchemy URL, e.g. postgresql://user:password@host:5432/rasa;
                          else PostgreSQL from POSTGRES_HOST/PORT/DB/USER/PASSWORD when
                          POSTGRES_HOST is set (as in docker-compose.yml); else the SQLite file
                          $TRACKER_DB of the tracker store
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Tuple

import yaml
from sqlalchemy.engine import URL

SETTINGS_FILE = Path(__file__).with_name("console.yml")
MIN_SECRET_LENGTH = 32


class SettingsError(RuntimeError):
    """A required setting is missing or unusable; the message says what to do."""


@lru_cache(maxsize=1)
def options() -> Dict[str, Any]:
    """console.yml."""
    return yaml.safe_load(SETTINGS_FILE.read_text("utf-8"))


@dataclass(frozen=True)
class Settings:
    secret_key: str
    staff_token: str
    rasa_url: str
    database_url: str

    @property
    def interface_languages(self) -> Tuple[str, ...]:
        return tuple(options()["interface_languages"])


def database_url(env: Mapping[str, str]) -> str:
    if env.get("CONSOLE_DATABASE_URL"):
        return env["CONSOLE_DATABASE_URL"]
    if env.get("POSTGRES_HOST"):
        return URL.create(
            "postgresql+psycopg2", username=env.get("POSTGRES_USER"),
            password=env.get("POSTGRES_PASSWORD"), host=env["POSTGRES_HOST"],
            port=int(env.get("POSTGRES_PORT") or 5432), database=env.get("POSTGRES_DB"),
        ).render_as_string(hide_password=False)
    if env.get("TRACKER_DB"):
        return f"sqlite:///{Path(env['TRACKER_DB']).resolve()}"
    raise SettingsError(
        "No database: set TRACKER_DB (the tracker store's SQLite file), or POSTGRES_HOST..., "
        "or CONSOLE_DATABASE_URL."
    )


def load_settings(env: Mapping[str, str] = os.environ) -> Settings:
    secret = env.get("CONSOLE_SECRET_KEY", "")
    if len(secret) < MIN_SECRET_LENGTH:
        raise SettingsError(
            f"Set CONSOLE_SECRET_KEY to a random string of at least {MIN_SECRET_LENGTH} "
            "characters, e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`."
        )
    return Settings(
        secret_key=secret,
        staff_token=env.get("STAFF_API_TOKEN", ""),
        rasa_url=env.get("RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
        database_url=database_url(env),
    )
