"""Experiment (c) of docs/faults.md, bounded: the database stops for 3 s under the running service
while its worker sends pushes: /readyz answers 503, then 200 by itself in the same process; the
worker finishes what was queued before and sends what is queued after; every device gets its
push exactly once."""

from __future__ import annotations

import pytest

from tests.conftest import FreshDb
from tests.faults import db_outage, stack
from tests.push import fake_expo

pytestmark = pytest.mark.slow
# 20 pushes a second: the 120 take 6 s, so the outage still comes mid-send when stopping PostgreSQL is
# slow on a loaded machine (at 40/s a slow stop let the worker finish before the database went away).
SIZE = db_outage.Size(before=120, after=40, rate_per_second=20, database_down_s=3)


def test_the_service_and_its_worker_recover_from_a_database_outage_by_themselves(fault_db: FreshDb) -> None:
    with fake_expo.running() as expo, stack.running(fault_db, WHATSSOUND_PUSH_EXPO_URL=expo.url) as service:
        counts = db_outage.run(service, fault_db, expo, SIZE)
    print(counts)  # shown with -s, and on failure
    assert set(counts.readyz_while_down) == {503}, "not ready while the database is away, but answering"
    assert counts.ready_after_s < 10, "ready again by itself"
    assert counts.same_process, "no restart needed"
    assert 0 < counts.accepted_at_outage < SIZE.before, "the outage came mid-send"
    assert (counts.pushes, counts.delivered, counts.doubled, counts.lost) == (161, 161, 0, 0)
    assert set(counts.statuses) <= {"sent", "unknown"}, counts.statuses
    assert sum(counts.statuses.values()) == 161
