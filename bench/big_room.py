"""One DJ session with 10,000 simulated listeners for 10 minutes, through the real RPCs
(`whatssound simulate`'s engine: PostgREST-shaped calls on a pool of 10 connections, offered on
schedule), next to a baseline run in the same process: small rooms of 5, 10, 15, 25 and 45
listeners (100 in all) for 2 minutes, whose per-room figures `whatssound cost` also fits. The
big room is a pull room: 40 % of its apps poll every poll_ms, a dozen through the simulator and
the rest offered at their rate by pgbench once the crowd is in (bench/pollload.py), so its
database CPU is the crowd's. Quoted: RPC latency and its ratio to the baseline, errors (intended
and not), delivered realtime messages per second against the project's 2,500/s, polls, database
CPU.

Environment: WHATSSOUND_BIG_ROOM_LISTENERS and WHATSSOUND_BIG_ROOM_SECONDS shrink the run for a
quick check (the documented figures use the defaults)."""

from __future__ import annotations

import asyncio
import os
import platform
from datetime import UTC, datetime
from typing import Any

import psycopg

from bench import pollload, report
from whatssound_svc.lab.simulate import engine, plan
from whatssound_svc.lab.simulate import report as figures_of
from whatssound_svc.local.cluster import LocalCluster

BASELINE_ROOMS = (45, 25, 15, 10, 5)
TITLE = "A packed room through the real RPCs (10,000 listeners for 10 minutes)"


PROBES = 12


def _simulate(cluster: LocalCluster, sizes: tuple[int, ...], seconds: float, ramp_s: float, *,
              crowd_load: bool) -> dict[str, Any]:  # fmt: skip
    url = cluster.url()
    workload = plan.Workload(room_sizes=sizes, duration_s=seconds, ramp_s=ramp_s, seed=10,
                             poll_limit=PROBES if crowd_load else None)  # fmt: skip
    actions = plan.schedule(workload)
    state: dict[str, Any] = {}
    alongside = pollload.alongside(cluster, start_after_s=ramp_s + 2, seconds=seconds - ramp_s - 4, probes=PROBES,
                                   foreground_share=workload.rates.foreground_share, state=state)  # fmt: skip
    run = asyncio.run(
        engine.execute(url, workload, actions=actions, alongside=alongside if crowd_load else None)
    )
    figures = figures_of.summarise(url, run, actions)
    if crowd_load:
        polls, lost = state["polls"]
        figures["offered_polls"] = {
            "per_second": round(state["offered_per_second"], 1), "completed": len(polls), "lost": lost,
            "p50_ms": round(sorted(polls)[len(polls) // 2], 2) if polls else None,
            "p95_ms": round(sorted(polls)[int(len(polls) * 0.95)], 2) if polls else None,
        }  # fmt: skip
    return figures


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
    base = _simulate(cluster, BASELINE_ROOMS, min(120.0, seconds), 10.0, crowd_load=False)
    big = _simulate(cluster, (listeners,), seconds, 60.0, crowd_load=True)
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
        "Delivered messages are counted as Supabase bills them: each broadcast reaches its subscribers "
        "then (foreground apps of push rooms; the DJ's team on a crowd's staff lane), + 1. The project "
        "limit is 2,500/s (Pro without spend cap). The crowd's polls: "
        f"{big['offered_polls']['per_second']:,.0f}/s offered by pgbench beside the simulator's "
        f"{big['calls_by_kind'].get('poll', 0):,} probe polls, p50 {big['offered_polls']['p50_ms']} / p95 "
        f"{big['offered_polls']['p95_ms']} ms.",
        "",
    ])  # fmt: skip
    report.write_section("big-room", body, {"baseline": base, "big_room": big})
