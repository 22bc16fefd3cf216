"""What a run cost, counted the way Supabase bills it.

Delivered realtime messages come from ``private.realtime_log``: a broadcast to a topic with N
subscribers is N + 1 messages (1 sent, N received); entries only polled (a crowd's frames and
at-once events, ``sent`` false) are no messages at all, they are database reads. A session
topic's subscribers at sending time are the simulated apps then in the room in the foreground
(the app subscribes only there), and its DJ and moderator; a ``staff:`` topic's are the DJ and
the moderator; a ``user:`` topic has one. (The log's own ``recipients`` column is the database's
foreground count, refreshed every few seconds, which is what the budget uses; it lags, so it is
not used for billing here.) Listener-minutes come from the schedule's presence intervals (what
was offered); subscriber-minutes from the foreground apps of push rooms. An overloaded machine
shows as latency, shed calls and errors, which the figures report beside them. Database CPU is
the PostgreSQL processes' CPU time (Linux ``/proc``), where readable.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from typing import Any

import numpy as np
import psycopg

from whatssound_svc.lab.simulate import plan
from whatssound_svc.lab.simulate.engine import INTENDED
from whatssound_svc.lab.simulate.run import Room, Run


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
    """A room's subscribers over the run (foreground apps, and the DJ and moderator throughout),
    answered by bisection."""

    def __init__(self, room: Room) -> None:
        changes = sorted(room.presence)
        self.times = [t for t, _ in changes]
        self.counts = list(itertools.accumulate((d for _, d in changes), initial=room.staff_present))

    def at(self, seconds: float) -> int:
        return self.counts[bisect.bisect_right(self.times, seconds)]

    def peak(self) -> int:
        return max(self.counts)

    def minutes(self, duration_s: float) -> float:
        """Foreground listener-minutes (the DJ's team excluded)."""
        edges = [0.0, *self.times, duration_s]
        return (
            sum(
                (c - self.counts[0]) * max(0.0, min(b, duration_s) - a)
                for a, b, c in zip(edges, edges[1:], self.counts, strict=False)
            )
            / 60
        )


def realtime(url: str, run: Run) -> dict[str, Any]:
    """This run's broadcasts (its rooms' and staff lanes' topics and its people's ``user:``
    topics): per event and topic, delivered (each to the topic's subscribers at sending time, + 1),
    bytes received, and the busiest second; and what its crowds only polled."""
    rooms = {room.topic: _Presence(room) for room in run.rooms}
    staff = {f"staff:{room.session_id}": room.staff_present for room in run.rooms}
    people = [f"user:{p}" for room in run.rooms for p in (room.dj, room.moderator, *room.listeners) if p]
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select topic, event, extract(epoch from created_at - %s)::float8, octet_length(payload::text),"
            " sent from private.realtime_log where created_at >= %s and topic = any(%s) order by created_at",
            (run.started_at, run.started_at, [*rooms, *staff, *people]),
        ).fetchall()
    events: Counter[str] = Counter()
    emitted_by_topic: Counter[str] = Counter()
    delivered_by_topic: Counter[str] = Counter()
    delivered_by_event: Counter[str] = Counter()
    per_second: Counter[int] = Counter()
    polled: Counter[str] = Counter()
    personal = 0
    bytes_out = 0
    for topic, event, at, octets, sent in rows:
        events[event] += 1
        emitted_by_topic[topic] += 1
        if not sent:
            polled[event] += 1
            continue
        presence = rooms.get(topic)
        receivers = presence.at(at) if presence else staff.get(topic, 1)
        personal += 2 if topic.startswith("user:") else 0
        delivered_by_topic[topic.replace("staff:", "session:")] += receivers + 1
        delivered_by_event[event] += receivers + 1
        per_second[int(at)] += receivers + 1
        bytes_out += receivers * octets
    return {
        "emitted_by_event": dict(events), "delivered_by_event": dict(delivered_by_event),
        "polled_by_event": dict(polled), "emitted_by_topic": dict(emitted_by_topic),
        "delivered_by_topic": dict(delivered_by_topic), "delivered": sum(delivered_by_topic.values()),
        "personal_delivered": personal, "bytes_delivered": bytes_out,
        "peak_delivered_per_second": max(per_second.values(), default=0),
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
    minutes = foreground = polls = 0.0
    for i, room in enumerate(run.rooms):
        topic = room.topic
        room_minutes = listener_minutes(by_room.get(i, []), run.workload.duration_s)
        room_foreground = _Presence(room).minutes(run.workload.duration_s)
        minutes += room_minutes
        foreground += room_foreground
        polls += room.calls["poll"]
        rooms.append({
            "listeners": room.size, "mode": room.mode, "listener_minutes": round(room_minutes, 4),
            "foreground_minutes": round(room_foreground, 4), "calls": dict(room.calls),
            "response_bytes": dict(room.response_bytes), "errors": dict(room.errors),
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
        "foreground_minutes": round(foreground, 4),
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
            "polls": round(polls / per_minute, 3),
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
