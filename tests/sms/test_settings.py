"""SmsSettings: read from WHATSSOUND_SMS_*, validated, safe in production."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from tests.sms.conftest import HOOK_SECRET
from whatssound_svc.sms.settings import SmsSettings


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATSSOUND_SMS_HOOK_SECRET", HOOK_SECRET)
    monkeypatch.setenv("WHATSSOUND_SMS_PROVIDER", "log")
    monkeypatch.setenv("WHATSSOUND_SMS_ALLOWED_CALLING_CODES", "44, +33,49")
    monkeypatch.setenv("WHATSSOUND_SMS_DENIED_CALLING_CODES", "")
    monkeypatch.setenv("WHATSSOUND_SMS_PER_PREFIX_HOUR", "7")
    settings = SmsSettings()
    assert settings.allowed_calling_codes == (44, 33, 49)
    assert settings.denied_calling_codes == ()
    assert settings.per_prefix_hour == 7
    assert (settings.per_number_10min, settings.per_number_24h, settings.global_hourly_cap) == (3, 10, 500)
    assert settings.refuse_premium_numbers


def test_the_hook_secret_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATSSOUND_SMS_PROVIDER", "log")
    with pytest.raises(ValidationError, match="hook_secret"):
        SmsSettings()


def test_twilio_needs_its_credentials_and_a_sender() -> None:
    with pytest.raises(
        ValidationError, match="twilio_account_sid, twilio_auth_token, twilio_messaging_service_sid"
    ):
        SmsSettings(hook_secret=SecretStr(HOOK_SECRET), provider="twilio")


@pytest.mark.parametrize(
    "override",
    [
        {"provider_timeout_s": 5},  # Supabase Auth gives up after 5 s in all
        {"per_number_10min": 0},
        {"twilio_account_sid": "AC123"},
        {"twilio_base_url": "https://api.twilio.com/2010-04-01"},
    ],
)
def test_out_of_range_values_are_refused(override: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        SmsSettings(hook_secret=SecretStr(HOOK_SECRET), provider="log", **override)  # type: ignore[arg-type]
