"""Standard Webhooks verification, as Supabase Auth signs (pure: no database, no HTTP)."""

from __future__ import annotations

import base64

import pytest
from pydantic import SecretStr, ValidationError

from tests.sms.conftest import HOOK_SECRET, KEY
from whatssound_svc.sms.settings import SmsSettings, hook_keys
from whatssound_svc.sms.webhooks import TOLERANCE_S, WebhookRefused, sign, verify

NOW = 1_790_000_000
BODY = (
    b'{"user":{"id":"5d0c0b9e-2c55-4c43-9d7e-1f3f1e8a4b11","phone":"4915112000000"},"sms":{"otp":"482915"}}'
)


def _headers(
    body: bytes = BODY, *, key: bytes = KEY, webhook_id: str = "msg_1", at: int = NOW
) -> dict[str, str]:
    """Headers signing ``body`` (BODY, at NOW, with the test key unless told otherwise)."""
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(at),
        "webhook-signature": sign(key, webhook_id, at, body),
    }


def _refusal(headers: dict[str, str], body: bytes = BODY, keys: tuple[bytes, ...] = (KEY,)) -> str:
    """The reason verification gives for refusing these headers with ``body``."""
    with pytest.raises(WebhookRefused) as caught:
        verify(keys, headers, body, now=NOW)
    return caught.value.reason


def test_signatures_match_the_standard_webhooks_test_vector() -> None:
    # From the reference Python library's tests (standard-webhooks, libraries/python/tests).
    key = hook_keys("v1,whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")[0]
    body = b'{"test": 2432232314}'
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == expected
    headers = {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": expected,
    }
    assert verify([key], headers, body, now=1614265330) == "msg_p5jXN8AQM9LWM0D4loKWxJek"


def test_a_valid_signature_returns_the_webhook_id() -> None:
    assert verify([KEY], _headers(), BODY, now=NOW) == "msg_1"


def test_several_signatures_joined_as_supabase_auth_joins_them() -> None:
    # Supabase Auth signs once per configured secret and joins with ", ".
    old_key = b"an-old-secret-being-rotated-out!"
    headers = _headers(key=old_key)
    headers["webhook-signature"] = "v1a,bm90LWNoZWNrZWQ=, v2,abc, garbage, " + headers["webhook-signature"]
    assert verify([KEY, old_key], headers, BODY, now=NOW) == "msg_1"
    headers["webhook-signature"] = sign(KEY, "msg_1", NOW, BODY) + ", " + sign(old_key, "msg_1", NOW, BODY)
    assert verify([KEY], headers, BODY, now=NOW) == "msg_1"


def test_a_signature_made_with_another_secret_is_refused() -> None:
    assert _refusal(_headers(key=b"not-the-configured-secret-at-all")) == "no_match"


def test_a_tampered_body_is_refused() -> None:
    assert _refusal(_headers(), BODY.replace(b"4915112000000", b"4915112000001")) == "no_match"


def test_a_signature_for_another_id_or_time_is_refused() -> None:
    headers = _headers()
    assert _refusal(headers | {"webhook-id": "msg_2"}) == "no_match"
    assert _refusal(headers | {"webhook-timestamp": str(NOW - 1)}) == "no_match"


@pytest.mark.parametrize(
    ("offset", "reason"),
    [
        (-TOLERANCE_S - 1, "too_old"),  # expired
        (TOLERANCE_S + 1, "too_new"),  # from the future
    ],
)
def test_timestamps_beyond_five_minutes_either_way_are_refused(offset: int, reason: str) -> None:
    assert _refusal(_headers(at=NOW + offset)) == reason


def test_timestamps_within_five_minutes_are_accepted() -> None:
    for offset in (-TOLERANCE_S, TOLERANCE_S):
        assert verify([KEY], _headers(at=NOW + offset), BODY, now=NOW) == "msg_1"


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_missing_header_is_refused(missing: str) -> None:
    headers = _headers()
    del headers[missing]
    assert _refusal(headers) == "missing_headers"


@pytest.mark.parametrize(
    "change",
    [
        {"webhook-timestamp": "hello"},
        {"webhook-timestamp": "1790000000.5"},
        {"webhook-timestamp": "+1790000000"},
        {"webhook-id": "msg.1"},  # the spec forbids "." in ids
        {"webhook-id": "x" * 256},
    ],
)
def test_malformed_headers_are_refused(change: dict[str, str]) -> None:
    assert _refusal(_headers() | change) == "invalid_headers"


def test_hook_secrets_are_read_like_supabase_auth_writes_them() -> None:
    second = base64.b64encode(b"second-secret-for-rotation-0123").decode()
    assert hook_keys(f"{HOOK_SECRET}|v1,whsec_{second}") == (KEY, b"second-secret-for-rotation-0123")
    assert hook_keys(HOOK_SECRET.rstrip("=")) == (KEY,)  # unpadded base64 is fine


@pytest.mark.parametrize(
    "secret", ["whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=", "v1,whsec_not base64!", "v1,whsec_c2hvcnQ="]
)
def test_malformed_hook_secrets_are_refused_without_echoing_them(secret: str) -> None:
    with pytest.raises(ValidationError) as caught:
        SmsSettings(hook_secret=SecretStr(secret), provider="log")
    assert secret not in str(caught.value)
    assert "hook_secret" in str(caught.value)
