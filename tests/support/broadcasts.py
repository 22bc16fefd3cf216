"""Read what the database broadcast or what a poll returns, and check it against the event
catalogue's JSON Schemas.

``Broadcasts(conn).take()`` returns the broadcasts written to ``realtime.messages`` since the last
call (as Supabase Realtime would deliver them), after checking that each payload is a valid
envelope whose ``data`` matches ``docs/realtime-events/<event>.schema.json``, that the stored
row's event and topic agree with the envelope, and that sequence numbers continue each topic
without a gap. ``Poller`` is the app in a pull room: it calls ``session_poll`` from its last
sequence number, as docs/realtime-events.md says, and checks the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from whatssound_svc.typegen import CONTAINER_SCHEMAS

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "realtime-events"


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


def documented_events() -> set[str]:
    """Every event the catalogue defines (all schemas but the containers)."""
    return {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")} - CONTAINER_SCHEMAS


def validate(name: str, instance: Any) -> None:
    """Raise jsonschema.ValidationError unless ``instance`` matches schema ``name``."""
    registry = _registry()
    schema = registry.contents(f"https://whatssound.app/schemas/realtime/{name}.schema.json")
    Draft202012Validator(schema, registry=registry, format_checker=FormatChecker()).validate(instance)


@dataclass(frozen=True)
class Broadcast:
    topic: str
    event: str
    seq: int
    data: dict[str, Any]
    payload: dict[str, Any]


class Broadcasts:
    """Broadcasts written on ``conn``'s transaction (or committed) since the last ``take``."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        self.seen: set[str] = set()
        self.last_seq: dict[str, int] = {}
        self.take()  # start from now

    def take(self, topic: str | None = None) -> list[Broadcast]:
        """New broadcasts (of ``topic``, or all), in sending order, each validated."""
        rows = self.conn.execute(
            "select id::text, topic, event, payload, private, extension from realtime.messages"
            " where extension = 'broadcast' and (%s::text is null or topic = %s)"
            " order by topic, (payload ->> 'seq')::bigint",
            (topic, topic),
        ).fetchall()
        fresh = []
        for row_id, row_topic, event, payload, private, _ in rows:
            if row_id in self.seen:
                continue
            self.seen.add(row_id)
            assert private is True, "every broadcast is private"
            validate("envelope", payload)
            assert (payload["event"], payload["topic"]) == (event, row_topic)
            validate(event, payload["data"])
            previous = self.last_seq.get(row_topic)
            if previous is not None and payload["seq"] != previous + 1:
                # A gap is only ever entries a pull room logged for its polls, never broadcast.
                unsent = self.conn.execute(
                    "select count(*) from private.realtime_log where topic = %s and seq > %s and seq < %s"
                    " and not sent",
                    (row_topic, previous, payload["seq"]),
                ).fetchone()
                assert unsent == (payload["seq"] - previous - 1,), (
                    f"{row_topic}: seq {payload['seq']} after {previous}"
                )
            self.last_seq[row_topic] = payload["seq"]
            fresh.append(Broadcast(row_topic, event, payload["seq"], payload["data"], payload))
        fresh.sort(key=lambda b: (b.topic, b.seq))
        return fresh

    def events(self, topic: str | None = None) -> list[tuple[str, str]]:
        """New broadcasts as (topic, event) pairs."""
        return [(b.topic, b.event) for b in self.take(topic)]


class Poller:
    """An app following a room by ``session_poll``: ``poll()`` returns the new envelopes (paging
    while ``has_more``), each validated, with sequence numbers continuing from the last one."""

    def __init__(self, api: Any, who: Any, session_id: str, after_seq: int = 0) -> None:
        self.api, self.who, self.session_id = api, who, session_id
        self.last_seq = after_seq
        self.answer: dict[str, Any] = {}

    def poll(self) -> list[Broadcast]:
        fresh: list[Broadcast] = []
        while True:
            self.answer = self.api(
                self.who, "session_poll", p_session_id=self.session_id, p_after_seq=self.last_seq
            )
            assert not self.answer["resync_needed"], "the poller kept up: no resync"
            for payload in self.answer["events"]:
                validate("envelope", payload)
                validate(payload["event"], payload["data"])
                assert payload["seq"] == self.last_seq + 1, f"seq {payload['seq']} after {self.last_seq}"
                self.last_seq = payload["seq"]
                fresh.append(
                    Broadcast(payload["topic"], payload["event"], payload["seq"], payload["data"], payload)
                )
            assert self.answer["has_more"] == (self.last_seq < self.answer["last_seq"])
            if not self.answer["has_more"]:
                return fresh

    @property
    def mode(self) -> str:
        return str(self.answer["mode"])
