"""The ranking's promises as properties (hypothesis), checked through the real RPCs.

Each example builds a queue in a savepoint of the test transaction and rolls it back, so the
examples are independent and fast.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.queue.conftest import QueueRoom
from tests.support.gotrue import AuthUser

POLICIES = ["votes", "fair_share", "hybrid"]
examples = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@contextlib.contextmanager
def _scratch(db: psycopg.Connection) -> Iterator[None]:
    db.execute("savepoint example")
    try:
        yield
    finally:
        db.execute("rollback to savepoint example")


def _build(
    qroom: QueueRoom, policy: str, listeners: list[AuthUser], plan: list[tuple[int, int]]
) -> list[str]:
    """Requests from listener i (plan order), then votes; returns item ids in request order."""
    qroom.api(qroom.dj, "set_queue_settings", p_session_id=qroom.id, p_policy=policy, p_request_limit=50)
    items = []
    for n, (who, _) in enumerate(plan):
        items.append(qroom.request(listeners[who], f"track{n}")["item"]["id"])
    for n, (_, votes) in enumerate(plan):
        for voter in listeners[:votes]:
            qroom.api(voter, "cast_vote", p_item_id=items[n], p_value=1)
    return items


def _order(qroom: QueueRoom) -> list[str]:
    return [row["item_id"] for row in qroom.top()]


plans = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), min_size=2, max_size=8)


@pytest.fixture
def listeners(qroom: QueueRoom) -> list[AuthUser]:
    return [qroom.listener() for _ in range(5)]


@examples
@given(policy=st.sampled_from(POLICIES), plan=plans)
def test_order_is_deterministic_and_matches_the_pure_key(
    db: psycopg.Connection,
    qroom: QueueRoom,
    listeners: list[AuthUser],
    policy: str,
    plan: list[tuple[int, int]],
) -> None:
    with _scratch(db):
        _build(qroom, policy, listeners, plan)
        first, second = _order(qroom), _order(qroom)
        assert first == second
        rows = db.execute(
            "select q.id::text, public.queue_rank_key_v1(s.queue_policy, q.pin_order, q.upvotes - q.downvotes, q.boost, 5,"
            " q.fair_round, q.requested_at) from public.queue_items q join public.dj_sessions s on s.id = q.session_id"
            " where q.session_id = %s and q.status = 'queued'",
            (qroom.id,),
        ).fetchall()
        shuffled = list(rows)
        random.Random(len(rows)).shuffle(shuffled)
        assert [r[0] for r in sorted(shuffled, key=lambda r: (r[1], r[0]))] == first
        explained = [qroom.api(qroom.dj, "explain_rank", p_item_id=i)["position"] for i in first]
        assert explained == list(range(1, len(first) + 1))


@examples
@given(policy=st.sampled_from(POLICIES), plan=plans, pick=st.integers(0, 7))
def test_an_up_vote_never_moves_an_item_down(
    db: psycopg.Connection, qroom: QueueRoom, listeners: list[AuthUser], policy: str,
    plan: list[tuple[int, int]], pick: int,
) -> None:  # fmt: skip
    with _scratch(db):
        items = _build(qroom, policy, listeners, plan)
        target = items[pick % len(items)]
        before = _order(qroom).index(target)
        voter = next(v for v in [*listeners, qroom.dj] if not db.execute(
            "select 1 from public.queue_votes where item_id = %s and user_id = %s and value = 1", (target, v.id)
        ).fetchone())  # fmt: skip
        qroom.api(voter, "cast_vote", p_item_id=target, p_value=1)
        assert _order(qroom).index(target) <= before


@examples
@given(policy=st.sampled_from(["fair_share", "hybrid"]), plan=plans)
def test_fair_share_never_gives_a_second_turn_while_someone_waits_for_a_first(
    db: psycopg.Connection,
    qroom: QueueRoom,
    listeners: list[AuthUser],
    policy: str,
    plan: list[tuple[int, int]],
) -> None:
    with _scratch(db):
        _build(qroom, policy, listeners, plan)
        turns: dict[str, int] = {}
        while True:
            played: Any = qroom.control("advance")
            if not played or played["id"] is None:  # an empty queue: NULL item
                break
            requester = played["requested_by"]
            waiting = {row["requested_by"] for row in qroom.top()}
            if turns.get(requester, 0) >= 1:
                starved = [r for r in waiting if turns.get(r, 0) == 0 and r != requester]
                assert starved == [], f"{requester} got turn {turns[requester] + 1} while {starved} had none"
            turns[requester] = turns.get(requester, 0) + 1


@examples
@given(policy=st.sampled_from(POLICIES), plan=plans, pins=st.lists(st.integers(0, 7), min_size=1, max_size=3))
def test_pinned_items_come_first_in_pin_order(
    db: psycopg.Connection, qroom: QueueRoom, listeners: list[AuthUser], policy: str,
    plan: list[tuple[int, int]], pins: list[int],
) -> None:  # fmt: skip
    with _scratch(db):
        items = _build(qroom, policy, listeners, plan)
        pinned: list[str] = []
        for p in pins:
            item = items[p % len(items)]
            if item not in pinned:
                qroom.control("pin", item)
                pinned.append(item)
        assert _order(qroom)[: len(pinned)] == pinned
