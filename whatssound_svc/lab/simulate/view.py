"""The simulator's live view (Rich): one row per room, refreshed every second, and the summary.

The live "delivered" column is the database's own count (each broadcast to the room's listener
count + 1, refreshed every few seconds); the summary counts exactly who was subscribed."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from rich.console import Group
from rich.live import Live
from rich.table import Table

from whatssound_svc.lab.simulate import plan
from whatssound_svc.lab.simulate.report import percentiles
from whatssound_svc.lab.simulate.run import Run

SHOWN_ROOMS = 12


def _delivered(conn: psycopg.Connection[Any], run: Run) -> dict[str, tuple[int, int]]:
    rows = conn.execute(
        "select topic, count(*), sum(recipients + 1) from private.realtime_log"
        " where created_at >= %s and topic like 'session:%%' group by 1",
        (run.started_at,),
    ).fetchall()
    return {topic: (int(n), int(m)) for topic, n, m in rows}


def table(run: Run, realtime: dict[str, tuple[int, int]]) -> Group:
    """Per room: listeners present, actions/s by kind, latency, errors, events and delivered messages."""
    elapsed = max(run.elapsed(), 1e-9)
    rooms = Table(
        title=f"WhatsSound simulator · {elapsed:,.0f} s of {run.workload.duration_s:,.0f} s"
        f" · seed {run.workload.seed}",
        expand=False,
    )
    for column in (
        "room",
        "listeners",
        "actions/s by kind",
        "p50 / p95 / p99 ms",
        "errors",
        "events",
        "delivered",
        "per listener-min",
    ):
        rooms.add_column(column, justify="left" if column in {"actions/s by kind", "errors"} else "right")
    for i, room in enumerate(run.rooms[:SHOWN_ROOMS]):
        rates = " ".join(f"{k} {room.calls[k] / elapsed:.1f}" for k in plan.KINDS if room.calls[k])
        lat = percentiles(room.latencies[-2000:])
        emitted, delivered = realtime.get(room.topic, (0, 0))
        minutes = max(len(room.present), 1) * elapsed / 60
        rooms.add_row(
            str(i + 1),
            f"{len(room.present)}/{room.size}",
            rates,
            f"{lat['p50_ms']:.0f} / {lat['p95_ms']:.0f} / {lat['p99_ms']:.0f}",
            " ".join(f"{c} {n}" for c, n in room.errors.most_common(3)),
            f"{emitted:,}",
            f"{delivered:,}",
            f"{delivered / minutes:.1f}",
        )
    if len(run.rooms) > SHOWN_ROOMS:
        rooms.caption = f"{len(run.rooms) - SHOWN_ROOMS} more rooms in the summary"
    return Group(rooms)


@contextlib.contextmanager
def live(url: str) -> Iterator[Callable[[Run], None]]:
    """A live display for the block; yields the engine's tick callback that refreshes it."""
    with psycopg.connect(url, autocommit=True) as conn, Live(refresh_per_second=2) as display:

        def tick(run: Run) -> None:
            if run.started_at is not None:
                display.update(table(run, _delivered(conn, run)))

        yield tick


def summary(figures: dict[str, Any]) -> Table:
    """The end-of-run table."""
    out = Table(title="Summary", show_header=True)
    out.add_column("figure")
    out.add_column("value", justify="right")
    per = figures["per_listener_minute"]
    lat = figures["latency"]
    rows = [
        ("listener-minutes", f"{figures['listener_minutes']:,.1f}"),
        ("RPCs", f"{figures['calls']:,}  ({per['rpcs']:.2f} per listener-minute)"),
        (
            "RPC latency p50 / p95 / p99",
            f"{lat['p50_ms']:.1f} / {lat['p95_ms']:.1f} / {lat['p99_ms']:.1f} ms",
        ),
        (
            "errors (intended)",
            ", ".join(
                f"{c} {n}" for c, n in figures["errors"].items() if c not in figures["unexpected_errors"]
            )
            or "none",
        ),
        (
            "errors (unexpected)",
            ", ".join(f"{c} {n}" for c, n in figures["unexpected_errors"].items()) or "none",
        ),
        ("calls shed (overload)", f"{figures['shed']:,}"),
        (
            "realtime delivered messages",
            f"{figures['realtime']['delivered']:,}  ({per['delivered_messages']:.1f} per listener-minute)",
        ),
        ("peak delivered per second", f"{figures['peaks']['delivered_per_second']:,} (project limit 2,500)"),
        ("egress per listener-minute", f"{per['egress_bytes'] / 1024:.1f} KiB"),
        (
            "database CPU",
            "n/a"
            if figures["db_cpu_seconds"] is None
            else f"{figures['db_cpu_seconds']:.1f} s ({figures['db_cores_busy']:.2f} cores busy)",
        ),
    ]
    for name, value in rows:
        out.add_row(name, value)
    return out
