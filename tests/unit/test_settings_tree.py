"""One settings tree: the providers' sections hang off ``Settings``, read lazily from their own
``WHATSSOUND_<SECTION>_*`` variables under one cache, and production refuses to start with a
placeholder secret anywhere or a configured provider that lacks what it needs."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings

from tests.sms.conftest import HOOK_SECRET
from whatssound_svc import paths
from whatssound_svc.local.devstack import DevSecrets
from whatssound_svc.settings import SECTIONS, LocalPgSettings, Settings, get_settings

REAL_DB = SecretStr("postgresql://postgres:Zq9-long-and-real@db.example:5432/postgres")


def production(**env: str) -> Callable[[pytest.MonkeyPatch], Settings]:
    def build(monkeypatch: pytest.MonkeyPatch) -> Settings:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return Settings(environment="production", database_url=REAL_DB)

    return build


def test_each_section_is_read_from_its_own_variables_under_the_one_cache(
    environ: Callable[..., None],
) -> None:
    environ(WHATSSOUND_PUSH_CONCURRENCY="3", WHATSSOUND_CATALOGUE_BATCH="7")
    settings = get_settings()
    assert (settings.push.concurrency, settings.catalogue.batch) == (3, 7)
    assert get_settings() is settings, "one cache"
    assert settings.push is settings.push, "each section built once, on first use"
    environ(WHATSSOUND_PUSH_CONCURRENCY="4")
    assert get_settings().push.concurrency == 4, "the tree is read again once the cache is cleared"


def test_an_unconfigured_provider_fails_only_where_it_is_used() -> None:
    settings = Settings()  # development, no WHATSSOUND_SMS_HOOK_SECRET: the service still starts
    with pytest.raises(ValidationError, match="hook_secret"):
        _ = settings.sms  # the hook answers 503 (tests/sms/test_hook_requests.py)
    assert settings.payments.stripe_webhook_secret is None


def test_production_starts_with_real_values_and_without_unconfigured_providers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = production()(monkeypatch)
    assert settings.environment == "production"
    full = production(
        WHATSSOUND_PAYMENTS_STRIPE_WEBHOOK_SECRET="whsec_Zq9real",
        WHATSSOUND_PAYMENTS_STRIPE_CONNECT_WEBHOOK_SECRET="whsec_Zq9connect",
        WHATSSOUND_PAYMENTS_STRIPE_SECRET_KEY="sk_live_Zq9",
        WHATSSOUND_SMS_HOOK_SECRET=HOOK_SECRET,
        WHATSSOUND_SMS_TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        WHATSSOUND_SMS_TWILIO_AUTH_TOKEN="Zq9-twilio",
        WHATSSOUND_SMS_TWILIO_FROM="+15005550006",
        WHATSSOUND_MEDIA_R2_URL="https://acct.r2.cloudflarestorage.com",
        WHATSSOUND_MEDIA_R2_ACCESS_KEY_ID="r2-key",
        WHATSSOUND_MEDIA_R2_SECRET_ACCESS_KEY="Zq9-r2",
    )(monkeypatch)
    assert full.sms.provider == "twilio"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        # placeholders and the local stack's generated secrets, in any section
        ({"WHATSSOUND_PAYMENTS_REVENUECAT_AUTHORIZATION": "changethis"}, "payments.revenuecat_authorization"),
        ({"WHATSSOUND_PUSH_EXPO_ACCESS_TOKEN": "secret"}, "push.expo_access_token"),
        ({"WHATSSOUND_CATALOGUE_SPOTIFY_CLIENT_ID": "id",
          "WHATSSOUND_CATALOGUE_SPOTIFY_CLIENT_SECRET": DevSecrets.generate().s3_secret_access_key},
         "catalogue.spotify_client_secret"),
        ({"WHATSSOUND_MEDIA_STORAGE_S3_URL": "https://x.storage.supabase.co/storage/v1/s3",
          "WHATSSOUND_MEDIA_STORAGE_S3_ACCESS_KEY_ID": "k",
          "WHATSSOUND_MEDIA_STORAGE_S3_SECRET_ACCESS_KEY": DevSecrets.generate().s3_secret_access_key},
         "media.storage_s3_secret_access_key"),
        # configured providers missing what they need
        ({"WHATSSOUND_PAYMENTS_STRIPE_WEBHOOK_SECRET": "whsec_Zq9real"}, "payments.stripe_secret_key (missing"),
        ({"WHATSSOUND_MEDIA_R2_URL": "https://acct.r2.cloudflarestorage.com"}, "media.r2_access_key_id"),
        ({"WHATSSOUND_CATALOGUE_SPOTIFY_CLIENT_ID": "id"}, "catalogue.spotify_client_id and"),
        ({"WHATSSOUND_SMS_HOOK_SECRET": HOOK_SECRET, "WHATSSOUND_SMS_PROVIDER": "log"}, "sms.provider (log"),
        # a configured section that does not validate at all
        ({"WHATSSOUND_SMS_HOOK_SECRET": HOOK_SECRET}, "sms (Value error, provider=twilio needs twilio_account_sid"),
        ({"WHATSSOUND_PUSH_CONCURRENCY": "0"}, "push.concurrency"),
    ],
)  # fmt: skip
def test_production_refuses_to_start_naming_what_is_wrong(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], named: str
) -> None:
    with pytest.raises(ValidationError, match="production settings are not fit to run") as refused:
        production(**env)(monkeypatch)
    assert named in str(refused.value)
    for value in env.values():
        if len(value) > 8 and not value.startswith("https://"):
            assert value not in str(refused.value), "a secret never shows in the refusal"


def test_development_takes_what_production_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATSSOUND_PAYMENTS_REVENUECAT_AUTHORIZATION", "changethis")
    monkeypatch.setenv("WHATSSOUND_SMS_HOOK_SECRET", HOOK_SECRET)
    monkeypatch.setenv("WHATSSOUND_SMS_PROVIDER", "log")
    settings = Settings()
    assert settings.payments.revenuecat_authorization is not None
    assert settings.sms.provider == "log"


def test_every_settings_class_is_a_section_of_the_tree_or_the_local_tools() -> None:
    # Settings only through whatssound_svc.settings: a BaseSettings class elsewhere in the service
    # is a section the tree names, or the local stack's own (LocalPgSettings, DevSettings).
    sections = {Settings.__dict__[name].func.__annotations__["return"] for name in SECTIONS}
    declared = set()
    for path in Path(paths.REPO_ROOT, "whatssound_svc").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id == BaseSettings.__name__ for b in node.bases
            ):
                declared.add(node.name)
    assert declared == sections | {"Settings", LocalPgSettings.__name__, "DevSettings"}
