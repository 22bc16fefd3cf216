"""Drive live rooms through the real RPCs on the wall clock, and count what it cost.

Setup makes the cast (a DJ and listeners per room, a moderator in rooms of 20 or more) as GoTrue
would (rows in auth.users; profiles follow by trigger), then everything else goes through the
API as the app would call it (caller.py): the DJ creates the session live and appoints the
moderator, listeners join (and take the snapshot), heartbeat (saying whether the app is in the
foreground), chat, request, vote, drop off and come back, the DJ plays the queue, the moderator
times people out; in a crowd, foreground apps poll (polling.py). Actions are offered at their
scheduled times (open loop): a slow database shows as latency, never as a slower schedule. The
realtime flusher and the presence refresh run alongside, as in the service. When each action was
offered is kept by what it should make the room see (``Run.sent``), for latency measurements.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from whatssound_svc import periodic, realtime_cdn
from whatssound_svc.lab.simulate import cpu, plan
from whatssound_svc.lab.simulate.caller import POOL_SIZE, Answer, rpc
from whatssound_svc.lab.simulate.polling import Pollers, watching_modes
from whatssound_svc.lab.simulate.run import Room, Run

logger = logging.getLogger(__name__)

#: Refusals the product means to give under this workload (timeouts, rate and slow limits...).
INTENDED = frozenset({
    "BANND", "TMOUT", "SLOWM", "RATEL", "QUOTA", "REJTD", "IDLEQ", "QLOCK", "NOTIN",
    "STATE",  # a vote on a request that just started playing: the phone's queue was a moment stale
})  # fmt: skip
#: The service's maintenance a live room depends on (counts, and batched events in big rooms).
ROOM_MAINTENANCE = frozenset({"refresh_presence", "realtime_flush"})
#: How many calls may wait for a connection before the simulator counts new ones as shed.
MAX_IN_FLIGHT = 5_000
#: Something entered for the run once the rooms are open (a benchmark's load or probe).
Alongside = Callable[["Run"], contextlib.AbstractAsyncContextManager[None]]


def _cast(workload: plan.Workload) -> list[Room]:
    rooms = []
    for size in workload.room_sizes:
        rooms.append(Room(size, uuid.uuid4(), [uuid.uuid4() for _ in range(size)],
                          uuid.uuid4() if size >= 20 else None))  # fmt: skip
    return rooms


def _sign_up(url: str, rooms: list[Room]) -> None:
    """The cast's accounts, as GoTrue writes them (one statement), and DJ mode on for the DJs."""
    people = [(r.dj, True) for r in rooms] + [(u, False) for r in rooms for u in r.listeners]
    people += [(r.moderator, False) for r in rooms if r.moderator]
    batch = f"{random.randrange(10**5):05d}"  # noqa: S311 (phone numbers unique per run, not secrets)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "insert into auth.users (id, aud, role, phone, phone_confirmed_at, raw_app_meta_data,"
            " raw_user_meta_data, created_at, updated_at)"
            " select u.id, 'authenticated', 'authenticated', '19' || %s || lpad(u.n::text, 7, '0'), now(),"
            " '{\"provider\":\"phone\"}', '{}', now(), now()"
            " from unnest(%s::uuid[]) with ordinality as u (id, n)",
            (batch, [p for p, _ in people]),
        )
        conn.execute(
            "update public.profiles set is_dj = true where id = any(%s)", ([p for p, dj in people if dj],)
        )


def sign_out(url: str, run: Run) -> int:
    """Delete the cast's accounts (and with them what they made): a local database keeps only its
    own users between runs. Returns how many were deleted."""
    people = [r.dj for r in run.rooms] + [u for r in run.rooms for u in r.listeners]
    people += [r.moderator for r in run.rooms if r.moderator]
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("delete from auth.users where id = any(%s)", (people,)).rowcount


async def _open_rooms(pool: AsyncConnectionPool, rooms: list[Room]) -> None:
    """Each DJ goes live, seeds the queue with a few requests, appoints the moderator."""
    for i, room in enumerate(rooms):
        answer = await rpc(
            pool, room.dj, "create_session", p_title=f"Simulated room {i + 1}", p_start_now=True
        )
        if answer.code:
            raise RuntimeError(f"the simulator could not open room {i + 1}: {answer.code}")
        room.session_id = answer.result["id"]
        await rpc(pool, room.dj, "join_session", p_session_id=room.session_id)
        for n in range(3):
            await _request(pool, room, room.dj, f"seed{i}-{n}")
        if room.moderator:
            await rpc(pool, room.dj, "appoint_moderator", p_user_id=room.moderator)
            await rpc(pool, room.moderator, "join_session", p_session_id=room.session_id)
            room.staff_present = 2


async def _close_rooms(pool: AsyncConnectionPool, rooms: list[Room]) -> None:
    """Each DJ ends their set: nothing of this run stays live for the next."""
    for room in rooms:
        await rpc(pool, room.dj, "end_session", p_session_id=room.session_id)


async def _request(pool: AsyncConnectionPool, room: Room, who: uuid.UUID, track: str,
                   scheduled: float | None = None) -> Answer:  # fmt: skip
    answer = await rpc(pool, who, "request_track", scheduled=scheduled, p_session_id=room.session_id,
                       p_provider="spotify", p_provider_track_id=f"sim-{track}", p_title=f"Track {track}",
                       p_artist="Simulated Artist", p_duration_ms=200_000)  # fmt: skip
    if answer.result and answer.result.get("item"):
        room.items.append(answer.result["item"]["id"])
    return answer


async def _perform(pool: AsyncConnectionPool, run: Run, action: plan.Action, scheduled: float) -> None:
    """One person's actions happen one after another, as on their phone (a leave never overtakes
    the join before it)."""
    room = run.rooms[action.room]
    async with room.locks.setdefault(action.actor, asyncio.Lock()):
        await _act(pool, run, room, action, scheduled)


async def _act(
    pool: AsyncConnectionPool, run: Run, room: Room, action: plan.Action, scheduled: float
) -> None:
    actor = action.actor
    who = room.dj if actor == -1 else room.moderator if actor == -2 else room.listeners[actor]
    if who is None:  # a moderator's action in a room without one (a hand-written schedule)
        return
    sid, kind = room.session_id, action.kind
    if kind in {"join", "leave"}:
        answer = await rpc(pool, who, f"{kind}_session", scheduled=scheduled, p_session_id=sid)
        run.record(room, kind, answer)
        here = kind == "join" and not answer.code
        if here and actor not in room.present:
            snap = await rpc(pool, who, "session_snapshot", p_session_id=sid)  # the join's second call
            run.record(room, "snapshot", snap)
            if isinstance(snap.result, dict):
                room.snapshot_seq = max(room.snapshot_seq, int(snap.result["seq"]))
        (room.present.add if here else room.present.discard)(actor)
        run.set_foreground(room, actor, here)
        return
    rng = random.Random(f"{run.workload.seed}:{action.at}:{action.room}:{actor}:{kind}")  # noqa: S311
    if kind == "request":
        answer = await _request(pool, room, who, f"{action.room}-{rng.randrange(500)}", scheduled)
        run.record(room, kind, answer)
        if answer.result and answer.result.get("item") and not answer.result.get("was_already_queued"):
            run.sent[("request", answer.result["item"]["id"])] = (action.room, scheduled - run.started)
        return
    call = _call_for(run, room, action, rng)
    if call is None:
        return
    answer = await rpc(pool, who, call[0], scheduled=scheduled, **call[1])
    run.record(room, kind, answer)
    if kind in {"heartbeat", "background"} and not answer.code:
        run.set_foreground(room, actor, action.foreground)
    elif answer.code is None:
        _remember_sent(run, room, kind, call[1], answer.result, (action.room, scheduled - run.started))


def _remember_sent(  # noqa: PLR0917 (one call site)
    run: Run, room: Room, kind: str, args: dict[str, Any], result: Any, at: tuple[int, float]
) -> None:
    """What the room should now see, and when the action was offered."""
    if kind in {"chat", "dj_chat"} and isinstance(result, dict) and result.get("status") == "visible":
        run.sent[("chat", str(args["p_client_id"]))] = at
        room.recent_chat.append(str(args["p_client_id"]))
        del room.recent_chat[:-20]
    elif kind == "delete" and isinstance(result, dict):
        run.sent[("deleted", result["id"])] = at
        if result["id"] in room.recent_chat:
            room.recent_chat.remove(result["id"])
    elif kind == "announce" and isinstance(result, dict):
        run.sent[("announcement", result["announcement"])] = at
    elif kind == "vote" and isinstance(result, dict):
        run.sent[("vote", result["id"], result["upvotes"])] = at
    elif kind == "advance" and isinstance(result, dict) and result.get("id"):
        run.sent[("now_playing", result["id"])] = at
    elif kind == "moderate":
        run.sent[("moderation", str(args["p_user_id"]))] = at


def _call_for(
    run: Run, room: Room, action: plan.Action, rng: random.Random
) -> tuple[str, dict[str, Any]] | None:
    """The RPC and arguments for anything but joining, leaving and requesting; None when there is
    nothing to act on (no request to vote for, nobody to time out)."""
    sid = room.session_id
    calls: dict[str, Callable[[], tuple[str, dict[str, Any]] | None]] = {
        "heartbeat": lambda: ("heartbeat", {"p_session_id": sid, "p_foreground": action.foreground}),
        "background": lambda: ("heartbeat", {"p_session_id": sid, "p_foreground": False}),
        "chat": lambda: ("send_message", {
            "p_session_id": sid, "p_body": f"simulated message {rng.randrange(10**6)}",
            # fresh for every run (the schedule is the seed's; a message id must never repeat)
            "p_client_id": uuid.UUID(int=rng.getrandbits(128) ^ run.nonce, version=4)}),
        "vote": lambda: (
            ("cast_vote", {"p_item_id": rng.choice(room.items), "p_value": 1}) if room.items else None
        ),
        "advance": lambda: ("control_queue", {"p_session_id": sid, "p_action": "advance"}),
        "moderate": lambda: ("ban_user", {
            "p_dj_id": room.dj, "p_user_id": room.listeners[rng.choice(sorted(room.present))],
            "p_reason": "simulated spam", "p_timeout_seconds": 120}) if room.present else None,
        "announce": lambda: ("announce", {
            "p_session_id": sid, "p_body": f"announcement {rng.randrange(10**6)}"}),
        "delete": lambda: ("delete_message", {
            "p_message_id": room.recent_chat[-1], "p_reason": "simulated"}) if room.recent_chat else None,
    }  # fmt: skip
    calls["dj_chat"] = calls["chat"]
    return calls[action.kind]()


async def execute(url: str, workload: plan.Workload, *, actions: list[plan.Action] | None = None,
                  on_tick: Callable[[Run], None] | None = None, tick_s: float = 1.0,
                  alongside: Alongside | None = None,
                  frames: realtime_cdn.FrameStore | None = None) -> Run:  # fmt: skip
    """Run ``workload`` (or exactly ``actions``) against the database at ``url``; ``alongside(run)``
    (a benchmark's load generator or probe) is entered once the rooms are open, for the run. With
    ``frames`` (where cdn rooms' files go) the cdn lane's publisher runs too, as in the service."""
    actions = plan.schedule(workload) if actions is None else sorted(actions)
    run = Run(workload, _cast(workload))
    _sign_up(url, run.rooms)
    async with AsyncConnectionPool(url, min_size=POOL_SIZE, max_size=POOL_SIZE, open=False) as pool, \
            AsyncConnectionPool(url, min_size=1, max_size=4, open=False) as service:  # fmt: skip
        await _open_rooms(pool, run.rooms)
        tasks = [t for t in await periodic.declared_tasks(service) if t.name in ROOM_MAINTENANCE]
        run.pollers = Pollers(pool, run)
        publishing = realtime_cdn.running(service, frames) if frames else contextlib.nullcontext()
        async with periodic.running(service, tasks), publishing, service.connection() as conn, \
                watching_modes(service, run, run.pollers), (alongside or _nothing)(run):  # fmt: skip
            server = (await (await conn.execute("select pg_backend_pid()")).fetchone() or [0])[0]
            cpu_before = cpu.postgres_cpu_seconds(server)
            await conn.execute("select 1")  # the first statement pays for the connection's warm-up
            run.started_at = (await (await conn.execute("select clock_timestamp()")).fetchone() or [None])[0]
            run.started = time.perf_counter()  # the two clocks' zero, read together
            await _drive(pool, run, actions, on_tick, tick_s)
            await run.pollers.stop_all()
            cpu_after = cpu.postgres_cpu_seconds(server)
            if cpu_before is not None and cpu_after is not None:
                run.cpu_seconds = round(cpu_after - cpu_before, 2)
        await _close_rooms(pool, run.rooms)
    return run


@contextlib.asynccontextmanager
async def _nothing(_run: Run) -> AsyncIterator[None]:
    yield


async def _drive(pool: AsyncConnectionPool, run: Run, actions: list[plan.Action],
                 on_tick: Callable[[Run], None] | None, tick_s: float) -> None:  # fmt: skip
    in_flight: set[asyncio.Task[None]] = set()
    next_tick = run.started + tick_s
    for action in actions:
        due = run.started + action.at
        while (now := time.perf_counter()) < due:
            if on_tick is None:
                await asyncio.sleep(due - now)
                continue
            if now >= next_tick:
                on_tick(run)
                next_tick = max(next_tick, time.perf_counter()) + tick_s
            await asyncio.sleep(max(0.0, min(due, next_tick) - now))
        if len(in_flight) >= MAX_IN_FLIGHT:
            run.shed += 1
            continue
        task = asyncio.create_task(_perform(pool, run, action, due))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    remaining = run.started + run.workload.duration_s - time.perf_counter()
    if remaining > 0:
        await asyncio.sleep(remaining)
    for outcome in await asyncio.gather(*in_flight, return_exceptions=True):
        if isinstance(outcome, BaseException):
            run.crashed += 1
            logger.error("a simulated call crashed: %s: %s", type(outcome).__name__, outcome)
    if run.shed:
        logger.warning("%d calls shed: more than %d waiting for a connection", run.shed, MAX_IN_FLIGHT)
    if on_tick:
        on_tick(run)
