"""The fraud rules in front of every OTP text (SMS pumping: attackers make us text numbers whose
operator pays them per message, walking through number ranges and premium destinations).

Two halves, both before any provider call:

1. :func:`check_number`, pure: the number must be E.164 and valid for its region (Google's
   libphonenumber metadata, ``phonenumbers``); its calling code must not be denied, must be
   allowed when an allow-list is set; premium-rate and shared-cost numbers are refused.
2. :func:`claim`, in PostgreSQL (``private.sms_claim``): per-number (10 minutes, 24 hours),
   per-prefix (the number minus its last 4 digits, 1 hour) and global (1 hour) counts, exact
   under concurrency because each scope is serialised with ``pg_advisory_xact_lock`` in the
   transaction that counts and records the attempt. Only attempts that reached (or may have
   reached) the provider count: refusals and failures cost nothing, so they never lock out a
   real user.

Every authentic, well-formed request, refused or not, becomes a ``private.sms_sends`` row;
:func:`settle` records the provider's answer.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import phonenumbers
from psycopg_pool import AsyncConnectionPool

from whatssound_svc.sms import reasons
from whatssound_svc.sms.reasons import Reason
from whatssound_svc.sms.settings import SmsSettings

#: E.164: a + (optional here: Supabase Auth stores phones without it), then 7 to 15 digits.
_E164 = re.compile(r"\+?([1-9][0-9]{6,14})")
#: The audit column's size for whatever was given when it is not a phone number.
_RAW_MAX = 32
_PREMIUM = frozenset({phonenumbers.PhoneNumberType.PREMIUM_RATE, phonenumbers.PhoneNumberType.SHARED_COST})


@dataclass(frozen=True)
class Destination:
    """Where a text would go: E.164 number, country calling code and range (all None if unparsed)."""

    phone: str
    calling_code: int | None = None
    prefix: str | None = None


@dataclass(frozen=True)
class Claim:
    """The recorded attempt: its audit row, the refusal (None: send it) and whether to alert."""

    send_id: int
    refusal: Reason | None
    alert: bool


def check_number(raw: str, settings: SmsSettings) -> tuple[Destination, Reason | None]:
    """The destination for ``raw`` and the number rule it breaks, if any."""
    match = _E164.fullmatch(raw)
    if match is None:
        return Destination(raw[:_RAW_MAX]), reasons.NOT_E164
    phone = "+" + match.group(1)
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return Destination(phone), reasons.INVALID_NUMBER
    return Destination(phone, number.country_code, phone[:-4]), _number_rule(number, settings)


def _number_rule(number: phonenumbers.PhoneNumber, settings: SmsSettings) -> Reason | None:
    """The rule a parsed number breaks: validity, deny-list, allow-list, premium rate."""
    code = number.country_code
    if not phonenumbers.is_valid_number(number):
        return reasons.INVALID_NUMBER
    if code in settings.denied_calling_codes:
        return reasons.DENIED_COUNTRY
    if settings.allowed_calling_codes and code not in settings.allowed_calling_codes:
        return reasons.COUNTRY_NOT_ALLOWED
    if settings.refuse_premium_numbers and phonenumbers.number_type(number) in _PREMIUM:
        return reasons.PREMIUM_NUMBER
    return None


async def claim(
    pool: AsyncConnectionPool,
    settings: SmsSettings,
    *,
    webhook_id: str,
    user_id: uuid.UUID | None,
    destination: Destination,
    refusal: Reason | None,
) -> Claim | None:
    """Record the attempt and apply the velocity rules (skipped when ``refusal`` is already set);
    None when ``webhook_id`` was seen before (a replay: nothing is recorded)."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            "select send_id, refusal, alert from private.sms_claim(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                webhook_id,
                user_id,
                destination.phone,
                destination.calling_code,
                destination.prefix,
                refusal.code if refusal else None,
                settings.per_number_10min,
                settings.per_number_24h,
                settings.per_prefix_hour,
                settings.global_hourly_cap or None,
            ),
        )
        row = await cur.fetchone()
    if row is None:
        return None
    send_id, code, alert = row
    if code is None:
        return Claim(send_id, None, False)
    return Claim(send_id, refusal or reasons.BY_CODE[code], alert)


async def settle(
    pool: AsyncConnectionPool, send_id: int, failure: Reason | None, provider_id: str | None
) -> None:
    """Record the provider's answer for a pending attempt: sent (``provider_id``) or ``failure``."""
    async with pool.connection() as conn:
        await conn.execute(
            "select private.sms_settle(%s, %s, %s)",
            (send_id, failure.code if failure else None, provider_id),
        )
