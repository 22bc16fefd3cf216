"""What a simulated evening looks like: the workload's parameters, and the schedule they give.

A schedule is a list of actions in time (who calls which RPC when), drawn from the seed alone:
the same parameters and seed give the same actions, whatever the machine does with them. Each
listener's presence is a set of intervals (they join, stay, drop off, come back); everything they
do falls inside them. An interval is spent with the app in the foreground (watching: it
subscribes or polls, chats, votes) or, for most, in the background (the music plays with the
screen off; only heartbeats): ``foreground_share`` of the intervals, spread evenly. Rates are
per listener per minute (foreground listeners act at rate / share, so the room's totals are the
same), and chat is higher per head in small rooms (everyone talks in a room of ten; in a room of
ten thousand most watch). Polls are not scheduled: the engine polls at the interval the server
gives a crowd.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

#: Action kinds, in the order the live view lists them.
KINDS = (
    "join", "heartbeat", "background", "chat", "request", "vote", "leave", "advance", "dj_chat", "moderate",
    "announce", "delete",
)  # fmt: skip


@dataclass(frozen=True)
class Rates:
    """Per listener per minute (chat at the reference room size; see :meth:`chat_for`). The
    defaults are the reference workload's, reasoned in docs/capacity.md: a room of 20 chats about 4
    messages a minute, a listener votes about 6 times and requests about once in a 40-minute visit."""

    chat: float = 0.2
    chat_reference_size: int = 20
    room_chat_cap_per_s: float = 5.0
    vote: float = 0.15
    request: float = 0.025
    drop: float = 0.05  # a listener drops off every 20 minutes on average (a flaky network, the app closed)
    foreground_share: float = 0.4  # of listening, with the app on screen (docs/capacity.md)
    heartbeat_s: float = 30.0
    back_after_s: tuple[float, float] = (20.0, 120.0)
    dj_track_s: float = 180.0
    dj_chat_s: float = 90.0
    moderation_every_s: float = 600.0  # one timeout per room of 20+ every 10 minutes
    announce_every_s: float = 0.0  # the DJ pins an announcement (0: never)
    delete_every_s: float = 0.0  # the moderator deletes a recent message (0: never)

    def chat_for(self, listeners: int) -> float:
        """Chat per listener per minute in a room of ``listeners``: the reference rate up to the
        reference size, then falling with the square root of the size, and capped per room."""
        scale = min(1.0, math.sqrt(self.chat_reference_size / max(listeners, 1)))
        return min(self.chat * scale, self.room_chat_cap_per_s * 60 / max(listeners, 1))


@dataclass(frozen=True)
class Workload:
    """One simulated run."""

    room_sizes: tuple[int, ...] = (15,)
    duration_s: float = 60.0
    ramp_s: float = 10.0
    seed: int = 1
    rates: Rates = field(default_factory=Rates)
    #: At most this many of a crowd's foreground apps poll through the engine (None: all); a
    #: benchmark offers the rest of the load itself and uses these as probes.
    poll_limit: int | None = None

    @property
    def listeners(self) -> int:
        return sum(self.room_sizes)


@dataclass(frozen=True, order=True)
class Action:
    """At ``at`` seconds, ``actor`` (the room's DJ is -1, its moderator -2) does ``kind`` in ``room``,
    with the app in the foreground or not (heartbeats say which)."""

    at: float
    room: int
    actor: int
    kind: str
    foreground: bool = True


def heavy_tailed_sizes(rooms: int, *, median: float = 15.0, sigma: float = 1.8, seed: int = 1,
                       largest: int = 20_000) -> tuple[int, ...]:  # fmt: skip
    """Room sizes drawn from a log-normal (median ``median``; sigma 1.8 puts about 1 % of rooms
    above 1,000), largest first."""
    rng = random.Random(seed)  # noqa: S311 (a seeded simulation)
    sizes = [max(1, min(largest, round(rng.lognormvariate(math.log(median), sigma)))) for _ in range(rooms)]
    return tuple(sorted(sizes, reverse=True))


def _poisson(rng: random.Random, start: float, end: float, per_minute: float) -> list[float]:
    times: list[float] = []
    if per_minute <= 0:
        return times
    t = start + rng.expovariate(per_minute / 60)
    while t < end:
        times.append(t)
        t += rng.expovariate(per_minute / 60)
    return times


def _in_foreground(actor: int, stint: int, share: float) -> bool:
    """Whether a listener's ``stint``-th interval is spent in the foreground: an even spread (golden
    ratio steps), so exactly ``share`` of intervals are, whatever the seed."""
    return (actor * 0.6180339887498949 + stint * 0.3819660112501051) % 1 < share


def _listener(rng: random.Random, w: Workload, room: int, actor: int, size: int) -> list[Action]:
    r = w.rates
    actions: list[Action] = []
    start = rng.uniform(0, min(w.ramp_s, w.duration_s))
    stint = 0
    while start < w.duration_s:
        stay = rng.expovariate(r.drop / 60) if r.drop > 0 else math.inf
        end = min(w.duration_s, start + stay)
        fg = _in_foreground(actor, stint, r.foreground_share)
        actions.append(Action(start, room, actor, "join"))
        if not fg:  # opened the room, then pocketed the phone
            actions.append(Action(min(start + 1.0, end), room, actor, "background", False))
        beat = start + rng.uniform(0, r.heartbeat_s)
        while beat < end:
            actions.append(Action(beat, room, actor, "heartbeat", fg))
            beat += r.heartbeat_s
        if fg:
            scale = 1 / max(r.foreground_share, 1e-9)
            for kind, rate in (("chat", r.chat_for(size)), ("vote", r.vote), ("request", r.request)):
                actions += [Action(t, room, actor, kind) for t in _poisson(rng, start, end, rate * scale)]
        if end >= w.duration_s:
            break
        actions.append(Action(end, room, actor, "leave", fg))
        start = end + rng.uniform(*r.back_after_s)
        stint += 1
    return actions


def schedule(w: Workload) -> list[Action]:
    """Every action of the run, in time order (reproducible from the seed)."""
    rng = random.Random(w.seed)  # noqa: S311 (a seeded simulation)
    actions: list[Action] = []
    for room, size in enumerate(w.room_sizes):
        for actor in range(size):
            actions += _listener(rng, w, room, actor, size)
        offset = rng.uniform(0, w.rates.dj_track_s)
        actions += [Action(t, room, -1, "advance") for t in _every(offset, w.rates.dj_track_s, w.duration_s)]
        actions += [
            Action(t, room, -1, "dj_chat")
            for t in _every(rng.uniform(0, 30), w.rates.dj_chat_s, w.duration_s)
        ]
        if size >= 20:
            first = rng.uniform(0, w.rates.moderation_every_s)
            actions += [Action(t, room, -2, "moderate")
                        for t in _every(first, w.rates.moderation_every_s, w.duration_s)]  # fmt: skip
        for kind, actor, period in (("announce", -1, w.rates.announce_every_s),
                                    ("delete", -1 if size < 20 else -2, w.rates.delete_every_s)):  # fmt: skip
            if period > 0:
                first = rng.uniform(0, period)
                actions += [Action(t, room, actor, kind) for t in _every(first, period, w.duration_s)]
    actions.sort()
    return actions


def _every(first: float, period: float, end: float) -> list[float]:
    return [first + k * period for k in range(max(0, math.ceil((end - first) / period)))]
