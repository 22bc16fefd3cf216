"""A live room with a DJ and joined listeners, and short-hands for requesting tracks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import AuthUser, create_user


@dataclass
class QueueRoom:
    api: Api
    dj: AuthUser
    session: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.session["id"])

    def listener(self, kind: Any = "phone") -> AuthUser:
        user = create_user(self.api.conn, kind)
        self.api(user, "join_session", p_session_id=self.id)
        return user

    def request(self, who: AuthUser, track: str, **overrides: Any) -> dict[str, Any]:
        """request_track for a Spotify-like track id; returns the request_result."""
        args = {
            "p_session_id": self.id, "p_provider": "spotify", "p_provider_track_id": track,
            "p_title": f"Song {track}", "p_artist": "Artist", "p_duration_ms": 180_000,
        } | overrides  # fmt: skip
        result: dict[str, Any] = self.api(who, "request_track", **args)
        return result

    def top(self, who: AuthUser | None = None, limit: int = 200) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.api(
            who or self.dj, "queue_top", p_session_id=self.id, p_limit=limit
        )
        return rows

    def control(self, action: str, item: str | None = None, **args: Any) -> Any:
        return self.api(
            self.dj, "control_queue", p_session_id=self.id, p_action=action, p_item_id=item, **args
        )


@pytest.fixture
def qroom(db: psycopg.Connection, api: Api) -> QueueRoom:
    dj = make_dj(db)
    return QueueRoom(api, dj, make_session(api, dj))
