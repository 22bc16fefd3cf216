"""Experiment (a) of docs/faults.md, bounded: a few hundred validly signed Stripe and RevenueCat
deliveries, shuffled with 20 % duplicates, through a database restart and a SIGKILLed service:
every delivery ends answered 2xx, every event is stored and applied exactly once, nothing is
doubled or lost, and the books are exact."""

from __future__ import annotations

import pytest

from tests.conftest import FreshDb
from tests.faults import payments_storm, stack

pytestmark = pytest.mark.slow
SIZE = payments_storm.Size(tips=60, subscribers=30, renewals=2, rate=150, database_down_s=3)


def test_a_storm_of_deliveries_through_a_database_restart_and_a_killed_service_is_booked_exactly(
    fault_db: FreshDb,
) -> None:
    with stack.running(fault_db) as service:
        counts = payments_storm.run(service, fault_db, SIZE)
    print(counts)  # shown with -s, and on failure
    # 60 tips (a success and 1-3 refunds each, from the seed) + 30 subscribers x 3 events; 20 % twice
    assert (counts.unique, counts.sent) == (257, 308)
    assert (counts.accepted, counts.stored, counts.applied) == (308, 257, 257)
    assert (counts.doubled, counts.lost, counts.undercounted) == (0, 0, 0)
    assert (counts.wrong_tips, counts.wrong_entitlements, counts.ledger_problems) == (0, 0, [])
    assert counts.service_starts == 2, "started, SIGKILLed, started again"
    refused = set(counts.not_accepted)
    assert "503" in refused, "the database outage was answered 503 (the provider retried)"
    assert refused - {"503"}, "the kill cut or refused connections (the provider retried)"
    assert refused <= {"503", "ConnectError", "ReadError", "RemoteProtocolError", "WriteError"}, refused
