"""Recording a pending tip as the tipper (what the create-tip function does before Stripe): every
rule the database knows is enforced, amounts follow each currency's unit, retries find the same
tip, and nothing a client sends can set the fee, the DJ or the state."""

from __future__ import annotations

import json
import uuid
from typing import Any

import psycopg
import pytest

from tests.support.api import Api, answer_to, make_dj, make_session
from tests.support.gotrue import AuthUser, create_user
from tests.support.postgrest import Identity, as_user, request
from tests.support.rooms import LiveRoom


class Room:
    """A live session of a DJ who finished payout onboarding, with one listener in it."""

    def __init__(self, db: psycopg.Connection, api: Api, *, payable: bool = True) -> None:
        self.db = db
        self.dj = make_dj(db)
        self.live = LiveRoom(api, self.dj, make_session(api, self.dj))
        self.fan = self.live.member()
        db.execute(
            "insert into public.payout_accounts (dj_id, stripe_account_id, charges_enabled) values (%s, %s, %s)",
            (self.dj.id, f"acct_{uuid.uuid4().hex[:16]}", payable),
        )

    def start(self, who: AuthUser | None = None, **args: Any) -> dict[str, Any]:
        """hidden.start_tip as ``who`` (the fan by default), as the edge function calls it."""
        params = {"session": self.live.id, "amount": 500, "currency": "usd", "request": str(uuid.uuid4()),
                  "message": None, "boost": None} | args  # fmt: skip
        with as_user(self.db, who or self.fan) as conn:
            row = conn.execute(
                "select to_jsonb(t) from hidden.start_tip(%(session)s, %(amount)s, %(currency)s, %(request)s,"
                " %(message)s, %(boost)s) as t",
                params,
            ).fetchone()
        assert row is not None
        tip: dict[str, Any] = row[0]
        return tip


def code_of(action: Any) -> tuple[str | None, dict[str, Any] | None]:
    """The SQLSTATE (and JSON detail, if any) ``action()`` fails with."""
    with pytest.raises(psycopg.Error) as caught:
        action()
    answer = answer_to(caught.value)
    assert answer.hint, "every rejection carries a hint"
    return answer.code, json.loads(answer.details) if answer.details else None


@pytest.fixture
def room(db: psycopg.Connection, api: Api) -> Room:
    return Room(db, api)


def test_a_listener_records_a_pending_tip_with_the_platform_fee(room: Room) -> None:
    tip = room.start(amount=1_234, currency="USD", message="  great set  ")
    assert (tip["status"], tip["amount"], tip["currency"], tip["fee_amount"]) == (
        "pending",
        1_234,
        "usd",
        123,
    )
    assert (tip["tipper_id"], tip["dj_id"], tip["message"]) == (
        str(room.fan.id),
        str(room.dj.id),
        "great set",
    )
    assert tip["payment_intent_id"] is None


def test_a_retry_with_the_same_request_id_finds_the_same_tip(room: Room) -> None:
    request_id = str(uuid.uuid4())
    first = room.start(request=request_id, message="hi")
    again = room.start(request=request_id, message="hi")
    assert again["id"] == first["id"]
    count = room.db.execute(
        "select count(*) from public.tips where tipper_id = %s", (room.fan.id,)
    ).fetchone()
    assert count == (1,)
    assert code_of(lambda: room.start(request=request_id, amount=900))[0] == "IDMIS"


def test_amounts_follow_each_currencys_smallest_unit(room: Room) -> None:
    yen = room.start(amount=500, currency="jpy")
    assert (yen["amount"], yen["fee_amount"]) == (500, 50), "zero-decimal: 500 is 500 yen"
    code, detail = code_of(lambda: room.start(amount=100, currency="jpy"))
    assert code == "AMTRG"
    assert detail == {"currency": "jpy", "decimals": 0, "minimum": 150, "maximum": 70_000}
    assert code_of(lambda: room.start(amount=99))[0] == "AMTRG"
    assert code_of(lambda: room.start(amount=50_001))[0] == "AMTRG"
    code, detail = code_of(lambda: room.start(currency="xts"))
    assert code == "CURRX"
    assert detail is not None
    assert "usd" in detail["supported"]


def test_the_fee_is_the_configured_basis_points_rounded_down(room: Room) -> None:
    room.db.execute("update private.settings set value = '725' where key = 'tip_fee_bps'")
    assert room.start(amount=999)["fee_amount"] == 72  # 7.25% of 999 = 72.4


def test_who_may_not_tip(db: psycopg.Connection, api: Api, room: Room) -> None:
    assert code_of(lambda: room.start(who=room.dj))[0] == "SELFX"
    assert code_of(lambda: room.start(who=create_user(db)))[0] == "NOTIN"
    guest = room.live.member("anonymous")
    assert code_of(lambda: room.start(who=guest))[0] == "ANONY"
    banned = room.live.member()
    api(room.dj, "ban_user", p_dj_id=str(room.dj.id), p_user_id=str(banned.id), p_reason="spam")
    assert code_of(lambda: room.start(who=banned))[0] == "BANND"
    blocked = room.live.member()
    db.execute("insert into public.blocks (blocker_id, blocked_id) values (%s, %s)", (room.dj.id, blocked.id))
    assert code_of(lambda: room.start(who=blocked))[0] == "BLOCK"
    with pytest.raises(psycopg.errors.InsufficientPrivilege), request(db, Identity.anon()) as conn:
        conn.execute(
            "select hidden.start_tip(%s, 500, 'usd', gen_random_uuid(), null, null)", (room.live.id,)
        )


def test_only_live_sessions_of_payable_djs_take_tips(db: psycopg.Connection, api: Api, room: Room) -> None:
    unpaid = Room(db, api, payable=False)
    assert code_of(unpaid.start)[0] == "DJACC"
    assert code_of(lambda: room.start(session=str(uuid.uuid4())))[0] == "P0002"
    api(room.dj, "end_session", p_session_id=room.live.id)
    assert code_of(room.start)[0] == "NLIVE"


def test_a_boost_targets_a_queued_request_of_the_same_session(
    db: psycopg.Connection, api: Api, room: Room
) -> None:
    item = room.live.request(room.fan, "track-1")["item"]
    assert room.start(boost=item["id"])["boost_item_id"] == item["id"]
    other = Room(db, api)
    elsewhere = other.live.request(other.fan, "track-2")["item"]
    assert code_of(lambda: room.start(boost=elsewhere["id"]))[0] == "STATE"


def test_tipping_is_rate_limited_per_user(room: Room) -> None:
    for _ in range(5):
        room.start()
    code, detail = code_of(room.start)
    assert code == "RATEL"
    assert detail is not None
    assert detail["retry_after_seconds"] > 0


def test_a_client_cannot_set_the_fee_the_dj_or_the_state(db: psycopg.Connection, room: Room) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege), as_user(db, room.fan) as conn:
        conn.execute(
            "insert into public.tips (session_id, amount, currency, fee_amount) values (%s, 500, 'usd', 0)",
            (room.live.id,),
        )
    with as_user(db, room.fan) as conn:  # the columns a client may send are validated and completed
        row = conn.execute(
            "insert into public.tips (session_id, amount, currency) values (%s, 500, 'usd')"
            " returning dj_id, tipper_id, fee_amount, status::text",
            (room.live.id,),
        ).fetchone()
    assert row == (room.dj.id, room.fan.id, 50, "pending")
    with pytest.raises(psycopg.errors.InsufficientPrivilege), as_user(db, room.fan) as conn:
        conn.execute("update public.tips set status = 'succeeded' where tipper_id = %s", (room.fan.id,))


def test_only_the_service_reads_the_charge_and_attaches_the_payment_intent(
    db: psycopg.Connection, room: Room
) -> None:
    tip = room.start()
    with pytest.raises(psycopg.errors.InsufficientPrivilege), as_user(db, room.fan) as conn:
        conn.execute("select hidden.tip_charge(%s)", (tip["id"],))
    with request(db, Identity.service_role()) as conn:
        charge = conn.execute("select hidden.tip_charge(%s)", (tip["id"],)).fetchone()[0]  # type: ignore[index]
        assert charge["destination"].startswith("acct_")
        assert (charge["amount"], charge["fee_amount"], charge["payable"]) == (500, 50, True)
        conn.execute("select hidden.attach_tip_payment_intent(%s, 'pi_1')", (tip["id"],))
        conn.execute("select hidden.attach_tip_payment_intent(%s, 'pi_1')", (tip["id"],))  # idempotent
    assert code_of(lambda: db.execute("select hidden.attach_tip_payment_intent(%s, 'pi_2')", (tip["id"],)))[
        0
    ] == ("STATE")


def test_payout_onboarding_is_for_signed_in_djs(db: psycopg.Connection, room: Room) -> None:
    def begin(who: AuthUser) -> dict[str, Any]:
        with as_user(db, who) as conn:
            return conn.execute("select to_jsonb(hidden.begin_payout_onboarding())").fetchone()[0]  # type: ignore[index,no-any-return]

    assert code_of(lambda: begin(room.fan))[0] == "DJONL"
    newcomer = make_dj(db)
    assert begin(newcomer)["stripe_account_id"] is None
    with request(db, Identity.service_role()) as conn:
        conn.execute("select hidden.record_payout_account(%s, 'acct_first')", (newcomer.id,))
        kept = conn.execute("select (hidden.record_payout_account(%s, 'acct_second')).stripe_account_id",
                            (newcomer.id,)).fetchone()  # fmt: skip
    assert kept == ("acct_first",)
    assert begin(newcomer)["charges_enabled"] is False, "readiness only from account.updated"


def test_tips_never_given_a_payment_intent_are_closed_after_a_day(db: psycopg.Connection, room: Room) -> None:
    stale, fresh, paying = room.start(), room.start(), room.start()
    db.execute("update public.tips set created_at = now() - interval '25 hours' where id in (%s, %s)",
               (stale["id"], paying["id"]))  # fmt: skip
    db.execute("update public.tips set payment_intent_id = 'pi_paying' where id = %s", (paying["id"],))
    assert db.execute("select private.expire_unpaid_tips()").fetchone() == (1,)
    states = dict(db.execute("select id::text, status::text || coalesce(':' || failure_code, '') from public.tips"
                             " where tipper_id = %s", (room.fan.id,)).fetchall())  # fmt: skip
    assert states == {stale["id"]: "failed:abandoned", fresh["id"]: "pending", paying["id"]: "pending"}
