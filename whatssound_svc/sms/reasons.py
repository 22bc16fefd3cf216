"""Stable reason codes of the send-SMS hook, and what Supabase Auth is answered for each.

How Supabase Auth reads a hook's answer (supabase/auth ``internal/hooks/hookshttp/hookshttp.go``
and ``internal/hooks/hookserrors/hookserrors.go``): only a 200 or 202 with a JSON body is read;
``{"error": {"http_code": n, "message": m}}`` in it becomes its answer to the app (status n,
message m); 429 and 503 are retried, at once and within the same 5 s, only when the answer has a
``Retry-After`` header (otherwise it answers 500); 400 becomes 500 "Invalid payload sent to
hook", 401 becomes 500 "Hook requires authorization token", anything else 500.

So a refusal the app should explain is a 200 carrying the error object. The message ends with
the code in brackets (Supabase Auth passes the message through, but its own ``code`` field is
``unknown`` for hook errors), so the app can branch on it. The codes follow the SQLSTATE-style
rules of docs/error-codes.md and are stored in ``private.sms_sends.reason``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Delivery = Literal["error_object", "status", "retry"]


@dataclass(frozen=True)
class Reason:
    """Why a text was not sent, and how to answer Supabase Auth about it."""

    code: str
    http_code: int
    text: str
    #: error_object: 200 with {"error": {...}} (the app sees http_code and the message);
    #: status: http_code as the status (Supabase Auth answers the app 500, whatever the body);
    #: retry: http_code as the status with Retry-After (Supabase Auth tries again at once).
    delivery: Delivery = "error_object"

    @property
    def message(self) -> str:
        """The message the app receives: the sentence, then the code in brackets."""
        return f"{self.text} [{self.code}]"


_INVALID = "This phone number is not valid. Check the number and its country code."
_COUNTRY = "WhatsSound cannot send SMS to this country yet."
_UNREACHABLE = "This phone number cannot receive SMS."
_LATER = "We cannot send codes right now. Please try again later."

# Number rules (guard.check_number): nothing is counted or sent.
NOT_E164 = Reason("SMSFM", 400, _INVALID)
INVALID_NUMBER = Reason("SMSIV", 400, _INVALID)
DENIED_COUNTRY = Reason("SMSDL", 400, _COUNTRY)
COUNTRY_NOT_ALLOWED = Reason("SMSAL", 400, _COUNTRY)
PREMIUM_NUMBER = Reason("SMSPR", 400, "Codes cannot be sent to premium-rate or shared-cost numbers.")
# Velocity rules (private.sms_claim).
NUMBER_BURST = Reason("SMSNB", 429, "Too many codes were sent to this number. Try again in a few minutes.")
NUMBER_DAILY = Reason("SMSND", 429, "Too many codes were sent to this number today. Try again tomorrow.")
PREFIX_HOURLY = Reason(
    "SMSPX", 429, "Too many codes were requested for numbers like this one. Try again later."
)
GLOBAL_CAP = Reason("SMSGC", 503, _LATER)
# Provider answers (hook._provider_reason).
PROVIDER_INVALID_TO = Reason("SMSTO", 400, _UNREACHABLE)
PROVIDER_REGION = Reason("SMSRG", 400, _COUNTRY)
PROVIDER_OPTED_OUT = Reason(
    "SMSOP",
    400,
    "This number has blocked SMS from WhatsSound. Reply START to one of our texts to allow them.",
)
PROVIDER_REJECTED = Reason("SMSRJ", 400, _UNREACHABLE)
PROVIDER_AUTH = Reason("SMSAU", 503, _LATER)
PROVIDER_THROTTLED = Reason("SMSTH", 429, _LATER, "retry")
PROVIDER_DOWN = Reason("SMSDW", 503, _LATER, "retry")
PROVIDER_ERROR = Reason("SMSER", 503, "The code could not be sent. Please try again in a moment.")
# The request itself (never stored).
BAD_SIGNATURE = Reason("SMSSG", 401, "Webhook signature missing, invalid or expired.", "status")
REPLAYED = Reason("SMSRP", 401, "This webhook was already received.", "status")
BAD_PAYLOAD = Reason("SMSBD", 400, "The request is not a send-SMS hook payload.", "status")
NOT_CONFIGURED = Reason("SMSCF", 503, "The send-SMS hook is not configured.", "status")
DATABASE_DOWN = Reason("DBDWN", 503, _LATER, "status")

#: Refusals private.sms_claim returns, by code.
BY_CODE = {r.code: r for r in (NUMBER_BURST, NUMBER_DAILY, PREFIX_HOURLY, GLOBAL_CAP)}
