"""The provider: Twilio's answers (from the loopback fake, over real HTTP) mapped to what Supabase
Auth is told and what is recorded; the log provider for development."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx2
import pytest

from tests.sms.conftest import Hook, mobile, twilio_settings
from tests.sms.fake_twilio import FakeTwilio
from whatssound_svc.local.processes import free_port
from whatssound_svc.sms.providers import ProviderError, SentMessage, TwilioProvider


def _send_directly(fake: FakeTwilio, to: str, **overrides: object) -> SentMessage:
    """Send through the Twilio adapter alone (no hook, no database)."""

    async def run() -> SentMessage:
        """One send on a client of its own."""
        async with httpx2.AsyncClient() as http:
            return await TwilioProvider(twilio_settings(fake, **overrides), http).send(
                to, "Your WhatsSound code is 1"
            )

    return asyncio.run(run())


def test_the_twilio_adapter_posts_the_documented_form_and_returns_the_sid(fake_twilio: FakeTwilio) -> None:
    sent = _send_directly(fake_twilio, mobile())
    [request] = fake_twilio.requests
    assert request.account_sid == fake_twilio.account_sid
    assert request.form == {
        "To": mobile(),
        "MessagingServiceSid": fake_twilio.messaging_service_sid,
        "Body": "Your WhatsSound code is 1",
    }
    assert sent.provider_id == request.message_sid


def test_the_twilio_adapter_can_send_from_a_number(fake_twilio: FakeTwilio) -> None:
    _send_directly(fake_twilio, mobile(), twilio_messaging_service_sid=None, twilio_from="+14155550100")
    assert fake_twilio.sent[0]["From"] == "+14155550100"
    assert "MessagingServiceSid" not in fake_twilio.sent[0]


@pytest.mark.parametrize(
    ("error", "code", "status", "retryable"),
    [
        ("21211", "21211", 400, False),
        ("21408", "21408", 400, False),
        ("21610", "21610", 400, False),
        ("20429", "20429", 429, True),
        ("20500", "20500", 500, False),
        ("503", "20503", 503, True),
    ],
)
def test_twilio_errors_become_typed_provider_errors(
    fake_twilio: FakeTwilio, error: str, code: str, status: int, retryable: bool
) -> None:
    fake_twilio.fail(mobile(), error)
    with pytest.raises(ProviderError) as caught:
        _send_directly(fake_twilio, mobile())
    assert (caught.value.code, caught.value.status, caught.value.retryable) == (code, status, retryable)


@pytest.mark.parametrize(
    ("error", "status", "http_code", "reason", "retry_after"),
    [
        pytest.param("21211", 200, 400, "SMSTO", False, id="invalid To"),
        pytest.param("21408", 200, 400, "SMSRG", False, id="region not enabled"),
        pytest.param("21610", 200, 400, "SMSOP", False, id="unsubscribed"),
        pytest.param("20429", 429, 429, "SMSTH", True, id="rate limited: retried"),
        pytest.param("503", 503, 503, "SMSDW", True, id="unavailable: retried"),
        pytest.param("20500", 200, 503, "SMSER", False, id="server error: may have sent, not retried"),
    ],
)
def test_provider_errors_are_answered_and_recorded_as_failed(  # type: ignore[no-untyped-def]
    hook: Hook,
    fake_twilio: FakeTwilio,
    audit,
    error: str,
    status: int,
    http_code: int,
    reason: str,
    retry_after: bool,
) -> None:
    fake_twilio.fail(mobile(), error)
    response = hook.send(mobile(), otp="660218")
    assert response.status_code == status
    assert response.json()["error"]["http_code"] == http_code
    assert response.json()["error"]["message"].endswith(f"[{reason}]")
    assert ("retry-after" in response.headers) is retry_after
    [row] = audit.rows()
    assert (row["outcome"], row["reason"], row["provider_message_id"]) == ("failed", reason, None)
    assert "660218" not in json.dumps(row, default=str)


def test_wrong_twilio_credentials_are_an_operator_alert(  # type: ignore[no-untyped-def]
    hook: Hook, fake_twilio: FakeTwilio, audit, caplog: pytest.LogCaptureFixture
) -> None:
    hook.use(twilio_settings(fake_twilio, twilio_auth_token="not-the-token"))
    with caplog.at_level(logging.WARNING, logger="whatssound_svc.sms.hook"):
        response = hook.send(mobile())
    assert response.status_code == 200
    assert response.json()["error"]["http_code"] == 503
    assert response.json()["error"]["message"].endswith("[SMSAU]")
    assert [r.status for r in fake_twilio.requests] == [401]
    [record] = [r for r in caplog.records if getattr(r, "event", None) == "sms_failed"]
    assert (record.levelno, record.provider_code) == (logging.ERROR, "20003")  # type: ignore[attr-defined]
    assert audit.outcomes() == [("failed", "SMSAU")]


def test_an_unreachable_provider_is_retried(hook: Hook, fake_twilio: FakeTwilio, audit) -> None:  # type: ignore[no-untyped-def]
    hook.use(twilio_settings(fake_twilio, twilio_base_url=f"http://127.0.0.1:{free_port()}"))
    response = hook.send(mobile())
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert audit.outcomes() == [("failed", "SMSDW")]


def test_a_provider_timeout_is_not_retried(hook: Hook, fake_twilio: FakeTwilio, audit) -> None:  # type: ignore[no-untyped-def]
    # The request left: the text may be on its way, so Supabase Auth must not send another.
    hook.use(twilio_settings(fake_twilio, provider_timeout_s=0.2))
    fake_twilio.delay_s = 0.5
    response = hook.send(mobile())
    assert response.status_code == 200
    assert response.json()["error"]["message"].endswith("[SMSER]")
    assert audit.outcomes() == [("failed", "SMSER")]


def test_failed_sends_do_not_use_up_the_limits(hook: Hook, fake_twilio: FakeTwilio, audit) -> None:  # type: ignore[no-untyped-def]
    fake_twilio.fail(mobile(), "503")
    for _ in range(4):
        assert hook.send(mobile()).status_code == 503
    fake_twilio.fail(mobile(), None)
    for _ in range(3):
        assert hook.send(mobile()).json() == {}
    assert [o for o in audit.outcomes() if o[0] == "sent"] == [("sent", None)] * 3


def test_the_log_provider_sends_nothing_and_never_logs_the_code(  # type: ignore[no-untyped-def]
    hook: Hook, fake_twilio: FakeTwilio, audit, caplog: pytest.LogCaptureFixture
) -> None:
    hook.use(twilio_settings(fake_twilio, provider="log"))
    with caplog.at_level(logging.DEBUG):
        assert hook.send(mobile(), otp="318842").json() == {}
    assert fake_twilio.requests == []
    [row] = audit.rows()
    assert row["outcome"] == "sent"
    assert row["provider_message_id"].startswith("log-")
    logged = [(r.getMessage(), vars(r)) for r in caplog.records]
    assert any(v.get("event") == "sms_logged" for _m, v in logged)
    assert "318842" not in repr(logged)


def test_no_log_line_or_audit_row_ever_holds_the_code(  # type: ignore[no-untyped-def]
    hook: Hook, fake_twilio: FakeTwilio, audit, caplog: pytest.LogCaptureFixture
) -> None:
    fake_twilio.fail(mobile(2), "21610")
    with caplog.at_level(logging.DEBUG):
        for phone in [mobile(1), mobile(2), "+12", mobile(1), mobile(1), mobile(1)]:
            hook.send(phone, otp="557031")
    assert {o for o, _r in audit.outcomes()} == {"sent", "refused", "failed"}
    assert "557031" not in repr(audit.rows())
    assert "557031" not in repr([(r.getMessage(), vars(r)) for r in caplog.records])
    assert all(m["Body"] == "Your WhatsSound code is 557031" for m in fake_twilio.sent)
