"""The catalogue job: periodically (private.schedule), verify requested tracks with their providers."""

from __future__ import annotations

import dataclasses
from typing import Any

import procrastinate

from whatssound_svc.catalogue import verify
from whatssound_svc.settings import get_settings


def blueprint() -> procrastinate.Blueprint:
    """The catalogue task, on a blueprint of its own per app (procrastinate binds a blueprint to one app)."""
    bp = procrastinate.Blueprint()

    @bp.task(name="verify", pass_context=True, queue="catalogue", queueing_lock="catalogue:verify")
    async def verify_tracks(context: procrastinate.JobContext, timestamp: int) -> dict[str, int]:
        """Periodic (private.schedule catalogue_verify): ask the providers about requested ids that are
        due (none without credentials)."""
        settings = get_settings().catalogue
        sources = verify.providers(settings)
        pool: Any = context.app.connector.pool  # type: ignore[attr-defined]
        try:
            return dataclasses.asdict(await verify.verify_due(pool, sources, settings))
        finally:
            for source in sources:
                await source.aclose()

    return bp
