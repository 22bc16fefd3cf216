"""The reference month (docs/capacity.md) and how it becomes billable usage.

The month: 50,000 MAU listening about 6 hours each (18 million listener-minutes), 1,000 DJs
hosting 8 two-hour sessions each, room sizes heavy-tailed (median 15, about 1 % above 1,000, a
few events of 10,000+), a daily peak of 3 % of MAU connected at once.

How each room is served is the database's own rule, with the database's own numbers: the
settings the migrations leave (sql/schema/settings.json, checked against a fresh migration by a
test) give the push threshold, the poll interval and the pacing budget (``RealtimeDesign``). A
push room's listeners are broadcast every event (a room of N costs about a + b x (N + 1) messages
per listener-minute, fitted on the simulator's push rooms); a pull room costs no messages but its
staff lane (measured per chat line and request), and instead a poll per foreground app every
poll_ms (bytes per poll measured, fitted against the room's events per second); personal events
cost what they measured. Pacing is the SQL's (private.rt_pacing): it holds push rooms back only
when the month's projected spend exceeds realtime_monthly_messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from whatssound_svc import paths, schemadump
from whatssound_svc.lab.capacity.cost import Peaks, Usage
from whatssound_svc.lab.simulate.plan import Rates, heavy_tailed_sizes

GB = 1e9
DAYS = 30  # the month, as pacing projects it
#: The measured figures the month is priced from (`make bench --suite big-room`).
FIGURES = paths.REPO_ROOT / "docs" / "bench" / "big-room.json"


@dataclass(frozen=True)
class RealtimeDesign:
    """How rooms are served: the database's settings, and the share of listening in the foreground."""

    push_max: int
    poll_ms: float
    monthly_messages: float | None
    listener_budget: float
    min_budget: float
    foreground_share: float = 0.4  # a product assumption (docs/capacity.md), not a setting

    @classmethod
    def from_settings(cls, settings: dict[str, Any] | None = None, **overrides: Any) -> RealtimeDesign:
        """The design a fresh migration gives (sql/schema/settings.json), with ``overrides``."""
        s = settings if settings is not None else schemadump.setting_defaults()
        design = cls(
            push_max=int(s["realtime_push_max_listeners"]), poll_ms=float(s["realtime_poll_ms"]),
            monthly_messages=float(s["realtime_monthly_messages"]),
            listener_budget=float(s["realtime_listener_budget_per_minute"]),
            min_budget=float(s["realtime_min_listener_budget_per_minute"]),
        )  # fmt: skip
        return replace(design, **overrides)

    def push(self, listeners: int) -> bool:
        """Whether a room of steady size ``listeners`` is a push room (private.rt_target_delivery)."""
        return listeners <= self.push_max


@dataclass(frozen=True)
class Reference:
    """The reference month; every number is explained in docs/capacity.md."""

    mau: int = 50_000
    listening_hours_per_mau: float = 6.0
    djs: int = 1_000
    sessions_per_dj: int = 8
    session_hours: float = 2.0
    median_room: float = 15.0
    room_sigma: float = 1.8
    biggest_event: int = 10_000
    event_compute_hours: float = 4.0  # the event's set, and an hour either side on a bigger compute
    peak_share: float = 0.03
    sign_up_share: float = 0.10
    new_device_share: float = 0.04
    phone_share: float = 0.10
    pushes_per_mau: float = 30.0
    tips_per_mau: float = 0.1
    edge_calls_per_tip: float = 1.5
    uploads_per_dj: float = 0.5
    upload_mb: float = 60.0
    rendition_mb: float = 24.0
    months_kept: int = 12
    set_listening_share: float = 0.01
    rendition_mb_per_hour: float = 57.6
    image_mb_per_listener_hour: float = 0.5
    db_disk_gb: float = 8.0
    http_overhead_bytes: float = 200.0  # per API response: HTTP/2 headers after HPACK, TLS framing
    design: RealtimeDesign = field(default_factory=RealtimeDesign.from_settings)

    @property
    def listener_minutes(self) -> float:
        return self.mau * self.listening_hours_per_mau * 60

    @property
    def daily_peak(self) -> int:
        return round(self.peak_share * self.mau)

    def _sizes(self, seed: int) -> tuple[int, ...]:
        return heavy_tailed_sizes(self.djs * self.sessions_per_dj, median=self.median_room,
                                  sigma=self.room_sigma, seed=seed, largest=self.biggest_event)  # fmt: skip

    def attendance(self, seed: int = 1) -> float:
        """The share of a set the average listener stays for: what makes the sessions' sizes add up
        to the month's listening once the event (whole set, ``biggest_event`` listeners) is counted."""
        minutes = self.session_hours * 60
        rest = self.listener_minutes - self.biggest_event * minutes
        if rest <= 0:
            raise ValueError(f"{self.biggest_event:,} listeners for a whole set exceed the month's listening")
        return rest / (sum(self._sizes(seed)[1:]) * minutes)

    def rooms(self, seed: int = 1) -> list[tuple[int, float]]:
        """(concurrent listeners, listener-minutes) for each session of the month. Sizes (listeners
        who come by during a set) are drawn heavy-tailed; each room's concurrency is its size times
        :meth:`attendance`; the biggest session is the event."""
        minutes = self.session_hours * 60
        stay = self.attendance(seed)
        sizes = self._sizes(seed)[1:]
        return [(self.biggest_event, self.biggest_event * minutes),
                *((max(1, round(n * stay)), n * minutes * stay) for n in sizes)]  # fmt: skip


def _rooms_of(figures: dict[str, Any], mode: str) -> list[dict[str, Any]]:
    return [r for r in figures["rooms"] if r.get("listener_minutes") and r.get("mode", "push") == mode]


@dataclass(frozen=True)
class PerMinute:
    """A listener-minute's cost, measured by the simulator (``whatssound simulate --out``, the
    big-room benchmark): push rooms fitted by size, pull rooms' staff lanes and polls, personal
    events, RPCs, bytes and the database's CPU."""

    push_base: float  # delivered messages per listener-minute in a push room, not proportional to it
    push_per_listener: float  # ... and per (room size + 1)
    measured_foreground: float  # the foreground share the simulation ran with
    staff_per_event: float  # staff-lane messages per chat line or request in a pull room
    personal: float  # user:<id> messages per listener-minute
    rpcs: float  # per listener-minute, polls excluded
    rpc_bytes: float  # RPC responses per listener-minute, polls excluded
    poll_bytes_base: float  # a poll's response when nothing happened...
    poll_bytes_per_event: float  # ... and per event a second in the room
    message_bytes: float  # mean broadcast payload received
    db_cpu_seconds: float  # per listener-minute, at the big room's load (polls included)

    @classmethod
    def from_figures(cls, small: dict[str, Any], big: dict[str, Any] | None = None) -> PerMinute:
        """Fit the simulated push rooms; take staff lanes, polls and CPU from the pull rooms."""
        big = big or small
        push = _rooms_of(small, "push") + _rooms_of(big, "push")
        if len(push) >= 2:
            x = np.array([r["listeners"] + 1 for r in push], dtype=float)
            y = np.array([r["delivered"] / r["listener_minutes"] for r in push])
            slope, intercept = np.polyfit(x, y, 1)
        else:
            room = push[0] if push else small["rooms"][0]
            slope, intercept = room["delivered"] / room["listener_minutes"] / (room["listeners"] + 1), 0.0
        pull = _rooms_of(small, "pull") + _rooms_of(big, "pull")
        events = sum(r["calls"].get(k, 0) for r in pull for k in ("chat", "dj_chat", "request"))
        staff = sum(r["delivered"] for r in pull) / events if events else 3.0
        polled = [(r, r["calls"].get("poll", 0)) for r in pull if r["calls"].get("poll")]
        if len(polled) >= 2:
            x = np.array([_events_per_second(r) for r, _ in polled])
            y = np.array([r["response_bytes"].get("poll", 0) / n for r, n in polled])
            bytes_slope, bytes_base = np.polyfit(x, y, 1)
        else:
            one = polled[0][0]["response_bytes"]["poll"] / polled[0][1] if polled else 200.0
            bytes_slope, bytes_base = 0.0, one
        per = small["per_listener_minute"]
        minutes = small["listener_minutes"] or 1.0
        polls = small["calls_by_kind"].get("poll", 0)
        poll_bytes = sum(r.get("response_bytes", {}).get("poll", 0) for r in small["rooms"])
        realtime = small["realtime"]
        return cls(
            push_base=max(float(intercept), 0.0), push_per_listener=max(float(slope), 0.0),
            measured_foreground=small.get("foreground_minutes", 0.4 * minutes) / minutes,
            staff_per_event=float(staff), personal=realtime.get("personal_delivered", 0) / minutes,
            rpcs=per["rpcs"] - polls / minutes, rpc_bytes=per["rpc_response_bytes"] - poll_bytes / minutes,
            poll_bytes_base=max(float(bytes_base), 0.0), poll_bytes_per_event=max(float(bytes_slope), 0.0),
            message_bytes=realtime["bytes_delivered"] / max(realtime["delivered"], 1),
            db_cpu_seconds=big["per_listener_minute"]["db_cpu_seconds"] or per["db_cpu_seconds"] or 0.0,
        )  # fmt: skip

    def push_rate(self, listeners: int, design: RealtimeDesign) -> float:
        """Messages per listener-minute in a push room of ``listeners``, at the design's foreground share."""
        natural = self.push_base + self.push_per_listener * (listeners + 1)
        return float(natural * design.foreground_share / max(self.measured_foreground, 1e-9))

    def staff_rate(self, listeners: int, rates: Rates) -> float:
        """Staff-lane messages per listener-minute in a pull room (every chat line and request)."""
        lines = rates.chat_for(listeners) + rates.request + 60 / rates.dj_chat_s / max(listeners, 1)
        return self.staff_per_event * lines

    def poll_bytes(self, listeners: int, rates: Rates) -> float:
        """A poll's response in a pull room of ``listeners`` (body, without HTTP overhead)."""
        per_second = listeners * (rates.chat_for(listeners) + rates.vote + rates.request) / 60
        return self.poll_bytes_base + self.poll_bytes_per_event * per_second


def _events_per_second(room: dict[str, Any]) -> float:
    """A simulated room's chat lines, votes and requests a second (its duration: the average stay)."""
    seconds = room["listener_minutes"] * 60 / max(room["listeners"], 1)
    events = sum(room["calls"].get(k, 0) for k in ("chat", "dj_chat", "vote", "request"))
    return float(events / max(seconds, 1e-9))


@dataclass(frozen=True)
class Month:
    """The reference month as usage, peaks, and the figures behind them."""

    usage: Usage
    peaks: Peaks
    notes: dict[str, float]


def pacing_budget(
    design: RealtimeDesign,
    *,
    used: float,
    daily_messages: float,
    daily_unpaced: float,
    daily_subscriber_minutes: float,
    days_left: float,
) -> float:
    """Push rooms' listener budget (messages per subscriber-minute): private.rt_pacing's formula on
    the same inputs (this cycle's messages so far, the last days' daily averages of all messages,
    of the unpaced ones and of push rooms' subscriber-minutes, the days left). The full budget while
    the projected spend fits the month; else what the rest of the cycle affords push rooms once the
    unpaced spend is set aside, 10 % kept back, never below the floor."""
    projected = used + daily_messages * days_left
    if not design.monthly_messages or projected <= design.monthly_messages or daily_subscriber_minutes <= 0:
        return design.listener_budget
    left = design.monthly_messages - used - daily_unpaced * days_left
    affordable = 0.9 * left / (daily_subscriber_minutes * days_left)
    return min(design.listener_budget, max(design.min_budget, affordable))


def month(ref: Reference, per: PerMinute, *, compute: str = "micro", event_compute: str | None = None,
          rates: Rates | None = None) -> Month:  # fmt: skip
    """The month's billable usage from the reference and the measured per-minute costs."""
    rates = rates or Rates()
    design = ref.design
    rooms = ref.rooms()
    push = [(n, lm) for n, lm in rooms if design.push(n)]
    pull = [(n, lm) for n, lm in rooms if not design.push(n)]
    push_messages = sum(lm * per.push_rate(n, design) for n, lm in push)
    staff_messages = sum(lm * per.staff_rate(n, rates) for n, lm in pull)
    personal = ref.listener_minutes * per.personal
    subscriber_minutes = design.foreground_share * sum(lm for _, lm in push)
    # The steady state: a cycle's start, the last days spent at the month's daily rates.
    unpaced = staff_messages + personal
    budget = pacing_budget(design, used=0.0, daily_messages=(push_messages + unpaced) / DAYS,
                           daily_unpaced=unpaced / DAYS,
                           daily_subscriber_minutes=subscriber_minutes / DAYS, days_left=DAYS)  # fmt: skip
    natural_per_subscriber = push_messages / max(subscriber_minutes, 1.0)
    if budget < natural_per_subscriber:  # pacing holds push rooms back: at most the budget each
        push_messages = sum(min(lm * per.push_rate(n, design), lm * design.foreground_share * budget)
                            for n, lm in push)  # fmt: skip
    messages = push_messages + staff_messages + personal
    pollers = [(n, design.foreground_share * lm) for n, lm in pull]  # each pull room's poller-minutes
    polls = sum(minutes * 60_000 / design.poll_ms for _, minutes in pollers)
    poll_bytes = sum(m * 60_000 / design.poll_ms * (per.poll_bytes(n, rates) + ref.http_overhead_bytes)
                     for n, m in pollers)  # fmt: skip
    rpcs = per.rpcs * ref.listener_minutes
    api_egress = (per.rpc_bytes * ref.listener_minutes + rpcs * ref.http_overhead_bytes + poll_bytes
                  + messages * per.message_bytes) / GB  # fmt: skip
    listener_hours = ref.listener_minutes / 60
    signups = ref.sign_up_share * ref.mau
    otps = (signups + ref.new_device_share * ref.mau) * ref.phone_share
    tips = ref.tips_per_mau * ref.mau
    set_egress = listener_hours * ref.set_listening_share * ref.rendition_mb_per_hour / 1000
    stored = ref.djs * ref.uploads_per_dj * ref.months_kept * (ref.upload_mb + ref.rendition_mb) / 1000
    stored += ref.mau * 0.15 / 1000  # an avatar and a cover now and then: ~150 KB a user
    peaks, notes = _peaks(ref, per, rooms, design, rates)
    usage = Usage(
        mau=ref.mau, compute=compute,
        compute_hours=744 - (ref.event_compute_hours if event_compute else 0),
        event_compute=event_compute, event_compute_hours=ref.event_compute_hours if event_compute else 0,
        realtime_messages=messages, realtime_peak_connections=peaks.concurrent_connections,
        egress_gb=api_egress + set_egress,
        cached_egress_gb=listener_hours * ref.image_mb_per_listener_hour / 1000,
        storage_gb=stored, db_disk_gb=ref.db_disk_gb,
        edge_invocations=tips * ref.edge_calls_per_tip + ref.djs,
        sms_otps=otps, push_notifications=ref.pushes_per_mau * ref.mau,
        r2_storage_gb=stored * ref.upload_mb / (ref.upload_mb + ref.rendition_mb),
        r2_class_a=ref.djs * ref.uploads_per_dj + signups * 2, r2_class_b=0,
    )  # fmt: skip
    notes |= {
        "listener_minutes": ref.listener_minutes, "sessions": len(rooms), "push_messages": push_messages,
        "staff_messages": staff_messages, "personal_messages": personal, "polls": polls,
        "poll_egress_gb": poll_bytes / GB, "push_listener_budget": budget,
        "push_subscriber_minutes": subscriber_minutes,
        "push_listening_share": sum(lm for _, lm in push) / ref.listener_minutes,
    }  # fmt: skip
    return Month(usage, peaks, notes)


def _peaks(ref: Reference, per: PerMinute, rooms: list[tuple[int, float]], design: RealtimeDesign,
           rates: Rates) -> tuple[Peaks, dict[str, float]]:  # fmt: skip
    """The busiest moment: the event (a pull room: polled, its staff lane broadcast) on top of the
    daily peak's listeners, spread over the month's rooms; rooms live at once from the average room."""
    others = rooms[1:]
    minutes = sum(lm for _, lm in others)
    push_share = sum(lm for n, lm in others if design.push(n)) / minutes
    push_rate = sum(lm * per.push_rate(n, design) for n, lm in others if design.push(n)) / minutes
    live_rooms = ref.daily_peak / (minutes / (len(others) * ref.session_hours * 60))  # sets live at the peak
    event_pollers = design.foreground_share * (ref.biggest_event if not design.push(ref.biggest_event) else 0)
    daily_pollers = design.foreground_share * ref.daily_peak * (1 - push_share)
    staff = per.staff_rate(ref.biggest_event, rates) * ref.biggest_event
    messages = (push_rate * ref.daily_peak + staff) / 60
    connections = round(design.foreground_share * ref.daily_peak * push_share + live_rooms + 2)
    listeners = ref.daily_peak + ref.biggest_event
    notes = {
        "db_cores_at_peak": per.db_cpu_seconds * listeners / 60,
        "polls_per_second_at_peak": (event_pollers + daily_pollers) * 1000 / design.poll_ms,
        "rpcs_per_second_at_peak": per.rpcs * listeners / 60,
        "rooms_live_at_peak": live_rooms,
    }
    peaks = Peaks(
        messages_per_second=messages, concurrent_connections=connections,
        channel_joins_per_second=(ref.daily_peak * push_share) / 120,  # pull rooms join no channel
        db_cores=notes["db_cores_at_peak"],
    )  # fmt: skip
    return peaks, notes


def reference_usage_per_day(figures: dict[str, Any] | None = None) -> dict[str, float]:
    """The reference month's usage a day, as private.realtime_usage records it: messages (and of
    them push rooms', the paced ones), push rooms' subscriber-minutes, listener-minutes (the
    benchmarks' month regime seeds this)."""
    measured = figures or json.loads(FIGURES.read_text())
    per = PerMinute.from_figures(measured.get("baseline", measured), measured.get("big_room", measured))
    result = month(Reference(), per)
    return {
        "daily_messages": result.usage.realtime_messages / DAYS,
        "daily_paced": result.notes["push_messages"] / DAYS,
        "daily_subscriber_minutes": result.notes["push_subscriber_minutes"] / DAYS,
        "daily_listener_minutes": result.notes["listener_minutes"] / DAYS,
    }
