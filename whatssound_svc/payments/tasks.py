"""The payment jobs: re-read a DJ's connected account after an ``account.updated``."""

from __future__ import annotations

import logging
from typing import Any

import procrastinate

from whatssound_svc.jobs.recovery import JitteredBackoff
from whatssound_svc.payments import accounts, stripe_reconcile
from whatssound_svc.settings import get_settings

logger = logging.getLogger(__name__)


def _pool(context: procrastinate.JobContext) -> Any:
    return context.app.connector.pool  # type: ignore[attr-defined]


def blueprint() -> procrastinate.Blueprint:
    """The payment tasks, on a blueprint of their own per app (procrastinate binds one to one app)."""
    bp = procrastinate.Blueprint()

    @bp.task(name="refresh_account", pass_context=True, queue="payments", retry=JitteredBackoff())
    async def refresh_account(context: procrastinate.JobContext, account: str) -> bool:
        """Enqueued by every account.updated (one waiting, one running per account): read it from Stripe."""
        settings = get_settings().payments
        if settings.stripe_secret_key is None:
            logger.warning(
                "payout account not re-read: WHATSSOUND_PAYMENTS_STRIPE_SECRET_KEY is not set",
                extra={"action": "payout_account_refresh", "account": account},
            )
            return False
        api = stripe_reconcile.client(settings.stripe_secret_key.get_secret_value(), settings.stripe_api_url)
        return await accounts.refresh_account(_pool(context), api, account)

    return bp
