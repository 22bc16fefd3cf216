"""A simulated run's state: the rooms and their casts, every call's kind and latency, what each
action should make its room see and when pollers saw it. The engine (engine.py) fills it, the
pollers (polling.py) read and record into it, the report and the view read it."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from whatssound_svc.lab.simulate import plan
from whatssound_svc.lab.simulate.caller import Answer


@dataclass
class Seen:
    """When entries reached pollers: (topic, seq) -> seconds into the run, one per poller."""

    at: dict[tuple[str, int], list[float]] = field(default_factory=dict)
    polls: int = 0
    resyncs: int = 0
    #: cdn rooms: files read, files not there when due (the app polled instead).
    files: int = 0
    missing_files: int = 0

    def record(self, topic: str, seq: int, seconds: float) -> None:
        self.at.setdefault((topic, seq), []).append(seconds)


class Following(Protocol):
    """What starts and stops a crowd listener's poller (polling.Pollers)."""

    def start(self, room_index: int, actor: int) -> None: ...

    def stop(self, room_index: int, actor: int) -> None: ...


@dataclass
class Room:
    """One simulated session and its cast."""

    size: int
    dj: uuid.UUID
    listeners: list[uuid.UUID]
    moderator: uuid.UUID | None = None
    session_id: str = ""
    items: list[str] = field(default_factory=list)
    present: set[int] = field(default_factory=set)
    locks: dict[int, asyncio.Lock] = field(default_factory=dict)
    #: Present listeners whose app is in the foreground (subscribed in a push room, following a crowd).
    foreground: set[int] = field(default_factory=set)
    #: (seconds into the run, +1 or -1) as foreground apps come and go: who is subscribed when.
    presence: list[tuple[float, int]] = field(default_factory=list)
    mode: str = "push"
    poll_ms: int = 900
    #: A cdn room's reading instructions (private.cdn_delivery: url, slot_ms, lag_ms, ...).
    cdn: dict[str, object] | None = None
    snapshot_seq: int = 0
    #: The latest visible messages sent (what a moderator's deletion picks from).
    recent_chat: list[str] = field(default_factory=list)
    #: Subscribed throughout: the DJ and the moderator (they joined at setup).
    staff_present: int = 1
    calls: Counter[str] = field(default_factory=Counter)
    response_bytes: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)

    @property
    def topic(self) -> str:
        return f"session:{self.session_id}"


@dataclass
class Run:
    """A run in progress: the rooms, every call's kind and latency, and the clock."""

    workload: plan.Workload
    rooms: list[Room]
    started: float = 0.0
    started_at: datetime | None = None
    shed: int = 0
    crashed: int = 0
    cpu_seconds: float | None = None
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    response_bytes: int = 0
    #: What an action should make its room see -> (the room's index, when it was offered, seconds into
    #: the run): ("chat", message id), ("request", item id), ("vote", item id, tally), ("now_playing",
    #: item id), ("announcement", body), ("deleted", message id), ("moderation", user id).
    sent: dict[tuple[object, ...], tuple[int, float]] = field(default_factory=dict)
    seen: Seen = field(default_factory=Seen)
    nonce: int = field(default_factory=lambda: uuid.uuid4().int)
    pollers: Following | None = None

    def record(self, room: Room, kind: str, answer: Answer) -> None:
        room.calls[kind] += 1
        room.latencies.append(answer.seconds)
        self.by_kind.setdefault(kind, []).append(answer.seconds)
        self.response_bytes += answer.response_bytes
        room.response_bytes[kind] += answer.response_bytes
        if answer.code:
            room.errors[answer.code] += 1

    def elapsed(self) -> float:
        return time.perf_counter() - self.started if self.started else 0.0

    def set_foreground(self, room: Room, actor: int, foreground: bool) -> None:
        """A present listener's app came to the foreground (subscribes or polls) or left it."""
        foreground = foreground and actor in room.present
        if foreground == (actor in room.foreground):
            return
        (room.foreground.add if foreground else room.foreground.discard)(actor)
        room.presence.append((self.elapsed(), 1 if foreground else -1))
        if self.pollers is not None:
            index = self.rooms.index(room)
            (self.pollers.start if foreground else self.pollers.stop)(index, actor)
