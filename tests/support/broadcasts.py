"""Read what the database broadcast, and check it against the event catalogue's JSON Schemas.

``Broadcasts(conn).take()`` returns the broadcasts written to ``realtime.messages`` since the last
call (as Supabase Realtime would deliver them), after checking that each payload is a valid
envelope whose ``data`` matches ``docs/realtime-events/<event>.schema.json``, that the stored
row's event and topic agree with the envelope, and that sequence numbers continue each topic
without a gap.
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

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "realtime-events"


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


def documented_events() -> set[str]:
    """Every event the catalogue defines (all schemas but the envelope)."""
    return {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")} - {"envelope"}


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
            if previous is not None:
                assert payload["seq"] == previous + 1, f"{row_topic}: seq {payload['seq']} after {previous}"
            self.last_seq[row_topic] = payload["seq"]
            fresh.append(Broadcast(row_topic, event, payload["seq"], payload["data"], payload))
        fresh.sort(key=lambda b: (b.topic, b.seq))
        return fresh

    def events(self, topic: str | None = None) -> list[tuple[str, str]]:
        """New broadcasts as (topic, event) pairs."""
        return [(b.topic, b.event) for b in self.take(topic)]
