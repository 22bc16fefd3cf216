"""Drain the push outbox within Expo's limits, and read receipts.

Each round takes send tokens from the project-wide bucket (``private.push_take``: every worker
together stays under Expo's 600 notifications/s), claims that many due messages (collapsed per
device and collapse key), marks them posted, sends them as one request, and records each ticket.
Up to ``concurrency`` requests are in flight. Whole-request failures (network, 429, 5xx, 401) put
the messages back with exponential backoff and full jitter, up to ``max_attempts``; a 400 fails
them for good. Ticket and receipt errors are handled as Expo documents them. A drain always waits
for its own requests (their failures come back due soon). The minute's drain (``push:send_later``,
``wait=True``) also stays through its minute, looking every second at what falls due (a retry's
backoff, quiet hours' end), so each message is sent at its own due time; only it waits, so an
outage holds one worker slot, not one per burst of new pushes.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from typing import Any

from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from whatssound_svc.push.expo import Expo, ExpoRequestError, Ticket
from whatssound_svc.push.settings import PushSettings

logger = logging.getLogger(__name__)

#: Errors an operator must act on (payload or credentials): logged at ERROR, counted in /metrics.
ALERTING = frozenset({"MessageTooBig", "InvalidCredentials", "MismatchSenderId", "UNAUTHORIZED", "HTTP_401"})
#: Kinds worth waking a phone for at once.
URGENT = frozenset({"dj_live", "request_playing"})


@dataclass
class SendReport:
    """What one drain did."""

    sent: int = 0
    failed: int = 0
    retried: int = 0
    requests: int = 0


def backoff_s(settings: PushSettings, attempts: int) -> float:
    """Full-jitter exponential backoff after ``attempts`` tries (capped at 10 minutes)."""
    ceiling = min(600.0, settings.retry_base_s * 2 ** max(attempts - 1, 0))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 (jitter, not security)


def expo_message(row: dict[str, Any]) -> dict[str, Any]:
    """The Expo message for a claimed outbox row."""
    extra = row["collapsed_count"] - 1
    return {
        "to": row["token"],
        "title": row["title"] + (f" (+{extra} more)" if extra > 0 else ""),
        "body": row["body"],
        "data": {**row["data"], "count": row["collapsed_count"]},
        "ttl": row["ttl_seconds"],
        "sound": "default",
        "priority": "high" if row["kind"] in URGENT else "default",
    }


def _outcome(
    settings: PushSettings, row: dict[str, Any], ticket: Ticket | None, failure: ExpoRequestError | None
) -> dict[str, Any]:
    retry = (failure is not None and (failure.retryable or failure.status == 401)) or (
        ticket is not None and ticket.error == "MessageRateExceeded"
    )
    error = failure.code if failure is not None else ticket.error if ticket is not None else None
    if ticket is not None and ticket.ok:
        return {"id": row["id"], "outcome": "sent", "ticket_id": ticket.id}
    if error in ALERTING:
        logger.error(
            "push needs an operator: %s", error, extra={"push_message_id": row["id"], "error": error}
        )
    if retry and row["attempts"] < settings.max_attempts:
        return {
            "id": row["id"],
            "outcome": "retry",
            "error": error,
            "retry_in_s": backoff_s(settings, row["attempts"]),
        }
    return {"id": row["id"], "outcome": "failed", "error": error}


async def _send_chunk(
    pool: AsyncConnectionPool,
    expo: Expo,
    settings: PushSettings,
    rows: list[dict[str, Any]],
    report: SendReport,
) -> None:
    async with pool.connection() as conn:
        claims = [{"id": r["id"], "attempts": r["attempts"]} for r in rows]
        cur = await conn.execute("select private.push_posting(%s)", (Jsonb(claims),))
        posted = {message_id for (message_id,) in await cur.fetchall()}
    rows = [r for r in rows if r["id"] in posted]  # only what this attempt still holds may leave
    if not rows:
        return
    failure: ExpoRequestError | None = None
    tickets: list[Ticket | None] = [None] * len(rows)
    try:
        tickets = list(await expo.send([expo_message(r) for r in rows]))
    except ExpoRequestError as exc:
        failure = exc
        logger.warning(
            "expo request failed: %s", exc.code, extra={"status": exc.status, "messages": len(rows)}
        )
    report.requests += 1
    results = [_outcome(settings, r, t, failure) for r, t in zip(rows, tickets, strict=True)]
    report.sent += sum(r["outcome"] == "sent" for r in results)
    report.retried += sum(r["outcome"] == "retry" for r in results)
    report.failed += sum(r["outcome"] == "failed" for r in results)
    async with pool.connection() as conn:
        await conn.execute("select private.push_results(%s)", (Jsonb(results),))


async def _claim(pool: AsyncConnectionPool, chunk: int) -> tuple[list[dict[str, Any]], float | None]:
    """Claim up to ``chunk`` messages within the rate; (rows, seconds until the next is due or None)."""
    async with pool.connection() as conn:
        cur = conn.cursor(row_factory=dict_row)
        due = await (await cur.execute("select private.push_due_in() as due_in")).fetchone()
        due_in = due["due_in"] if due else None
        if due_in is None or due_in > 0:
            return [], due_in
        granted = await (await cur.execute("select private.push_take(%s) as n", (chunk,))).fetchone()
        if not granted or granted["n"] == 0:
            return [], 0.0
        rows = await (await cur.execute(
            "select m.*, d.token from private.push_claim(%s) as m"
            " join public.push_devices as d on d.id = m.device_id",
            (granted["n"],),
        )).fetchall()  # fmt: skip
        if len(rows) < granted["n"]:
            await cur.execute("select private.push_take(%s)", (len(rows) - granted["n"],))
        return rows, 0.0


async def send_due(
    pool: AsyncConnectionPool, expo: Expo, settings: PushSettings, *, wait: bool = False
) -> SendReport:
    """Send everything due now (``wait``: and within ``due_wait_s``), as the rate allows; returns
    what happened."""
    report = SendReport()
    slots = asyncio.Semaphore(settings.concurrency)
    in_flight: set[asyncio.Task[None]] = set()
    clock = asyncio.get_running_loop().time
    until = clock() + (settings.due_wait_s if wait else 0.0)

    async def run(rows: list[dict[str, Any]]) -> None:
        try:
            await _send_chunk(pool, expo, settings, rows, report)
        finally:
            slots.release()

    while True:
        await slots.acquire()
        rows, due_in = await _claim(pool, settings.chunk_size)
        if rows:
            task = asyncio.create_task(run(rows))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
            continue
        slots.release()
        if due_in is not None and due_in <= 0:
            await asyncio.sleep(0.05)  # the bucket is empty: it refills continuously
        elif in_flight:  # a failed request puts its messages back, due again soon
            await asyncio.wait(set(in_flight), return_when=asyncio.FIRST_COMPLETED)
        elif due_in is not None and clock() + due_in <= until:
            # The next falls due within our minute: look again then, or in a second (another drain's
            # failed request may put messages back due sooner).
            await asyncio.sleep(min(due_in, 1.0))
        else:
            break
    await asyncio.gather(*in_flight)
    return report


async def check_receipts(pool: AsyncConnectionPool, expo: Expo, settings: PushSettings) -> int:
    """Read the receipts of tickets 15 minutes to 23 hours old, in batches; returns how many were read."""
    async with pool.connection() as conn:
        due = await (
            await conn.execute(
                "select id, ticket_id from private.push_receipts_due(%s)", (10 * settings.receipt_batch,)
            )
        ).fetchall()
    read = 0
    for start in range(0, len(due), settings.receipt_batch):
        ids = [ticket for _, ticket in due[start : start + settings.receipt_batch]]
        try:
            receipts = await expo.receipts(ids)
        except ExpoRequestError as exc:
            logger.warning("expo receipts failed: %s", exc.code, extra={"status": exc.status})
            break  # the next run (a minute later) tries again
        for receipt in receipts.values():
            if receipt.error in ALERTING:
                logger.error(
                    "push receipt needs an operator: %s", receipt.error, extra={"ticket_id": receipt.id}
                )
        records = [
            {"ticket_id": r.id, "status": "ok" if r.ok else "error", "error": r.error}
            for r in receipts.values()
        ]
        async with pool.connection() as conn:
            await conn.execute("select private.push_receipts(%s)", (Jsonb(records),))
        read += len(records)
    return read


async def fanout_live(pool: AsyncConnectionPool, session_id: str, page: int = 500) -> int:
    """Notify the live DJ's followers page by page, resuming after the last committed page (one
    short transaction each, the cursor committed with the page); returns the pages this run did."""
    pages = 0
    while True:
        async with pool.connection() as conn:
            row = await (
                await conn.execute("select private.fanout_live_page(%s, %s)", (session_id, page))
            ).fetchone()
        pages += 1
        if not (row and row[0]):
            return pages
