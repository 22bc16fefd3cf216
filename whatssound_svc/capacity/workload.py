"""The reference month (docs/capacity.md) and how it becomes billable usage.

The month: 50,000 MAU listening about 6 hours each (18 million listener-minutes), 1,000 DJs
hosting 8 two-hour sessions each, room sizes heavy-tailed (median 15, about 1 % above 1,000, a
few events of 10,000+), a daily peak of 3 % of MAU connected at once.

What a listener-minute costs comes from the simulator (``whatssound simulate --out``, or the
big-room benchmark's small rooms and crowd): delivered realtime messages per listener-minute in
each simulated room, RPCs, bytes per message and per response, and database CPU.
Realtime messages depend on the room's size (a broadcast in a room of N is N + 1 messages), so
the simulated rooms are fitted to ``a + b x (N + 1)`` per listener-minute and applied to every
room of the month, under the realtime design: rooms up to ``immediate_max`` listeners get every
event as it happens and are never paced; bigger rooms get ticks, at most what spend pacing leaves
them of the month's ``monthly_messages`` per subscriber-minute (between ``min_per_minute`` and
``big_room_per_minute``, B), as ``private.rt_pacing`` does; only apps in the foreground subscribe.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from whatssound_svc.capacity.cost import Peaks, Usage
from whatssound_svc.simulate.plan import heavy_tailed_sizes

GB = 1e9


@dataclass(frozen=True)
class RealtimeDesign:
    """How rooms are served (the settings in docs/realtime-events.md that decide the bill)."""

    immediate_max: int = 20
    big_room_per_minute: float = 60.0
    foreground_share: float = 0.4
    monthly_messages: float | None = 27e6
    min_per_minute: float = 2.0
    personal_per_listener_minute: float = 0.02  # user:<id> events (notifications, tips, media)


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
    design: RealtimeDesign = field(default_factory=RealtimeDesign)

    @property
    def listener_minutes(self) -> float:
        return self.mau * self.listening_hours_per_mau * 60

    @property
    def peak_listeners(self) -> int:
        """Listening at the busiest moment: the daily peak, plus the month's biggest event on top."""
        return round(self.peak_share * self.mau) + self.biggest_event

    @property
    def peak_connections(self) -> int:
        """Realtime connections at that moment (only apps in the foreground hold one)."""
        return round(self.peak_listeners * self.design.foreground_share)

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


def _message_bytes(figures: dict[str, Any]) -> float:
    realtime = figures["realtime"]
    return float(realtime["bytes_delivered"]) / max(float(realtime["delivered"]), 1.0)


@dataclass(frozen=True)
class PerMinute:
    """A listener-minute's cost, measured by the simulator: small rooms (every event at once)
    fitted by size, and the big room's figures for what only a crowd shows (tick payloads, the
    database's CPU under load)."""

    base: float  # delivered messages per listener-minute not proportional to the room
    per_listener: float  # ... and per (room size + 1)
    rpcs: float
    rpc_bytes: float  # RPC responses per listener-minute
    small_message_bytes: float  # mean broadcast payload in small rooms
    big_message_bytes: float  # ... in big rooms (ticks carry many events)
    db_cpu_seconds: float

    @classmethod
    def from_figures(cls, small: dict[str, Any], big: dict[str, Any] | None = None) -> PerMinute:
        """Fit the simulated small rooms (up to 50 listeners: events at once, no ticks)."""
        big = big or small
        rooms = [r for r in small["rooms"] if r.get("listener_minutes") and r["listeners"] <= 50]
        per = small["per_listener_minute"]
        if len(rooms) >= 2:
            x = np.array([r["listeners"] + 1 for r in rooms], dtype=float)
            y = np.array([r["delivered"] / r["listener_minutes"] for r in rooms])
            slope, intercept = np.polyfit(x, y, 1)
        else:
            slope, intercept = per["delivered_messages"] / (small["workload"]["room_sizes"][0] + 1), 0.0
        return cls(
            base=max(float(intercept), 0.0), per_listener=max(float(slope), 0.0), rpcs=per["rpcs"],
            rpc_bytes=per.get("rpc_response_bytes", 0.0), small_message_bytes=_message_bytes(small),
            big_message_bytes=_message_bytes(big),
            db_cpu_seconds=big["per_listener_minute"]["db_cpu_seconds"] or per["db_cpu_seconds"] or 0.0,
        )  # fmt: skip

    def message_bytes(self, listeners: int, design: RealtimeDesign) -> float:
        """Mean payload a subscriber receives in a room of ``listeners``."""
        return self.small_message_bytes if listeners <= design.immediate_max else self.big_message_bytes

    def delivered(self, listeners: int, design: RealtimeDesign) -> float:
        """Messages per listener-minute in a room of ``listeners`` under ``design``: events reach the
        subscribed share of the room (+ 1 sent); big rooms' ticks are capped per subscriber."""
        fg = design.foreground_share
        natural = self.base * fg + self.per_listener * (fg * listeners + 1)
        if listeners <= design.immediate_max:
            return natural
        return min(natural, design.big_room_per_minute * fg)


@dataclass(frozen=True)
class Month:
    """The reference month as usage, peaks, and the figures behind them."""

    usage: Usage
    peaks: Peaks
    notes: dict[str, float]


def paced(ref: Reference, per: PerMinute, rooms: list[tuple[int, float]]) -> RealtimeDesign:
    """The design with big rooms' budget set to what pacing affords them: the month's messages less
    what small rooms (never paced) and personal events spend, over big rooms' subscriber-minutes."""
    design = ref.design
    if not design.monthly_messages:
        return design
    small = sum(lm * per.delivered(n, design) for n, lm in rooms if n <= design.immediate_max)
    personal = ref.listener_minutes * design.personal_per_listener_minute
    subscriber_minutes = design.foreground_share * sum(lm for n, lm in rooms if n > design.immediate_max)
    affordable = (design.monthly_messages - small - personal) / max(subscriber_minutes, 1.0)
    budget = min(max(affordable, design.min_per_minute), design.big_room_per_minute)
    return replace(design, big_room_per_minute=budget)


def month(ref: Reference, per: PerMinute, *, compute: str = "micro") -> Month:
    """The month's billable usage from the reference and the measured per-minute costs."""
    rooms = ref.rooms()
    ref = replace(ref, design=paced(ref, per, rooms))
    # per room: listener-minutes, messages per listener-minute under the (paced) design
    rates = [(n, lm, per.delivered(n, ref.design)) for n, lm in rooms]
    room_messages = sum(lm * rate for _, lm, rate in rates)
    messages = room_messages + ref.listener_minutes * ref.design.personal_per_listener_minute
    listener_hours = ref.listener_minutes / 60
    signups = ref.sign_up_share * ref.mau
    otps = (signups + ref.new_device_share * ref.mau) * ref.phone_share
    tips = ref.tips_per_mau * ref.mau
    realtime_bytes = sum(lm * rate * per.message_bytes(n, ref.design) for n, lm, rate in rates)
    api_egress = (per.rpc_bytes * ref.listener_minutes + realtime_bytes) / GB
    set_egress = listener_hours * ref.set_listening_share * ref.rendition_mb_per_hour / 1000
    stored = ref.djs * ref.uploads_per_dj * ref.months_kept * (ref.upload_mb + ref.rendition_mb) / 1000
    stored += ref.mau * 0.15 / 1000  # an avatar and a cover now and then: ~150 KB a user
    usage = Usage(
        mau=ref.mau, compute=compute, compute_hours=744,
        realtime_messages=messages, realtime_peak_connections=ref.peak_connections,
        egress_gb=api_egress + set_egress,
        cached_egress_gb=listener_hours * ref.image_mb_per_listener_hour / 1000,
        storage_gb=stored, db_disk_gb=ref.db_disk_gb,
        edge_invocations=tips * ref.edge_calls_per_tip + ref.djs,
        sms_otps=otps, push_notifications=ref.pushes_per_mau * ref.mau,
        r2_storage_gb=stored * ref.upload_mb / (ref.upload_mb + ref.rendition_mb),
        r2_class_a=ref.djs * ref.uploads_per_dj + signups * 2, r2_class_b=0,
    )  # fmt: skip
    peaks = Peaks(
        messages_per_second=_peak_messages_per_second(ref, per, rooms),
        concurrent_connections=ref.peak_connections,
        channel_joins_per_second=ref.biggest_event / 120,  # the event's crowd arriving over two minutes
    )
    notes = {
        "listener_minutes": ref.listener_minutes, "room_messages": room_messages,
        "sessions": len(rooms), "db_cores_at_peak": per.db_cpu_seconds * ref.peak_listeners / 60,
        "rpcs_per_second_at_peak": per.rpcs * ref.peak_listeners / 60,
        "big_room_per_subscriber_minute": ref.design.big_room_per_minute,
        "small_room_messages": sum(lm * rate for n, lm, rate in rates if n <= ref.design.immediate_max),
    }  # fmt: skip
    return Month(usage, peaks, notes)


def _peak_messages_per_second(ref: Reference, per: PerMinute, rooms: list[tuple[int, float]]) -> float:
    """Delivered messages/s at the busiest moment: the event, plus the daily peak's listeners at the
    month's average rate outside it."""
    event = per.delivered(ref.biggest_event, ref.design) * ref.biggest_event / 60
    others = rooms[1:]
    average = sum(lm * per.delivered(n, ref.design) for n, lm in others) / sum(lm for _, lm in others)
    return event + average * round(ref.peak_share * ref.mau) / 60
