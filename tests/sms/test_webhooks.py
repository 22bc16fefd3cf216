"""Standard Webhooks verification, as Supabase Auth signs (pure: no database, no HTTP).

The library verifies against the real clock, so requests are signed now (``_now()``) and the
tolerance edges are tested some seconds inside and outside its 5 minutes."""

from __future__ import annotations

import base64
import time

import pytest
from pydantic import SecretStr, ValidationError

from tests.sms.conftest import HOOK_SECRET, KEY
from whatssound_svc.sms.settings import SmsSettings, hook_keys
from whatssound_svc.sms.webhooks import WebhookRefused, sign, verify

#: standardwebhooks' tolerance either way (fixed in the library).
TOLERANCE_S = 5 * 60
#: Slack for the seconds between signing here and the library reading its clock.
MARGIN_S = 30
BODY = (
    b'{"user":{"id":"5d0c0b9e-2c55-4c43-9d7e-1f3f1e8a4b11","phone":"4915112000000"},"sms":{"otp":"482915"}}'
)


def _now() -> int:
    """The Unix second the library will compare against (give or take MARGIN_S)."""
    return int(time.time())


def _headers(
    body: bytes = BODY, *, key: bytes = KEY, webhook_id: str = "msg_1", at: int | None = None
) -> dict[str, str]:
    """Headers signing ``body`` (BODY, now, with the test key unless told otherwise)."""
    at = _now() if at is None else at
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(at),
        "webhook-signature": sign(key, webhook_id, at, body),
    }


def _refusal(headers: dict[str, str], body: bytes = BODY, keys: tuple[bytes, ...] = (KEY,)) -> str:
    """The reason verification gives for refusing these headers with ``body``."""
    with pytest.raises(WebhookRefused) as caught:
        verify(keys, headers, body)
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
    assert _refusal(headers, body, (key,)) == "too_old", "2021's vector is long past the tolerance"


def test_a_valid_signature_returns_the_webhook_id() -> None:
    assert verify([KEY], _headers(), BODY) == "msg_1"


def test_several_signatures_joined_as_supabase_auth_joins_them() -> None:
    # Supabase Auth signs once per configured secret and joins with ", ".
    old_key = b"an-old-secret-being-rotated-out!"
    headers = _headers(key=old_key)
    headers["webhook-signature"] = "v1a,bm90LWNoZWNrZWQ=, v2,abc, garbage, " + headers["webhook-signature"]
    assert verify([KEY, old_key], headers, BODY) == "msg_1"
    at = int(headers["webhook-timestamp"])
    headers["webhook-signature"] = sign(KEY, "msg_1", at, BODY) + ", " + sign(old_key, "msg_1", at, BODY)
    assert verify([KEY], headers, BODY) == "msg_1"


@pytest.mark.parametrize("entry", ["v1,abc", "v1,!!!!", "v1,", "v1,a,b", ",", "v1"])
def test_signature_entries_the_library_cannot_parse_are_skipped_not_a_crash(entry: str) -> None:
    headers = _headers()
    assert _refusal(headers | {"webhook-signature": entry}) == "no_match"
    assert (
        verify([KEY], headers | {"webhook-signature": f"{entry} {headers['webhook-signature']}"}, BODY)
        == "msg_1"
    )


def test_a_body_that_is_not_utf8_is_refused() -> None:
    assert _refusal(_headers(), b"\xff" + BODY) == "no_match"


def test_a_signature_made_with_another_secret_is_refused() -> None:
    assert _refusal(_headers(key=b"not-the-configured-secret-at-all")) == "no_match"


def test_a_tampered_body_is_refused() -> None:
    assert _refusal(_headers(), BODY.replace(b"4915112000000", b"4915112000001")) == "no_match"


def test_a_signature_for_another_id_or_time_is_refused() -> None:
    headers = _headers()
    assert _refusal(headers | {"webhook-id": "msg_2"}) == "no_match"
    assert _refusal(headers | {"webhook-timestamp": str(int(headers["webhook-timestamp"]) - 1)}) == "no_match"


@pytest.mark.parametrize(
    ("offset", "reason"),
    [
        (-TOLERANCE_S - MARGIN_S, "too_old"),  # expired
        (TOLERANCE_S + MARGIN_S, "too_new"),  # from the future
    ],
)
def test_timestamps_beyond_five_minutes_either_way_are_refused(offset: int, reason: str) -> None:
    assert _refusal(_headers(at=_now() + offset)) == reason


def test_timestamps_within_five_minutes_are_accepted() -> None:
    for offset in (-TOLERANCE_S + MARGIN_S, TOLERANCE_S - MARGIN_S):
        assert verify([KEY], _headers(at=_now() + offset), BODY) == "msg_1"


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
