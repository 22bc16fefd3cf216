"""Settings of the send-SMS hook (env prefix ``WHATSSOUND_SMS_``): ``settings.sms``.

The hook secret is the one configured in Supabase Auth for ``[auth.hook.send_sms]``: one or more
Standard Webhooks secrets ``v1,whsec_<base64>``, separated by ``|`` during a rotation (Supabase
Auth's own syntax). Calling-code lists are comma-separated (``44,33,49``). Velocity limits are
counted over attempts that reached (or may have reached) the provider.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: Supabase Auth's form of a symmetric Standard Webhooks secret.
_SECRET_PREFIX = "v1,whsec_"  # noqa: S105 (the format's prefix, not a secret)

CallingCodes = Annotated[tuple[int, ...], NoDecode]


def hook_keys(secret: str) -> tuple[bytes, ...]:
    """The HMAC keys in a ``v1,whsec_<base64>[|v1,whsec_<base64>...]`` secret (ValueError if malformed)."""
    keys = []
    for part in secret.split("|"):
        encoded = part.strip()
        if not encoded.startswith(_SECRET_PREFIX):
            raise ValueError("each hook secret must look like v1,whsec_<base64> (as Supabase Auth shows it)")
        encoded = encoded.removeprefix(_SECRET_PREFIX)
        try:
            key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        except binascii.Error as exc:
            raise ValueError("a hook secret is not valid base64 after v1,whsec_") from exc
        if len(key) < 16:
            raise ValueError("a hook secret is shorter than 16 bytes")
        keys.append(key)
    return tuple(keys)


class SmsSettings(BaseSettings):
    """Send-SMS hook settings: the webhook secret, the provider, and the fraud rules' thresholds."""

    model_config = SettingsConfigDict(
        env_prefix="WHATSSOUND_SMS_",
        env_file=".env",
        env_ignore_empty=True,
        extra="ignore",
        hide_input_in_errors=True,  # a malformed secret must not end up in a log line
    )

    hook_secret: SecretStr = Field(
        description="Supabase Auth's send_sms hook secret(s): v1,whsec_<base64>, several separated by |."
    )
    provider: Literal["twilio", "log"] = Field(
        default="twilio", description="twilio, or log (development: logs that a text would be sent)."
    )
    twilio_account_sid: str | None = Field(default=None, pattern=r"^AC[0-9a-fA-F]{32}$")
    twilio_auth_token: SecretStr | None = None
    twilio_messaging_service_sid: str | None = Field(
        default=None, pattern=r"^MG[0-9a-fA-F]{32}$", description="Sender pool (preferred over a From)."
    )
    twilio_from: str | None = Field(
        default=None,
        description="A sender number (E.164) or alphanumeric id, when no messaging service is set.",
    )
    twilio_base_url: str = Field(default="https://api.twilio.com", pattern=r"^https?://[^/\s]+$")
    provider_timeout_s: float = Field(
        default=2.0, gt=0, le=4, description="Per request to the provider (Supabase Auth waits 5 s in all)."
    )
    allowed_calling_codes: CallingCodes = Field(
        default=(), description="If set, only these country calling codes get texts (e.g. 44,33)."
    )
    denied_calling_codes: CallingCodes = Field(default=(), description="Country calling codes never texted.")
    refuse_premium_numbers: bool = Field(
        default=True, description="Refuse premium-rate and shared-cost numbers."
    )
    per_number_10min: int = Field(default=3, ge=1, description="Texts per number in any 10 minutes.")
    per_number_24h: int = Field(default=10, ge=1, description="Texts per number in any 24 hours.")
    per_prefix_hour: int = Field(
        default=20, ge=1, description="Texts per number range (all but 4 digits) per hour."
    )
    global_hourly_cap: int = Field(
        default=500,
        ge=0,
        description="Texts per hour for everyone (0: no cap); reaching it alerts once an hour.",
    )

    @field_validator("allowed_calling_codes", "denied_calling_codes", mode="before")
    @classmethod
    def _split_codes(cls, value: object) -> object:
        """Read ``44, +33,49`` from the environment as (44, 33, 49)."""
        if isinstance(value, str):
            return tuple(int(code.strip().lstrip("+")) for code in value.split(",") if code.strip())
        return value

    @field_validator("hook_secret")
    @classmethod
    def _check_secret(cls, value: SecretStr) -> SecretStr:
        """Refuse a secret that is not ``v1,whsec_<base64>`` (never echoing it)."""
        hook_keys(value.get_secret_value())
        return value

    @model_validator(mode="after")
    def _check_provider(self) -> SmsSettings:
        """Twilio needs its credentials and a sender."""
        if self.provider == "twilio":
            missing = [
                name
                for name, value in (
                    ("twilio_account_sid", self.twilio_account_sid),
                    ("twilio_auth_token", self.twilio_auth_token),
                    (
                        "twilio_messaging_service_sid or twilio_from",
                        self.twilio_messaging_service_sid or self.twilio_from,
                    ),
                )
                if not value
            ]
            if missing:
                raise ValueError("provider=twilio needs " + ", ".join(missing))
        return self

    def keys(self) -> tuple[bytes, ...]:
        """The HMAC keys of the hook secret."""
        return hook_keys(self.hook_secret.get_secret_value())

    def production_problems(self) -> list[str]:
        """What production refuses: the log provider (it sends nothing)."""
        return ["provider (log sends nothing: production needs twilio)"] if self.provider == "log" else []
