"""The create-tip and connect-onboarding edge functions, run by the real Deno runtime against the
real database (acting as the caller) and a loopback Stripe that behaves as Stripe documents."""

from __future__ import annotations

import json
import math
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from tests.payments import fake_stripe
from tests.payments.test_tips_ledger import deliver
from tests.support.api import Api, make_dj, make_session
from tests.support.edge import JWT_SECRET, EdgeFunctions, serving
from tests.support.gotrue import ISSUER, AuthUser, create_user
from tests.support.jwt import hs256
from tests.support.pgserver import PgServer
from tests.support.rooms import LiveRoom

pytestmark = [pytest.mark.node, pytest.mark.slow]


@dataclass
class Stack:
    conn: psycopg.Connection
    stripe: fake_stripe.FakeStripe
    edge: EdgeFunctions

    def token(self, user: AuthUser, **overrides: Any) -> str:
        return hs256(user.claims(**overrides), JWT_SECRET)

    def onboard(self, dj: AuthUser) -> dict[str, Any]:
        response = self.edge.call("connect-onboarding", {}, self.token(dj))
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def payable_room(self) -> LiveRoom:
        """A live session of a DJ who onboarded, and whose account Stripe then enabled."""
        api = Api(self.conn)
        dj = make_dj(self.conn)
        self.onboard(dj)
        account = self.conn.execute("select stripe_account_id from public.payout_accounts where dj_id = %s",
                                    (dj.id,)).fetchone()  # fmt: skip
        assert account is not None
        deliver(self.conn, self.stripe.activate(account[0]))
        return LiveRoom(api, dj, make_session(api, dj))

    def tip(self, who: AuthUser, room: LiveRoom, **body: Any) -> Any:
        body = {
            "session_id": room.id,
            "amount": 500,
            "currency": "usd",
            "request_id": str(uuid.uuid4()),
        } | body
        return self.edge.call("create-tip", body, self.token(who))


@pytest.fixture(scope="module")
def stack(pg_server: PgServer, template_db: str) -> Iterator[Stack]:
    name = f"ws_edge_{uuid.uuid4().hex[:10]}"
    pg_server.create_database(name, template=template_db)
    try:
        with (
            fake_stripe.running(rate_per_second=100) as stripe,
            psycopg.connect(pg_server.admin_url_for(name), autocommit=True) as conn,
            serving({
                "SUPABASE_DB_URL": pg_server.url("postgres", name), "WHATSSOUND_JWT_SECRET": JWT_SECRET,
                "WHATSSOUND_JWT_ISSUER": ISSUER,
                "STRIPE_SECRET_KEY": fake_stripe.KEY, "STRIPE_PUBLISHABLE_KEY": fake_stripe.PUBLISHABLE_KEY,
                "STRIPE_API_BASE": stripe.url, "WHATSSOUND_CONNECT_RETURN_URL": "whatssound://payouts/done",
                "WHATSSOUND_CONNECT_REFRESH_URL": "https://whatssound.app/payouts/refresh",
            }) as edge,
        ):  # fmt: skip
            yield Stack(conn, stripe, edge)
    finally:
        pg_server.drop_database(name)


def test_a_dj_onboards_and_becomes_payable_only_when_stripe_says_so(stack: Stack) -> None:
    dj = make_dj(stack.conn)
    first = stack.onboard(dj)
    assert first["kind"] == "onboarding"
    assert first["url"].startswith("https://connect.stripe.com/setup/")
    assert first["account"] == {"charges_enabled": False, "payouts_enabled": False, "details_submitted": False,
                                "requirements_due": [], "disabled_reason": None}  # fmt: skip
    again = stack.onboard(dj)
    assert again["url"] != first["url"], "a fresh single-use link every time"
    accounts = [a for a in stack.stripe.accounts.values() if a["metadata"].get("dj_id") == str(dj.id)]
    assert len(accounts) == 1, "one Express account per DJ"
    assert accounts[0]["controller"]["stripe_dashboard"] == {"type": "express"}
    creates = [r for r in stack.stripe.requests if r[:2] == ("POST", "/v1/accounts")]
    assert creates[-1][2]["idempotency-key"] == f"dj:{dj.id}:create_account"
    deliver(stack.conn, stack.stripe.activate(accounts[0]["id"]))
    done = stack.onboard(dj)
    assert done["kind"] == "dashboard", "once onboarded, the Express dashboard"
    assert done["account"]["charges_enabled"] is True
    assert all(first["url"] not in line for line in stack.edge.logs), "links are never logged"


def test_only_signed_in_djs_onboard(stack: Stack) -> None:
    listener = create_user(stack.conn)
    response = stack.edge.call("connect-onboarding", {}, stack.token(listener))
    assert (response.status_code, response.json()["code"]) == (403, "DJONL")
    assert response.json()["hint"]


def test_a_tip_becomes_a_destination_charge_with_the_platform_fee(stack: Stack) -> None:
    room = stack.payable_room()
    fan = room.member()
    response = stack.tip(fan, room, amount=1_250, message="for the encore")
    assert response.status_code == 200, response.text
    body = response.json()
    tip, intent = body["tip"], body["payment_intent"]
    assert (tip["status"], tip["amount"], tip["currency"], tip["fee_amount"]) == (
        "pending",
        1_250,
        "usd",
        125,
    )
    assert intent["client_secret"].startswith(f"{intent['id']}_secret_")
    assert body["publishable_key"] == fake_stripe.PUBLISHABLE_KEY
    stripe_side = stack.stripe.intents[intent["id"]]
    account = stack.conn.execute("select stripe_account_id from public.payout_accounts where dj_id = %s",
                                 (room.dj.id,)).fetchone()  # fmt: skip
    assert stripe_side["transfer_data"] == {"destination": account[0] if account else None}
    assert (stripe_side["amount"], stripe_side["application_fee_amount"]) == (1_250, 125)
    assert stripe_side["metadata"]["tip_id"] == tip["id"]
    create = [r for r in stack.stripe.requests if r[:2] == ("POST", "/v1/payment_intents")][-1]
    assert create[2]["idempotency-key"] == f"tip:{tip['id']}:create_pi"
    assert create[2]["stripe-version"] == "2026-10-28.endive"
    row = stack.conn.execute(
        "select payment_intent_id, tipper_id from public.tips where id = %s", (tip["id"],)
    ).fetchone()
    assert row == (intent["id"], fan.id)
    assert all(intent["client_secret"] not in line for line in stack.edge.logs), (
        "client secrets are never logged"
    )
    deliver(stack.conn, stack.stripe.succeed(intent["id"]))
    state = stack.conn.execute("select status::text from public.tips where id = %s", (tip["id"],)).fetchone()
    assert state == ("succeeded",)
    assert stack.conn.execute("select * from private.ledger_check()").fetchall() == []


def test_a_retry_with_the_same_request_id_never_charges_twice(stack: Stack) -> None:
    room = stack.payable_room()
    fan = room.member()
    request_id = str(uuid.uuid4())
    first = stack.tip(fan, room, request_id=request_id).json()
    before = len([r for r in stack.stripe.requests if r[:2] == ("POST", "/v1/payment_intents")])
    second = stack.tip(fan, room, request_id=request_id).json()
    assert second["tip"]["id"] == first["tip"]["id"]
    assert second["payment_intent"] == first["payment_intent"]
    after = len([r for r in stack.stripe.requests if r[:2] == ("POST", "/v1/payment_intents")])
    assert after == before, "the second answer comes from the recorded PaymentIntent"
    different = stack.tip(fan, room, request_id=request_id, amount=900)
    assert (different.status_code, different.json()["code"]) == (409, "IDMIS")


def test_the_database_rules_reach_the_app_with_their_codes(stack: Stack) -> None:
    room = stack.payable_room()
    outsider = create_user(stack.conn)
    response = stack.tip(outsider, room)
    assert (response.status_code, response.json()["code"]) == (403, "NOTIN")
    assert response.json()["hint"] == "Call join_session."
    fan = room.member()
    response = stack.tip(fan, room, amount=100, currency="jpy")
    assert (response.status_code, response.json()["code"]) == (400, "AMTRG")
    assert response.json()["details"]["minimum"] == 150, "details arrive as JSON"
    api = Api(stack.conn)
    unpaid_dj = make_dj(stack.conn)
    unpaid = LiveRoom(api, unpaid_dj, make_session(api, unpaid_dj))
    response = stack.tip(unpaid.member(), unpaid)
    assert (response.status_code, response.json()["code"]) == (409, "DJACC")


def test_a_rate_limited_tipper_is_told_when_to_retry(stack: Stack) -> None:
    room = stack.payable_room()
    fan = room.member()
    [(capacity,)] = stack.conn.execute("select value from private.settings where key = 'tip_rate_capacity'")
    stack.conn.execute("update private.settings set value = '1' where key = 'tip_rate_capacity'")
    try:
        assert stack.tip(fan, room).status_code == 200
        limited = stack.tip(fan, room)
    finally:
        stack.conn.execute(
            "update private.settings set value = %s::jsonb where key = 'tip_rate_capacity'",
            (json.dumps(capacity),),
        )
    assert (limited.status_code, limited.json()["code"]) == (429, "RATEL")
    assert int(limited.headers["retry-after"]) == max(
        1, math.ceil(limited.json()["details"]["retry_after_seconds"])
    )


def test_a_suspended_account_is_refused_by_every_function_with_its_token_still_valid(stack: Stack) -> None:
    room = stack.payable_room()
    fan, dj = room.member(), make_dj(stack.conn)
    for user in (fan, dj):
        assert stack.conn.execute(
            "select private.platform_ban(%s, 'test: fraud')", (user.id,)
        ).fetchone() == (True,)
    seen = len(stack.stripe.requests)
    tip = stack.tip(fan, room)
    onboarding = stack.edge.call("connect-onboarding", {}, stack.token(dj))
    assert [(r.status_code, r.json()["code"], r.json()["message"]) for r in (tip, onboarding)] == [
        (403, "SUSPD", "This account is suspended.")
    ] * 2
    assert len(stack.stripe.requests) == seen, "nothing reached Stripe"
    assert stack.conn.execute(
        "select count(*) from public.tips where tipper_id = %s", (fan.id,)
    ).fetchone() == (0,)
    assert stack.conn.execute(
        "select count(*) from public.payout_accounts where dj_id = %s", (dj.id,)
    ).fetchone() == (0,)


@pytest.mark.parametrize(
    ("token", "why"),
    [
        (None, "missing bearer token"),
        ("not-a-jwt", "malformed token"),
        ("expired", "token expired"),
        ("forged", "bad signature"),
        ("anon-key", "token is not for signed-in users"),
        ("other-issuer", "token is from another issuer"),
        ("no-audience", "token is not for signed-in users"),
        ("service-role", "not a user token"),
    ],
)
def test_only_a_valid_user_token_is_accepted(stack: Stack, token: str | None, why: str) -> None:
    user = create_user(stack.conn)
    tokens = {
        "expired": stack.token(user, exp=int(time.time()) - 60),
        "forged": hs256(user.claims(), "another-secret-another-secret-another"),
        "anon-key": hs256({"role": "anon", "iss": "supabase", "exp": int(time.time()) + 60}, JWT_SECRET),
        "other-issuer": stack.token(user, iss="https://another-project.supabase.co/auth/v1"),
        "no-audience": hs256({k: v for k, v in user.claims().items() if k != "aud"}, JWT_SECRET),
        "service-role": stack.token(user, role="service_role"),
    }
    response = stack.edge.call("create-tip", {}, tokens.get(token or "", token))
    assert (response.status_code, response.json()["code"]) == (401, "LOGIN")
    assert response.json()["message"] == f"Not signed in: {why}."


def test_bad_requests_are_refused_before_anything_is_recorded(stack: Stack) -> None:
    user = create_user(stack.conn)
    token = stack.token(user)
    assert stack.edge.call("create-tip", token=token, content="{not json").json()["code"] == "22023"
    response = stack.edge.call("create-tip", {"session_id": str(uuid.uuid4()), "amount": "5", "currency": "usd",
                                              "request_id": str(uuid.uuid4())}, token)  # fmt: skip
    assert (response.status_code, response.json()["message"]) == (
        400, "amount must be a positive integer in the currency's smallest unit."
    )  # fmt: skip
    assert stack.edge.call("create-tip", token=token, method="GET").status_code == 405
    assert stack.conn.execute(
        "select count(*) from public.tips where tipper_id = %s", (user.id,)
    ).fetchone() == (0,)


def test_a_rate_limited_tip_is_retried_by_the_app_and_charged_once(stack: Stack) -> None:
    room = stack.payable_room()
    fan = room.member()
    request_id = str(uuid.uuid4())
    stack.stripe.fail_next(1, status=429)
    busy = stack.tip(fan, room, request_id=request_id)
    assert (busy.status_code, busy.json()["code"]) == (503, "STRPE")
    assert busy.json()["details"] == {"type": "invalid_request_error", "code": "rate_limit",
                                      "request_id": busy.json()["details"]["request_id"]}  # fmt: skip
    assert busy.json()["hint"] == "Retry in a few seconds with the same request id."
    retried = stack.tip(fan, room, request_id=request_id)
    assert retried.status_code == 200, retried.text
    tip_id = retried.json()["tip"]["id"]
    assert busy.json()["details"]["request_id"].startswith("req_")
    key = f"tip:{tip_id}:create_pi"
    assert len([r for r in stack.stripe.requests if r[2].get("idempotency-key") == key]) == 2
    assert [i["id"] for i in stack.stripe.intents.values() if i["metadata"].get("tip_id") == tip_id] == [
        retried.json()["payment_intent"]["id"]
    ]


def test_a_stored_stripe_500_asks_for_a_new_attempt(stack: Stack) -> None:
    room = stack.payable_room()
    fan = room.member()
    request_id = str(uuid.uuid4())
    stack.stripe.fail_next(1, status=500)
    broken = stack.tip(fan, room, request_id=request_id)
    assert (broken.status_code, broken.json()["code"], broken.json()["details"]["type"]) == (
        502,
        "STRPE",
        "api_error",
    )
    replayed = stack.tip(fan, room, request_id=request_id)
    assert replayed.status_code == 502, "Stripe replays a 500 for its idempotency key"
    assert stack.tip(fan, room).status_code == 200, "a new attempt (new request id) goes through"
    errors = [json.loads(line) for line in stack.edge.logs if '"STRPE"' in line]
    assert errors
    assert all(e["function"] == "create-tip" for e in errors)


def test_a_missing_setting_or_database_is_a_clear_503(stack: Stack) -> None:
    with serving({"SUPABASE_DB_URL": "postgresql://postgres@127.0.0.1:1/postgres", "WHATSSOUND_JWT_SECRET": JWT_SECRET,
                  "WHATSSOUND_JWT_ISSUER": ISSUER,
                  "STRIPE_SECRET_KEY": fake_stripe.KEY, "STRIPE_PUBLISHABLE_KEY": fake_stripe.PUBLISHABLE_KEY,
                  "STRIPE_API_BASE": stack.stripe.url}) as cut_off:  # fmt: skip
        token = stack.token(make_dj(stack.conn))
        unconfigured = cut_off.call("connect-onboarding", {}, token)
        down = cut_off.call("create-tip", {"session_id": str(uuid.uuid4()), "amount": 500, "currency": "usd",
                                           "request_id": str(uuid.uuid4())}, token)  # fmt: skip
    assert (unconfigured.status_code, unconfigured.json()["code"]) == (503, "EDCFG")
    assert (down.status_code, down.json()["code"]) == (503, "DBDWN")
    assert down.json()["hint"] == "Retry with backoff (same request id)."
