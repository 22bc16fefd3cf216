"""The push jobs: drain the outbox, read receipts, fan out a DJ's going live."""

from __future__ import annotations

import dataclasses
from typing import Any

import procrastinate

from whatssound_svc.jobs.recovery import JitteredBackoff
from whatssound_svc.push import sender
from whatssound_svc.push.expo import Expo
from whatssound_svc.settings import get_settings


def _pool(context: procrastinate.JobContext) -> Any:
    return context.app.connector.pool  # type: ignore[attr-defined]


async def _drain(context: procrastinate.JobContext, *, wait: bool) -> dict[str, int]:
    settings = get_settings().push
    expo = Expo(settings)
    try:
        return dataclasses.asdict(await sender.send_due(_pool(context), expo, settings, wait=wait))
    finally:
        await expo.aclose()


async def _receipts(context: procrastinate.JobContext) -> int:
    settings = get_settings().push
    expo = Expo(settings)
    try:
        return await sender.check_receipts(_pool(context), expo, settings)
    finally:
        await expo.aclose()


def blueprint() -> procrastinate.Blueprint:
    """The push tasks, on a blueprint of their own per app (procrastinate binds a blueprint to one app)."""
    bp = procrastinate.Blueprint()

    @bp.task(name="send", pass_context=True, queue="push", queueing_lock="push:send", retry=JitteredBackoff())
    async def send(context: procrastinate.JobContext) -> dict[str, int]:
        """Enqueued (coalesced) whenever messages are queued: send everything due."""
        return await _drain(context, wait=False)

    @bp.task(name="send_later", pass_context=True, queue="push", queueing_lock="push:send_later")
    async def send_later(context: procrastinate.JobContext, timestamp: int) -> dict[str, int]:
        """Periodic (private.schedule push_send_later), through its interval: messages as their quiet
        hours or retry backoff end."""
        return await _drain(context, wait=True)

    @bp.task(name="receipts", pass_context=True, queue="push", queueing_lock="push:receipts")
    async def receipts(context: procrastinate.JobContext, timestamp: int) -> int:
        """Periodic (private.schedule push_receipts): receipts of tickets sent 15 minutes ago or more."""
        return await _receipts(context)

    @bp.task(name="fanout_live", pass_context=True, queue="push", retry=JitteredBackoff())
    async def fanout_live(context: procrastinate.JobContext, session_id: str) -> int:
        """A DJ went live: notify their followers (enqueued by the session's trigger)."""
        return await sender.fanout_live(_pool(context), session_id, get_settings().push.fanout_page)

    return bp
