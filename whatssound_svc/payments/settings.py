"""Webhook secrets and the Stripe key (env prefix ``WHATSSOUND_PAYMENTS_``): ``settings.payments``.

Stripe signs each endpoint with its own secret (``whsec_...``): the platform endpoint and the
Connect endpoint differ, and so do test and live mode. RevenueCat sends the Authorization header
value set in its dashboard verbatim. A missing secret leaves that endpoint answering 503 (the
provider retries, and nothing is lost once it is set). Without the Stripe secret key, DJs'
payout readiness comes from ``account.updated`` events alone (no re-read from Stripe).
"""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class PaymentSettings(BaseSettings):
    """Secrets and limits of the payment webhooks."""

    model_config = SettingsConfigDict(
        env_prefix="WHATSSOUND_PAYMENTS_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    stripe_webhook_secret: SecretStr | None = Field(
        default=None, description="Signing secret of the platform endpoint (/webhooks/stripe), whsec_..."
    )
    stripe_connect_webhook_secret: SecretStr | None = Field(
        default=None,
        description="Signing secret of the Connect endpoint (/webhooks/stripe-connect), whsec_...",
    )
    revenuecat_authorization: SecretStr | None = Field(
        default=None, description="The Authorization header value configured in RevenueCat's dashboard."
    )
    stripe_secret_key: SecretStr | None = Field(
        default=None,
        description="The platform's Stripe secret key (sk_/rk_): the worker re-reads DJs' accounts with it.",
    )
    stripe_api_url: str = Field(default="https://api.stripe.com", description="Stripe API base URL (tests).")
    stripe_tolerance_s: int = Field(
        default=300,
        ge=1,
        le=3600,
        description="Oldest signature timestamp accepted (Stripe's default, 5 min).",
    )
    max_body_bytes: int = Field(
        default=512 * 1024,
        ge=1024,
        description="Larger deliveries are refused (413) before being read whole.",
    )

    @field_validator("stripe_webhook_secret", "stripe_connect_webhook_secret")
    @classmethod
    def _stripe_secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip().startswith("whsec_"):
            raise ValueError("a Stripe webhook signing secret starts with whsec_")
        return value

    def production_problems(self) -> list[str]:
        """What production refuses: Stripe half configured (any of its secrets set, not all three:
        the platform and Connect endpoints each verify with their own, the worker re-reads accounts
        with the key)."""
        stripe = {
            "stripe_webhook_secret": self.stripe_webhook_secret,
            "stripe_connect_webhook_secret": self.stripe_connect_webhook_secret,
            "stripe_secret_key": self.stripe_secret_key,
        }
        if not any(stripe.values()):
            return []
        return [f"{name} (missing: Stripe is configured)" for name, value in stripe.items() if value is None]
