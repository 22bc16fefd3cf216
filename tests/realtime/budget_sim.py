"""The realtime delivery lanes, simulated: live rooms of any size with realistic chat and vote
traffic, driven second by second on the budget's fake clock through the real triggers and the
real flusher, then measured from the log (private.realtime_log) the way Supabase Realtime counts
it: a broadcast to N subscribers is N + 1 delivered messages; a pull room's frames, read by polls,
are not messages at all.

Each room has its listener count and its foreground count (the apps that subscribe or poll: 40 %,
docs/capacity.md) set as the presence refresh sets them; up to 20 real members chat and vote, the
DJ is in the room (the staff lane's subscriber). The driver of tests/realtime/test_budget.py (the
limits hold, nothing is lost); what the month costs is the cost model's answer
(whatssound_svc/lab/capacity, `whatssound cost`), and live latency the simulator's (`make bench`).
Runs inside the caller's transaction; the caller rolls back or commits.
"""

from __future__ import annotations

import json
import math
import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg

#: Rooms of the reference mix: one of each size live at the same time.
REFERENCE_ROOMS = (5, 20, 50, 200, 1_000, 5_000, 20_000)
START = datetime(2030, 1, 1, tzinfo=UTC)
DRAIN_SECONDS = 5
FOREGROUND_SHARE = 0.4

STEP_FUNCTION = """
create function pg_temp.sim_second(p_plan jsonb) returns void
language plpgsql volatile
as $$
declare
  r jsonb;
begin
  for r in select value from jsonb_array_elements(p_plan) loop
    -- Each line of traffic is written as its author (auth.uid() from the claims), through every trigger.
    perform set_config('request.jwt.claims', json_build_object('sub', r ->> 'author', 'role', 'authenticated')::text, true);
    insert into public.chat_messages (id, session_id, author_id, body)
    select gen_random_uuid(), (r ->> 'session')::uuid, (r ->> 'author')::uuid, r ->> 'body'
    from generate_series(1, (r ->> 'chat')::integer);
    for i in 1 .. (r ->> 'votes')::integer loop
      update public.queue_items set upvotes = upvotes + 1 where id = (r ->> 'item')::uuid;
    end loop;
    if r ? 'listeners' then
      perform set_config('request.jwt.claims', '', true);
      update public.dj_sessions set listener_count = (r ->> 'listeners')::integer,
        foreground_count = (r ->> 'foreground')::integer
      where id = (r ->> 'session')::uuid;
    end if;
  end loop;
  perform set_config('request.jwt.claims', '', true);
end
$$;
"""


@dataclass(frozen=True)
class Traffic:
    """What a room of N listeners does each second (Poisson arrivals, capped per room)."""

    chat_per_listener: float = 1 / 300  # a message every 5 minutes per listener
    votes_per_listener: float = 1 / 120  # a vote every 2 minutes per listener
    chat_cap: float = 30.0  # a room's chat is bounded by how fast people can read it
    vote_cap: float = 60.0
    dj_chat_every_s: int = 20  # the DJ speaks (priority)
    mention_share: float = 0.05  # listener messages mentioning the DJ (priority)
    presence_every_s: int = 5  # refresh_presence's period
    mean_stay_s: float = 1800  # listeners come and go: each stays 30 minutes on average


@dataclass
class Room:
    """A simulated live room."""

    listeners: int
    session_id: str
    dj_id: str
    dj_handle: str
    chatters: list[str]
    item_ids: list[str]

    @property
    def topic(self) -> str:
        return f"session:{self.session_id}"


@dataclass
class RoomFigures:
    """What one room's listeners (and its DJ's team) received."""

    listeners: int
    mode: str = "push"
    chat_sent: int = 0
    priority_sent: int = 0
    broadcasts: int = 0  # sent to the room's subscribers
    frames: int = 0  # ticks only polled
    ticks: int = 0  # ticks broadcast
    chat_immediate: int = 0
    chat_in_ticks: int = 0
    chat_omitted: int = 0
    priority_delivered: int = 0
    staff_chat: int = 0
    most_in_60s: int = 0
    largest_tick_bytes: int = 0
    delivered: int = 0
    chat_delays: list[int] = field(default_factory=list)

    @property
    def chat_delay_p95(self) -> float:
        """Seconds from a message to the entry carrying it (95th percentile)."""
        delays = sorted(self.chat_delays)
        return float(delays[math.ceil(0.95 * len(delays)) - 1]) if delays else 0.0


@dataclass
class Outcome:
    """The whole run, as Realtime would have counted it."""

    seconds: int
    listener_budget_per_minute: int
    project_limit_per_second: int
    rooms: list[RoomFigures]
    personal_messages: int = 0
    staff_messages: int = 0
    delivered: int = 0
    traffic_seconds: int = 0
    most_delivered_in_60s: int = 0
    most_delivered_in_1s: int = 0

    @property
    def listeners(self) -> int:
        return sum(r.listeners for r in self.rooms)

    @property
    def per_listener_minute(self) -> float:
        """Delivered messages (rooms, staff lanes, personal) per listener per minute of traffic."""
        return self.delivered / self.listeners / (self.traffic_seconds / 60)

    @property
    def delivered_per_second(self) -> float:
        """The busiest 60-s average of delivered messages/s."""
        return self.most_delivered_in_60s / 60


def _setting(conn: psycopg.Connection, key: str) -> int:
    row = conn.execute(
        "select (value #>> '{}')::numeric from private.settings where key = %s", (key,)
    ).fetchone()
    assert row is not None
    return int(row[0])


def set_clock(conn: psycopg.Connection, when: datetime) -> None:
    conn.execute("select set_config('whatssound.fake_now', %s, true)", (when.isoformat(),))


def foreground(listeners: int) -> int:
    """The apps of a room of ``listeners`` that are in the foreground, and its DJ."""
    return round(FOREGROUND_SHARE * listeners) + 1


def create_rooms(conn: psycopg.Connection, sizes: tuple[int, ...] | list[int]) -> list[Room]:
    """One live room per size: a DJ in the room, up to 20 real members who chat and five requests to
    vote on. The counts are set as refresh_presence would set them (the silent listeners need no rows)."""
    conn.execute("update private.settings set value = '1000000' where key = 'chat_rate_messages'")
    rooms = []
    for n, listeners in enumerate(sizes):
        ids = [str(uuid.uuid4()) for _ in range(1 + min(listeners, 20))]
        conn.execute(
            """
            insert into auth.users (id, aud, role, phone, phone_confirmed_at, raw_app_meta_data, raw_user_meta_data,
              created_at, updated_at)
            select u.id, 'authenticated', 'authenticated', '1556' || lpad((%s * 100 + u.n)::text, 7, '0'), now(),
              '{"provider":"phone"}', '{}', now(), now()
            from unnest(%s::uuid[]) with ordinality as u(id, n)
            """,
            (n, ids),
        )
        dj, chatters = ids[0], ids[1:]
        row = conn.execute(
            "update public.profiles set is_dj = true where id = %s returning handle", (dj,)
        ).fetchone()
        assert row is not None
        session = conn.execute(
            "insert into public.dj_sessions (dj_id, title, status) values (%s, %s, 'live') returning id",
            (dj, f"Room of {listeners}"),
        ).fetchone()
        assert session is not None
        session_id = str(session[0])
        conn.execute(
            "insert into public.session_members (session_id, user_id, role)"
            " select %s, u, case when u = %s then 'dj' else 'listener' end::public.member_role"
            " from unnest(%s::uuid[]) as u",
            (session_id, dj, ids),
        )
        items = []
        for i, who in enumerate(chatters[:5]):
            conn.execute("select set_config('request.jwt.claims', %s, true)", (json.dumps({"sub": who}),))
            result = conn.execute(
                "select ((public.request_track(%s, 'spotify', %s, 'Song', 'Artist', 180000)).item).id",
                (session_id, f"sim{n}-{i}"),
            ).fetchone()
            assert result is not None
            items.append(str(result[0]))
        conn.execute("select set_config('request.jwt.claims', '', true)")
        conn.execute(
            "update public.dj_sessions set listener_count = %s, foreground_count = %s where id = %s",
            (listeners, foreground(listeners), session_id),
        )
        rooms.append(Room(listeners, session_id, dj, str(row[0]), chatters, items))
    return rooms


def _second(rng: random.Random, rooms: list[Room], t: int, traffic: Traffic) -> list[dict[str, object]]:
    """The traffic of second ``t``: one line per author (bodies carry t, to measure delays)."""
    plan: list[dict[str, object]] = []
    for room in rooms:
        chat = _poisson(rng, min(traffic.chat_cap, traffic.chat_per_listener * room.listeners))
        votes = _poisson(rng, min(traffic.vote_cap, traffic.votes_per_listener * room.listeners))
        mentions = sum(rng.random() < traffic.mention_share for _ in range(chat))
        line = {"session": room.session_id, "item": rng.choice(room.item_ids), "votes": votes}
        plan.append(line | {"author": rng.choice(room.chatters), "chat": chat - mentions, "body": f"t={t}"})
        if mentions:
            body = f"t={t} [p] @{room.dj_handle} play it"
            plan.append(
                line | {"author": rng.choice(room.chatters), "chat": mentions, "votes": 0, "body": body}
            )
        if t % traffic.dj_chat_every_s == 0:
            plan.append(line | {"author": room.dj_id, "chat": 1, "votes": 0, "body": f"t={t} [p] thanks all"})
        if t % traffic.presence_every_s == 0:
            # Joins and leaves since the last refresh_presence; the room's size stays about the same
            # (and on the same side of the push/pull threshold).
            moves = _poisson(rng, 2 * room.listeners * traffic.presence_every_s / traffic.mean_stay_s)
            if moves:
                size = max(1, room.listeners + rng.randint(-min(moves, 2), min(moves, 2)))
                plan.append(line | {"chat": 0, "votes": 0, "listeners": size, "foreground": foreground(size)})
    return plan


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method (means here are at most a few dozen)."""
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def simulate(
    conn: psycopg.Connection,
    sizes: tuple[int, ...] | list[int] = REFERENCE_ROOMS,
    seconds: int = 180,
    traffic: Traffic | None = None,
    seed: int = 1,
) -> Outcome:
    """Run ``seconds`` of traffic in rooms of ``sizes`` listeners, flushing every second, then a
    few quiet seconds for the last frames to drain."""
    traffic = traffic or Traffic()
    set_clock(conn, START)
    rooms = create_rooms(conn, sizes)
    conn.execute(STEP_FUNCTION)
    conn.execute("select private.realtime_flush()")  # the rooms' modes are decided before traffic starts
    rng = random.Random(seed)
    figures = {room.topic: RoomFigures(room.listeners) for room in rooms}
    for t in range(1, seconds + DRAIN_SECONDS + 1):
        set_clock(conn, START + timedelta(seconds=t))
        plan = _second(rng, rooms, t, traffic) if t <= seconds else []
        for line in plan:
            room_figures = figures[f"session:{line['session']}"]
            sent = int(line["chat"])  # type: ignore[call-overload]
            room_figures.chat_sent += sent
            room_figures.priority_sent += sent if "[p]" in str(line.get("body", "")) else 0
        conn.execute("select pg_temp.sim_second(%s)", (json.dumps(plan),))
        conn.execute("select private.realtime_flush()")
    outcome = _measure(conn, rooms, figures, seconds + DRAIN_SECONDS)
    outcome.traffic_seconds = seconds
    return outcome


def _measure(
    conn: psycopg.Connection, rooms: list[Room], figures: dict[str, RoomFigures], seconds: int
) -> Outcome:
    """Read what was broadcast or logged during the run back from the log."""
    outcome = Outcome(
        seconds,
        _setting(conn, "realtime_listener_budget_per_minute"),
        _setting(conn, "realtime_project_messages_per_second"),
        list(figures.values()),
    )
    for simulated in rooms:
        mode = conn.execute(
            "select delivery from private.realtime_topics where topic = %s", (simulated.topic,)
        ).fetchone()
        figures[simulated.topic].mode = str(mode[0]) if mode else "push"
    staff = {f"staff:{r.session_id}": figures[r.topic] for r in rooms}
    delivered: Counter[int] = Counter()
    per_room: dict[str, Counter[int]] = defaultdict(Counter)
    rows = conn.execute(
        "select topic, extract(epoch from created_at - %s)::integer, event, payload -> 'data', sent, recipients,"
        " octet_length(payload::text) from private.realtime_log where created_at > %s order by topic, seq",
        (START, START),
    ).fetchall()
    for topic, t, event, data, sent, recipients, octets in rows:
        billed = recipients + 1 if sent else 0
        delivered[t] += billed
        if topic in staff:
            outcome.staff_messages += billed
            chat = (
                [data]
                if event == "chat.message"
                else [e["data"] for e in data["events"] if e["event"] == "chat.message"]
                if event == "tick"
                else []
            )
            staff[topic].staff_chat += len(chat)
            continue
        room = figures.get(topic)
        if room is None:  # a personal event: one recipient
            outcome.personal_messages += billed
            continue
        room.delivered += billed
        if sent:
            per_room[topic][t] += 1
            room.broadcasts += 1
        if event == "tick":
            room.ticks += bool(sent)
            room.frames += not sent
            room.chat_omitted += data.get("chat_omitted", 0)
            room.largest_tick_bytes = max(room.largest_tick_bytes, octets)
        chat = [data] if event == "chat.message" else data.get("chat", []) if event == "tick" else []
        for message in chat:
            sent_at = int(message["body"].split()[0].removeprefix("t="))
            room.chat_delays.append(t - sent_at)
            room.priority_delivered += "[p]" in message["body"]
            if event == "tick":
                room.chat_in_ticks += 1
            else:
                room.chat_immediate += 1
    for topic, counts in per_room.items():
        figures[topic].most_in_60s = _most_in_window(counts, seconds)
    outcome.most_delivered_in_60s = _most_in_window(delivered, seconds)
    outcome.most_delivered_in_1s = max(delivered.values(), default=0)
    outcome.delivered = sum(delivered.values())
    return outcome


def _most_in_window(counts: Counter[int], seconds: int, window: int = 60) -> int:
    """The largest total over any ``window`` consecutive seconds."""
    return max(
        (sum(counts[s] for s in range(t, t + window)) for t in range(1, max(2, seconds - window + 2))),
        default=0,
    )
