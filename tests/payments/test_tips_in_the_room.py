"""A succeeded tip shows in the room at once, notifies the DJ, boosts its request within the cap
(taken back on a full refund), and ranks its tipper among the session's supporters."""

from __future__ import annotations

import psycopg

from tests.payments.test_tips_ledger import Tip, deliver
from tests.support.api import Api
from tests.support.broadcasts import Broadcasts
from tests.support.gotrue import create_user
from tests.support.rooms import LiveRoom


def test_the_room_and_the_dj_hear_of_a_tip_once(db: psycopg.Connection, api: Api) -> None:
    tip = Tip(db, api)
    db.execute("update public.tips set message = 'great set!' where id = %s", (tip.id,))
    broadcasts = Broadcasts(db)
    success = tip.succeeded()
    deliver(db, success)
    deliver(db, success)
    events = broadcasts.take()  # validated against docs/realtime-events/*.schema.json
    room = [b for b in events if b.event == "tip.received"]
    assert len(room) == 1
    assert (room[0].data["amount"], room[0].data["message"]) == (1_000, "great set!")
    feed = db.execute(
        "select kind::text, payload ->> 'amount' from public.notifications where user_id = %s", (tip.dj.id,)
    ).fetchall()
    assert feed == [("tip_received", "1000")]


def test_a_tip_boosts_its_request_within_the_cap_and_a_refund_takes_it_back(
    db: psycopg.Connection, api: Api
) -> None:
    tip = Tip(db, api)
    session = db.execute("select session_id from public.tips where id = %s", (tip.id,)).fetchone()
    assert session is not None
    room = LiveRoom(api, tip.dj, {"id": str(session[0])})
    fans = [room.member() for _ in range(3)]
    popular = room.request(fans[0], "popular")["item"]
    for fan in fans[1:]:
        api(fan, "cast_vote", p_item_id=popular["id"], p_value=1)
    boosted = room.request(room.member(), "boosted")["item"]
    db.execute("update public.tips set boost_item_id = %s where id = %s", (boosted["id"], tip.id))
    room.api(tip.dj, "set_queue_settings", p_session_id=room.id, p_policy="votes")
    before = db.execute("select rank_key from public.queue_items where id = %s", (boosted["id"],)).fetchone()
    deliver(db, tip.succeeded())
    row = db.execute(
        "select boost, rank_key from public.queue_items where id = %s", (boosted["id"],)
    ).fetchone()
    assert row is not None
    assert row[0] == 1
    assert before is not None
    assert row[1] < before[0], "the boost moved it up"
    assert [i["item_id"] for i in room.top()][:2] == [popular["id"], boosted["id"]], (
        "one tip does not outbid three votes"
    )
    deliver(db, tip.refunded(1_000))
    row = db.execute("select boost from public.queue_items where id = %s", (boosted["id"],)).fetchone()
    assert row == (0,), "a refunded tip keeps no influence"


def test_supporters_are_ranked_by_what_they_gave_net_of_refunds(db: psycopg.Connection, api: Api) -> None:
    big, small = Tip(db, api, amount=5_000, fee=500), Tip(db, api)
    db.execute("update public.tips set session_id = (select session_id from public.tips where id = %s) where id = %s",
               (big.id, small.id))  # fmt: skip
    deliver(db, big.succeeded(), small.succeeded(), big.refunded(4_500))
    board = api(
        create_user(db),
        "session_supporters",
        p_session_id=str(
            db.execute("select session_id from public.tips where id = %s", (big.id,)).fetchone()[0]  # type: ignore[index]
        ),
    )
    assert [(r["tipper_id"], r["total"]) for r in board] == [
        (str(small.tipper.id), 1_000),
        (str(big.tipper.id), 500),
    ]
