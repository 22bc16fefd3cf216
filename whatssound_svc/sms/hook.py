"""``POST /hooks/send-sms``: Supabase Auth's send-SMS HTTP hook (configured as [auth.hook.send_sms]).

Order of work, each step able to end the request: verify the Standard Webhooks signature on the
raw body (401, nothing stored); parse ``{user: {id, phone}, sms: {otp, phone}}`` (400); the
number rules, then the velocity rules with the attempt recorded (``guard``; a replayed
webhook-id is a 401); the provider; its answer recorded. The code is only ever in the text
sent: never logged, never stored. Answers follow ``reasons``: 200 ``{}`` when sent; a refusal
is a 200 carrying ``{"error": {"http_code", "message"}}``, which Supabase Auth hands to the app;
a provider failure that is safe to retry is a 429/503 with Retry-After, so Supabase Auth retries.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Annotated

import httpx2
import psycopg
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from psycopg_pool import AsyncConnectionPool
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from whatssound_svc.settings import get_settings
from whatssound_svc.sms import guard, reasons, webhooks
from whatssound_svc.sms.providers import ProviderError, SmsProvider, make_provider
from whatssound_svc.sms.reasons import Reason
from whatssound_svc.sms.settings import SmsSettings

logger = logging.getLogger(__name__)

#: The text sent; Supabase Auth's own [auth.sms] template is not used when the hook is on.
TEMPLATE = "Your WhatsSound code is {otp}"
#: Bodies past this are refused (413) before they are read: the user's metadata is in the event,
#: so allow well beyond Standard Webhooks' 20 KB advice, but never an unbounded read.
MAX_BODY_BYTES = 1024 * 1024
#: Supabase Auth only checks that the header is there before retrying (at once).
_RETRY_AFTER_S = "1"
#: Twilio error codes with a reason of their own (twilio.com/docs/api/errors/<code>).
_TWILIO_CODES = {
    "21211": reasons.PROVIDER_INVALID_TO,
    "21408": reasons.PROVIDER_REGION,
    "21610": reasons.PROVIDER_OPTED_OUT,
    "20003": reasons.PROVIDER_AUTH,
}


@asynccontextmanager
async def _http_client(app: FastAPI) -> AsyncIterator[None]:
    """One HTTP client for the provider for the app's lifetime (connections and TLS are reused)."""
    async with httpx2.AsyncClient() as client:
        app.state.sms_http = client
        yield


router = APIRouter(tags=["auth hooks"], lifespan=_http_client)


class _User(BaseModel):
    """The parts of Supabase Auth's user object the hook reads."""

    model_config = ConfigDict(extra="ignore")
    id: uuid.UUID
    phone: str | None = None


class _Sms(BaseModel):
    """The code and, when Supabase Auth sends it, the number to text."""

    model_config = ConfigDict(extra="ignore")
    otp: str = Field(pattern=r"^[0-9]{4,10}$")
    phone: str | None = None


class SendSmsEvent(BaseModel):
    """What Supabase Auth posts (v0hooks.SendSMSInput); fields not listed here are ignored."""

    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True)
    user: _User
    sms: _Sms

    @property
    def destination(self) -> str:
        """Where the code goes: ``sms.phone`` (a phone change's new number), else the user's phone."""
        return self.sms.phone or self.user.phone or ""


def sms_settings() -> SmsSettings:
    """The hook's settings (tests override this dependency); 503 when the environment lacks them."""
    try:
        return get_settings().sms
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in error["loc"]) or "settings" for error in exc.errors()})
        logger.error(
            "send-sms hook is not configured: %s", ", ".join(fields), extra={"event": "sms_not_configured"}
        )
        raise HTTPException(503, reasons.NOT_CONFIGURED.message) from None


def sms_provider(request: Request, settings: Annotated[SmsSettings, Depends(sms_settings)]) -> SmsProvider:
    """The configured provider, on the app's shared HTTP client."""
    http: httpx2.AsyncClient = request.app.state.sms_http
    return make_provider(settings, http)


def answer(reason: Reason | None) -> JSONResponse:
    """The response Supabase Auth gets: sent, a refusal for the app, or a request to retry."""
    if reason is None:
        return JSONResponse({})
    error = {"error": {"http_code": reason.http_code, "message": reason.message}}
    if reason.delivery == "error_object":
        return JSONResponse(error)
    headers = {"Retry-After": _RETRY_AFTER_S} if reason.delivery == "retry" else None
    return JSONResponse(error, reason.http_code, headers=headers)


def provider_reason(exc: ProviderError) -> Reason:
    """The reason recorded and answered for a provider failure."""
    if exc.status == 429:
        return reasons.PROVIDER_THROTTLED
    if exc.retryable:
        return reasons.PROVIDER_DOWN
    if exc.code in _TWILIO_CODES:
        return _TWILIO_CODES[exc.code]
    if exc.status in (401, 403):
        return reasons.PROVIDER_AUTH
    if exc.status is not None and 400 <= exc.status < 500:
        return reasons.PROVIDER_REJECTED
    return reasons.PROVIDER_ERROR


@router.post("/hooks/send-sms", max_body_size=MAX_BODY_BYTES)
async def send_sms(
    request: Request,
    settings: Annotated[SmsSettings, Depends(sms_settings)],
    provider: Annotated[SmsProvider, Depends(sms_provider)],
) -> JSONResponse:
    """Verify, check, send and record one OTP text for Supabase Auth."""
    received = read_event(settings, request.headers, await request.body())
    if isinstance(received, Reason):
        return answer(received)
    webhook_id, event = received
    pool: AsyncConnectionPool = request.app.state.pool
    return answer(await deliver(pool, settings, provider, webhook_id, event))


def read_event(
    settings: SmsSettings, headers: Mapping[str, str], body: bytes
) -> tuple[str, SendSmsEvent] | Reason:
    """The webhook id and event of an authentic, well-formed request, else why it is refused."""
    try:
        webhook_id = webhooks.verify(settings.keys(), headers, body)
    except webhooks.WebhookRefused as exc:
        logger.warning(
            "send-sms hook: request refused (%s)", exc.reason, extra={"event": "sms_hook_unauthenticated"}
        )
        return reasons.BAD_SIGNATURE
    try:
        event = SendSmsEvent.model_validate_json(body)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in error["loc"]) for error in exc.errors()})
        logger.warning(
            "send-sms hook: malformed payload", extra={"event": "sms_hook_bad_payload", "fields": fields}
        )
        return reasons.BAD_PAYLOAD
    if not event.destination:
        logger.warning(
            "send-sms hook: no phone number", extra={"event": "sms_hook_bad_payload", "fields": ["phone"]}
        )
        return reasons.BAD_PAYLOAD
    return webhook_id, event


async def deliver(
    pool: AsyncConnectionPool,
    settings: SmsSettings,
    provider: SmsProvider,
    webhook_id: str,
    event: SendSmsEvent,
) -> Reason | None:
    """Apply the rules, record the attempt, send the text and record the provider's answer; the
    reason it was not sent, or None when it was."""
    destination, refusal = guard.check_number(event.destination, settings)
    context = {
        "user_id": str(event.user.id),
        "prefix": destination.prefix,
        "calling_code": destination.calling_code,
    }
    try:
        claim = await guard.claim(
            pool,
            settings,
            webhook_id=webhook_id,
            user_id=event.user.id,
            destination=destination,
            refusal=refusal,
        )
    except (psycopg.Error, TimeoutError) as exc:
        logger.error(
            "send-sms hook: database unavailable (%s)", type(exc).__name__, extra={"event": "sms_db_error"}
        )
        return reasons.DATABASE_DOWN
    if claim is None:
        logger.warning("send-sms hook: replayed webhook id", extra={"event": "sms_hook_replay", **context})
        return reasons.REPLAYED
    context["send_id"] = claim.send_id
    if claim.refusal is not None:
        if claim.alert:
            logger.error(
                "SMS global hourly cap of %d reached: every OTP text is refused until the hour's count drops",
                settings.global_hourly_cap,
                extra={"event": "sms_global_cap_reached", "cap": settings.global_hourly_cap, **context},
            )
        logger.info(
            "SMS refused: %s",
            claim.refusal.code,
            extra={"event": "sms_refused", "reason": claim.refusal.code, **context},
        )
        return claim.refusal
    try:
        sent = await provider.send(destination.phone, TEMPLATE.format(otp=event.sms.otp))
    except ProviderError as exc:
        failure = provider_reason(exc)
        logger.log(
            logging.ERROR if failure is reasons.PROVIDER_AUTH else logging.WARNING,
            "SMS failed: %s (provider %s %s)",
            failure.code,
            exc.status,
            exc.code,
            extra={"event": "sms_failed", "reason": failure.code, "provider_code": exc.code, **context},
        )
        await _settle(pool, claim.send_id, failure, None)
        return failure
    await _settle(pool, claim.send_id, None, sent.provider_id)
    logger.info("SMS sent", extra={"event": "sms_sent", "provider_id": sent.provider_id, **context})
    return None


async def _settle(
    pool: AsyncConnectionPool, send_id: int, failure: Reason | None, provider_id: str | None
) -> None:
    """Record the provider's answer; a database error here is only logged (the answer to Supabase
    Auth stands, and the row stays pending, which counts against the limits like a sent one)."""
    try:
        await guard.settle(pool, send_id, failure, provider_id)
    except (psycopg.Error, TimeoutError) as exc:
        logger.error(
            "send-sms hook: could not record the provider's answer (%s)",
            type(exc).__name__,
            extra={"event": "sms_settle_failed", "send_id": send_id},
        )
