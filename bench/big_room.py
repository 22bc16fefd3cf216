"""One DJ session with 10,000 simulated listeners for 10 minutes, through the real RPCs
(`whatssound simulate`'s engine: PostgREST-shaped calls on a pool of 10 connections, offered on
schedule), next to a baseline run in the same process: small rooms of 5, 10, 15, 25 and 45
listeners (100 in all) for 2 minutes, whose per-room figures `whatssound cost` also fits. Quoted:
RPC latency and its ratio to the baseline, errors (intended and not), delivered realtime
messages per second against the project's 2,500/s, database CPU.

Environment: WHATSSOUND_BIG_ROOM_LISTENERS and WHATSSOUND_BIG_ROOM_SECONDS shrink the run for a
quick check (the documented figures use the defaults)."""

from __future__ import annotations

import asyncio
import os
import platform
from datetime import UTC, datetime
from typing import Any

import psycopg

from bench import report
from whatssound_svc.localpg import LocalCluster
from whatssound_svc.simulate import engine, plan
from whatssound_svc.simulate import report as figures_of

BASELINE_ROOMS = (45, 25, 15, 10, 5)
TITLE = "A packed room through the real RPCs (10,000 listeners for 10 minutes)"


def _simulate(url: str, sizes: tuple[int, ...], seconds: float, ramp_s: float) -> dict[str, Any]:
    workload = plan.Workload(room_sizes=sizes, duration_s=seconds, ramp_s=ramp_s, seed=10)
    actions = plan.schedule(workload)
    run = asyncio.run(engine.execute(url, workload, actions=actions))
    return figures_of.summarise(url, run, actions)


def _version(url: str) -> str:
    with psycopg.connect(url) as conn:
        return str(conn.execute("show server_version").fetchone()[0])  # type: ignore[index]


def _row(name: str, f: dict[str, Any], base: dict[str, Any] | None) -> str:
    lat, per = f["latency"], f["per_listener_minute"]
    ratio = f" (x{lat['p95_ms'] / base['latency']['p95_ms']:.1f})" if base else ""
    errors = ", ".join(f"{c} {n}" for c, n in sorted(f["errors"].items())) or "none"
    return (
        f"| {name} | {f['calls']:,} ({f['calls'] / f['workload']['duration_s']:.0f}/s) "
        f"| {lat['p50_ms']:.1f} / {lat['p95_ms']:.1f}{ratio} / {lat['p99_ms']:.1f} | {errors} "
        f"| {sum(f['unexpected_errors'].values())} | {f['shed']} "
        f"| {f['realtime']['delivered'] / f['workload']['duration_s']:,.0f} / {f['peaks']['delivered_per_second']:,} "
        f"| {per['delivered_messages']:.1f} | {f['db_cores_busy'] if f['db_cores_busy'] is not None else 'n/a'} |"
    )


def run(cluster: LocalCluster) -> None:
    """`make bench` entry: baseline, then the big room; writes the section and the raw figures."""
    listeners = int(os.environ.get("WHATSSOUND_BIG_ROOM_LISTENERS", "10000"))
    seconds = float(os.environ.get("WHATSSOUND_BIG_ROOM_SECONDS", "600"))
    base = _simulate(cluster.url(), BASELINE_ROOMS, min(120.0, seconds), 10.0)
    big = _simulate(cluster.url(), (listeners,), seconds, 60.0)
    by_kind = big["latency_by_kind"]
    body = "\n".join([
        f"## {TITLE}",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} cores, {platform.machine()}, PostgreSQL "
        f"{_version(cluster.url())}, fsync on. Database, simulator and maintenance share the machine. "
        f"Big room: {listeners:,} listeners arriving over 60 s, {seconds:.0f} s; baseline: 100 listeners, "
        f"{min(120.0, seconds):.0f} s, same rates (simulate defaults: chat 0.2/min at 20 listeners falling "
        "with the square root of the room, votes 0.15/min, requests 0.025/min, a drop-off every 20 min, "
        "heartbeats every 30 s, the DJ advancing every 3 min, a moderator timeout every 10 min).",
        "",
        "| Run | RPCs | Latency p50 / p95 (x baseline) / p99 ms | Errors (all) | Unexpected | Shed | Delivered msgs/s mean / peak second | Delivered per listener-minute | DB cores busy |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|",
        _row("baseline: 5 small rooms, 100 listeners", base, None),
        _row(f"{listeners:,} listeners", big, base),
        "",
        "Latency by call in the big room (p50 / p95 / p99 ms): "
        + "; ".join(f"{k} {v['p50_ms']:.0f} / {v['p95_ms']:.0f} / {v['p99_ms']:.0f}" for k, v in by_kind.items())
        + ".",
        "",
        "Delivered messages are counted as Supabase bills them: each broadcast reaches everyone then in "
        "the room, + 1. The project limit is 2,500/s (Pro without spend cap).",
        "",
    ])  # fmt: skip
    report.write_section("big-room", body, {"baseline": base, "big_room": big})
