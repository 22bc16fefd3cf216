"""Requests and votes: quotas, rules, duplicates as votes, exact counts, who sees what."""

from __future__ import annotations

import threading
import uuid

import psycopg
import pytest

from tests.queue.conftest import QueueRoom
from tests.support.api import Api, make_dj, make_session, raises_code
from tests.support.gotrue import create_user
from tests.support.postgrest import PostgrestError, as_user, rpc


def _recount(db: psycopg.Connection, item_id: str) -> tuple:
    return (
        db.execute(
            "select count(*) filter (where value = 1), count(*) filter (where value = -1) from public.queue_votes"
            " where item_id = %s",
            (item_id,),
        ).fetchone()
        or ()
    )


def test_a_request_is_queued_with_the_requesters_vote(qroom: QueueRoom) -> None:
    lia = qroom.listener()
    result = qroom.request(lia, "t1")
    item = result["item"]
    assert (item["status"], item["upvotes"], item["requested_by"], result["was_already_queued"]) == (
        "queued", 1, str(lia.id), False)  # fmt: skip
    assert result["track"]["title"] == "Song t1"


def test_requesting_a_queued_track_is_a_vote_not_a_duplicate(
    db: psycopg.Connection, qroom: QueueRoom
) -> None:
    lia, leo = qroom.listener(), qroom.listener()
    first = qroom.request(lia, "t1")["item"]
    again = qroom.request(leo, "t1", p_title="Renamed by Leo")
    assert again["was_already_queued"] is True
    assert again["item"]["id"] == first["id"]
    assert again["item"]["upvotes"] == 2
    assert again["track"]["title"] == "Song t1"  # the first request's metadata is kept
    assert len(qroom.top()) == 1


def test_open_requests_are_limited_higher_for_subscribers(db: psycopg.Connection, qroom: QueueRoom) -> None:
    lia, sub = qroom.listener(), qroom.listener()
    for n in range(3):
        qroom.request(lia, f"lia{n}")
    with raises_code("QUOTA") as caught:
        qroom.request(lia, "lia3")
    assert '"limit" : 3' in (caught.value.details or "") or '"limit": 3' in (caught.value.details or "")
    db.execute("insert into public.entitlements (user_id, entitlement, source) values (%s, 'premium', 'revenuecat')",
               (sub.id,))  # fmt: skip
    for n in range(6):
        qroom.request(sub, f"sub{n}")
    with raises_code("QUOTA"):
        qroom.request(sub, "sub6")


def test_session_rules_refuse_explicit_and_long_tracks(qroom: QueueRoom) -> None:
    qroom.api(
        qroom.dj, "set_queue_settings", p_session_id=qroom.id, p_allow_explicit=False, p_max_track_seconds=300
    )
    lia = qroom.listener()
    with raises_code("NOEXP"):
        qroom.request(lia, "x1", p_explicit=True)
    with raises_code("TOLNG"):
        qroom.request(lia, "x2", p_duration_ms=301_000)
    with raises_code("22023") as caught:
        qroom.request(lia, "x3", p_title="")
    assert caught.value.message == "Invalid track details: the title must be 1-200 characters."
    with raises_code("22023") as caught:
        qroom.request(lia, "x3", p_artwork_url="http://cdn.example/a.jpg")
    assert "https" in caught.value.message
    assert "check" not in caught.value.message  # no constraint names
    assert qroom.request(lia, "x4", p_duration_ms=300_000)["item"]["status"] == "queued"


def test_closed_locked_rejected_and_who_may_request(db: psycopg.Connection, qroom: QueueRoom) -> None:
    lia = qroom.listener()
    with raises_code("NOTIN"):
        qroom.request(create_user(db), "t1")
    with raises_code("ANONY"):
        qroom.request(qroom.listener("anonymous"), "t1")
    rejected = qroom.request(lia, "bad")["item"]
    qroom.control("reject", rejected["id"], p_reason="not tonight")
    with raises_code("REJTD"):
        qroom.request(qroom.listener(), "bad")
    qroom.api(qroom.dj, "set_queue_settings", p_session_id=qroom.id, p_requests_open=False)
    with raises_code("REQCL"):
        qroom.request(lia, "t2")
    assert qroom.request(qroom.dj, "t2")["item"]["status"] == "queued"  # the DJ's team still can
    qroom.api(qroom.dj, "set_queue_settings", p_session_id=qroom.id, p_locked=True)
    with raises_code("QLOCK"):
        qroom.api(lia, "cast_vote", p_item_id=qroom.top()[0]["item_id"], p_value=1)
    qroom.api(qroom.dj, "ban_user", p_dj_id=str(qroom.dj.id), p_user_id=str(lia.id), p_timeout_seconds=60)
    qroom.api(qroom.dj, "set_queue_settings", p_session_id=qroom.id)
    with raises_code("BANND"):
        qroom.request(lia, "t3")


def test_withdrawing_is_for_the_requester_and_idempotent(qroom: QueueRoom) -> None:
    lia, leo = qroom.listener(), qroom.listener()
    item = qroom.request(lia, "t1")["item"]
    with raises_code("P0002"):
        qroom.api(leo, "withdraw_request", p_item_id=item["id"])
    assert qroom.api(lia, "withdraw_request", p_item_id=item["id"])["status"] == "withdrawn"
    assert qroom.api(lia, "withdraw_request", p_item_id=item["id"])["status"] == "withdrawn"
    assert qroom.top() == []
    assert qroom.request(leo, "t1")["was_already_queued"] is False  # it can be requested again


def test_votes_change_withdraw_and_repeat_without_double_counting(
    db: psycopg.Connection, qroom: QueueRoom
) -> None:
    lia, leo = qroom.listener(), qroom.listener()
    item = qroom.request(lia, "t1")["item"]
    for value, expected in [(1, (2, 0)), (1, (2, 0)), (-1, (1, 1)), (0, (1, 0)), (0, (1, 0)), (-1, (1, 1))]:
        voted = qroom.api(leo, "cast_vote", p_item_id=item["id"], p_value=value)
        assert (voted["upvotes"], voted["downvotes"]) == expected
        assert _recount(db, item["id"]) == expected
    with raises_code("22023"):
        qroom.api(leo, "cast_vote", p_item_id=item["id"], p_value=2)
    qroom.control("play", item["id"])
    qroom.control("finish")
    with raises_code("STATE"):
        qroom.api(leo, "cast_vote", p_item_id=item["id"], p_value=1)


def test_listeners_see_their_votes_and_the_team_sees_voters(db: psycopg.Connection, qroom: QueueRoom) -> None:
    lia, leo = qroom.listener(), qroom.listener()
    item = qroom.request(lia, "t1")["item"]
    qroom.api(leo, "cast_vote", p_item_id=item["id"], p_value=-1)
    with as_user(db, leo):
        assert db.execute("select count(*) from public.queue_votes").fetchone() == (1,)
    with as_user(db, qroom.dj):
        assert db.execute("select count(*) from public.queue_votes").fetchone() == (2,)
    with as_user(db, create_user(db)):
        assert db.execute("select count(*) from public.queue_items").fetchone() == (0,)


def test_fifty_connections_voting_at_once_leave_exact_counts(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("supabase_admin") as setup:
        setup.execute("set role postgres")
        api = Api(setup)
        dj = make_dj(setup)
        session = make_session(api, dj)
        voters = []
        for _ in range(50):
            voter = create_user(setup)
            api(voter, "join_session", p_session_id=session["id"])
            voters.append(voter)
        items = [
            api(dj, "request_track", p_session_id=session["id"], p_provider="spotify", p_provider_track_id=f"c{n}",
                p_title=f"C{n}", p_artist="A", p_duration_ms=200_000)["item"]["id"]
            for n in range(3)
        ]  # fmt: skip
    barrier = threading.Barrier(len(voters))
    errors: list[BaseException] = []

    def vote(index: int) -> None:
        try:
            with fresh_db.connect("authenticator") as conn:
                barrier.wait()
                for round_ in range(3):
                    for n, item in enumerate(items):
                        value = 1 if (index + n + round_) % 3 else -1
                        rpc(
                            conn, voters[index].identity(), "cast_vote", {"p_item_id": item, "p_value": value}
                        )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(len(voters))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with fresh_db.connect() as conn:
        for item in items:
            counted = conn.execute(
                "select upvotes, downvotes from public.queue_items where id = %s", (item,)
            ).fetchone()
            derived = _recount(conn, item)
            assert counted == derived
            assert sum(derived) == 51  # the DJ's request vote + one vote per listener


def test_request_quota_holds_across_parallel_connections(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("supabase_admin") as setup:
        setup.execute("set role postgres")
        api = Api(setup)
        session = make_session(api, make_dj(setup))
        eager = create_user(setup)
        api(eager, "join_session", p_session_id=session["id"])
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def request(n: int) -> None:
        with fresh_db.connect("authenticator") as conn:
            barrier.wait()
            try:
                rpc(conn, eager.identity(), "request_track", {
                    "p_session_id": session["id"], "p_provider": "spotify", "p_provider_track_id": f"p{n}",
                    "p_title": "P", "p_artist": "A", "p_duration_ms": 200_000})  # fmt: skip
                outcomes.append("queued")
            except PostgrestError as exc:
                outcomes.append(exc.code)

    threads = [threading.Thread(target=request, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["QUOTA"] * 5 + ["queued"] * 3


@pytest.mark.parametrize("provider", ["spotify", "apple_music", "soundcloud", "upload"])
def test_every_provider_is_catalogued_once(qroom: QueueRoom, provider: str) -> None:
    lia = qroom.listener()
    first = qroom.request(lia, f"id-{uuid.uuid4().hex[:6]}", p_provider=provider)
    assert first["track"]["provider"] == provider
