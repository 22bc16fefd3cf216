"""Test fixtures: one PostgreSQL server per session, a migrated template database, and fast
per-test isolation (a rolled-back transaction, or a fresh clone when a test must commit)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

# Sanitise the environment before anything reads settings: a developer's DATABASE_URL or
# WHATSSOUND_* must never leak into (or be clobbered by) the tests.
_KEEP = {"WHATSSOUND_PG_BINDIR", "WHATSSOUND_PG_OS_USER", "WHATSSOUND_TEST_DATABASE_URL"}
for _key in list(os.environ):
    if _key == "DATABASE_URL" or (_key.startswith("WHATSSOUND_") and _key not in _KEEP):
        del os.environ[_key]

from tests.support.api import Api  # noqa: E402
from tests.support.gotrue import AuthUser, create_user  # noqa: E402
from tests.support.pgserver import PgServer, build_template, session_server  # noqa: E402
from whatssound_svc.settings import get_settings  # noqa: E402


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's PostgreSQL server (a throw-away local cluster unless configured)."""
    with session_server() as server:
        yield server


@pytest.fixture(scope="session")
def template_db(pg_server: PgServer) -> Iterator[str]:
    """Name of a database with the shim and all migrations applied (never used directly)."""
    name = build_template(pg_server)
    yield name
    pg_server.drop_database(name)


@pytest.fixture(scope="session")
def shared_db(pg_server: PgServer, template_db: str) -> Iterator[str]:
    """A clone of the template that rollback-isolated tests share."""
    name = f"ws_shared_{uuid.uuid4().hex[:8]}"
    pg_server.create_database(name, template=template_db)
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def db(pg_server: PgServer, shared_db: str) -> Iterator[psycopg.Connection]:
    """A connection inside a transaction that is rolled back after the test.

    It acts as `postgres` (the migration role); `tests.support.postgrest.request`/`rpc` act as
    API users in savepoints and `tests.support.gotrue.as_role` as other roles (it logs in as
    the superuser so it may switch to any role).
    """
    with psycopg.connect(pg_server.admin_url_for(shared_db)) as conn:
        conn.execute("set role postgres")
        try:
            yield conn
        finally:
            conn.rollback()


@dataclass
class FreshDb:
    """A database of its own for a test that commits or uses several connections."""

    server: PgServer
    name: str

    def url(self, user: str = "postgres") -> str:
        """URL for ``user`` on this database (authenticator, as PostgREST logs in; postgres...)."""
        return self.server.url(user, self.name)

    @property
    def admin_url(self) -> str:
        """Superuser URL on this database."""
        return self.server.admin_url_for(self.name)

    def connect(self, user: str = "postgres", *, autocommit: bool = True) -> psycopg.Connection:
        """A new connection as ``user`` (the caller closes it)."""
        url = self.admin_url if user == "supabase_admin" else self.url(user)
        return psycopg.connect(url, autocommit=autocommit)


@pytest.fixture
def fresh_db(pg_server: PgServer, template_db: str) -> Iterator[FreshDb]:
    """A fresh clone of the migrated template, dropped after the test."""
    name = f"ws_test_{uuid.uuid4().hex[:10]}"
    pg_server.create_database(name, template=template_db)
    try:
        yield FreshDb(pg_server, name)
    finally:
        pg_server.drop_database(name)


@pytest.fixture
def make_user(db: psycopg.Connection) -> Callable[..., AuthUser]:
    """Factory: ``make_user()`` (phone), ``make_user("google")``, ``make_user("anonymous")``."""

    def factory(kind: Any = "phone", **kwargs: Any) -> AuthUser:
        return create_user(db, kind, **kwargs)

    return factory


@pytest.fixture
def api(db: psycopg.Connection) -> Api:
    """Call RPCs as a user on the rolled-back connection: ``api(alice, "follow", p_user_id=...)``."""
    return Api(db)


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """``environ(WHATSSOUND_X="...", ...)`` sets environment variables for this test (``None``
    removes one); the settings tree (``whatssound_svc.settings.get_settings``, the one cache) is
    read again after each call and after the test."""

    def setenv(**values: str | None) -> None:
        for name, value in values.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    get_settings.cache_clear()
    yield setenv
    get_settings.cache_clear()  # before monkeypatch undoes the variables: the tree is read lazily
