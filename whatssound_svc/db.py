"""Database access for the service: the connection pool and error translation.

The service connects as a privileged role (``postgres`` locally and on Supabase) for webhooks,
jobs and admin work; the app's own requests never pass through it (they go through PostgREST).
"""

from __future__ import annotations

import logging

import psycopg
from psycopg_pool import AsyncConnectionPool

from whatssound_svc.errors import DatabaseUnavailable, WhatsSoundError
from whatssound_svc.settings import Settings

logger = logging.getLogger(__name__)

#: SQLSTATE classes meaning "the server is not there right now" rather than "your SQL is wrong".
_UNAVAILABLE_CLASSES = ("08", "53", "57")


def make_pool(settings: Settings) -> AsyncConnectionPool:
    """A pool for the service (opened by the app's lifespan, closed on shutdown)."""
    return AsyncConnectionPool(
        settings.database_url.get_secret_value(),
        min_size=settings.db_pool_min_size,
        max_size=settings.db_pool_max_size,
        timeout=settings.db_connect_timeout_s,
        kwargs={
            "connect_timeout": max(1, int(settings.db_connect_timeout_s)),
            "application_name": "whatssound_svc",
        },
        check=AsyncConnectionPool.check_connection,
        open=False,
        name="whatssound",
    )


def translate(exc: Exception) -> WhatsSoundError:
    """The service error for a driver error, by SQLSTATE class (chain it with ``from exc``)."""
    if isinstance(exc, psycopg.OperationalError | TimeoutError):
        return DatabaseUnavailable()
    if isinstance(exc, psycopg.Error):
        sqlstate = exc.sqlstate or ""
        if sqlstate[:2] in _UNAVAILABLE_CLASSES:
            return DatabaseUnavailable()
        return WhatsSoundError(f"database error {sqlstate}")
    return WhatsSoundError(str(exc))
