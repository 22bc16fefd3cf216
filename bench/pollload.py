"""A crowd's polls, offered at a fixed rate by pgbench beside the simulator (which runs only a few
probe pollers itself: Python could not offer thousands of PostgREST-shaped requests a second on
this machine and leave the database its cores).

Each pull room gets a pgbench script: one PostgREST request (BEGIN; the prelude with a random
member's claims; ``session_poll``; COMMIT), weighted by the room's share of the polls. Each pgbench
client keeps, per room, the last sequence number it saw and polls from one entry before it, so a
poll returns about one frame, as an app polling every poll_ms does. The members' ids are looked
up from a table of this benchmark, inside the prelude (one indexed read, no extra round trip).
Beside it runs the empty PostgREST transaction at a low fixed rate: the floor, measured under the
same load."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from bench.harness import BASELINE, postgrest_prelude, transaction
from whatssound_svc.lab.simulate import engine
from whatssound_svc.lab.simulate import run as simrun
from whatssound_svc.lab.simulate.caller import PRE_REQUEST
from whatssound_svc.local.cluster import LocalCluster


@dataclass(frozen=True)
class CrowdLoad:
    """One pull room's offered polls: its members (user ids) and the polls a second."""

    session_id: str
    members: list[str]
    per_second: float


def _script(index: int) -> str:
    """One poll of room ``index`` by a random member, from one entry before the client's last seq.
    The member's id is looked up inside the prelude's statement, so the request costs what
    PostgREST's does (BEGIN, the prelude, the pre-request hook, the call, COMMIT) and no round trip more."""
    member = f"(select p.user_id::text from bench.pollers as p where p.room = {index} and p.n = :n)"
    return (
        f"\\set n random(1, :members_{index})\n"
        f"\\set after :seq_{index} - 1\n"
        "begin;\n"
        f"{postgrest_prelude(member, '/rpc/session_poll')}\n{PRE_REQUEST};\n"
        f"select (public.session_poll(:sid_{index}::uuid, greatest((:after)::bigint, 0)) ->> 'last_seq')::bigint"
        f" as seq_{index} \\gset\n"
        "commit;\n"
    )


def _load_members(conn: psycopg.Connection, crowds: list[CrowdLoad]) -> None:
    conn.execute("create schema if not exists bench")
    conn.execute("drop table if exists bench.pollers")
    conn.execute("create table bench.pollers (room integer, n integer, user_id uuid, primary key (room, n))")
    for index, crowd in enumerate(crowds):
        conn.execute(
            "insert into bench.pollers select %s, m.n, m.id from unnest(%s::uuid[]) with ordinality as m (id, n)",
            (index, crowd.members),
        )
    # Read while the prelude switches role: by authenticator, then authenticated.
    conn.execute("grant usage on schema bench to authenticator, authenticated")
    conn.execute("grant select on bench.pollers to authenticator, authenticated")


@dataclass
class Load:
    """The running pgbench processes and where they log."""

    work: Path
    procs: dict[str, subprocess.Popen[str]]

    def wait(self, timeout: float) -> None:
        for name, proc in self.procs.items():
            _, err = proc.communicate(timeout=timeout)
            if proc.returncode != 0:
                raise RuntimeError(f"pgbench {name} failed: {err}")


@contextlib.contextmanager
def offered(cluster: LocalCluster, crowds: list[CrowdLoad], *, seconds: int,
            floor_per_second: int = 50) -> Iterator[Load]:  # fmt: skip
    """Offer the crowds' polls and the floor for ``seconds`` (pgbench processes, waited for on exit)."""
    with psycopg.connect(cluster.admin_url, autocommit=True) as conn:
        _load_members(conn, crowds)
        # The floor's caller is a real listener: the pre-request hook refuses a token whose user
        # does not exist (LOGIN), which would make the floor a refusal, not an empty request.
        someone = conn.execute("select id::text from auth.users order by created_at limit 1").fetchone()
    work = Path(tempfile.mkdtemp(prefix="pollload-"))
    env = {**os.environ, "PGPASSWORD": "postgres"}
    common = [cluster.binaries.tool("pgbench"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "authenticator",
              "-n", "-M", "prepared", "-T", str(seconds), "-l"]  # fmt: skip
    load = Load(work, {})
    total = sum(c.per_second for c in crowds)
    if total > 0:
        args = []
        for index, crowd in enumerate(crowds):
            (work / f"room{index}.sql").write_text(_script(index))
            weight = max(1, round(1000 * crowd.per_second / total))
            args += ["-f", f"room{index}.sql@{weight}", "-D", f"members_{index}={len(crowd.members)}",
                     "-D", f"sid_{index}={crowd.session_id}", "-D", f"seq_{index}=0"]  # fmt: skip
        load.procs["polls"] = subprocess.Popen(
            [*common, "-c", "10", "-j", "2", "-R", str(round(total)), "--log-prefix", "polls", *args, "postgres"],
            cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    (work / "floor.sql").write_text(
        transaction("", f"'{someone[0]}'", "/rpc/noop", "select 1;") if someone else BASELINE
    )
    load.procs["floor"] = subprocess.Popen(
        [*common, "-c", "1", "-j", "1", "-R", str(floor_per_second), "--log-prefix", "floor", "-f", "floor.sql",
         "postgres"],
        cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        yield load
    finally:
        load.wait(seconds + 60)


def latencies(work: Path, prefix: str) -> tuple[list[float], int]:
    """Milliseconds of every completed transaction in pgbench's logs, and how many failed or were skipped."""
    values: list[float] = []
    lost = 0
    for log in work.glob(f"{prefix}.[0-9]*"):
        for line in log.read_text().splitlines():
            fields = line.split()
            if fields[2] in {"failed", "skipped"}:
                lost += 1
            else:
                values.append(int(fields[2]) / 1000)
    return values, lost


def crowd_loads(run: simrun.Run, probes: int, foreground_share: float) -> list[CrowdLoad]:
    """Each pull room's polls beyond the simulator's probes, at its foreground share and interval."""
    loads = []
    for room in run.rooms:
        if room.mode != "pull":
            continue
        pollers = max(0, round(foreground_share * room.size) - probes)
        loads.append(
            CrowdLoad(room.session_id, [str(u) for u in room.listeners], pollers * 1000 / room.poll_ms)
        )
    return loads


def alongside(cluster: LocalCluster, *, start_after_s: float, seconds: float, probes: int,
              foreground_share: float, state: dict[str, Any]) -> engine.Alongside:  # fmt: skip
    """For engine.execute: once the crowds are in (``start_after_s``), offer their polls for
    ``seconds``; ``state`` gets the polls' and the floor's latencies (ms) and the polls offered."""

    @contextlib.asynccontextmanager
    async def load(run: simrun.Run) -> AsyncIterator[None]:
        def offer() -> None:
            time.sleep(start_after_s)
            loads = crowd_loads(run, probes, foreground_share)
            with offered(cluster, loads, seconds=int(seconds)) as running:
                state["offered_per_second"] = sum(c.per_second for c in loads)
            state["polls"] = latencies(running.work, "polls")
            state["floor"] = latencies(running.work, "floor")

        task = asyncio.create_task(asyncio.to_thread(offer))
        yield
        await task

    return load
