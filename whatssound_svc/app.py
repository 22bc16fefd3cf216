"""The HTTP service (ASGI, FastAPI): health today; webhooks and metrics mount here too."""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from whatssound_svc import __version__, health, metrics, periodic, realtime_cdn
from whatssound_svc.db import make_pool
from whatssound_svc.jobs import queue as job_queue
from whatssound_svc.jobs import runner as job_runner
from whatssound_svc.logs import request_id_var
from whatssound_svc.payments import intake as payment_webhooks
from whatssound_svc.settings import Settings
from whatssound_svc.sms import hook as sms_hook

logger = logging.getLogger(__name__)

#: Incoming request ids longer than this are replaced (they end up in every log line).
_MAX_REQUEST_ID = 128


def create_app(settings: Settings) -> FastAPI:
    """Build the app; the pool opens on start-up and closes on shutdown."""
    pool = make_pool(settings)
    jobs = job_queue.make_app(
        settings.database_url.get_secret_value(),
        heartbeat_s=settings.job_heartbeat_s,
        stalled_after_s=settings.job_stalled_after_s,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Do not wait for the database: /healthz must answer even while it is down.
        await pool.open(wait=False)
        background = settings.periodic_tasks
        frames = realtime_cdn.store_for(settings.media) if background else None
        logger.info("service started", extra={"version": __version__, "env": settings.environment})
        try:
            async with (
                periodic.running_declared(pool) if background else contextlib.nullcontext(),
                realtime_cdn.running(pool, frames) if frames else contextlib.nullcontext(),
                job_runner.running(
                    jobs,
                    concurrency=settings.job_concurrency if background else 0,
                    shutdown_timeout_s=settings.shutdown_grace_s,
                ),
            ):
                yield
        finally:
            await pool.close()
            logger.info("service stopped")

    app = FastAPI(title="WhatsSound service", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    app.state.pool = pool
    app.state.jobs = jobs
    app.include_router(payment_webhooks.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.state.http_metrics = http_metrics = metrics.HttpMetrics()
    app.middleware("http")(http_metrics.observe)
    app.include_router(sms_hook.router)

    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        incoming = request.headers.get("x-request-id", "")
        request_id = incoming if 0 < len(incoming) <= _MAX_REQUEST_ID else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = await call_next(request)
        finally:
            request_id_var.reset(token)
        response.headers["x-request-id"] = request_id
        logger.info(
            "%s %s %s",
            request.method,
            request.url.path,
            response.status_code,
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.url.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
        return response

    return app
