"""Apps in a crowd follow it as docs/realtime-events.md says, from the last sequence number they
applied: in a pull room by ``session_poll`` at the interval the server gives, in a cdn room by
reading its per-slot files by URL (each ``lag_ms`` after its slot ends; a file not there is one
poll instead); apps in a push room are subscribed instead. The engine runs a poller for each
foreground listener of a crowd (or for up to ``Workload.poll_limit`` of them, when a benchmark
offers the rest of the load itself), records when each logged entry first reached each poller
(what "available to the client" means for a pulled event), and watches each room's mode as the
app would hear of it."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
from psycopg_pool import AsyncConnectionPool

from whatssound_svc.lab.simulate.caller import rpc
from whatssound_svc.lab.simulate.run import Room, Run


class Pollers:
    """Every poller of a run: started when a foreground listener is in a pull room, stopped when
    they leave or background, or the room becomes a push room."""

    def __init__(self, pool: AsyncConnectionPool, run: Run) -> None:
        self.pool, self.run = pool, run
        self.tasks: dict[tuple[int, int], asyncio.Task[None]] = {}
        self.http = httpx.AsyncClient(timeout=5.0)

    def start(self, room_index: int, actor: int) -> None:
        room = self.run.rooms[room_index]
        key = (room_index, actor)
        limit = self.run.workload.poll_limit
        running = sum(1 for r, _ in self.tasks if r == room_index)
        if (room.mode == "push" or actor not in room.foreground or key in self.tasks
                or (limit is not None and running >= limit)):  # fmt: skip
            return
        self.tasks[key] = asyncio.create_task(self._loop(room, actor), name=f"poll:{room_index}:{actor}")
        self.tasks[key].add_done_callback(lambda _t: self.tasks.pop(key, None))

    def stop(self, room_index: int, actor: int) -> None:
        task = self.tasks.get((room_index, actor))
        if task:
            task.cancel()

    async def stop_all(self) -> None:
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.http.aclose()

    async def _loop(self, room: Room, actor: int) -> None:
        who = room.listeners[actor] if actor >= 0 else room.dj
        rng = random.Random(f"{self.run.workload.seed}:poll:{room.session_id}:{actor}")  # noqa: S311
        last = room.snapshot_seq
        await asyncio.sleep(rng.uniform(0, room.poll_ms / 1000))  # apps poll out of phase
        while True:
            if room.mode == "cdn" and room.cdn:
                last = await self._read_files(room, who, last)
            due = time.perf_counter()
            last, body = await self._poll(room, who, last, due)
            if body.get("has_more"):
                continue
            if body.get("mode") == "push":  # the room is small again: subscribe instead
                return
            if body.get("mode") != "cdn" or not room.cdn:  # (a cdn room's files: read them next)
                await asyncio.sleep(max(0.0, due + room.poll_ms / 1000 - time.perf_counter()))

    async def _poll(self, room: Room, who: Any, last: int, due: float) -> tuple[int, dict[str, Any]]:
        """One session_poll from ``last``: the seq now applied, and the answer."""
        answer = await rpc(self.pool, who, "session_poll", scheduled=due,
                           p_session_id=room.session_id, p_after_seq=last)  # fmt: skip
        self.run.record(room, "poll", answer)
        self.run.seen.polls += 1
        body = answer.result if isinstance(answer.result, dict) else {}
        now = time.perf_counter() - self.run.started
        for entry in body.get("events", []):
            self.run.seen.record(entry["topic"], entry["seq"], now)
            last = entry["seq"]
        if body.get("resync_needed"):  # fell behind: a snapshot, then on from its seq
            self.run.seen.resyncs += 1
            snap = await rpc(self.pool, who, "session_snapshot", p_session_id=room.session_id)
            self.run.record(room, "snapshot", snap)
            last = snap.result["seq"] if isinstance(snap.result, dict) else body.get("last_seq", last)
        return last, body

    async def _read_files(self, room: Room, who: Any, last: int) -> int:
        """Read a cdn room's files slot after slot, each lag_ms after its slot ends (the machine's
        clock is the server's here); a file not there, or one that starts past ``last``, is a poll
        first, and a poll that no longer says cdn ends the reading. Returns the seq applied."""
        cdn = room.cdn or {}
        slot_s, lag_s = float(cdn["slot_ms"]) / 1000, float(cdn["lag_ms"]) / 1000  # type: ignore[arg-type]
        slot = int(time.time() // slot_s)
        while room.mode == "cdn":
            await asyncio.sleep(max(0.0, (slot + 1) * slot_s + lag_s - time.time()))
            response = await self.http.get(f"{cdn['url']}/{slot}.json")
            slot += 1
            frame = response.json() if response.status_code == 200 else None
            if frame is None or frame["from_seq"] > last or frame["resync_needed"]:
                self.run.seen.missing_files += frame is None
                last, body = await self._poll(room, who, last, time.perf_counter())
                if body.get("mode") != "cdn":
                    return last
                continue
            self.run.seen.files += 1
            now = time.perf_counter() - self.run.started
            for entry in frame["events"]:
                if entry["seq"] > last:
                    self.run.seen.record(entry["topic"], entry["seq"], now)
                    last = entry["seq"]
        return last


@contextlib.asynccontextmanager
async def watching_modes(service: AsyncConnectionPool, run: Run, pollers: Pollers,
                         every_s: float = 1.0) -> AsyncIterator[None]:  # fmt: skip
    """Keep each room's mode and poll interval current (the app hears of a switch by a `delivery`
    broadcast, or by the mode in its poll), starting pollers when a room becomes a crowd."""

    async def watch() -> None:
        topics = [room.topic for room in run.rooms]
        while True:
            async with service.connection() as conn:
                rows = await (await conn.execute(
                    "select topic, delivery, poll_ms, private.cdn_delivery(session_id, delivery)"
                    " from private.realtime_topics where topic = any(%s)",
                    (topics,),
                )).fetchall()  # fmt: skip
            modes = {topic: (mode, poll_ms, cdn) for topic, mode, poll_ms, cdn in rows}
            for index, room in enumerate(run.rooms):
                mode, poll_ms, cdn = modes.get(room.topic, ("push", room.poll_ms, None))
                switched = mode != room.mode
                room.mode, room.poll_ms, room.cdn = mode, poll_ms, cdn
                if switched and mode != "push":
                    for actor in sorted(room.foreground):
                        pollers.start(index, actor)
            await asyncio.sleep(every_s)

    task = asyncio.create_task(watch(), name="simulate:modes")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
