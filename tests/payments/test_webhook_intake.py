"""Webhook intake: verified on the raw body (signatures made with the stripe library's own
signing), stored once in the event ledger, answered fast; forged, expired, malformed or
oversized deliveries store nothing; a database outage answers 5xx so the provider retries."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import stripe
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from tests.conftest import FreshDb
from whatssound_svc.app import create_app
from whatssound_svc.cli import app as cli
from whatssound_svc.local.processes import free_port
from whatssound_svc.payments.intake import payment_settings
from whatssound_svc.payments.settings import PaymentSettings
from whatssound_svc.settings import Settings

PLATFORM = "whsec_platform_test_secret"
CONNECT = "whsec_connect_test_secret"
REVENUECAT = "Bearer rc-webhook-token"


def client_for(url: str, payments: PaymentSettings | None = None) -> TestClient:
    app = create_app(Settings(database_url=SecretStr(url), environment="test", periodic_tasks=False))
    app.dependency_overrides[payment_settings] = lambda: (
        payments
        or PaymentSettings(
            stripe_webhook_secret=SecretStr(PLATFORM),
            stripe_connect_webhook_secret=SecretStr(CONNECT),
            revenuecat_authorization=SecretStr(REVENUECAT),
            max_body_bytes=64 * 1024,
        )
    )
    return TestClient(app)


@pytest.fixture
def client(fresh_db: FreshDb) -> Iterator[TestClient]:
    with client_for(fresh_db.url()) as test_client:
        yield test_client


def stripe_event(event_type: str = "payment_intent.succeeded", **extra: Any) -> str:
    return json.dumps({
        "id": f"evt_{uuid.uuid4().hex[:24]}", "object": "event", "type": event_type, "created": int(time.time()) - 7,
        "livemode": False, "api_version": "2026-10-28.endive", "pending_webhooks": 1,
        "data": {"object": {"id": "pi_123", "object": "payment_intent", "amount": 500, "currency": "usd"}},
    } | extra)  # fmt: skip


def signed(payload: str, secret: str = PLATFORM, timestamp: int | None = None) -> dict[str, str]:
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    return {"stripe-signature": header, "content-type": "application/json"}


def ledger(fresh_db: FreshDb) -> list[tuple[Any, ...]]:
    with fresh_db.connect() as conn:
        return conn.execute(
            "select provider, event_id, event_type, livemode, account, deliveries from private.webhook_events order by id"
        ).fetchall()


def test_a_signed_event_is_stored_once_and_duplicates_are_acknowledged(
    client: TestClient, fresh_db: FreshDb
) -> None:
    payload = stripe_event()
    first = client.post("/webhooks/stripe", content=payload, headers=signed(payload))
    assert (first.status_code, first.json()) == (200, {"received": True, "duplicate": False})
    again = client.post("/webhooks/stripe", content=payload, headers=signed(payload))
    assert (again.status_code, again.json()) == (200, {"received": True, "duplicate": True})
    event = json.loads(payload)
    assert ledger(fresh_db) == [("stripe", event["id"], "payment_intent.succeeded", False, None, 2)]


def test_unknown_event_types_are_stored_and_acknowledged(client: TestClient, fresh_db: FreshDb) -> None:
    payload = stripe_event("radar.early_fraud_warning.created")
    assert client.post("/webhooks/stripe", content=payload, headers=signed(payload)).status_code == 200
    assert [row[2] for row in ledger(fresh_db)] == ["radar.early_fraud_warning.created"]


def test_connect_events_use_their_own_secret_and_keep_the_account(
    client: TestClient, fresh_db: FreshDb
) -> None:
    payload = stripe_event("account.updated", account="acct_1DJ")
    assert (
        client.post("/webhooks/stripe-connect", content=payload, headers=signed(payload)).status_code == 400
    )
    ok = client.post("/webhooks/stripe-connect", content=payload, headers=signed(payload, CONNECT))
    assert ok.status_code == 200
    assert [(row[0], row[4]) for row in ledger(fresh_db)] == [("stripe_connect", "acct_1DJ")]


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("wrong secret", 400, "WHSIG"),
        ("expired timestamp", 400, "WHSIG"),
        ("v0 only", 400, "WHSIG"),
        ("no header", 400, "WHSIG"),
        ("garbage header", 400, "WHSIG"),
        ("tampered body", 400, "WHSIG"),
        ("re-serialised body", 400, "WHSIG"),
        ("not json", 400, "WHBAD"),
        ("empty body", 400, "WHBAD"),
        ("oversized body", 413, "WHBIG"),
    ],
)
def test_bad_deliveries_store_nothing(
    client: TestClient, fresh_db: FreshDb, case: str, status: int, code: str
) -> None:
    payload = stripe_event()
    headers = signed(payload)
    body: str | bytes = payload
    if case == "wrong secret":
        headers = signed(payload, "whsec_someone_else")
    elif case == "expired timestamp":
        headers = signed(payload, timestamp=int(time.time()) - 301)
    elif case == "v0 only":
        headers["stripe-signature"] = headers["stripe-signature"].replace("v1=", "v0=")
    elif case == "no header":
        del headers["stripe-signature"]
    elif case == "garbage header":
        headers["stripe-signature"] = "not a signature"
    elif case == "tampered body":
        body = payload.replace('"amount": 500', '"amount": 50000')
    elif case == "re-serialised body":
        body = json.dumps(json.loads(payload), indent=2)
    elif case == "not json":
        body = "not json at all"
        headers = signed(body)
    elif case == "empty body":
        body, headers = "", signed("")
    elif case == "oversized body":
        body = stripe_event(padding="x" * 70_000)
        headers = signed(body)
    response = client.post("/webhooks/stripe", content=body, headers=headers)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert ledger(fresh_db) == []


def test_one_good_signature_among_several_is_enough(client: TestClient) -> None:
    """Secret rotation: Stripe signs with the old and the new secret."""
    payload = stripe_event()
    header = signed(payload)["stripe-signature"]
    t, v1 = header.split(",")
    response = client.post(
        "/webhooks/stripe", content=payload, headers={"stripe-signature": f"{t},v1={'0' * 64},{v1}"}
    )
    assert response.status_code == 200


def test_an_unconfigured_endpoint_answers_503_so_the_provider_retries(fresh_db: FreshDb) -> None:
    with client_for(fresh_db.url(), PaymentSettings()) as client:
        payload = stripe_event()
        assert client.post("/webhooks/stripe", content=payload, headers=signed(payload)).status_code == 503
        assert (
            client.post(
                "/webhooks/revenuecat", content="{}", headers={"authorization": REVENUECAT}
            ).status_code
            == 503
        )
    assert ledger(fresh_db) == []


def test_database_down_answers_503_and_the_retry_lands_exactly_once(fresh_db: FreshDb) -> None:
    payload = stripe_event()
    down = f"postgresql://postgres:postgres@127.0.0.1:{free_port()}/postgres"
    with client_for(down) as client:
        response = client.post("/webhooks/stripe", content=payload, headers=signed(payload))
    assert (response.status_code, response.json()["code"]) == (503, "DBDWN")
    with client_for(fresh_db.url()) as client:
        for _ in range(2):  # Stripe retries; a late duplicate too
            assert (
                client.post("/webhooks/stripe", content=payload, headers=signed(payload)).status_code == 200
            )
    assert [row[5] for row in ledger(fresh_db)] == [2]


def test_concurrent_duplicates_store_one_event(fresh_db: FreshDb) -> None:
    event_id = f"evt_{uuid.uuid4().hex}"
    results: list[bool] = []
    barrier = threading.Barrier(10)

    def deliver() -> None:
        with fresh_db.connect() as conn:
            barrier.wait()
            row = conn.execute(
                "select private.record_webhook_event('stripe', %s, 'charge.refunded', false, null, now(), '{}')",
                (event_id,),
            ).fetchone()
            results.append(bool(row and row[0]))

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 9 + [True]
    assert [row[5] for row in ledger(fresh_db)] == [10]


def revenuecat_event(environment: str = "SANDBOX", event_type: str = "INITIAL_PURCHASE") -> str:
    return json.dumps({"api_version": "1.0", "event": {
        "id": str(uuid.uuid4()).upper(), "type": event_type, "event_timestamp_ms": int(time.time() * 1000),
        "app_user_id": str(uuid.uuid4()), "environment": environment, "entitlement_ids": ["premium"],
    }})  # fmt: skip


@pytest.mark.parametrize(("authorization", "status"), [(None, 401), ("Bearer wrong", 401), (REVENUECAT, 200)])
def test_revenuecat_needs_the_configured_authorization(
    client: TestClient, fresh_db: FreshDb, authorization: str | None, status: int
) -> None:
    headers = {"authorization": authorization} if authorization else {}
    response = client.post("/webhooks/revenuecat", content=revenuecat_event(), headers=headers)
    assert response.status_code == status, "RevenueCat counts only exactly 200 as delivered"
    assert len(ledger(fresh_db)) == (1 if status == 200 else 0)


def test_revenuecat_sandbox_and_production_are_told_apart(client: TestClient, fresh_db: FreshDb) -> None:
    for environment in ("SANDBOX", "PRODUCTION"):
        body = revenuecat_event(environment, "SOME_FUTURE_TYPE")
        assert (
            client.post(
                "/webhooks/revenuecat", content=body, headers={"authorization": REVENUECAT}
            ).status_code
            == 200
        )
    assert [(row[0], row[2], row[3]) for row in ledger(fresh_db)] == [
        ("revenuecat", "SOME_FUTURE_TYPE", False), ("revenuecat", "SOME_FUTURE_TYPE", True),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "body", ["", "[]", '{"event": {}}', '{"event": {"id": "x", "type": "RENEWAL"}}', "nope"]
)
def test_malformed_revenuecat_bodies_are_refused(client: TestClient, fresh_db: FreshDb, body: str) -> None:
    response = client.post("/webhooks/revenuecat", content=body, headers={"authorization": REVENUECAT})
    assert (response.status_code, response.json()["code"]) == (400, "WHBAD")
    assert ledger(fresh_db) == []


def test_the_ledger_is_private(fresh_db: FreshDb) -> None:
    with fresh_db.connect("authenticator") as conn:
        conn.execute("set role authenticated")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select * from private.webhook_events")


def test_an_operator_can_replay_and_list_stored_events(fresh_db: FreshDb) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": fresh_db.url(), "COLUMNS": "200"}
    with fresh_db.connect() as conn:
        conn.execute(
            "select private.record_webhook_event('stripe', 'evt_replay', 'radar.early_fraud_warning.created', true,"
            ' null, now(), \'{"id": "evt_replay", "type": "radar.early_fraud_warning.created", "created": 1}\')'
        )
    assert "evt_replay" in runner.invoke(cli, ["webhooks", "pending"], env=env).output
    replayed = runner.invoke(cli, ["webhooks", "replay", "evt_replay"], env=env)
    assert replayed.exit_code == 0, replayed.output
    assert "handled" in replayed.output
    again = runner.invoke(cli, ["webhooks", "replay", "evt_replay"], env=env)
    assert again.exit_code == 0, "replaying is idempotent"
    assert runner.invoke(cli, ["webhooks", "pending"], env=env).output.strip() == "nothing pending"
    assert runner.invoke(cli, ["webhooks", "replay", "evt_nope"], env=env).exit_code == 3
    [listed] = json.loads(
        runner.invoke(cli, ["webhooks", "list", "--provider", "stripe", "--json"], env=env).output
    )
    assert (listed["event_id"], listed["handled"], listed["deliveries"]) == ("evt_replay", True, 1)
    assert (
        json.loads(
            runner.invoke(cli, ["webhooks", "list", "--provider", "revenuecat", "--json"], env=env).output
        )
        == []
    )
