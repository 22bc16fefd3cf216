"""`make bench --suite liveness` (issue 22): how long until each listener can have each event, in
rooms of 5 to 10,000 present listeners, in a young app and in the reference month.

Rooms of 5, 20, 21, 50, 200 and 1,000 listeners (live at once), then a room of 10,000 on its own,
arrive over the ramp and
then live for the measured window, every action a real RPC as PostgREST calls it (the simulator,
at its reference rates, but for votes and requests at about three times theirs in rooms up to
1,000 so that small rooms have samples, with a DJ who also
plays a track every 20 s, pins an announcement every 15 s and removes a message every 12 s, so
every kind of event is sampled often). 40 % of the apps are in the foreground:
in push rooms they are the subscribers; in pull rooms they poll (a dozen probe pollers per crowd
in the simulator, the rest of the crowd's polls offered at their rate by pgbench); in a cdn room
(the 10,000: public, from realtime_cdn_min_listeners) they read its per-slot files by URL (a dozen
probe apps in the simulator reading the origin, a moto S3 server standing in for Storage,
bench/frames.py; the rest of the crowd reads the CDN in production and offers no load here), and
the cdn lane's publisher runs as in the service.

"Available to the client" is measured as the issue defines it: a broadcast from the moment its
sender's RPC was due until its insert can be decoded from the WAL by a logical replication slot
(as Realtime reads realtime.messages; bench/wal.py); a polled event until a probe's poll or
file read returns it. Each event kind is matched to the entry that carries it (the event itself, or the
tick that carries its current state). The month regime seeds private.realtime_usage with the
reference month's daily usage (so pacing is in its steady state) before the same run.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg

from bench import frames, pollload, report, wal
from whatssound_svc.lab.capacity import workload as month_model
from whatssound_svc.lab.simulate import engine, history, plan
from whatssound_svc.lab.simulate import report as figures_of
from whatssound_svc.lab.simulate import run as simrun
from whatssound_svc.local.cluster import LocalCluster


@dataclass(frozen=True)
class Config:
    """What is measured: room sizes, the arrival ramp, the measured window, probes per crowd.
    WHATSSOUND_LIVENESS_ROOMS (groups separated by ';', sizes by ','), _RAMP and _SECONDS shrink a
    run for a quick check of the harness; the documented figures use the defaults."""

    #: Rooms live at once, group by group; the event's room (10,000 simulated listeners) on its own.
    groups: tuple[tuple[int, ...], ...] = ((5, 20, 21, 50, 200, 1_000), (10_000,))
    ramp_s: float = 60.0
    measure_s: float = 120.0
    probes: int = 12

    @classmethod
    def from_env(cls) -> Config:
        rooms = os.environ.get("WHATSSOUND_LIVENESS_ROOMS")
        groups = tuple(tuple(int(n) for n in g.split(",")) for g in rooms.split(";")) if rooms else cls.groups
        return cls(
            groups=groups,
            ramp_s=float(os.environ.get("WHATSSOUND_LIVENESS_RAMP", cls.ramp_s)),
            measure_s=float(os.environ.get("WHATSSOUND_LIVENESS_SECONDS", cls.measure_s)),
        )


RATES = plan.Rates(dj_track_s=20.0, announce_every_s=15.0, delete_every_s=12.0)
#: Up to 1,000 listeners, votes and requests at about three times the reference rates, so small
#: rooms have samples too (the event's room has plenty at the reference rates).
SAMPLED_RATES = dataclasses.replace(RATES, vote=0.5, request=0.08)
KINDS = ("chat", "vote", "request", "now_playing", "announcement", "deleted")
AT_ONCE = ("now_playing", "announcement", "deleted")
TITLE = "Liveness: until each listener can have each event (rooms of 5 to 10,000, two regimes)"
#: The goals (issue 22), p95 in ms: by room size for chat, tallies and requests; at-once events
#: everywhere; the DJ's team (staff lane) everywhere.
GOALS = {"small": 100.0, "crowd": 2_000.0, "huge": 5_000.0, "at_once": 1_000.0, "team": 250.0}


def size_class(listeners: int) -> str:
    return "small" if listeners <= 20 else "crowd" if listeners <= 1_000 else "huge"


def _alongside(cluster: LocalCluster, config: Config, state: dict[str, Any]) -> engine.Alongside:
    """The WAL decoding for the whole run, and the crowds' polls for the measured window."""
    polls = pollload.alongside(cluster, start_after_s=config.ramp_s + 2, seconds=config.measure_s - 4,
                               probes=config.probes, foreground_share=RATES.foreground_share, state=state)  # fmt: skip

    @contextlib.asynccontextmanager
    async def probes(run: simrun.Run) -> AsyncIterator[None]:
        with wal.decoding(cluster) as decoded:
            state["decoded"] = decoded
            async with polls(run):
                yield

    return probes


def _keys(event: str, data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """What an entry lets a client see: (kind, id) or (kind, item, tally)."""
    if event == "tick":
        found: list[tuple[Any, ...]] = [("chat", m["id"]) for m in data["chat"]]
        found += [("request", q["id"]) for q in data["queue"] if q["status"] == "queued"]
        found += [("vote", q["id"], q["upvotes"]) for q in data["queue"]]
        found += [("vote", v["item_id"], v["upvotes"]) for v in data["votes"]]
        for e in data["events"]:  # a staff lane's tick
            found += _keys(e["event"], e["data"])
        return found
    if event == "chat.message":
        return [("chat", data["id"])]
    if event == "queue.item":
        return [("request", data["id"])] if data["status"] == "queued" else []
    if event == "queue.votes":
        return [("vote", data["item_id"], data["upvotes"])]
    single = {"now_playing": ("now_playing", "id"), "session.announcement": ("announcement", "body"),
              "chat.deleted": ("deleted", "id")}  # fmt: skip
    return [(single[event][0], data[single[event][1]])] if event in single else []


Carriers = dict[str, dict[tuple[Any, ...], list[tuple[int, bool, float]]]]
#: Per topic, each tick's queue top: (seconds into the run, the ids it shows).
Tops = dict[str, list[tuple[float, set[str]]]]


def _carriers(url: str, run: simrun.Run) -> tuple[Carriers, Tops]:
    """Per topic: each key -> the entries carrying it, (seq, sent, seconds into the run), in order;
    and each tick's top of the queue. A vote is carried by any entry showing its item at that
    tally or more."""
    topics = [t for room in run.rooms for t in (room.topic, f"staff:{room.session_id}")]
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select topic, seq, event, payload -> 'data', sent, extract(epoch from created_at - %s)::float8"
            " from private.realtime_log where topic = any(%s) and created_at >= %s order by topic, seq",
            (run.started_at, topics, run.started_at),
        ).fetchall()
    carriers: Carriers = defaultdict(dict)
    tops: Tops = defaultdict(list)
    tallies: dict[tuple[str, str], list[tuple[int, int, bool, float]]] = defaultdict(list)
    for topic, seq, event, data, sent, at in rows:
        if event == "tick" and data.get("top") is not None:
            tops[topic].append((at, set(data["top"])))
        for key in _keys(event, data):
            if key[0] == "vote":
                tallies[(topic, key[1])].append((seq, key[2], sent, at))
            else:
                carriers[topic].setdefault(key, []).append((seq, sent, at))
    for (topic, item), shown in tallies.items():
        best = 0
        for seq, upvotes, sent, at in shown:
            for v in range(best + 1, upvotes + 1):
                carriers[topic].setdefault(("vote", item, v), []).append((seq, sent, at))
            best = max(best, upvotes)
    return carriers, tops


def _on_screen(tops: list[tuple[float, set[str]]], item: str, at: float) -> bool:
    """Whether a crowd's screen shows the item: the first tick's top after the vote has it."""
    return next((item in top for when, top in tops if when >= at), True)


def latencies(url: str, run: simrun.Run, decoded: wal.Decoded, config: Config) -> dict[str, Any]:
    """Per room and kind, and for each room's DJ, the milliseconds until each event sent in the
    measured window was available: one value per broadcast, one per probe for a polled entry."""
    carriers, tops = _carriers(url, run)
    window = (config.ramp_s + 5, config.ramp_s + config.measure_s - 5)
    rooms: list[dict[str, Any]] = [
        {"listeners": r.size, "mode": r.mode, "kinds": defaultdict(list), "team": [], "not_carried": defaultdict(int)}
        for r in run.rooms
    ]  # fmt: skip

    def available(topic: str, key: tuple[Any, ...], at: float) -> list[float] | None:
        found = [e for e in carriers.get(topic, {}).get(key, []) if e[2] >= at - 0.5]
        if not found:
            return None
        seq, sent, _ = found[0]
        if sent:
            when = decoded.at.get((topic, seq))
            return [] if when is None else [(when - run.started - at) * 1000]
        return [(s - at) * 1000 for s in run.seen.at.get((topic, seq), []) if s >= at]

    for key, (index, at) in run.sent.items():
        if not window[0] <= at <= window[1] or key[0] not in KINDS:
            continue
        room, out = run.rooms[index], rooms[index]
        if key[0] == "vote" and room.mode != "push" and not _on_screen(tops[room.topic], str(key[1]), at):
            out["not_carried"]["vote below the top"] += 1  # a crowd's ticks show the snapshot's top
            continue
        values = available(room.topic, key, at)
        if values is None:
            out["not_carried"][key[0]] += 1  # e.g. a vote on an item below a crowd's top
        else:
            out["kinds"][key[0]] += values
        if key[0] in {"chat", "request"}:  # what the DJ's team must see: its lane, or a push room itself
            team = available(f"staff:{room.session_id}", key, at) if room.mode != "push" else values
            out["team"] += team or []
    return {str(i): r for i, r in enumerate(rooms)}


def _p(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 1) if values else None


def summarise(lat: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for room in lat.values():
        row = {"listeners": room["listeners"], "mode": room["mode"]}
        for kind in KINDS:
            values = room["kinds"].get(kind, [])
            row[kind] = {"n": len(values), "p50": _p(values, 50), "p95": _p(values, 95)}
        row["team"] = {"n": len(room["team"]), "p50": _p(room["team"], 50), "p95": _p(room["team"], 95)}
        row["not_carried"] = dict(room["not_carried"])
        rows.append(row)
    return rows


def _verdict(row: dict[str, Any]) -> str:
    """yes / **no** against the goals, for the kinds that had samples in the window (— otherwise)."""
    goal = GOALS[size_class(row["listeners"])]
    limits = {"chat": goal, "vote": goal, "request": goal, "team": GOALS["team"]}
    limits |= {k: GOALS["at_once"] for k in AT_ONCE}
    measured = [k for k in limits if row[k]["n"]]
    ok = all(row[k]["p95"] <= limits[k] for k in measured)
    return ("yes" if ok else "**no**") + ("" if len(measured) == len(limits) else " (— not sampled)")


def _run_regime(
    cluster: LocalCluster, config: Config, rooms: tuple[int, ...], regime: str, month: dict[str, float]
) -> dict[str, Any]:
    with psycopg.connect(cluster.url()) as conn:
        if regime == "month":
            history.seed_month(conn, month)
        else:
            conn.execute("delete from private.realtime_usage")
        pacing = conn.execute("select listener_budget, projected from private.rt_pacing()").fetchone()
    workload = plan.Workload(room_sizes=rooms, duration_s=config.ramp_s + config.measure_s,
                             ramp_s=config.ramp_s, seed=22, poll_limit=config.probes,
                             rates=SAMPLED_RATES if max(rooms) <= 1_000 else RATES)  # fmt: skip
    actions = plan.schedule(workload)
    state: dict[str, Any] = {}
    with frames.served(cluster.url()) as store:
        run = asyncio.run(engine.execute(cluster.url(), workload, actions=actions,
                                         alongside=_alongside(cluster, config, state), frames=store))  # fmt: skip
    figures = figures_of.summarise(cluster.url(), run, actions)
    lat = latencies(cluster.url(), run, state["decoded"], config)
    polls, lost = state.get("polls", ([], 0))
    floor, _ = state.get("floor", ([], 0))
    return {
        "rooms": list(rooms), "regime": regime, "listener_budget": pacing[0] if pacing else None,
        "rows": summarise(lat), "figures": figures,
        "polls": {"n": len(polls), "lost": lost, "p50": _p(polls, 50), "p95": _p(polls, 95),
                  "per_second": round(state.get("offered_per_second", 0.0), 1)},
        "floor": {"n": len(floor), "p50": _p(floor, 50), "p95": _p(floor, 95)},
        "files": {"read": run.seen.files, "missing": run.seen.missing_files, "probe_polls": run.seen.polls},
    }  # fmt: skip


def _cell(cell: dict[str, Any]) -> str:
    if not cell["n"]:
        return "—"
    return f"{cell['p50']:,.0f} / {cell['p95']:,.0f}"


def _table(result: dict[str, Any]) -> list[str]:
    lines = [
        "| Room | Mode | Chat line | Vote tally | New request | Now playing | Announcement | Moderation "
        "| DJ's team (lane) | Meets the goals |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in result["rows"]:
        cells = " | ".join(_cell(row[k]) for k in KINDS)
        lines.append(f"| {row['listeners']:,} | {row['mode']} | {cells} | {_cell(row['team'])} "
                     f"| {_verdict(row)} |")  # fmt: skip
    return lines


def run(cluster: LocalCluster) -> None:
    """`make bench` entry: each group of rooms in both regimes on one cluster, then the section and
    the raw figures."""
    config = Config.from_env()
    month = month_model.reference_usage_per_day()
    regimes = os.environ.get("WHATSSOUND_LIVENESS_REGIMES", "young,month").split(",")
    results = [
        _run_regime(cluster, config, rooms, regime, month) for rooms in config.groups for regime in regimes
    ]
    with psycopg.connect(cluster.url()) as conn:
        version = str(conn.execute("show server_version").fetchone()[0])  # type: ignore[index]
    groups = " and ".join("(" + ", ".join(f"{n:,}" for n in g) + ")" for g in config.groups)
    body = [f"## {TITLE}", "", f"Measured {report.machine(version)}. Rooms of {groups} listeners, each group live "
            f"at once, on its own; ramp {config.ramp_s:.0f} s, then {config.measure_s:.0f} s measured. p50 / p95 ms "
            "until the event is available to the client (decodable from the WAL for a broadcast, returned by a poll "
            "or file read for a pulled entry). Goals (p95): every event 100 ms up to 20 listeners; chat, tallies and requests "
            "2 s up to 1,000, 5 s above; now playing, announcements, moderation 1 s; the DJ's team 250 ms. — : "
            "none in the window; votes on items below a crowd's top 50 are not on its screen and not counted.", ""]  # fmt: skip
    for result in results:
        rooms = ", ".join(f"{n:,}" for n in result["rooms"])
        body += [f"**{result['regime']} regime, rooms of {rooms}** (listener budget {result['listener_budget']:.1f}/min; "
                 f"polls {result['polls']['per_second']:,}/s offered beside the probes, p95 {result['polls']['p95']} ms; "
                 f"floor p95 {result['floor']['p95']} ms; database {result['figures']['db_cores_busy']} cores; "
                 f"probes' file reads {result['files']['read']:,}, missing {result['files']['missing']:,})", "",
                 *_table(result), ""]  # fmt: skip
    report.write_section("liveness", "\n".join(body), {"results": results})
