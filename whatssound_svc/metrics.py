"""``/metrics`` in Prometheus text format.

Two kinds of series. The service itself is measured in-process: its HTTP traffic (latency
histogram and count per method, route template and status), the process (prometheus_client's
standard ``process_*`` series: memory, CPU, file descriptors, start time; Linux only) and its
connection pools (``whatssound_db_pool_*`` from psycopg_pool's ``get_stats()``, per pool: the
service's, and the in-process job worker's while it runs). Everything the database knows (webhook
events, the job queue, push deliveries, realtime broadcasts, media) is read from it at scrape time, so
the figures are the same whichever instance answers and however many workers did the work; they
are gauges over stated windows (the last hour, the last minute), ready for ratios in alerts
(ops/alerts.yml). If the database cannot be read, ``whatssound_database_up`` is 0 and the
database series are absent.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable

import procrastinate
import psycopg
from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CollectorRegistry, Histogram, ProcessCollector, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from psycopg_pool import AsyncConnectionPool

logger = logging.getLogger(__name__)
router = APIRouter(tags=["metrics"])
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

#: (metric, help, labels, query): each query returns the label values then the value.
DATABASE_SERIES: list[tuple[str, str, list[str], str]] = [
    (
        "whatssound_webhook_events_last_hour",
        "Payment webhook events received in the last hour, by state.",
        ["provider", "event_type", "state"],
        "select provider, event_type, case when handled_at is not null then 'processed'"
        " when attempts > 0 then 'failing' else 'pending' end, count(*) from private.webhook_events"
        " where received_at > now() - interval '1 hour' group by 1, 2, 3",
    ),
    (
        "whatssound_job_queue_jobs",
        "Jobs per queue and status.",
        ["queue", "status"],
        "select queue, status, jobs from private.job_queue_health",
    ),
    (
        "whatssound_job_queue_oldest_due_seconds",
        "Age of the oldest job due and not started, per queue.",
        ["queue"],
        "select queue, coalesce(oldest_waiting_s, 0) from private.job_queue_health where status = 'todo'",
    ),
    (
        "whatssound_push_messages_last_hour",
        "Push messages queued in the last hour, by status and Expo error.",
        ["status", "error"],
        "select status::text, coalesce(error, ''), count(*) from private.push_messages"
        " where created_at > now() - interval '1 hour' group by 1, 2",
    ),
    (
        "whatssound_push_given_up_last_15_minutes",
        "Pushes given up in the last 15 minutes: failed (retries exhausted or refused), expired (past"
        " their useful life) or unknown (their worker died waiting for Expo), by status and error.",
        ["status", "error"],
        "select status::text, coalesce(error, ''), count(*) from private.push_messages"
        " where claimed_at > now() - interval '15 minutes' and status in ('failed', 'expired', 'unknown')"
        " group by 1, 2",
    ),
    (
        "whatssound_push_oldest_waiting_seconds",
        "Age of the oldest push due or retrying and not yet answered (0 if none): grows in an Expo outage.",
        [],
        "select coalesce(extract(epoch from now() - min(created_at)), 0) from private.push_messages"
        " where status in ('queued', 'sending') and (attempts > 0 or not_before <= now())",
    ),
    (
        "whatssound_push_receipts_last_hour",
        "Push receipts read in the last hour, by result.",
        ["receipt"],
        "select receipt_status, count(*) from private.push_messages"
        " where receipt_checked_at > now() - interval '1 hour' group by 1",
    ),
    (
        "whatssound_realtime_events_last_minute",
        "Realtime broadcasts emitted in the last minute, by event.",
        ["event"],
        "select event, count(*) from private.realtime_log"
        " where created_at > now() - interval '1 minute' group by 1",
    ),
    (
        "whatssound_realtime_undelivered_last_minute",
        "Broadcasts logged as sent in the last minute that never reached realtime.messages (lost), by event.",
        ["event"],
        "select event, events from private.realtime_undelivered",
    ),
    (
        "whatssound_media_items",
        "Audio assets per status and original backups per state.",
        ["kind", "state"],
        "select kind, state, items from private.media_health",
    ),
    (
        "whatssound_media_oldest_seconds",
        "How long the oldest audio asset or backup has been in its state.",
        ["kind", "state"],
        "select kind, state, oldest_s from private.media_health",
    ),
    (
        "whatssound_sms_last_hour",
        "OTP texts the send-SMS hook was asked for in the last hour, by outcome and refusal reason"
        " (SMS pumping).",
        ["outcome", "reason"],
        "select outcome, coalesce(reason, ''), count(*) from private.sms_sends"
        " where created_at > now() - interval '1 hour' group by 1, 2",
    ),
    (
        "whatssound_realtime_cycle_messages",
        "Realtime messages this billing cycle: used, projected to its end (the last 7 days' pace), and the"
        " allowance (realtime_monthly_messages).",
        ["kind"],
        "select k, v from private.rt_pacing() as p, lateral (values ('used', p.used::double precision),"
        " ('projected', p.projected), ('allowance', p.monthly_messages::double precision)) as x (k, v)",
    ),
]


#: (get_stats() key, metric, help) per pool: gauges read now, then counters since the pool was made
#: (``_total`` is added; ``_ms`` keys are exposed in seconds). get_stats(), not pop_stats(): counters
#: never reset, whoever scrapes.
POOL_GAUGES: list[tuple[str, str, str]] = [
    ("pool_min", "whatssound_db_pool_min_size", "Connections the pool keeps open at least (setting)."),
    ("pool_max", "whatssound_db_pool_max_size", "Connections the pool may open at most (setting)."),
    ("pool_size", "whatssound_db_pool_size", "Connections the pool holds now: idle, lent out or opening."),
    ("pool_available", "whatssound_db_pool_available", "Idle connections, ready to lend."),
    ("requests_waiting", "whatssound_db_pool_requests_waiting", "Requests queued for a connection now."),
]
POOL_COUNTERS: list[tuple[str, str, str]] = [
    ("requests_num", "whatssound_db_pool_requests", "Connections asked of the pool."),
    ("requests_queued", "whatssound_db_pool_requests_queued", "Requests that had to queue (none idle)."),
    ("requests_errors", "whatssound_db_pool_requests_errors",
     "Requests that got no connection: timed out (or were cancelled) waiting in the queue."),
    ("requests_wait_ms", "whatssound_db_pool_requests_wait_seconds", "Time requests spent queued."),
    ("usage_ms", "whatssound_db_pool_usage_seconds", "Time connections spent lent out."),
    ("connections_num", "whatssound_db_pool_connections", "Connections the pool tried to open."),
    ("connections_errors", "whatssound_db_pool_connections_errors", "Connections the pool failed to open."),
    ("connections_lost", "whatssound_db_pool_connections_lost",
     "Connections found broken when checked before lending (server restart, network)."),
    ("returns_bad", "whatssound_db_pool_returns_bad",
     "Connections given back unusable (closed, or in a transaction) and discarded."),
]  # fmt: skip


def pool_families(pools: dict[str, AsyncConnectionPool]) -> list[Metric]:
    """The ``whatssound_db_pool_*`` series, labelled ``pool``."""
    families: list[tuple[str, GaugeMetricFamily | CounterMetricFamily]] = [
        *((key, GaugeMetricFamily(name, text, labels=["pool"])) for key, name, text in POOL_GAUGES),
        *((key, CounterMetricFamily(name, text, labels=["pool"])) for key, name, text in POOL_COUNTERS),
    ]
    for label, pool in pools.items():
        stats = pool.get_stats()
        for key, family in families:
            family.add_metric([label], stats.get(key, 0) / (1000 if key.endswith("_ms") else 1))
    return [family for _, family in families]


def open_pools(app: FastAPI) -> dict[str, AsyncConnectionPool]:
    """The service's pool, and the job worker's while one runs in this process (its own pool)."""
    pools = {"service": app.state.pool}
    connector = app.state.jobs.connector
    if isinstance(connector, procrastinate.PsycopgConnector):
        with contextlib.suppress(procrastinate.exceptions.AppNotOpen):
            pools["jobs"] = connector.pool
    return pools


class _Snapshot(Collector):
    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return self.families


async def database_families(pool: AsyncConnectionPool) -> list[Metric]:
    """The database series, read in one short read-only transaction."""
    up = GaugeMetricFamily("whatssound_database_up", "Whether /metrics could read the database.")
    families: list[Metric] = []
    try:
        async with pool.connection(timeout=2.0) as conn, conn.transaction():
            await conn.execute("set transaction read only")
            for name, help_text, labels, query in DATABASE_SERIES:
                family = GaugeMetricFamily(name, help_text, labels=labels)
                for row in await (await conn.execute(query)).fetchall():
                    family.add_metric([str(v) for v in row[:-1]], float(row[-1]))
                families.append(family)
    except (psycopg.Error, TimeoutError) as exc:
        logger.warning("metrics: database unreadable: %s", type(exc).__name__)
        up.add_metric([], 0)
        return [up]
    up.add_metric([], 1)
    return [up, *families]


class HttpMetrics:
    """Per-app in-process series, HTTP and ``process_*`` (an app per registry: tests build many apps)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        ProcessCollector(registry=self.registry)
        self.duration = Histogram(
            "whatssound_http_request_duration_seconds", "HTTP request latency by method, route and status.",
            ["method", "route", "status"], registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
        )  # fmt: skip

    async def observe(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        template = getattr(route, "path", "unmatched")  # the template, never the raw path (bounded labels)
        self.duration.labels(request.method, template, str(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus scrape endpoint."""
    http: HttpMetrics = request.app.state.http_metrics
    snapshot = CollectorRegistry(auto_describe=False)
    database = await database_families(request.app.state.pool)  # first: its own request is counted
    snapshot.register(_Snapshot([*pool_families(open_pools(request.app)), *database]))
    return Response(generate_latest(http.registry) + generate_latest(snapshot), media_type=CONTENT_TYPE)
