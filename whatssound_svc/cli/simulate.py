"""``whatssound simulate``: live rooms driven through the real RPCs, measured as Supabase bills."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl
from whatssound_svc.lab.simulate import engine, plan, report, view
from whatssound_svc.local.bootstrap import bootstrap

#: The reference workload's rates (docs/capacity.md).
DEFAULT = plan.Rates()


def simulate(  # noqa: PLR0917 (typer: one parameter per option)
    db_url: DbUrl = None,
    rooms: Annotated[str | None, typer.Option(help="Room sizes, comma-separated (e.g. 15,40,200).")] = None,
    sessions: Annotated[
        int | None,
        typer.Option(min=1, help="Instead of --rooms: this many rooms, heavy-tailed sizes (median 15)."),
    ] = None,
    duration: Annotated[float, typer.Option(min=1, help="Seconds to run.")] = 60.0,
    ramp: Annotated[float, typer.Option(min=0, help="Seconds over which listeners arrive.")] = 10.0,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same actions.")] = 1,
    chat: Annotated[
        float, typer.Option(help="Chat per listener per minute (rooms of 20; less per head above).")
    ] = DEFAULT.chat,
    vote: Annotated[float, typer.Option(help="Votes per listener per minute.")] = DEFAULT.vote,
    request: Annotated[float, typer.Option(help="Requests per listener per minute.")] = DEFAULT.request,
    drop: Annotated[
        float, typer.Option(help="Drop-offs (leave, come back) per listener-minute.")
    ] = DEFAULT.drop,
    out: Annotated[Path | None, typer.Option("--out", help="Write the figures as JSON here.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No live view (for long runs and CI).")] = False,
) -> None:
    """Simulate live rooms against the database through the real RPCs, then summarise what they cost.

    A DJ per room plays the queue; listeners join, heartbeat, chat, request, vote, drop off and
    come back; moderators time people out. Every action is a real RPC called as PostgREST calls
    it (one transaction, the caller's role and claims, a pool of 10 connections), offered on
    schedule. Shows each room live, then a summary; --out writes the figures `whatssound cost`
    reads.

    Example: whatssound simulate --rooms 15,40,200 --duration 120 --seed 7 --out sim.json
    """
    sizes = (tuple(int(x) for x in rooms.split(",")) if rooms
             else plan.heavy_tailed_sizes(sessions or 3, seed=seed))  # fmt: skip
    rates = plan.Rates(chat=chat, vote=vote, request=request, drop=drop)
    workload = plan.Workload(room_sizes=sizes, duration_s=duration, ramp_s=ramp, seed=seed, rates=rates)
    actions = plan.schedule(workload)
    console = Console()
    with target(db_url, None) as where:
        if where.local:  # a fresh machine's `make demo`: the local database, migrated (kept data stays)
            bootstrap(where.url, where.admin_url, seed=False, report=lambda _message: None)
        if quiet:
            run = asyncio.run(engine.execute(where.url, workload, actions=actions))
        else:
            with view.live(where.url) as tick:
                run = asyncio.run(engine.execute(where.url, workload, actions=actions, on_tick=tick))
        figures = report.summarise(where.url, run, actions)
        if where.local:  # `make demo` twice must not pile simulated users up beside the demo ones
            engine.sign_out(where.url, run)
    console.print(view.summary(figures))
    if out:
        out.write_text(json.dumps(figures, indent=2) + "\n")
        console.print(f"figures written to {out}")
