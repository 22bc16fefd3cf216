"""POST /hooks/send-sms: what is accepted, sent and recorded, and what is refused before anything is."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable

import pytest

from tests.sms.conftest import Hook, event, mobile, signed_headers
from tests.sms.fake_twilio import FakeTwilio
from whatssound_svc.sms.hook import sms_settings


def test_a_signed_request_sends_the_code_and_records_it(hook: Hook, fake_twilio: FakeTwilio, audit) -> None:  # type: ignore[no-untyped-def]
    user_id = uuid.uuid4()
    response = hook.send(mobile(7), otp="904417", user_id=user_id)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {}
    [message] = fake_twilio.sent
    assert message == {
        "To": mobile(7),
        "MessagingServiceSid": fake_twilio.messaging_service_sid,
        "Body": "Your WhatsSound code is 904417",
    }
    [row] = audit.rows()
    assert row["outcome"] == "sent"
    assert row["reason"] is None
    assert row["user_id"] == user_id
    assert (row["phone"], row["calling_code"], row["prefix"]) == (mobile(7), 49, mobile(7)[:-4])
    assert row["provider_message_id"].startswith("SM")
    assert "904417" not in json.dumps(row, default=str)


def test_a_phone_change_texts_the_new_number(hook: Hook, fake_twilio: FakeTwilio) -> None:
    payload = event(mobile(1))
    payload["sms"]["phone"] = mobile(2).removeprefix("+")
    body = json.dumps(payload).encode()
    assert hook.post(body, signed_headers(body)).status_code == 200
    assert [m["To"] for m in fake_twilio.sent] == [mobile(2)]


def _refused_unauthenticated(
    hook: Hook, fake_twilio: FakeTwilio, audit, body: bytes, headers: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    """401 with the error object, nothing sent, nothing stored."""
    response = hook.post(body, headers)
    assert response.status_code == 401
    assert response.json()["error"]["http_code"] == 401
    assert response.json()["error"]["message"].endswith("[SMSSG]")
    assert fake_twilio.requests == []
    assert audit.rows() == []


def test_a_request_signed_with_another_secret_is_refused_and_not_stored(
    hook: Hook, fake_twilio: FakeTwilio, audit
) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps(event(mobile())).encode()
    _refused_unauthenticated(
        hook, fake_twilio, audit, body, signed_headers(body, key=b"some-other-secret-entirely-here")
    )


def test_a_tampered_body_is_refused_and_not_stored(hook: Hook, fake_twilio: FakeTwilio, audit) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps(event(mobile(1))).encode()
    headers = signed_headers(body)
    _refused_unauthenticated(
        hook, fake_twilio, audit, body.replace(b"4915112000001", b"4915112000002"), headers
    )


@pytest.mark.parametrize("offset", [-301, 301], ids=["expired", "future"])
def test_stale_or_future_timestamps_are_refused(
    hook: Hook, fake_twilio: FakeTwilio, audit, offset: int
) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps(event(mobile())).encode()
    _refused_unauthenticated(hook, fake_twilio, audit, body, signed_headers(body, at=time.time() + offset))


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_requests_without_signature_headers_are_refused(
    hook: Hook, fake_twilio: FakeTwilio, audit, missing: str
) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps(event(mobile())).encode()
    headers = signed_headers(body)
    del headers[missing]
    _refused_unauthenticated(hook, fake_twilio, audit, body, headers)


def test_a_replayed_webhook_id_is_refused(hook: Hook, fake_twilio: FakeTwilio, audit) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps(event(mobile())).encode()
    headers = signed_headers(body)
    assert hook.post(body, headers).status_code == 200
    replay = hook.post(body, headers)
    assert replay.status_code == 401
    assert replay.json()["error"]["message"].endswith("[SMSRP]")
    assert len(fake_twilio.sent) == 1
    assert audit.outcomes() == [("sent", None)]


def test_a_replayed_refusal_is_refused_too(hook: Hook, audit) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps(event("+12")).encode()
    headers = signed_headers(body)
    assert hook.post(body, headers).status_code == 200  # refused, with the error object
    assert hook.post(body, headers).status_code == 401
    assert audit.outcomes() == [("refused", "SMSFM")]


def _without(path: str) -> bytes:
    """An event without ``path`` (``user`` or ``sms.otp``)."""
    payload = event(mobile())
    outer, _, inner = path.partition(".")
    if inner:
        del payload[outer][inner]
    else:
        del payload[outer]
    return json.dumps(payload).encode()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"not json", id="not json"),
        pytest.param(b"[]", id="not an object"),
        pytest.param(_without("user"), id="no user"),
        pytest.param(_without("sms"), id="no sms"),
        pytest.param(_without("sms.otp"), id="no otp"),
        pytest.param(json.dumps(event(mobile(), otp="12ab56")).encode(), id="otp not digits"),
        pytest.param(json.dumps(event(mobile(), otp="Click evil.example")).encode(), id="otp is text"),
        pytest.param(
            json.dumps(event(mobile()) | {"user": {"id": "nobody"}}).encode(), id="user id not a uuid"
        ),
        pytest.param(json.dumps(event("")).encode(), id="no phone anywhere"),
    ],
)
def test_malformed_payloads_are_refused_and_not_stored(
    hook: Hook, fake_twilio: FakeTwilio, audit, body: bytes
) -> None:  # type: ignore[no-untyped-def]
    response = hook.post(body, signed_headers(body))
    assert response.status_code == 400
    assert response.json()["error"] == {
        "http_code": 400,
        "message": "The request is not a send-SMS hook payload. [SMSBD]",
    }
    assert fake_twilio.requests == []
    assert audit.rows() == []


def test_oversized_bodies_are_refused_unread(hook: Hook, fake_twilio: FakeTwilio, audit) -> None:  # type: ignore[no-untyped-def]
    payload = event(mobile())
    payload["user"]["user_metadata"] = {"padding": "x" * (1024 * 1024)}
    body = json.dumps(payload).encode()
    assert hook.post(body, signed_headers(body)).status_code == 413
    assert fake_twilio.requests == []
    assert audit.rows() == []


def test_the_hook_answers_503_when_its_settings_are_missing(
    hook: Hook, environ: Callable[..., None], caplog: pytest.LogCaptureFixture
) -> None:
    hook.client.app.dependency_overrides.pop(sms_settings)  # type: ignore[attr-defined]
    environ(WHATSSOUND_SMS_HOOK_SECRET="v1,whsec_dG9vLXNob3J0")  # too short
    with caplog.at_level(logging.ERROR, logger="whatssound_svc.sms.hook"):
        response = hook.send(mobile())
    assert response.status_code == 503
    [record] = [r for r in caplog.records if getattr(r, "event", None) == "sms_not_configured"]
    assert "hook_secret" in record.getMessage()
    assert "dG9vLXNob3J0" not in caplog.text
