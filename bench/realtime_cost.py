"""`make bench` section: what the realtime budget delivers and costs, from the simulation in
bench/realtime_budget.py. Rooms are rolled back after each run; nothing is timed, so the figures
do not depend on the machine."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from bench import report
from bench.realtime_budget import REFERENCE_ROOMS, Outcome, simulate
from whatssound_svc.localpg import LocalCluster

#: A busy evening at 50,000 MAU: 1,900 listeners in 37 rooms (most rooms small, one big).
EVENING_ROOMS = (5,) * 20 + (20,) * 10 + (50,) * 4 + (200,) * 2 + (1_000,)
BUDGETS = (60, 30, 12, 6)
SECONDS = 180


@dataclass(frozen=True)
class Usage:
    """How 50,000 monthly users listen, and what Supabase charges for Realtime messages."""

    mau: int = 50_000
    dau_share: float = 0.25
    minutes_per_day: float = 30.0
    included_messages: int = 5_000_000  # Pro
    dollars_per_million: float = 2.5

    @property
    def listener_minutes(self) -> float:
        """Listener-minutes in a 30-day month."""
        return self.mau * self.dau_share * self.minutes_per_day * 30

    def monthly(self, per_listener_minute: float) -> tuple[float, float]:
        """(messages, dollars beyond the included quota) for a month."""
        messages = per_listener_minute * self.listener_minutes
        return messages, max(0.0, messages - self.included_messages) / 1e6 * self.dollars_per_million


def _run(url: str, rooms: tuple[int, ...], budget: int) -> Outcome:
    with psycopg.connect(url) as conn:
        conn.execute(
            "update private.settings set value = to_jsonb(%s) where key = %s",
            (budget, "realtime_listener_budget_per_minute"),
        )
        outcome = simulate(conn, rooms, seconds=SECONDS)
        conn.rollback()
    return outcome


def _room_table(outcome: Outcome) -> list[str]:
    lines = [
        "| Listeners | Chat sent | Broadcasts | Most per listener in 60 s | Chat at once | Chat in ticks | Chat sampled out | Priority kept | Chat delay p95 s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in outcome.rooms:
        lines.append(
            f"| {r.listeners:,} | {r.chat_sent} | {r.broadcasts} | {r.most_in_60s} | {r.chat_immediate} | {r.chat_in_ticks} "
            f"| {r.chat_omitted} | {r.priority_delivered}/{r.priority_sent} | {r.chat_delay_p95:.0f} |"
        )
    return lines


def run(cluster: LocalCluster) -> None:
    """Simulate the reference mix and the 50k-MAU evening at several budgets; write the section."""
    usage = Usage()
    reference = _run(cluster.admin_url, REFERENCE_ROOMS, 60)
    evenings = {b: _run(cluster.admin_url, EVENING_ROOMS, b) for b in BUDGETS}
    body = [
        "## Realtime budget (simulated)",
        "",
        f"{SECONDS} s of traffic plus a quiet minute, one flush a second, through the real triggers and flusher "
        "(bench/realtime_budget.py); counted as Supabase counts delivered messages (a broadcast to N listeners is "
        "N + 1). Traffic per listener: a chat message every 5 minutes and a vote every 2 minutes (capped at 30 "
        "messages and 60 votes a second per room), the DJ speaks every 20 s, 5 % of messages mention the DJ, "
        "listeners stay 30 minutes on average. Plan limit L = 2,500/s, safety factor 0.8.",
        "",
        f"**Reference mix** (one room each of {', '.join(f'{n:,}' for n in REFERENCE_ROOMS)} listeners: "
        f"{reference.listeners:,} at once), B = 60:",
        "",
        *_room_table(reference),
        "",
        f"Busiest 60-s average: {reference.delivered_per_second:,.0f} delivered messages/s "
        f"({reference.delivered_per_second / 2500:.0%} of L); busiest single second {reference.most_delivered_in_1s:,} "
        f"(one tick to the biggest room; Realtime limits the 60-s average). Delivered per listener-minute: "
        f"{reference.per_listener_minute:.1f}.",
        "",
        f"**A busy evening at 50,000 MAU** ({len(EVENING_ROOMS)} rooms, {sum(EVENING_ROOMS):,} listeners) at "
        f"several listener budgets B, and the month it implies ({usage.mau:,} MAU, {usage.dau_share:.0%} daily, "
        f"{usage.minutes_per_day:.0f} listening minutes a day = {usage.listener_minutes / 1e6:.2f} M listener-minutes; "
        f"{usage.included_messages / 1e6:.0f} M messages included, ${usage.dollars_per_million} per million beyond):",
        "",
        "| B (per listener-minute) | Delivered per listener-minute | Busiest 60-s average /s | Messages per month | Realtime overage per month |",
        "|---:|---:|---:|---:|---:|",
    ]
    raw: dict[str, object] = {"reference": _raw(reference)}
    for budget, outcome in evenings.items():
        messages, dollars = usage.monthly(outcome.per_listener_minute)
        body.append(
            f"| {budget} | {outcome.per_listener_minute:.1f} | {outcome.delivered_per_second:,.0f} "
            f"| {messages / 1e6:,.0f} M | ${dollars:,.0f} |"
        )
        raw[f"evening_b{budget}"] = _raw(outcome) | {
            "messages_per_month": messages,
            "dollars_per_month": dollars,
        }
    body += ["", *_pacing_table(cluster.admin_url, usage)]
    report.write_section("realtime-budget", "\n".join(body), raw)


def _pacing_table(url: str, usage: Usage) -> list[str]:
    """What spend pacing (sql/realtime/*_realtime-spend-pacing.sql) settles at as the app grows."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "select (value #>> '{}')::bigint from private.settings where key = 'realtime_monthly_messages'"
        ).fetchone()
    assert row is not None
    monthly = int(row[0])
    lines = [
        f"**Spend pacing** holds each cycle to realtime_monthly_messages = {monthly / 1e6:.0f} M "
        f"(${max(0, monthly - usage.included_messages) / 1e6 * usage.dollars_per_million:,.2f} beyond the included "
        "quota) by lowering the listener budget B as listening grows (B_eff = 0.9 x budget left / projected "
        "listener-minutes, between 2 and 60; at the start of a cycle, same usage model):",
        "",
        "| MAU | Listener-minutes a day | B_eff (per listener-minute) | Busy room's tick interval |",
        "|---:|---:|---:|---:|",
    ]
    for mau in (2_500, 5_000, 10_000, 25_000, 50_000, 100_000):
        daily = Usage(mau=mau).listener_minutes / 30
        paced = min(60.0, max(2.0, 0.9 * monthly / (daily * 30)))
        lines.append(f"| {mau:,} | {daily:,.0f} | {paced:.1f} | {60 / paced:.0f} s |")
    return lines


def _raw(outcome: Outcome) -> dict[str, object]:
    return {
        "listeners": outcome.listeners,
        "per_listener_minute": outcome.per_listener_minute,
        "busiest_60s_per_second": outcome.delivered_per_second,
        "busiest_second": outcome.most_delivered_in_1s,
        "rooms": [vars(r) | {"chat_delays": None} for r in outcome.rooms],
    }
