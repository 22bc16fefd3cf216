"""The fraud rules: each refuses before the provider is called, answers the app a clear message with
a stable code, and records the refusal (never the code)."""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx2
import phonenumbers
import pytest

from tests.sms.conftest import Hook, mobile, twilio_settings
from tests.sms.fake_twilio import FakeTwilio
from whatssound_svc.logs import JsonFormatter


def _example(region: str, kind: int) -> str:
    """libphonenumber's example number of ``kind`` for ``region``, in E.164."""
    number = phonenumbers.example_number_for_type(region, kind)
    assert number is not None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _assert_refused(response, http_code: int, code: str) -> None:  # type: ignore[no-untyped-def]
    """A refusal Supabase Auth passes on: a 200 carrying the error object with this status and code."""
    assert response.status_code == 200  # Supabase Auth reads the error object only from a 200
    error = response.json()["error"]
    assert error["http_code"] == http_code
    assert error["message"].endswith(f"[{code}]")


@pytest.mark.parametrize(
    ("phone", "overrides", "code"),
    [
        pytest.param("4915112abc", {}, "SMSFM", id="not E.164"),
        pytest.param("+49", {}, "SMSFM", id="too short for E.164"),
        pytest.param("+1415555010", {}, "SMSIV", id="too short for its region"),
        pytest.param("+99912345678", {}, "SMSIV", id="no such country code"),
        pytest.param(mobile(), {"denied_calling_codes": (49,)}, "SMSDL", id="denied country"),
        pytest.param(mobile(), {"allowed_calling_codes": (44, 33)}, "SMSAL", id="not an allowed country"),
        pytest.param(
            _example("US", phonenumbers.PhoneNumberType.PREMIUM_RATE), {}, "SMSPR", id="premium rate"
        ),
        pytest.param(_example("FR", phonenumbers.PhoneNumberType.SHARED_COST), {}, "SMSPR", id="shared cost"),
    ],
)
def test_number_rules_refuse_before_the_provider(  # type: ignore[no-untyped-def]
    hook: Hook, fake_twilio: FakeTwilio, audit, phone: str, overrides: dict[str, object], code: str
) -> None:
    hook.use(twilio_settings(fake_twilio, **overrides))
    _assert_refused(hook.send(phone, otp="771903"), 400, code)
    assert fake_twilio.requests == []
    [row] = audit.rows()
    assert (row["outcome"], row["reason"]) == ("refused", code)
    assert "771903" not in str(row)


def test_allowed_countries_and_premium_numbers_can_be_let_through(
    hook: Hook, fake_twilio: FakeTwilio
) -> None:
    premium = _example("US", phonenumbers.PhoneNumberType.PREMIUM_RATE)
    hook.use(twilio_settings(fake_twilio, allowed_calling_codes=(1, 49), refuse_premium_numbers=False))
    assert hook.send(mobile()).json() == {}
    assert hook.send(premium).json() == {}
    assert [m["To"] for m in fake_twilio.sent] == [mobile(), premium]


def test_a_number_gets_three_codes_in_ten_minutes(hook: Hook, fake_twilio: FakeTwilio, audit) -> None:  # type: ignore[no-untyped-def]
    audit.add_history(mobile(), ["11 minutes", "20 minutes"])  # outside the window
    for _ in range(3):
        assert hook.send(mobile()).json() == {}
    _assert_refused(hook.send(mobile()), 429, "SMSNB")
    assert hook.send(mobile(1)).json() == {}  # another number is not affected
    assert len(fake_twilio.sent) == 4


def test_a_number_gets_ten_codes_in_a_day(hook: Hook, fake_twilio: FakeTwilio, audit) -> None:  # type: ignore[no-untyped-def]
    audit.add_history(mobile(), [f"{h} hours" for h in range(1, 10)] + ["25 hours", "30 hours"])
    assert hook.send(mobile()).json() == {}  # the tenth in 24 h
    _assert_refused(hook.send(mobile()), 429, "SMSND")
    assert len(fake_twilio.sent) == 1


def test_refusals_and_failures_do_not_count(hook: Hook, fake_twilio: FakeTwilio, audit) -> None:  # type: ignore[no-untyped-def]
    audit.add_history(mobile(), ["1 minute"] * 5, outcome="refused")
    audit.add_history(mobile(), ["2 minutes"] * 5, outcome="failed")
    for _ in range(3):
        assert hook.send(mobile()).json() == {}


def test_a_number_range_gets_a_limited_number_of_codes_an_hour(
    hook: Hook, fake_twilio: FakeTwilio, audit
) -> None:  # type: ignore[no-untyped-def]
    audit.add_history(mobile(100, block=3), ["30 minutes"] * 18 + ["61 minutes"] * 5)
    assert hook.send(mobile(1, block=3)).json() == {}
    assert hook.send(mobile(2, block=3)).json() == {}  # the 20th in the range this hour
    _assert_refused(hook.send(mobile(3, block=3)), 429, "SMSPX")  # a new number, same range
    assert hook.send(mobile(3, block=4)).json() == {}  # the next range is not affected
    assert audit.outcomes()[-4:] == [("sent", None), ("sent", None), ("refused", "SMSPX"), ("sent", None)]


def test_the_global_cap_refuses_and_alerts_once_an_hour(  # type: ignore[no-untyped-def]
    hook: Hook, fake_twilio: FakeTwilio, audit, caplog: pytest.LogCaptureFixture
) -> None:
    hook.use(twilio_settings(fake_twilio, global_hourly_cap=3))
    audit.add_history(mobile(9, block=9), ["10 minutes", "2 hours"])
    with caplog.at_level(logging.INFO, logger="whatssound_svc.sms.hook"):
        assert hook.send(mobile(1, block=1)).json() == {}
        assert hook.send(mobile(1, block=2)).json() == {}
        for block in (3, 4, 5):
            response = hook.send(mobile(1, block=block))
            assert response.status_code == 200
            assert response.json()["error"]["http_code"] == 503
            assert response.json()["error"]["message"].endswith("[SMSGC]")
    alerts = [r for r in caplog.records if getattr(r, "event", None) == "sms_global_cap_reached"]
    assert len(alerts) == 1
    line = json.loads(JsonFormatter().format(alerts[0]))
    assert (line["level"], line["event"], line["cap"]) == ("error", "sms_global_cap_reached", 3)
    assert len(fake_twilio.sent) == 2
    assert [o for o in audit.outcomes() if o[0] == "refused"] == [("refused", "SMSGC")] * 3


def test_a_global_cap_of_zero_means_no_cap(hook: Hook, fake_twilio: FakeTwilio) -> None:
    hook.use(twilio_settings(fake_twilio, global_hourly_cap=0))
    for block in range(4):
        assert hook.send(mobile(1, block=block)).json() == {}


def test_concurrent_requests_for_one_number_send_exactly_the_limit(
    hook: Hook, fake_twilio: FakeTwilio, audit
) -> None:  # type: ignore[no-untyped-def]
    fake_twilio.delay_s = 0.05  # the provider call overlaps the other requests' checks
    start = threading.Barrier(10)

    def send(_i: int) -> httpx2.Response:
        """Wait for all ten threads, then post."""
        start.wait()
        return hook.send(mobile(42))

    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(send, range(10)))
    assert sorted(r.json().get("error", {}).get("http_code", 200) for r in responses) == [200] * 3 + [429] * 7
    assert len(fake_twilio.sent) == 3
    assert sorted(audit.outcomes(), key=str) == [("refused", "SMSNB")] * 7 + [("sent", None)] * 3


def test_concurrent_requests_for_a_range_and_for_everyone_stay_within_their_limits(  # type: ignore[no-untyped-def]
    hook: Hook, fake_twilio: FakeTwilio, audit
) -> None:
    hook.use(twilio_settings(fake_twilio, per_prefix_hour=4, global_hourly_cap=7))
    fake_twilio.delay_s = 0.05
    phones = [mobile(i, block=1) for i in range(8)] + [mobile(i, block=2) for i in range(8)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(hook.send, phones))
    sent = [m["To"] for m in fake_twilio.sent]
    assert len(sent) == 7
    assert sum(p[:-4] == mobile(0, block=1)[:-4] for p in sent) <= 4
    assert sum(p[:-4] == mobile(0, block=2)[:-4] for p in sent) <= 4
    assert sum(o == ("sent", None) for o in audit.outcomes()) == 7
