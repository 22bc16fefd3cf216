"""Verify requested tracks against their providers' catalogues.

A request stores what its requester typed in a row only their session sees
(sql/queue/20261203124756_queue-catalogue-verified-by-provider.sql). Each run takes the provider
ids that have such rows and are due (``private.tracks_to_verify``), asks the provider, and
records what it said: the details (``private.verify_track`` makes them the shared row and moves
every session's open items to it), no such track, or a failure to ask again about later. A rate
limit stops the provider's run until its ``Retry-After`` has passed. Providers without a
verifier here (Apple Music, SoundCloud, uploads) keep their typed rows, seen only in their session.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from psycopg_pool import AsyncConnectionPool

from whatssound_svc.catalogue.provider import Provider, ProviderUnavailable, RateLimited
from whatssound_svc.catalogue.settings import CatalogueSettings
from whatssound_svc.catalogue.spotify import Spotify

logger = logging.getLogger(__name__)


@dataclass
class VerifyReport:
    """What one run did (the job's result, kept by procrastinate)."""

    asked: int = 0
    verified: int = 0
    not_found: int = 0
    unusable: int = 0
    unavailable: int = 0
    items_moved: int = 0


def providers(settings: CatalogueSettings) -> list[Provider]:
    """The providers this deployment can ask (those with credentials)."""
    found: list[Provider] = []
    if settings.spotify_client_id and settings.spotify_client_secret:
        found.append(Spotify(settings))
    return found


async def _record(
    pool: AsyncConnectionPool, provider: str, track_id: str, outcome: str, retry_s: int | None
) -> None:
    async with pool.connection() as conn:
        await conn.execute(
            "select private.record_track_check(%s, %s, %s, make_interval(secs => %s))",
            (provider, track_id, outcome, retry_s),
        )


async def _verify_one(
    pool: AsyncConnectionPool, provider: Provider, track_id: str, report: VerifyReport
) -> None:
    found = await provider.track(track_id)
    if found is None:
        await _record(pool, provider.provider, track_id, "not_found", None)
        report.not_found += 1
        return
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "select outcome, moved from private.verify_track(%s, %s, %s, %s, %s, %s, %s)",
            (
                provider.provider,
                track_id,
                found.title[:200],
                found.artist[:200],
                found.duration_ms,
                found.artwork_url,
                found.explicit,
            ),
        )
        row = await cursor.fetchone()
    assert row is not None
    if row[0] == "verified":
        report.verified += 1
        report.items_moved += int(row[1])
    else:
        report.unusable += 1


async def verify_due(
    pool: AsyncConnectionPool, sources: list[Provider], settings: CatalogueSettings
) -> VerifyReport:
    """Ask each provider about up to ``settings.batch`` due ids; record every answer."""
    report = VerifyReport()
    for provider in sources:
        async with pool.connection() as conn:
            cursor = await conn.execute(
                "select provider_track_id"
                " from private.tracks_to_verify(array[%s]::public.track_provider[], %s)",
                (provider.provider, settings.batch),
            )
            due = [str(r[0]) for r in await cursor.fetchall()]
        for track_id in due:
            report.asked += 1
            try:
                await _verify_one(pool, provider, track_id, report)
            except RateLimited as exc:
                report.unavailable += 1
                await _record(pool, provider.provider, track_id, "unavailable", exc.retry_after_s)
                logger.warning(
                    "catalogue provider rate limit: waiting %s s", exc.retry_after_s,
                    extra={"provider": provider.provider, "retry_after_s": exc.retry_after_s},
                )  # fmt: skip
                break  # every further request would be refused too; the ids wait for the next run
            except ProviderUnavailable as exc:
                report.unavailable += 1
                await _record(pool, provider.provider, track_id, "unavailable", settings.unavailable_retry_s)
                logger.warning("catalogue provider failed: %s", exc, extra={"provider": provider.provider})
    if report.asked:
        logger.info("catalogue verified", extra=vars(report))
    return report
