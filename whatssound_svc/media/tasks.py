"""The media jobs, enqueued by the triggers on storage.objects in the upload's own transaction:
``media:process_audio`` (measure a DJ's set, encode its rendition) and ``media:backup_object``
(copy an original to R2). The heavy work runs in a thread; the database steps are the
``private.media_*`` functions; each step names the version it claimed, so work on a version
overwritten meanwhile changes nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import procrastinate
from psycopg.types.json import Jsonb

from whatssound_svc.jobs.recovery import JitteredBackoff
from whatssound_svc.media import pipeline
from whatssound_svc.media.analysis import AudioRejected
from whatssound_svc.media.settings import MediaSettings
from whatssound_svc.settings import get_settings

logger = logging.getLogger(__name__)

#: How often the uploader hears of progress at most (each report is one realtime message).
PROGRESS_EVERY_S = 1.0
UNAVAILABLE = (
    "We could not process this file. Nothing is wrong with it as far as we know: upload it again later."
)


class _Progress:
    """Carries the worker thread's latest stage and percent to the database, in order, at most
    every ``PROGRESS_EVERY_S``."""

    def __init__(self) -> None:
        self.latest: tuple[str, int] | None = None
        self.sent: tuple[str, int] | None = None

    def __call__(self, stage: str, percent: int) -> None:
        self.latest = (stage, percent)  # called from the worker thread: one atomic assignment

    async def publish(self, pool: Any, object_id: str, version: str | None) -> None:
        while True:
            await asyncio.sleep(PROGRESS_EVERY_S)
            latest = self.latest
            if latest is not None and latest != self.sent:
                await _call(
                    pool, "select private.media_progress(%s, %s, %s, %s)", (object_id, version, *latest)
                )
                self.sent = latest


async def _call(pool: Any, sql: str, params: tuple[Any, ...]) -> Any:
    async with pool.connection() as conn:
        return await (await conn.execute(sql, params)).fetchone()


def _last_attempt(context: procrastinate.JobContext, settings: MediaSettings) -> bool:
    assert context.job is not None
    return context.job.attempts + 1 >= settings.max_attempts


async def process_audio(context: procrastinate.JobContext, object_id: str) -> str:
    pool = context.app.connector.pool  # type: ignore[attr-defined]
    settings = get_settings().media
    claimed = await _call(
        pool, "select path, dj_id::text, object_version from private.media_begin(%s)", (object_id,)
    )
    if claimed is None:
        return "nothing to do"
    version = claimed[2]
    progress = _Progress()
    publisher = asyncio.create_task(progress.publish(pool, object_id, version))
    try:
        stores = pipeline.Stores.from_settings(settings)
        result = await asyncio.to_thread(
            pipeline.process_set, stores, settings, claimed[0], claimed[1], progress
        )
    except AudioRejected as exc:
        await _call(
            pool, "select private.media_failed(%s, %s, %s, %s)", (object_id, version, exc.code, str(exc))
        )
        return f"rejected: {exc.code}"
    except Exception:
        if _last_attempt(context, settings):
            await _call(
                pool,
                "select private.media_failed(%s, %s, 'unavailable', %s)",
                (object_id, version, UNAVAILABLE),
            )
        raise
    finally:
        publisher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await publisher
    await _call(pool, "select private.media_ready(%s, %s, %s)", (object_id, version, Jsonb(result)))
    return "ready"


async def backup_object(context: procrastinate.JobContext, object_id: str) -> str:
    pool = context.app.connector.pool  # type: ignore[attr-defined]
    settings = get_settings().media
    claimed = await _call(
        pool, "select bucket_id, name, object_version from private.media_backup_begin(%s)", (object_id,)
    )
    if claimed is None:
        return "nothing to do"
    version = claimed[2]
    try:
        stores = pipeline.Stores.from_settings(settings, backup=True)
        digest = await asyncio.to_thread(pipeline.copy_to_backup, stores, settings, claimed[0], claimed[1])
    except Exception as exc:
        error, final = f"{type(exc).__name__}: {exc}", _last_attempt(context, settings)
        await _call(
            pool, "select private.media_backup_failed(%s, %s, %s, %s)", (object_id, version, error, final)
        )
        raise
    await _call(
        pool,
        "select private.media_backup_done(%s, %s, %s, %s)",
        (object_id, version, digest.sha256, digest.size),
    )
    return "copied"


def blueprint() -> procrastinate.Blueprint:
    """The media tasks, on a blueprint of their own per app (procrastinate binds a blueprint to one app)."""
    bp = procrastinate.Blueprint()
    retry = JitteredBackoff(max_attempts=get_settings().media.max_attempts)
    bp.task(name="process_audio", pass_context=True, queue="media", retry=retry)(process_audio)
    bp.task(name="backup_object", pass_context=True, queue="media", retry=retry)(backup_object)
    return bp
