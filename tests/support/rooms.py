"""A live room driven through the API: join, chat, request, vote and control the queue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from tests.support.api import Api
from tests.support.gotrue import AuthUser, create_user


@dataclass
class LiveRoom:
    api: Api
    dj: AuthUser
    session: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.session["id"])

    @property
    def topic(self) -> str:
        """The room's realtime topic."""
        return f"session:{self.id}"

    def member(self, kind: Any = "phone", **kwargs: Any) -> AuthUser:
        """Another user, joined."""
        user = create_user(self.api.conn, kind, **kwargs)
        self.api(user, "join_session", p_session_id=self.id)
        return user

    def say(self, who: AuthUser, body: str, **args: Any) -> dict[str, Any]:
        """send_message with a fresh client id."""
        args.setdefault("p_client_id", str(uuid.uuid4()))
        message: dict[str, Any] = self.api(who, "send_message", p_session_id=self.id, p_body=body, **args)
        return message

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
