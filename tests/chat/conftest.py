"""A live room with a DJ and a listener who joined, for the chat tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import AuthUser, create_user


@dataclass
class Room:
    api: Api
    dj: AuthUser
    session: dict[str, Any]
    listener: AuthUser

    @property
    def id(self) -> str:
        return str(self.session["id"])

    def member(self, kind: Any = "phone", **kwargs: Any) -> AuthUser:
        """Another user, joined."""
        user = create_user(self.api.conn, kind, **kwargs)
        self.api(user, "join_session", p_session_id=self.id)
        return user

    def say(self, who: AuthUser, body: str, **args: Any) -> dict[str, Any]:
        """send_message with a fresh client id."""
        args.setdefault("p_client_id", str(__import__("uuid").uuid4()))
        message: dict[str, Any] = self.api(who, "send_message", p_session_id=self.id, p_body=body, **args)
        return message


@pytest.fixture
def room(db: psycopg.Connection, api: Api) -> Room:
    dj = make_dj(db)
    session = make_session(api, dj)
    listener = create_user(db)
    api(listener, "join_session", p_session_id=session["id"])
    return Room(api, dj, session, listener)
