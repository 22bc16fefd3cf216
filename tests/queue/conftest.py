"""A live room with a DJ, for the queue tests (``qroom.listener()`` joins a new listener)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import AuthUser
from tests.support.rooms import LiveRoom


class QueueRoom(LiveRoom):
    def listener(self, kind: Any = "phone") -> AuthUser:
        return self.member(kind)


@pytest.fixture
def qroom(db: psycopg.Connection, api: Api) -> QueueRoom:
    dj = make_dj(db)
    return QueueRoom(api, dj, make_session(api, dj))
