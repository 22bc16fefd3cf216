"""``whatssound cost``: the reference month's bill, line by line, from measured figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from whatssound_svc import paths
from whatssound_svc.capacity import cost, workload

FIGURES = paths.REPO_ROOT / "docs" / "bench" / "big-room.json"
#: The reference month and the realtime design as chosen (docs/capacity.md, "Making it fit").
REFERENCE = workload.Reference()
DESIGN = REFERENCE.design


def monthly(  # noqa: PLR0917 (typer: one parameter per option)
    figures: Annotated[
        Path, typer.Option(help="Simulator figures (`make bench --suite big-room`).")
    ] = FIGURES,
    prices: Annotated[
        Path | None, typer.Option(help="Price list (default: the packaged, dated one).")
    ] = None,
    mau: Annotated[int, typer.Option(min=1, help="Monthly active users.")] = REFERENCE.mau,
    compute: Annotated[str, typer.Option(help="Compute size: micro, small, medium, large, xl...")] = "micro",
    immediate_max: Annotated[
        int, typer.Option(help="Rooms up to this size get every event at once.")
    ] = DESIGN.immediate_max,
    monthly_messages: Annotated[
        float, typer.Option(help="Realtime messages pacing spends a cycle (0: no pacing).")
    ] = DESIGN.monthly_messages or 0,
    foreground_share: Annotated[
        float, typer.Option(min=0.01, max=1, help="Share of listening with the app in the foreground.")
    ] = DESIGN.foreground_share,
    phone_share: Annotated[
        float, typer.Option(min=0, max=1, help="Share of sign-ins by phone code (the rest Apple/Google).")
    ] = REFERENCE.phone_share,
    biggest_event: Annotated[
        int, typer.Option(help="Concurrent listeners of the month's biggest set.")
    ] = REFERENCE.biggest_event,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Compute the monthly bill of the reference workload (docs/capacity.md) from the simulator's
    measured per-listener-minute figures and the dated price list; flag quotas it would breach.

    Example: whatssound cost --immediate-max 50 --monthly-messages 40e6
    """
    measured = json.loads(figures.read_text())
    small, big = measured.get("baseline", measured), measured.get("big_room", measured)
    per = workload.PerMinute.from_figures(small, big)
    design = workload.RealtimeDesign(immediate_max=immediate_max, foreground_share=foreground_share,
                                     monthly_messages=monthly_messages or None)  # fmt: skip
    ref = workload.Reference(mau=mau, biggest_event=biggest_event, phone_share=phone_share, design=design)
    try:
        month = workload.month(ref, per, compute=compute)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--mau / --biggest-event") from exc
    price_list = cost.load_prices(prices)
    bill = cost.bill(month.usage, price_list)
    flags = cost.breaches(month.peaks, price_list)
    if as_json:
        lines = [line.__dict__ for line in bill.lines]
        typer.echo(json.dumps({"total": bill.total, "lines": lines, "breaches": flags, "notes": month.notes}))
        return
    console = Console()
    console.print(cost.render(bill, flags))
    top = ", ".join(f"{line.item} ${line.cost:,.2f}" for line in bill.top(3))
    console.print(f"prices as of {price_list.as_of}; biggest lines: {top}")
    small, big = month.notes["small_room_messages"] / 1e6, month.notes["big_room_per_subscriber_minute"]
    console.print(f"rooms up to {design.immediate_max}: every event at once ({small:.1f} M messages);"
                  f" bigger rooms: {big:.1f} messages per subscriber-minute (ticks)")  # fmt: skip
    notes = month.notes
    console.print(f"{notes['listener_minutes']:,.0f} listener-minutes in {notes['sessions']:,.0f} sessions;"
                  f" database at peak: {notes['db_cores_at_peak']:.2f} cores,"
                  f" {notes['rpcs_per_second_at_peak']:,.0f} RPC/s")  # fmt: skip
