"""/metrics exposes the HTTP, webhook, job, push and realtime series with the right values after a
scripted scenario, the process's and connection pools' series, in a format Prometheus parses."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from tests.conftest import FreshDb
from tests.push.fake_expo import token
from tests.support.gotrue import create_user
from whatssound_svc import paths
from whatssound_svc.app import create_app
from whatssound_svc.settings import Settings

Series = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: TestClient) -> Series:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def test_the_series_after_a_scripted_scenario(fresh_db: FreshDb) -> None:
    with fresh_db.connect("supabase_admin") as conn:
        for n, (provider, kind, handled, attempts) in enumerate([
            ("stripe", "payment_intent.succeeded", True, 1), ("stripe", "payment_intent.succeeded", True, 1),
            ("stripe", "charge.refunded", False, 2), ("revenuecat", "RENEWAL", False, 0),
        ]):  # fmt: skip
            conn.execute(
                "select private.record_webhook_event(%s, %s, %s, true, null, now(), %s)",
                (provider, f"evt_{n}", kind, json.dumps({"id": f"evt_{n}", "type": kind})),
            )
            conn.execute(
                "update private.webhook_events set attempts = %s,"
                " handled_at = case when %s then now() end where event_id = %s",
                (attempts, handled, f"evt_{n}"),
            )
        conn.execute("select private.enqueue_job('push:receipts', '{}', 'push')")
        conn.execute("select private.enqueue_job('jobs:recover_stalled', '{}', 'default')")
        conn.execute("update procrastinate.procrastinate_jobs set scheduled_at = now() - interval '10 minutes'"
                     " where queue_name = 'default'")  # fmt: skip
        user = create_user(conn)
        conn.execute("insert into public.push_devices (user_id, token, platform) values (%s, %s, 'ios')",
                     (user.id, token("metrics")))  # fmt: skip
        for n in range(3):
            conn.execute("select private.notify(%s, 'mention', %s, null)", (user.id, f"m{n}"))
        conn.execute("update private.push_messages set status = 'failed', error = 'DeviceNotRegistered'"
                     " where id = (select min(id) from private.push_messages)")  # fmt: skip
        for n, (outcome, reason) in enumerate([("sent", None), ("sent", None), ("refused", "SMSPX")]):
            conn.execute("insert into private.sms_sends (webhook_id, phone, outcome, reason) values (%s, %s, %s, %s)",
                         (f"wh_{n}", "15555550199", outcome, reason))  # fmt: skip
        conn.execute("insert into private.realtime_usage (day, delivered, updated_at, counted_through)"
                     " values (current_date, 1234, now(), now())"
                     " on conflict (day) do update set delivered = 1234")  # fmt: skip
    app = create_app(
        Settings(database_url=SecretStr(fresh_db.url()), environment="test", periodic_tasks=False)
    )
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        client.get("/no/such/page")
        series = scrape(client)

    def value(name: str, **labels: str) -> float:
        return series.get((name, tuple(sorted(labels.items()))), 0.0)

    assert value("whatssound_database_up") == 1
    assert (
        value("whatssound_http_request_duration_seconds_count", method="GET", route="/healthz", status="200")
        == 1
    )
    assert (
        value("whatssound_http_request_duration_seconds_count", method="GET", route="unmatched", status="404")
        == 1
    )
    webhook = "whatssound_webhook_events_last_hour"
    assert value(webhook, provider="stripe", event_type="payment_intent.succeeded", state="processed") == 2
    assert value(webhook, provider="stripe", event_type="charge.refunded", state="failing") == 1
    assert value(webhook, provider="revenuecat", event_type="RENEWAL", state="pending") == 1
    assert (
        value("whatssound_job_queue_jobs", queue="push", status="todo") >= 2
    )  # receipts + the coalesced send
    assert value("whatssound_job_queue_oldest_due_seconds", queue="default") >= 600
    assert value("whatssound_push_messages_last_hour", status="queued", error="") == 2
    assert value("whatssound_push_messages_last_hour", status="failed", error="DeviceNotRegistered") == 1
    assert value("whatssound_realtime_events_last_minute", event="notification") == 3, "one per notification"
    assert value("whatssound_sms_last_hour", outcome="sent", reason="") == 2
    assert value("whatssound_sms_last_hour", outcome="refused", reason="SMSPX") == 1
    assert value("whatssound_realtime_cycle_messages", kind="used") >= 1234
    assert value("whatssound_realtime_cycle_messages", kind="allowance") > 0
    assert value("whatssound_realtime_cycle_messages", kind="projected") >= value(
        "whatssound_realtime_cycle_messages", kind="used"
    )


def test_a_database_outage_is_a_series_not_an_error(fresh_db: FreshDb) -> None:
    app = create_app(Settings(database_url=SecretStr("postgresql://postgres:postgres@127.0.0.1:1/none"),
                              environment="test", periodic_tasks=False, db_connect_timeout_s=0.5))  # fmt: skip
    with TestClient(app) as client:
        series = scrape(client)
    assert series[("whatssound_database_up", ())] == 0
    assert not any(name.startswith("whatssound_push") for name, _ in series)
    pool = (("pool", "service"),)
    assert series[("whatssound_db_pool_requests_errors_total", pool)] >= 1, "the scrape's own timeout counts"
    assert series[("whatssound_db_pool_connections_errors_total", pool)] >= 1
    assert series[("whatssound_db_pool_available", pool)] == 0
    assert series[("process_open_fds", ())] > 0, "the process series need no database"


def scrape_until(client: TestClient, done: Callable[[Series], bool], timeout_s: float = 15.0) -> Series:
    """Scrape until ``done`` holds (pools open their connections in the background)."""
    deadline = time.monotonic() + timeout_s
    series = scrape(client)
    while not done(series) and time.monotonic() < deadline:
        time.sleep(0.1)
        series = scrape(client)
    return series


def test_the_process_and_the_service_pool(fresh_db: FreshDb) -> None:
    settings = Settings(database_url=SecretStr(fresh_db.url()), environment="test", periodic_tasks=False,
                        db_pool_min_size=2, db_pool_max_size=3)  # fmt: skip
    with TestClient(create_app(settings)) as client:
        pool = (("pool", "service"),)
        series = scrape_until(client, lambda s: s.get(("whatssound_db_pool_size", pool), 0) >= 2)
    assert series[("process_open_fds", ())] > 0
    assert series[("process_max_fds", ())] >= series[("process_open_fds", ())]
    assert series[("process_resident_memory_bytes", ())] > 10 * 2**20  # Python with FastAPI and psycopg
    assert series[("process_cpu_seconds_total", ())] > 0
    assert time.time() - 86400 < series[("process_start_time_seconds", ())] <= time.time()  # this pytest
    assert series[("whatssound_db_pool_min_size", pool)] == 2
    assert series[("whatssound_db_pool_max_size", pool)] == 3
    assert 2 <= series[("whatssound_db_pool_size", pool)] <= 3, "between its bounds"
    assert 0 <= series[("whatssound_db_pool_available", pool)] <= series[("whatssound_db_pool_size", pool)]
    assert series[("whatssound_db_pool_requests_waiting", pool)] == 0
    assert series[("whatssound_db_pool_requests_total", pool)] >= 1, "this scrape's own read"
    assert series[("whatssound_db_pool_connections_total", pool)] >= 2
    assert series[("whatssound_db_pool_usage_seconds_total", pool)] > 0
    for counter in ("requests_errors", "connections_errors", "connections_lost", "returns_bad"):
        assert series[(f"whatssound_db_pool_{counter}_total", pool)] == 0, counter
    assert not any(labels == (("pool", "jobs"),) for _, labels in series), "no worker in this process"
    runbook = (paths.REPO_ROOT / "docs" / "runbook.md").read_text()
    own = {name for name, _ in series if name.startswith(("process_", "whatssound_db_pool_"))}
    assert {name for name in own if f"`{name}`" not in runbook} == set(), "documented in the runbook"


def test_the_in_process_job_workers_pool(fresh_db: FreshDb) -> None:
    settings = Settings(database_url=SecretStr(fresh_db.url()), environment="test", job_concurrency=1)
    with TestClient(create_app(settings)) as client:
        jobs = (("pool", "jobs"),)
        series = scrape_until(client, lambda s: ("whatssound_db_pool_size", jobs) in s)
    assert series[("whatssound_db_pool_max_size", jobs)] == 4, "queue.make_app's pool_size"
    assert 1 <= series[("whatssound_db_pool_size", jobs)] <= 4
    assert series[("whatssound_db_pool_requests_total", jobs)] >= 1, "the worker fetches jobs through it"
    assert series[("whatssound_db_pool_max_size", (("pool", "service"),))] == 10, "the default"
