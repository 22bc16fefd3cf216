"""A live room with a DJ and a listener who joined, for the chat tests."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
import pytest

from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import AuthUser, create_user
from tests.support.rooms import LiveRoom


@dataclass
class Room(LiveRoom):
    listener: AuthUser


@pytest.fixture
def room(db: psycopg.Connection, api: Api) -> Room:
    dj = make_dj(db)
    session = make_session(api, dj)
    listener = create_user(db)
    api(listener, "join_session", p_session_id=session["id"])
    return Room(api, dj, session, listener)
