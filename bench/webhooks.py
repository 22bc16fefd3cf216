"""Payment webhook intake under load: the service (uvicorn, one process) verifying Stripe
signatures and storing each event in the ledger, driven over real HTTP on loopback; then the
worker applying stored RevenueCat events. Senders and service share the machine's cores, so
these figures are a floor."""

from __future__ import annotations

import asyncio
import json
import logging
import statistics
import threading
import time
import uuid
from datetime import UTC, datetime

import httpx2
import psycopg
import stripe
import uvicorn
from pydantic import SecretStr

from bench import data, report
from whatssound_svc.app import create_app
from whatssound_svc.local.cluster import LocalCluster
from whatssound_svc.local.processes import free_port
from whatssound_svc.payments import intake
from whatssound_svc.payments.settings import PaymentSettings
from whatssound_svc.settings import Settings

TITLE = "Payment webhook intake"
SECRET = "whsec_bench_secret"  # noqa: S105 (a benchmark's throw-away signing secret)
SENDERS = 50
CLOSED_SECONDS = 15
OPEN_SECONDS = 15
WORKER_EVENTS = 5_000


def _deliveries(count: int) -> list[tuple[bytes, str]]:
    """Signed Stripe events, prepared before the clock starts (signing is the sender's cost)."""
    out = []
    for _ in range(count):
        body = json.dumps({
            "id": f"evt_{uuid.uuid4().hex[:24]}", "object": "event", "type": "payment_intent.succeeded",
            "created": int(time.time()), "livemode": True,
            "data": {"object": {"id": f"pi_{uuid.uuid4().hex[:24]}", "amount": 500, "currency": "usd"}},
        })  # fmt: skip
        out.append((body.encode(), stripe.WebhookSignature.generate_signature_header(body, SECRET)))
    return out


async def _closed_loop(base: str, deliveries: list[tuple[bytes, str]]) -> tuple[int, int]:
    """SENDERS senders as fast as answers come back for CLOSED_SECONDS: (stored, failed)."""
    stop = time.perf_counter() + CLOSED_SECONDS
    queue = iter(deliveries)
    ok = failed = 0
    async with httpx2.AsyncClient(base_url=base, timeout=30) as client:

        async def sender() -> None:
            nonlocal ok, failed
            while time.perf_counter() < stop:
                body, signature = next(queue)
                response = await client.post(
                    "/webhooks/stripe", content=body, headers={"stripe-signature": signature}
                )
                ok, failed = (ok + 1, failed) if response.status_code == 200 else (ok, failed + 1)

        await asyncio.gather(*(sender() for _ in range(SENDERS)))
    return ok, failed


async def _open_loop(base: str, deliveries: list[tuple[bytes, str]], rate: int) -> list[float]:
    """Deliveries offered at a fixed rate; latency counted from each one's scheduled time."""
    latencies: list[float] = []
    async with httpx2.AsyncClient(base_url=base, timeout=30) as client:

        async def one(scheduled: float, body: bytes, signature: str) -> None:
            await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
            await client.post("/webhooks/stripe", content=body, headers={"stripe-signature": signature})
            latencies.append((time.perf_counter() - scheduled) * 1000)

        start = time.perf_counter() + 0.5
        await asyncio.gather(*(
            one(start + i / rate, body, signature) for i, (body, signature) in enumerate(deliveries[: rate * OPEN_SECONDS])
        ))  # fmt: skip
    return latencies


def _worker_rate(admin_url: str) -> float:
    """RevenueCat renewals (one per existing user) applied per second by private.process_webhook_events."""
    data.users_and_room(admin_url, users=WORKER_EVENTS, present=0)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            f"""
            insert into private.webhook_events (provider, event_id, event_type, livemode, provider_created_at, payload)
            select 'revenuecat', 'bench-' || n, 'RENEWAL', true, now(), jsonb_build_object(
              'id', 'bench-' || n, 'type', 'RENEWAL', 'event_timestamp_ms', 1900000000000 + n,
              'app_user_id', {data.user_id_sql("n")}, 'entitlement_ids', jsonb_build_array('premium'),
              'expiration_at_ms', 1902592000000 + n)
            from generate_series(1, {WORKER_EVENTS}) as n
            """
        )
        started = time.perf_counter()
        while conn.execute("select private.process_webhook_events(500)").fetchone() != (0,):
            pass
        return WORKER_EVENTS / (time.perf_counter() - started)


def run(cluster: LocalCluster) -> None:
    """`make bench` entry: serve, measure, write the section of docs/benchmarks.md."""
    app = create_app(
        Settings(database_url=SecretStr(cluster.url()), environment="test", periodic_tasks=False)
    )
    app.dependency_overrides[intake.payment_settings] = lambda: PaymentSettings(
        stripe_webhook_secret=SecretStr(SECRET)
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    logging.getLogger("httpx2").setLevel(logging.WARNING)  # one INFO line per request would load the senders
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        ok, failed = asyncio.run(_closed_loop(base, _deliveries(40_000)))
        sustained = ok / CLOSED_SECONDS
        rate = max(1, int(sustained / 2))
        latencies = sorted(asyncio.run(_open_loop(base, _deliveries(rate * OPEN_SECONDS), rate)))
    finally:
        server.should_exit = True
        thread.join()
    worker = _worker_rate(cluster.admin_url)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    result: dict[str, object] = {"sustained_per_s": round(sustained, 1), "failed": failed, "open_rate": rate,
              "p50_ms": round(cuts[49], 2), "p99_ms": round(cuts[98], 2), "worker_events_per_s": round(worker, 1)}  # fmt: skip
    body = "\n".join([
        f"## {TITLE}",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d}: one uvicorn process (the service) and the senders on the same "
        f"machine, real HTTP on loopback, Stripe signatures verified by the stripe library, one ledger insert each.",
        "",
        "| Closed loop, 50 senders: stored/s | Failed | Open loop offered/s (half) | p50 ms | p99 ms | Worker: RevenueCat events applied/s |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {result['sustained_per_s']} | {failed} | {rate} | {result['p50_ms']} | {result['p99_ms']} | {result['worker_events_per_s']} |",
    ])  # fmt: skip
    report.write_section("webhooks", body, result)
