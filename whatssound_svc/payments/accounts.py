"""Re-read a DJ's connected account from Stripe and store what it says now.

``account.updated`` events carry Stripe's one-second ``created``, so two updates of the same
second cannot be ordered by the event alone ("charges off" then "charges on" could end off).
Every such event therefore enqueues ``payments:refresh_account`` (``private.apply_stripe_event``;
one job waiting and one running per account): this reads ``GET /v1/accounts/{id}`` and stores the
account through ``private.store_payout_account``, stamped with the database time taken *before*
the request. The read starts after the event that asked for it was processed, so it reflects that
update or a later one; the last read wins over older reads and over events older than it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import stripe
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

logger = logging.getLogger(__name__)


async def refresh_account(pool: AsyncConnectionPool, api: stripe.StripeClient, account_id: str) -> bool:
    """Store the account as Stripe has it now; returns whether the stored state changed.

    An account Stripe no longer knows (deleted, or the platform lost access) is logged and left as
    it is; any other Stripe error (unreachable, rate limited, 5xx) raises, and the job retries.
    """
    async with pool.connection() as conn:
        cur = await conn.execute("select clock_timestamp()")
        row = await cur.fetchone()
    assert row is not None  # a select always returns its row
    read_at = row[0]
    context: dict[str, Any] = {"action": "payout_account_refresh", "account": account_id}
    try:
        account = await asyncio.to_thread(api.v1.accounts.retrieve, account_id)
    except stripe.InvalidRequestError as exc:
        if exc.http_status != 404:
            raise
        logger.warning("payout account not found at Stripe: left as it is", extra=context)
        return False
    async with pool.connection() as conn:
        cur = await conn.execute(
            "select private.store_payout_account(%s, %s, true)", (Jsonb(account.to_dict()), read_at)
        )
        stored = await cur.fetchone()
    changed = bool(stored and stored[0])
    logger.info("payout account read from Stripe", extra=context | {"changed": changed})
    return changed
