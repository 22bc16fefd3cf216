"""``POST /webhooks/stripe``, ``/webhooks/stripe-connect`` and ``/webhooks/revenuecat``: verify a
delivery on its raw body, store it once in the event ledger, answer fast.

What each outcome answers (providers retry anything but 2xx: Stripe for 3 days, RevenueCat 5
times over ~2.6 h and it counts only 200 as success):
- verified and stored, or a duplicate of a stored event: 200 ``{"received": true, "duplicate": ...}``;
- unsigned, forged, expired (Stripe: signature older than 5 min) or wrong Authorization: 400
  (Stripe) / 401 (RevenueCat), nothing stored;
- empty or malformed body: 400; larger than ``max_body_bytes``: 413; nothing stored;
- the secret is not configured, or the database is unreachable: 503, so the provider retries.
Nothing is processed here: a worker takes the ledger's unhandled rows (issue 7's processing).
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
from typing import Annotated, Any

import psycopg
import stripe
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from psycopg_pool import AsyncConnectionPool
from pydantic import SecretStr

from whatssound_svc.db import translate
from whatssound_svc.payments.settings import PaymentSettings, get_payment_settings

logger = logging.getLogger(__name__)
router = APIRouter(tags=["payment webhooks"])
Settings = Annotated[PaymentSettings, Depends(get_payment_settings)]


class Refused(Exception):
    """A delivery that is answered with an error and stores nothing."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self) -> JSONResponse:
        """The error body every WhatsSound endpoint answers with."""
        return JSONResponse({"code": self.code, "message": self.message}, status_code=self.status)


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


async def _store(request: Request, provider: str, event: dict[str, Any], *, livemode: bool,
                 account: str | None, created: dt.datetime) -> JSONResponse:  # fmt: skip
    """Record the event in one short transaction; 200 whether it is new or a duplicate."""
    pool: AsyncConnectionPool = request.app.state.pool
    try:
        async with pool.connection() as conn:
            cur = await conn.execute(
                "select private.record_webhook_event(%s, %s, %s, %s, %s, %s, %s::jsonb)",
                (provider, event["id"], event["type"], livemode, account, created, json.dumps(event)),
            )
            row = await cur.fetchone()
    except (psycopg.Error, TimeoutError) as exc:
        error = translate(exc)
        logger.warning(
            "webhook not stored: %s", error.code, extra={"provider": provider, "event_id": event["id"]}
        )
        return JSONResponse({"code": error.code, "message": str(error)}, status_code=error.http_status)
    new = bool(row and row[0])
    context = {"provider": provider, "event_id": event["id"], "event_type": event["type"]}
    logger.info("webhook %s", "stored" if new else "duplicate", extra=context)
    return JSONResponse({"received": True, "duplicate": not new}, status_code=200)


async def _stripe(
    request: Request, settings: PaymentSettings, provider: str, secret: SecretStr | None
) -> JSONResponse:
    """Verify with the stripe library (v1 signatures, tolerance), then store."""
    try:
        if secret is None:
            raise Refused(503, "WHCFG", f"The {provider} webhook secret is not configured.")
        body = await _raw_body(request, settings.max_body_bytes)
        try:
            event = stripe.Webhook.construct_event(
                body, request.headers.get("stripe-signature", ""), secret.get_secret_value(),
                tolerance=settings.stripe_tolerance_s,
            )  # fmt: skip
        except stripe.SignatureVerificationError as exc:
            raise Refused(400, "WHSIG", f"Signature check failed: {exc.user_message or exc}") from None
        except ValueError:
            raise Refused(400, "WHBAD", "The body is not a Stripe event.") from None
        data = event.to_dict()
        if not isinstance(data.get("id"), str) or not isinstance(data.get("type"), str):
            raise Refused(400, "WHBAD", "The event has no id or type.")
    except Refused as refused:
        logger.warning("webhook refused: %s", refused.code, extra={"provider": provider})
        return refused.response()
    created = dt.datetime.fromtimestamp(int(data.get("created") or 0), dt.UTC)
    return await _store(request, provider, data, livemode=bool(data.get("livemode")),
                        account=data.get("account"), created=created)  # fmt: skip


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
        body = await _raw_body(request, settings.max_body_bytes)
        try:
            event = json.loads(body)["event"]
            event_id, event_type, stamp = event["id"], event["type"], int(event["event_timestamp_ms"])
        except (ValueError, KeyError, TypeError):
            raise Refused(400, "WHBAD", "The body is not a RevenueCat event.") from None
        if not isinstance(event_id, str) or not isinstance(event_type, str) or not event_id:
            raise Refused(400, "WHBAD", "The event has no id or type.")
    except Refused as refused:
        logger.warning("webhook refused: %s", refused.code, extra={"provider": "revenuecat"})
        return refused.response()
    return await _store(
        request, "revenuecat", event, livemode=event.get("environment") == "PRODUCTION", account=None,
        created=dt.datetime.fromtimestamp(stamp / 1000, dt.UTC),
    )  # fmt: skip
