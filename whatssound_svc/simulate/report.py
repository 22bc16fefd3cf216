"""What a run cost, counted the way Supabase bills it.

Delivered realtime messages come from ``private.realtime_log``: a broadcast to a topic with N
subscribers is N + 1 messages (1 sent, N received). A session topic's subscribers at sending time
are the simulated people then in the room (the app subscribes on joining); a ``user:`` topic has
one. (The log's own ``recipients`` column is the room's listener count, refreshed every few
seconds, which is what the budget uses; it lags joins, so it is not used for billing here.)
Listener-minutes come from the schedule's presence intervals (what was offered); the subscribers
behind each delivered message are those whose join had succeeded, so an overloaded machine shows
as latency, shed calls and errors, which the figures report beside them.
Database CPU is the PostgreSQL processes' CPU time (Linux ``/proc``), where readable.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from typing import Any

import numpy as np
import psycopg

from whatssound_svc.simulate import plan
from whatssound_svc.simulate.engine import INTENDED, Room, Run


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds (zeros when there is nothing to measure)."""
    if not values:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0}
    p50, p95, p99 = np.percentile(np.array(values) * 1000, [50, 95, 99])
    return {"p50_ms": round(float(p50), 2), "p95_ms": round(float(p95), 2), "p99_ms": round(float(p99), 2)}


def listener_minutes(actions: list[plan.Action], duration_s: float) -> float:
    """Minutes listeners were present according to the schedule (joins to leaves or the end)."""
    joined: dict[tuple[int, int], float] = {}
    total = 0.0
    for a in actions:
        if a.actor < 0:
            continue
        if a.kind == "join":
            joined[(a.room, a.actor)] = a.at
        elif a.kind == "leave" and (a.room, a.actor) in joined:
            total += a.at - joined.pop((a.room, a.actor))
    total += sum(duration_s - t for t in joined.values())
    return total / 60


class _Presence:
    """A room's subscriber count over the run (the app subscribes when it joins, unsubscribes when
    it leaves), answered by bisection."""

    def __init__(self, room: Room) -> None:
        changes = sorted(room.presence)
        self.times = [t for t, _ in changes]
        self.counts = list(itertools.accumulate((d for _, d in changes), initial=room.staff_present))

    def at(self, seconds: float) -> int:
        return self.counts[bisect.bisect_right(self.times, seconds)]

    def peak(self) -> int:
        return max(self.counts)


def realtime(url: str, run: Run) -> dict[str, Any]:
    """This run's broadcasts (its rooms' topics and its people's ``user:`` topics): per event and
    topic, delivered (each to the topic's subscribers at sending time, + 1), bytes received, and
    the busiest second."""
    rooms = {room.topic: _Presence(room) for room in run.rooms}
    people = [f"user:{p}" for room in run.rooms for p in (room.dj, room.moderator, *room.listeners) if p]
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select topic, event, extract(epoch from created_at - %s)::float8, octet_length(payload::text)"
            " from private.realtime_log where created_at >= %s and topic = any(%s) order by created_at",
            (run.started_at, run.started_at, [*rooms, *people]),
        ).fetchall()
    events: Counter[str] = Counter()
    emitted_by_topic: Counter[str] = Counter()
    delivered_by_topic: Counter[str] = Counter()
    delivered_by_event: Counter[str] = Counter()
    per_second: Counter[int] = Counter()
    bytes_out = 0
    for topic, event, at, octets in rows:
        presence = rooms.get(topic)
        receivers = presence.at(at) if presence else 1
        events[event] += 1
        emitted_by_topic[topic] += 1
        delivered_by_topic[topic] += receivers + 1
        delivered_by_event[event] += receivers + 1
        per_second[int(at)] += receivers + 1
        bytes_out += receivers * octets
    return {
        "emitted_by_event": dict(events), "delivered_by_event": dict(delivered_by_event),
        "emitted_by_topic": dict(emitted_by_topic),
        "delivered_by_topic": dict(delivered_by_topic), "delivered": sum(delivered_by_topic.values()),
        "bytes_delivered": bytes_out, "peak_delivered_per_second": max(per_second.values(), default=0),
        "peak_subscribers": sum(p.peak() for p in rooms.values()),
    }  # fmt: skip


def summarise(url: str, run: Run, actions: list[plan.Action]) -> dict[str, Any]:
    """The run's figures, as written to JSON for the benchmark docs and read by ``whatssound cost``."""
    rt = realtime(url, run)
    cpu_seconds = run.cpu_seconds
    errors: Counter[str] = sum((r.errors for r in run.rooms), Counter())
    calls = sum(sum(r.calls.values()) for r in run.rooms)
    joins = Counter(int(a.at) for a in actions if a.kind == "join")
    rooms = []
    by_room: dict[int, list[plan.Action]] = {}
    for a in actions:
        by_room.setdefault(a.room, []).append(a)
    minutes = 0.0
    for i, room in enumerate(run.rooms):
        topic = room.topic
        room_minutes = listener_minutes(by_room.get(i, []), run.workload.duration_s)
        minutes += room_minutes
        rooms.append({
            "listeners": room.size, "listener_minutes": round(room_minutes, 4), "calls": dict(room.calls),
            "errors": dict(room.errors),
            "latency": percentiles(room.latencies), "emitted": rt["emitted_by_topic"].get(topic, 0),
            "delivered": rt["delivered_by_topic"].get(topic, 0),
        })  # fmt: skip
    per_minute = max(minutes, 1e-9)
    return {
        "workload": {
            "room_sizes": list(run.workload.room_sizes),
            "duration_s": run.workload.duration_s,
            "seed": run.workload.seed,
        },
        "listener_minutes": round(minutes, 4),
        "calls": calls,
        "calls_by_kind": {k: len(v) for k, v in sorted(run.by_kind.items())},
        "latency": percentiles([x for v in run.by_kind.values() for x in v]),
        "latency_by_kind": {k: percentiles(v) for k, v in sorted(run.by_kind.items())},
        "errors": dict(errors),
        "unexpected_errors": {c: n for c, n in errors.items() if c not in INTENDED},
        "shed": run.shed,
        "crashed": run.crashed,
        "realtime": {
            k: v
            for k, v in rt.items()
            if k not in {"emitted_by_topic", "delivered_by_topic", "peak_subscribers"}
        },
        "per_listener_minute": {
            "rpcs": round(calls / per_minute, 3),
            "delivered_messages": round(rt["delivered"] / per_minute, 3),
            "egress_bytes": round((rt["bytes_delivered"] + run.response_bytes) / per_minute, 1),
            "rpc_response_bytes": round(run.response_bytes / per_minute, 1),
            "db_cpu_seconds": None if cpu_seconds is None else round(cpu_seconds / per_minute, 5),
        },
        "peaks": {
            "delivered_per_second": rt["peak_delivered_per_second"],
            "concurrent_subscribers": rt["peak_subscribers"],
            "channel_joins_per_second": max(joins.values(), default=0),
        },
        "db_cpu_seconds": cpu_seconds,
        "db_cores_busy": None if cpu_seconds is None else round(cpu_seconds / run.workload.duration_s, 3),
        "rooms": rooms,
    }
