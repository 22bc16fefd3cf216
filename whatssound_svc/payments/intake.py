"""``POST /webhooks/stripe``, ``/webhooks/stripe-connect`` and ``/webhooks/revenuecat``: verify a
delivery on its raw body, store it once in the event ledger, answer fast.

What each outcome answers (providers retry anything but 2xx: Stripe for 3 days, RevenueCat 5
times over ~2.6 h and it counts only 200 as success):
- verified and stored, or a duplicate of a stored event: 200 ``{"received": true, "duplicate": ...}``;
- unsigned, forged, expired (Stripe: signature older than 5 min) or wrong Authorization: 400
  (Stripe) / 401 (RevenueCat), nothing stored;
- empty or larger than ``max_body_bytes``: 400 / 413; verified but not a well-formed event (not
  UTF-8 JSON, an id, type or time out of bounds, a NUL: :mod:`whatssound_svc.payments.events`):
  400 ``WHBAD``; nothing stored;
- the secret is not configured, or the database is unreachable: 503, so the provider retries.
Nothing is processed here: a worker takes the ledger's unhandled rows (issue 7's processing).
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Annotated

import psycopg
import stripe
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from psycopg_pool import AsyncConnectionPool
from pydantic import SecretStr

from whatssound_svc.db import translate
from whatssound_svc.errors import MalformedWebhook, WhatsSoundError
from whatssound_svc.payments import events
from whatssound_svc.payments.settings import PaymentSettings
from whatssound_svc.settings import get_settings

logger = logging.getLogger(__name__)
router = APIRouter(tags=["payment webhooks"])


def payment_settings() -> PaymentSettings:
    """The webhooks' settings, ``settings.payments`` (a FastAPI dependency; tests override it)."""
    return get_settings().payments


Settings = Annotated[PaymentSettings, Depends(payment_settings)]


class Refused(WhatsSoundError):
    """A delivery that is answered with an error and stores nothing."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.http_status, self.code = status, code


def _refuse(provider: str, refused: WhatsSoundError) -> JSONResponse:
    """Log the refusal and answer the error body every WhatsSound endpoint answers with."""
    extra = {"provider": provider, "code": refused.code, "reason": str(refused)}
    logger.warning("webhook refused: %s", refused.code, extra=extra)
    return JSONResponse({"code": refused.code, "message": str(refused)}, status_code=refused.http_status)


async def _raw_body(request: Request, limit: int) -> bytes:
    """The exact bytes received (signatures are over them), refusing empty or oversized bodies."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refused(413, "WHBIG", f"The delivery is larger than {limit} bytes.")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise Refused(413, "WHBIG", f"The delivery is larger than {limit} bytes.")
    if not body.strip():
        raise Refused(400, "WHBAD", "The delivery has no body.")
    return body


async def _store(request: Request, provider: str, event: events.Event) -> JSONResponse:
    """Record the event in one short transaction; 200 whether it is new or a duplicate."""
    pool: AsyncConnectionPool = request.app.state.pool
    context = {"provider": provider, "event_id": event.event_id, "event_type": event.event_type}
    try:
        async with pool.connection() as conn:
            cur = await conn.execute(
                "select private.record_webhook_event(%s, %s, %s, %s, %s, %s, %s::jsonb)",
                (provider, event.event_id, event.event_type, event.livemode, event.account, event.created,
                 json.dumps(event.payload)),
            )  # fmt: skip
            row = await cur.fetchone()
    except (psycopg.Error, TimeoutError) as exc:
        error = translate(exc)
        logger.warning("webhook not stored: %s", error.code, extra=context)
        return JSONResponse({"code": error.code, "message": str(error)}, status_code=error.http_status)
    new = bool(row and row[0])
    logger.info("webhook %s", "stored" if new else "duplicate", extra=context)
    return JSONResponse({"received": True, "duplicate": not new}, status_code=200)


async def _stripe(
    request: Request, settings: PaymentSettings, provider: str, secret: SecretStr | None
) -> JSONResponse:
    """Verify with the stripe library (v1 signatures, tolerance), check the event's shape, store."""
    try:
        if secret is None:
            raise Refused(503, "WHCFG", f"The {provider} webhook secret is not configured.")
        text = events.decode(await _raw_body(request, settings.max_body_bytes))
        try:
            stripe.WebhookSignature.verify_header(
                text, request.headers.get("stripe-signature", ""), secret.get_secret_value(),
                tolerance=settings.stripe_tolerance_s,
            )  # fmt: skip
        except stripe.SignatureVerificationError as exc:
            raise Refused(400, "WHSIG", f"Signature check failed: {exc.user_message or exc}") from None
        event = events.stripe_event(text)
    except (Refused, MalformedWebhook) as refused:
        return _refuse(provider, refused)
    return await _store(request, provider, event)


@router.post("/webhooks/stripe")
async def stripe_platform(request: Request, settings: Settings) -> JSONResponse:
    """Stripe events of the platform account (tips are destination charges: they arrive here)."""
    return await _stripe(request, settings, "stripe", settings.stripe_webhook_secret)


@router.post("/webhooks/stripe-connect")
async def stripe_connect(request: Request, settings: Settings) -> JSONResponse:
    """Stripe events of connected accounts (DJs' account.updated, payouts)."""
    return await _stripe(request, settings, "stripe_connect", settings.stripe_connect_webhook_secret)


@router.post("/webhooks/revenuecat")
async def revenuecat(request: Request, settings: Settings) -> JSONResponse:
    """RevenueCat events, authenticated by the dashboard's Authorization value (constant-time)."""
    try:
        expected = settings.revenuecat_authorization
        if expected is None:
            raise Refused(503, "WHCFG", "The revenuecat webhook authorization is not configured.")
        given = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(given, expected.get_secret_value().encode()):
            raise Refused(401, "WHAUT", "Wrong or missing Authorization header.")
        event = events.revenuecat_event(events.decode(await _raw_body(request, settings.max_body_bytes)))
    except (Refused, MalformedWebhook) as refused:
        return _refuse("revenuecat", refused)
    return await _store(request, "revenuecat", event)
