"""``whatssound cost``: the reference month's bill, line by line, from measured figures."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from whatssound_svc.cli.options import Json
from whatssound_svc.cli.output import dumps
from whatssound_svc.lab.capacity import cost, workload

#: The reference month and the realtime design as the migrations set it (docs/capacity.md).
REFERENCE = workload.Reference()
DESIGN = REFERENCE.design


def monthly(  # noqa: PLR0917 (typer: one parameter per option)
    figures: Annotated[
        Path, typer.Option(help="Simulator figures (`make bench --suite big-room`).")
    ] = workload.FIGURES,
    prices: Annotated[
        Path | None, typer.Option(help="Price list (default: the packaged, dated one).")
    ] = None,
    mau: Annotated[int, typer.Option(min=1, help="Monthly active users.")] = REFERENCE.mau,
    compute: Annotated[str, typer.Option(help="Compute size: micro, small, medium, large, xl...")] = "micro",
    event_compute: Annotated[
        str | None, typer.Option(help="A bigger compute for the biggest set's hours (none: the same).")
    ] = "xl",
    push_max: Annotated[
        int, typer.Option(help="Rooms up to this size are push rooms (realtime_push_max_listeners).")
    ] = DESIGN.push_max,
    poll_ms: Annotated[
        float, typer.Option(min=100, help="How often a crowd's apps poll, ms (realtime_poll_ms).")
    ] = DESIGN.poll_ms,
    monthly_messages: Annotated[
        float, typer.Option(help="Realtime messages pacing guards a cycle (0: no pacing).")
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
    as_json: Json = False,
) -> None:
    """Compute the reference workload's monthly bill (docs/capacity.md) and flag quotas it would breach.

    From the simulator's measured per-listener-minute figures, the database's realtime settings
    and the dated price list.

    Example: whatssound cost --push-max 50 --poll-ms 1500
    """
    measured = json.loads(figures.read_text())
    small, big = measured.get("baseline", measured), measured.get("big_room", measured)
    per = workload.PerMinute.from_figures(small, big)
    design = replace(DESIGN, push_max=push_max, poll_ms=poll_ms, foreground_share=foreground_share,
                     monthly_messages=monthly_messages or None)  # fmt: skip
    ref = workload.Reference(mau=mau, biggest_event=biggest_event, phone_share=phone_share, design=design)
    event = event_compute if event_compute and event_compute != "none" else None
    price_list = cost.load_prices(prices)
    for hint, size in (("--compute", compute), ("--event-compute", event)):
        if size is not None and size not in price_list.compute:
            known = ", ".join(price_list.compute)
            raise typer.BadParameter(f"no compute size {size!r}; choose from {known}", param_hint=hint)
    try:
        month = workload.month(ref, per, compute=compute, event_compute=event)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--mau / --biggest-event") from exc
    bill = cost.bill(month.usage, price_list)
    flags = cost.breaches(replace(month.peaks, compute=event or compute), price_list)
    if as_json:
        lines = [line.__dict__ for line in bill.lines]
        typer.echo(dumps({"total": bill.total, "lines": lines, "breaches": flags, "notes": month.notes}))
        return
    console = Console()
    console.print(cost.render(bill, flags))
    top = ", ".join(f"{line.item} ${line.cost:,.2f}" for line in bill.top(3))
    console.print(f"prices as of {price_list.as_of}; biggest lines: {top}")
    notes = month.notes
    console.print(f"push rooms (up to {design.push_max}): {notes['push_messages'] / 1e6:.1f} M messages, "
                  f"{notes['push_listening_share']:.0%} of listening; crowds: {notes['polls'] / 1e6:,.0f} M "
                  f"polls every {design.poll_ms:.0f} ms ({notes['poll_egress_gb']:,.0f} GB), staff lanes "
                  f"{notes['staff_messages'] / 1e6:.1f} M messages")  # fmt: skip
    console.print(f"{notes['listener_minutes']:,.0f} listener-minutes in {notes['sessions']:,.0f} sessions;"
                  f" at the peak: database {notes['db_cores_at_peak']:.2f} cores,"
                  f" {notes['polls_per_second_at_peak']:,.0f} polls/s and"
                  f" {notes['rpcs_per_second_at_peak']:,.0f} other RPC/s")  # fmt: skip
