"""The cdn lane's publisher: a huge public room's crowd reads its events as files from Storage's CDN.

Every ``realtime_cdn_slot_ms`` (just after each slot ends) one service instance cuts each cdn
room's file for that slot (``private.cdn_cut``: the room's log entries since its last file) and
stores it in the public frames bucket through Storage's S3 API, named for its slot and never
changed again (Smart CDN takes up to 60 s to invalidate a changed object; a new name is never
stale). A round in which every file was stored keeps the lane on (``private.cdn_alive``); when
rounds fail or the service is down, the database's flush puts the rooms back to pull within
``realtime_cdn_publisher_timeout_ms`` and the apps follow (docs/realtime-events.md, "cdn").
Files older than ``realtime_cdn_keep_minutes`` are deleted here too.

sql/realtime/*_realtime-cdn-lane.sql holds the rules; this module only moves bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import psycopg
from botocore.exceptions import BotoCoreError, ClientError
from psycopg_pool import AsyncConnectionPool

from whatssound_svc.media import objectstore
from whatssound_svc.media.settings import MediaNotConfigured, S3Endpoint

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from whatssound_svc.media.settings import MediaSettings

logger = logging.getLogger(__name__)

#: A file never changes once stored: caches may keep it for as long as they like.
CACHE_CONTROL = "public, max-age=31536000, immutable"
#: Where a round with no cdn room proves the bucket takes writes (nobody reads it).
PROBE_KEY = "_lane/probe.json"
#: Files deleted per round, at most (one S3 DeleteObjects call takes 1,000).
EXPIRE_BATCH = 1000


class FrameStore(Protocol):
    """Where files go: Storage's S3 API in production, any S3 server in tests."""

    def put(self, bucket: str, key: str, body: bytes) -> None: ...

    def delete(self, bucket: str, keys: list[str]) -> None: ...


class S3FrameStore:
    """Files through an S3 endpoint (Storage's S3 API: its keys bypass RLS, as the service's should)."""

    def __init__(self, endpoint: S3Endpoint) -> None:
        self.s3: S3Client = objectstore.client(endpoint)

    def put(self, bucket: str, key: str, body: bytes) -> None:
        self.s3.put_object(
            Bucket=bucket, Key=key, Body=body, ContentType="application/json", CacheControl=CACHE_CONTROL
        )

    def delete(self, bucket: str, keys: list[str]) -> None:
        self.s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys], "Quiet": True})


def store_for(media: MediaSettings) -> S3FrameStore | None:
    """The frames' store: Storage's S3 API, or None (no publisher, the lane stays off) without it."""
    try:
        return S3FrameStore(media.storage())
    except MediaNotConfigured:
        logger.info("no Storage S3 endpoint: the cdn lane stays off")
        return None


@dataclass
class Round:
    """What one round did: files cut, stored, and failed."""

    cut: int = 0
    stored: int = 0
    failed: int = 0


STORE_ERRORS = (BotoCoreError, ClientError, OSError)


async def publish_once(pool: AsyncConnectionPool, store: FrameStore) -> Round:
    """Cut the slot that has just ended and store its files; the lane stays on if all were stored."""
    done = Round()
    async with pool.connection() as conn, conn.transaction():
        cur = await conn.execute("select topic, slot, bucket, object_key, body from private.cdn_cut()")
        frames = await cur.fetchall()
    done.cut = len(frames)
    stored: list[tuple[str, int]] = []
    for topic, slot, bucket, key, body in frames:
        try:
            await asyncio.to_thread(store.put, bucket, key, body.encode())
        except STORE_ERRORS as exc:
            done.failed += 1
            logger.warning(
                "cdn file not stored: %s", type(exc).__name__, extra={"topic": topic, "slot": slot}
            )
        else:
            stored.append((topic, slot))
    done.stored = len(stored)
    if not frames:
        done.failed = await _probe(pool, store)
    async with pool.connection() as conn, conn.transaction():
        for topic, slot in stored:
            await conn.execute("select private.cdn_uploaded(%s, %s)", (topic, slot))
        if done.failed == 0:
            await conn.execute("select private.cdn_alive()")
    return done


async def _probe(pool: AsyncConnectionPool, store: FrameStore) -> int:
    """With no cdn room, store the probe file instead: 0 if the bucket took it, else 1."""
    async with pool.connection() as conn:
        cur = await conn.execute("select hidden.setting('realtime_cdn_bucket') #>> '{}'")
        row = await cur.fetchone()
    try:
        await asyncio.to_thread(store.put, str(row[0]) if row else "", PROBE_KEY, b"{}")
    except STORE_ERRORS as exc:
        logger.warning("cdn bucket refused the probe: %s", type(exc).__name__)
        return 1
    return 0


async def expire_once(pool: AsyncConnectionPool, store: FrameStore) -> int:
    """Delete files older than realtime_cdn_keep_minutes, then forget them; returns how many."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            "select topic, slot, bucket, object_key from private.cdn_expired(%s)", (EXPIRE_BATCH,)
        )
        rows = await cur.fetchall()
    by_bucket: dict[str, list[str]] = defaultdict(list)
    for _topic, _slot, bucket, key in rows:
        by_bucket[bucket].append(key)
    try:
        for bucket, keys in by_bucket.items():
            await asyncio.to_thread(store.delete, bucket, keys)
    except STORE_ERRORS as exc:
        logger.warning("cdn files not deleted: %s", type(exc).__name__)
        return 0
    async with pool.connection() as conn, conn.transaction():
        await conn.execute("select private.cdn_forget(%s, %s)", ([r[0] for r in rows], [r[1] for r in rows]))
    return len(rows)


async def _slot_ms(pool: AsyncConnectionPool) -> int:
    async with pool.connection() as conn:
        cur = await conn.execute("select (hidden.setting('realtime_cdn_slot_ms'))::integer")
        row = await cur.fetchone()
    return int(row[0]) if row else 500


#: How long after a slot's end the round starts: the slot's last commits land first.
AFTER_SLOT_S = 0.03


async def _loop(pool: AsyncConnectionPool, store: FrameStore, stop: asyncio.Event, retry_s: float) -> None:
    slot_ms, rounds = 0, 0
    while not stop.is_set():
        try:
            if not slot_ms or rounds % 120 == 0:  # the slot is re-read about once a minute
                slot_ms = await _slot_ms(pool)
            rounds += 1
            await publish_once(pool, store)
            if rounds % 20 == 0:
                await expire_once(pool, store)
            pause = slot_ms / 1000 - (time.time() % (slot_ms / 1000)) + AFTER_SLOT_S
        except (psycopg.Error, TimeoutError) as exc:
            logger.warning("cdn round failed: %s", type(exc).__name__)
            pause = retry_s
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), pause)


@contextlib.asynccontextmanager
async def running(pool: AsyncConnectionPool, store: FrameStore, retry_s: float = 1.0) -> AsyncIterator[None]:
    """Publish for the duration of the block (one instance cuts at a time: private.cdn_cut locks)."""
    stop = asyncio.Event()
    task = asyncio.create_task(_loop(pool, store, stop, retry_s), name="realtime:cdn")
    try:
        yield
    finally:
        stop.set()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
