"""The PostgreSQL server the test session uses, and databases made from the migrated template.

By default a throw-away local cluster (the embedded PostgreSQL 18, or ``WHATSSOUND_PG_BINDIR``'s
binaries) is started for the session. ``WHATSSOUND_TEST_DATABASE_URL`` (a superuser URL) uses an
existing server instead; its shim roles must accept the local password ("postgres").
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from whatssound_svc import migrations, paths
from whatssound_svc.local import shim
from whatssound_svc.local.cluster import LocalCluster
from whatssound_svc.settings import LOCAL_PASSWORD


@dataclass
class PgServer:
    """A server we may create databases on, reachable as any of the shim's login roles."""

    admin_url: str
    cluster: LocalCluster | None = None

    def url(self, user: str = "postgres", dbname: str = "postgres") -> str:
        """URL for ``user`` on ``dbname`` (local password for every role but the admin's)."""
        parts = urlsplit(self.admin_url)
        admin_user = parts.username or ""
        password = parts.password if user == admin_user else LOCAL_PASSWORD
        netloc = f"{user}:{password}@{parts.hostname}:{parts.port or 5432}"
        return urlunsplit((parts.scheme, netloc, f"/{dbname}", parts.query, ""))

    def admin_url_for(self, dbname: str) -> str:
        """The superuser URL on another database."""
        parts = urlsplit(self.admin_url)
        return urlunsplit((parts.scheme, parts.netloc, f"/{dbname}", parts.query, ""))

    def create_database(self, name: str, template: str | None = None) -> None:
        """Create ``name`` (owned by postgres), as a copy of ``template`` if given."""
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            query = sql.SQL("create database {} owner postgres").format(sql.Identifier(name))
            if template:
                query = sql.SQL("create database {} owner postgres template {} strategy file_copy").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            conn.execute(query)

    def drop_database(self, name: str) -> None:
        """Drop ``name``, disconnecting whoever is still on it."""
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


@contextmanager
def session_server() -> Iterator[PgServer]:
    """The session's server: the one named by the environment, or a fresh local cluster."""
    external = os.environ.get("WHATSSOUND_TEST_DATABASE_URL")
    if external:
        yield PgServer(admin_url=external)
        return
    LocalCluster.sweep_abandoned()
    cluster = LocalCluster.ephemeral("test")
    try:
        cluster.start()
        yield PgServer(admin_url=cluster.admin_url, cluster=cluster)
    finally:
        cluster.destroy()


def build_template(server: PgServer) -> str:
    """A database with the shim and every migration applied; returns its name."""
    name = f"ws_template_{uuid.uuid4().hex[:8]}"
    # The roles the shim creates must exist before `create database ... owner postgres`.
    with psycopg.connect(server.admin_url, autocommit=True) as admin:
        shim.apply(admin)
    server.create_database(name)
    with psycopg.connect(server.admin_url_for(name), autocommit=True) as admin:
        shim.apply(admin)
    with psycopg.connect(server.url("postgres", name), autocommit=True) as conn:
        migrations.push(conn, paths.MIGRATIONS_DIR, report=lambda _msg: None)
    return name
