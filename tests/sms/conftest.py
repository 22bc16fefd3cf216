"""Fixtures for the send-SMS hook: the app on a fresh database, a loopback Twilio, and a client
that signs requests the way Supabase Auth does (Standard Webhooks, a fresh id per request)."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx2
import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from tests.sms.fake_twilio import FakeTwilio
from whatssound_svc.app import create_app
from whatssound_svc.settings import Settings
from whatssound_svc.sms import webhooks
from whatssound_svc.sms.hook import sms_settings
from whatssound_svc.sms.settings import SmsSettings

KEY = b"whatssound-send-sms-hook-test-key"
HOOK_SECRET = "v1,whsec_" + base64.b64encode(KEY).decode()
#: A German mobile range: valid numbers, one prefix (all but the last 4 digits) per ``block``.
MOBILE = "+4915112{block:02d}{line:04d}"


def mobile(line: int = 0, block: int = 0) -> str:
    """A valid mobile number (E.164); numbers with the same ``block`` share a prefix."""
    return MOBILE.format(block=block, line=line)


def twilio_settings(fake: FakeTwilio, **overrides: Any) -> SmsSettings:
    """Settings that send through ``fake``."""
    values: dict[str, Any] = {
        "environment": "test",
        "hook_secret": SecretStr(HOOK_SECRET),
        "provider": "twilio",
        "twilio_account_sid": fake.account_sid,
        "twilio_auth_token": SecretStr(fake.auth_token),
        "twilio_messaging_service_sid": fake.messaging_service_sid,
        "twilio_base_url": fake.url,
    }
    return SmsSettings(**(values | overrides))


def event(phone: str, *, otp: str = "482915", user_id: uuid.UUID | None = None) -> dict[str, Any]:
    """A send-SMS event as Supabase Auth builds it (phone numbers without the +)."""
    digits = phone.removeprefix("+")
    return {
        "metadata": {
            "uuid": str(uuid.uuid4()),
            "time": "2026-11-27T22:30:00.123456Z",
            "name": "send-sms",
            "ip_address": "203.0.113.7",
        },
        "user": {
            "id": str(user_id or uuid.uuid4()),
            "aud": "authenticated",
            "role": "authenticated",
            "email": "",
            "phone": digits,
            "phone_confirmed_at": None,
            "app_metadata": {"provider": "phone", "providers": ["phone"]},
            "user_metadata": {},
            "identities": [],
            "is_anonymous": False,
        },
        "sms": {"otp": otp, "phone": digits},
    }


def signed_headers(
    body: bytes, *, key: bytes = KEY, webhook_id: str | None = None, at: float | None = None
) -> dict[str, str]:
    """Standard Webhooks headers for ``body``, as Supabase Auth sends them."""
    webhook_id = webhook_id or str(uuid.uuid4())
    timestamp = int(time.time() if at is None else at)
    return {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": webhooks.sign(key, webhook_id, timestamp, body),
    }


class Hook:
    """The service's /hooks/send-sms, called like Supabase Auth calls it."""

    def __init__(self, client: TestClient, app: FastAPI, settings: SmsSettings) -> None:
        """Wrap the entered client; requests use ``settings`` until :meth:`use` says otherwise."""
        self.client = client
        self._app = app
        self.use(settings)

    def use(self, settings: SmsSettings) -> None:
        """Serve the following requests with ``settings``."""
        self.settings = settings
        self._app.dependency_overrides[sms_settings] = lambda: settings

    def post(self, body: bytes, headers: dict[str, str]) -> httpx2.Response:
        """Post raw bytes with these headers."""
        return self.client.post("/hooks/send-sms", content=body, headers=headers)

    def send(self, phone: str, *, otp: str = "482915", user_id: uuid.UUID | None = None) -> httpx2.Response:
        """A correctly signed request for a code to ``phone``."""
        body = json.dumps(event(phone, otp=otp, user_id=user_id)).encode()
        return self.post(body, signed_headers(body))


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A loopback Twilio for one test."""
    with FakeTwilio().running() as fake:
        yield fake


@pytest.fixture
def hook(fresh_db, fake_twilio: FakeTwilio) -> Iterator[Hook]:  # type: ignore[no-untyped-def]
    """The app on a fresh migrated database, sending through the fake Twilio (default limits)."""
    settings = Settings(
        database_url=SecretStr(fresh_db.url()), environment="test", periodic_tasks=False, db_pool_min_size=10
    )
    app = create_app(settings)
    with TestClient(app) as client:
        client.portal.call(app.state.pool.wait)  # all connections open: concurrent requests really are
        yield Hook(client, app, twilio_settings(fake_twilio))


@pytest.fixture
def audit(fresh_db):  # type: ignore[no-untyped-def]
    """Reads private.sms_sends (every column, oldest first) and lets a test add history."""

    class Audit:
        """The audit table of this test's database."""

        def rows(self) -> list[dict[str, Any]]:
            """Every row, oldest first."""
            with fresh_db.connect() as conn, conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
                return cur.execute("select * from private.sms_sends order by id").fetchall()

        def outcomes(self) -> list[tuple[str, str | None]]:
            """(outcome, reason) of every row, oldest first."""
            return [(r["outcome"], r["reason"]) for r in self.rows()]

        def add_history(self, phone: str, ages: list[str], outcome: str = "sent") -> None:
            """Past attempts to ``phone``, one per age (an interval, e.g. '2 hours')."""
            with fresh_db.connect() as conn:
                for age in ages:
                    conn.execute(
                        """insert into private.sms_sends
                             (created_at, webhook_id, phone, calling_code, prefix, outcome, reason)
                           values (now() - %s::interval, %s, %s, 49, left(%s, -4), %s,
                                   case when %s in ('refused', 'failed') then 'SMSER' end)""",
                        (age, str(uuid.uuid4()), phone, phone, outcome, outcome),
                    )

    return Audit()
