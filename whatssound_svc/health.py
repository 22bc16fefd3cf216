"""Liveness and readiness probes.

``/healthz`` says the process is alive (no dependencies: a load balancer must not kill us
because the database blinked). ``/readyz`` says we can serve: the database answers and every
migration in this build is applied (so a deploy that forgot ``db push`` never takes traffic).
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from psycopg_pool import AsyncConnectionPool

from whatssound_svc import migrations

logger = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Liveness: the process runs and its event loop answers."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Readiness: database reachable and migrations current, else 503 with the reason."""
    pool: AsyncConnectionPool = request.app.state.pool
    migrations_dir = request.app.state.settings.migrations_dir
    body: dict[str, Any] = {"status": "ok", "database": "ok", "migrations": "current"}
    try:
        async with pool.connection(timeout=2.0) as conn:
            applied = await migrations.applied_versions_async(conn)
    except (psycopg.Error, TimeoutError) as exc:
        logger.warning("readiness: database unreachable: %s", type(exc).__name__)
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    pending = [m.version for m in migrations.local_migrations(migrations_dir) if m.version not in applied]
    if pending:
        body.update(status="unavailable", migrations="pending", pending=pending)
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)
