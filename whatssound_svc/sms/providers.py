"""SMS providers behind one small interface: Twilio's Messages API, and a logger for development.

Twilio (twilio.com/docs/messaging/api/message-resource, /docs/usage/twilios-response,
/docs/api/errors/<code>): ``POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json``, HTTP
basic auth AccountSid:AuthToken, form fields ``To``, ``MessagingServiceSid`` (or ``From``),
``Body``; 201 with the Message resource (``sid`` "SM...") when accepted; otherwise a JSON
exception ``{"code", "message", "more_info", "status"}``, e.g. 21211 invalid 'To' (400), 21408
region not enabled (400), 21610 unsubscribed recipient (400), 20003 authentication (401), 20429
too many requests (429: "never processed and always safe to retry").

Retryable means the message certainly was not created: a 429, a 503, or no connection at all.
A timeout after the request left, or another 5xx, may have sent it, so it is not retryable.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Protocol

import httpx2

from whatssound_svc.sms.settings import SmsSettings

logger = logging.getLogger(__name__)

#: Statuses after which Twilio has certainly not created the message.
_RETRYABLE_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class SentMessage:
    """The provider accepted the text; ``provider_id`` is its id for it (Twilio: the Message SID)."""

    provider_id: str


class ProviderError(Exception):
    """The provider did not accept the text.

    ``code`` is the provider's error code (Twilio's, as a string) or ours for transport failures
    (``unreachable``, ``timeout``, ``transport``, ``bad_response``); ``status`` the HTTP status
    (None without one); ``retryable`` whether trying again cannot send the text twice.
    """

    def __init__(self, code: str, status: int | None, retryable: bool, message: str) -> None:
        """Keep the provider's verdict on the exception."""
        super().__init__(f"{code}: {message}")
        self.code = code
        self.status = status
        self.retryable = retryable
        self.message = message


class SmsProvider(Protocol):
    """Sends one text."""

    async def send(self, to_e164: str, body: str) -> SentMessage:
        """Send ``body`` to ``to_e164``; raises :class:`ProviderError` when not accepted."""
        ...


class LogProvider:
    """Development without credentials: logs that a text would be sent (never its body)."""

    async def send(self, to_e164: str, body: str) -> SentMessage:
        """Log the destination's range and length of the text; return a made-up id."""
        provider_id = f"log-{uuid.uuid4().hex}"
        logger.info(
            "SMS not sent (log provider)",
            extra={
                "event": "sms_logged",
                "prefix": to_e164[:-4],
                "chars": len(body),
                "provider_id": provider_id,
            },
        )
        return SentMessage(provider_id)


class TwilioProvider:
    """Twilio's Programmable Messaging (2010-04-01 Messages API)."""

    def __init__(self, settings: SmsSettings, http: httpx2.AsyncClient) -> None:
        """Read the account, sender and endpoint from ``settings``; send over ``http``."""
        if settings.twilio_account_sid is None or settings.twilio_auth_token is None:
            raise ValueError("Twilio needs an account SID and an auth token")
        self._sid = settings.twilio_account_sid
        self._token = settings.twilio_auth_token
        self._sender = (
            {"MessagingServiceSid": settings.twilio_messaging_service_sid}
            if settings.twilio_messaging_service_sid
            else {"From": settings.twilio_from or ""}
        )
        self._url = f"{settings.twilio_base_url}/2010-04-01/Accounts/{self._sid}/Messages.json"
        self._timeout = settings.provider_timeout_s
        self._http = http

    async def send(self, to_e164: str, body: str) -> SentMessage:
        """Create a Message; the 201's ``sid`` is the provider id."""
        try:
            response = await self._http.post(
                self._url,
                data={"To": to_e164, **self._sender, "Body": body},
                auth=(self._sid, self._token.get_secret_value()),
                timeout=self._timeout,
            )
        except (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout) as exc:
            raise ProviderError("unreachable", None, True, type(exc).__name__) from exc
        except httpx2.TimeoutException as exc:
            raise ProviderError("timeout", None, False, type(exc).__name__) from exc
        except httpx2.HTTPError as exc:
            raise ProviderError("transport", None, False, type(exc).__name__) from exc
        document = _json_object(response)
        if response.status_code in (200, 201):
            sid = document.get("sid")
            if not isinstance(sid, str) or not sid:
                raise ProviderError("bad_response", response.status_code, False, "no sid in the answer")
            return SentMessage(sid)
        code = document.get("code")
        message = document.get("message")
        raise ProviderError(
            str(code) if isinstance(code, int) else f"http_{response.status_code}",
            response.status_code,
            response.status_code in _RETRYABLE_STATUSES,
            message if isinstance(message, str) else response.reason_phrase,
        )


def _json_object(response: httpx2.Response) -> dict[str, object]:
    """The response's JSON object, or {} when it has none (an HTML error page, an empty body)."""
    try:
        document = response.json()
    except ValueError:
        return {}
    return document if isinstance(document, dict) else {}


def make_provider(settings: SmsSettings, http: httpx2.AsyncClient) -> SmsProvider:
    """The configured provider (``http`` is the service's shared client, kept across requests)."""
    if settings.provider == "log":
        return LogProvider()
    return TwilioProvider(settings, http)
